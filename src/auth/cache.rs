//! Credentials kept on disk between runs, until they expire. The key hashes
//! everything the login depends on (profile file, environment, secret
//! values), so changed credentials never reuse an old token. Secrets
//! themselves are never written.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The user cache folder: `SESAME_CACHE_DIR`, else the platform's (e.g. `~/.cache/sesame`).
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("SESAME_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "sesame").map(|p| p.cache_dir().to_path_buf())
}

/// Creates `dir` (and parents), readable by the user alone: mode 0700 on
/// Unix. Elsewhere (Windows) the folder inherits the ACLs of the user
/// profile it lives in (`%LOCALAPPDATA%`), which already keep other users out.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
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

#[derive(Debug, Serialize, Deserialize)]
pub struct CachedCreds {
    pub expires_at: u64,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub captures: HashMap<String, Value>,
}

pub struct CredCache {
    dir: PathBuf,
}

impl CredCache {
    pub fn new(dir: PathBuf) -> CredCache {
        CredCache {
            dir: dir.join("credentials"),
        }
    }

    /// The cache key of a profile's login.
    pub fn key(profile: &str, env: Option<&str>, parts: &[&str]) -> String {
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

    /// Credentials stored under `key` with more than `margin` left.
    pub fn load(&self, key: &str, margin: Duration) -> Option<CachedCreds> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        let cached: CachedCreds = serde_json::from_str(&text).ok()?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        (cached.expires_at > now + margin.as_secs()).then_some(cached)
    }

    /// Writes `creds` under `key`, mode 0600, replacing older logins of the profile.
    pub fn store(&self, key: &str, creds: &CachedCreds) -> std::io::Result<()> {
        ensure_private_dir(&self.dir)?;
        let profile = key.rsplit_once('-').map(|(p, _)| p).unwrap_or(key);
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.rsplit_once('-').is_some_and(|(p, _)| p == profile) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let tmp = self.dir.join(format!(".{key}.tmp"));
        let mut f = private_file(&tmp)?;
        f.write_all(serde_json::to_string(creds).unwrap_or_default().as_bytes())?;
        drop(f);
        // Atomic replace on every platform (MoveFileExW with
        // MOVEFILE_REPLACE_EXISTING on Windows).
        std::fs::rename(tmp, self.path(key))
    }
}

/// `sesame cache clear`: removes every cached credential and TOTP record.
pub fn clear() -> std::io::Result<Option<PathBuf>> {
    let Some(dir) = cache_dir() else {
        return Ok(None);
    };
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(Some(dir))
}
