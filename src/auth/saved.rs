//! Credentials saved by `sesame login --save FILE` and used by `sesame run
//! --credentials FILE`: a CI pipeline logs in once and every shard job
//! reuses the login. The file holds what `apply:` attaches and the login's
//! captures, never the profile's secrets; it is written atomically with
//! mode 0600 and, when `SESAME_CREDENTIALS_KEY` is set, encrypted with it
//! (age, passphrase recipient: scrypt + ChaCha20-Poly1305).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The environment variable holding the passphrase of credentials files.
pub(crate) const KEY_VAR: &str = "SESAME_CREDENTIALS_KEY";

/// What marks a file as a sesame credentials file (inside the encryption).
pub(crate) const FORMAT: &str = "sesame-saved-credentials/1";

/// The start of every age file, encrypted or not with a passphrase.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";

/// A credentials file: the environment it was made for and each profile's credentials.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SavedFile {
    pub format: String,
    /// `--env` of the login, if any.
    pub env: Option<String>,
    pub profiles: BTreeMap<String, SavedCreds>,
}

/// One profile's credentials. Instants are unix seconds; `None`: no expiry known.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SavedCreds {
    pub expires_at: Option<u64>,
    pub refresh_at: Option<u64>,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub captures: HashMap<String, Value>,
}

/// A credentials file read for a run, with where it came from.
#[derive(Debug)]
pub(crate) struct Saved {
    pub path: PathBuf,
    pub file: SavedFile,
}

/// Writes `file` to `path` atomically, mode 0600; encrypted with `key` when given.
///
/// Errors: the folder cannot be written, or encryption failed.
pub(crate) fn write(path: &Path, file: &SavedFile, key: Option<&str>) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(file).map_err(std::io::Error::other)?;
    let bytes = match key {
        Some(k) => encrypt(&json, k)?,
        None => json,
    };
    crate::private_file::write(path, &bytes)
}

/// Reads a credentials file; `key` decrypts an encrypted one.
///
/// Errors, as sentences naming the file: unreadable, encrypted without a
/// key or with another key, not a sesame credentials file.
pub(crate) fn read(path: &Path, key: Option<&str>) -> Result<Saved, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let json = if bytes.starts_with(AGE_MAGIC) {
        let Some(key) = key else {
            return Err(format!(
                "{shown} is encrypted: set {KEY_VAR} to the passphrase it was saved with"
            ));
        };
        decrypt(&bytes, key).map_err(|e| format!("cannot decrypt {shown}: {e}"))?
    } else {
        bytes
    };
    match serde_json::from_slice::<SavedFile>(&json) {
        Ok(file) if file.format == FORMAT => Ok(Saved {
            path: path.to_path_buf(),
            file,
        }),
        _ => Err(format!(
            "{shown} is not a credentials file written by `sesame login --save`"
        )),
    }
}

fn encrypt(plain: &[u8], key: &str) -> std::io::Result<Vec<u8>> {
    let recipient = age::scrypt::Recipient::new(age::secrecy::SecretString::from(key.to_string()));
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
        .map_err(std::io::Error::other)?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out)?;
    writer.write_all(plain)?;
    writer.finish()?;
    Ok(out)
}

fn decrypt(bytes: &[u8], key: &str) -> Result<Vec<u8>, String> {
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(key.to_string()));
    let decryptor = age::Decryptor::new(bytes).map_err(|e| e.to_string())?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as _))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
                format!("wrong {KEY_VAR}")
            }
            other => other.to_string(),
        })?;
    let mut out = Vec::new();
    reader.read_to_end(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SavedFile {
        SavedFile {
            format: FORMAT.into(),
            env: Some("ci".into()),
            profiles: BTreeMap::from([(
                "api".to_string(),
                SavedCreds {
                    expires_at: Some(10),
                    refresh_at: Some(8),
                    headers: vec![("Authorization".into(), "Bearer t-1".into())],
                    query: vec![],
                    captures: HashMap::new(),
                },
            )]),
        }
    }

    #[test]
    fn an_encrypted_file_needs_its_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.age");
        write(&path, &sample(), Some("correct horse")).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(AGE_MAGIC));
        assert!(
            !String::from_utf8_lossy(&bytes).contains("t-1"),
            "encrypted"
        );
        let back = read(&path, Some("correct horse")).unwrap();
        assert_eq!(back.file.profiles["api"].headers[0].1, "Bearer t-1");
        let wrong = read(&path, Some("battery staple")).unwrap_err();
        assert_eq!(
            wrong,
            format!("cannot decrypt {}: wrong {KEY_VAR}", path.display())
        );
        let none = read(&path, None).unwrap_err();
        assert!(none.ends_with(
            "is encrypted: set SESAME_CREDENTIALS_KEY to the passphrase it was saved with"
        ));
    }

    #[test]
    fn a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, "{\"format\": \"other\"}").unwrap();
        let e = read(&path, None).unwrap_err();
        assert!(e.ends_with("is not a credentials file written by `sesame login --save`"));
    }
}
