//! Credentials kept on disk between runs, until they are due for refresh.
//! The key hashes everything the login depends on (profile file, project
//! folder, environment, `--var`, secret values), so changed credentials never
//! reuse an old token, and switching environments or projects keeps each
//! entry. Entries are written atomically; a lock per entry lets processes
//! that share the folder log in once between them. Secrets themselves are
//! never written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The user cache folder: `SESAME_CACHE_DIR`, else the platform's (e.g. `~/.cache/sesame`).
pub(crate) fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("SESAME_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "sesame").map(|p| p.cache_dir().to_path_buf())
}

/// Creates `dir` (and parents), readable by the user alone: mode 0700 on
/// Unix. Elsewhere (Windows) the folder inherits the ACLs of the user
/// profile it lives in (`%LOCALAPPDATA%`), which already keep other users out.
pub(crate) fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Opens `path` for writing, truncated, mode 0600 on Unix (elsewhere the
/// folder's ACLs apply, see [`ensure_private_dir`]).
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// What marks a cache file as sesame's: the `format` field of every entry.
pub(crate) const FORMAT: &str = "sesame-credentials/1";

/// One cached login: what `apply:` attaches and the login's captures, with
/// the instants (unix seconds) it expires and is due for refresh.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CachedCreds {
    /// Always [`FORMAT`]; a file without it is not sesame's and is ignored.
    pub format: String,
    pub profile: String,
    pub expires_at: u64,
    /// When the credential is refreshed: see [`crate::auth::creds::refresh_point`].
    pub refresh_at: u64,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub captures: HashMap<String, Value>,
}

/// The `credentials/` folder of the cache: one file per profile, environment,
/// inputs and project folder (`PROFILE-HEX.json`), each with its lock file
/// (`PROFILE-HEX.lock`).
pub(crate) struct CredCache {
    dir: PathBuf,
}

/// An exclusive lock on one cache entry, held around a login so processes
/// sharing the cache folder log in once between them. Released on drop.
pub(crate) struct EntryLock(std::fs::File);

impl Drop for EntryLock {
    fn drop(&mut self) {
        let _ = fs4::FileExt::unlock(&self.0);
    }
}

impl CredCache {
    pub(crate) fn new(dir: PathBuf) -> CredCache {
        CredCache {
            dir: dir.join(CREDENTIALS),
        }
    }

    /// The cache key of a profile's login: `PROFILE-HEX`, HEX being 32 hex
    /// digits of SHA-256 over the profile name, the environment and `parts`.
    pub(crate) fn key(profile: &str, env: Option<&str>, parts: &[&str]) -> String {
        let mut h = Sha256::new();
        for p in [profile, env.unwrap_or("")].iter().chain(parts) {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        let digest = h.finalize();
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        format!("{profile}-{hex}")
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The entry stored under `key`, whatever its expiry (the caller checks
    /// it against its refresh point). `Ok(None)`: no entry.
    ///
    /// Errors: a file that is not a sesame entry or is corrupt, as a
    /// sentence naming the file; it is then left alone and ignored.
    pub(crate) fn load(&self, key: &str) -> Result<Option<CachedCreds>, String> {
        let path = self.path(key);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        match serde_json::from_str::<CachedCreds>(&text) {
            Ok(c) if c.format == FORMAT => Ok(Some(c)),
            _ => Err(format!(
                "ignoring {}: not a sesame credential file, or damaged",
                path.display()
            )),
        }
    }

    /// Writes `creds` under `key` atomically (a private temporary file,
    /// then renamed over the entry), mode 0600. Other entries stay.
    pub(crate) fn store(&self, key: &str, creds: &CachedCreds) -> std::io::Result<()> {
        ensure_private_dir(&self.dir)?;
        let text = serde_json::to_string(creds).unwrap_or_default();
        crate::private_file::write(&self.path(key), text.as_bytes())
    }

    /// Waits for the exclusive lock of `key`'s entry (blocking: call it from
    /// [`crate::blocking::blocking`]). `waited` is told when another process
    /// holds it, before waiting.
    pub(crate) fn lock(&self, key: &str, waited: impl FnOnce()) -> std::io::Result<EntryLock> {
        ensure_private_dir(&self.dir)?;
        let file = private_file(&self.dir.join(format!("{key}.lock")))?;
        // Called by path: std's own `File::lock` is newer than our MSRV.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                waited();
                fs4::FileExt::lock(&file)?;
            }
            Err(fs4::TryLockError::Error(e)) => return Err(e),
        }
        Ok(EntryLock(file))
    }
}

const CREDENTIALS: &str = "credentials";

/// The TOTP ledger's files (see `auth::ledger`), also sesame's own.
const LEDGER_FILES: [&str; 2] = ["totp-ledger.json", "totp-ledger.lock"];

/// `sesame cache clear`: removes what sesame wrote in the cache folder, and
/// nothing else: credential entries (files holding [`FORMAT`]), their lock
/// files, the TOTP ledger; then the folders if they are left empty. Returns
/// the folder and how many files were removed.
pub(crate) fn clear() -> std::io::Result<Option<(PathBuf, usize)>> {
    let Some(dir) = cache_dir() else {
        return Ok(None);
    };
    let mut removed = 0;
    let creds = dir.join(CREDENTIALS);
    if let Ok(entries) = std::fs::read_dir(&creds) {
        for e in entries.flatten() {
            if is_ours(&e.path()) {
                std::fs::remove_file(e.path())?;
                removed += 1;
            }
        }
        let _ = std::fs::remove_dir(&creds);
    }
    for name in LEDGER_FILES {
        match std::fs::remove_file(dir.join(name)) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    let _ = std::fs::remove_dir(&dir);
    Ok(Some((dir, removed)))
}

/// A file sesame wrote in `credentials/`: an entry holding [`FORMAT`], or
/// the lock file of a `PROFILE-HEX` key.
fn is_ours(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some(key) = name.strip_suffix(".lock") {
        return is_key(key);
    }
    if name.strip_suffix(".json").is_some_and(is_key) {
        return std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str::<CachedCreds>(&t).ok())
            .is_some_and(|c| c.format == FORMAT);
    }
    false
}

fn is_key(name: &str) -> bool {
    name.rsplit_once('-').is_some_and(|(profile, hex)| {
        !profile.is_empty() && hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}
