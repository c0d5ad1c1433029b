//! The no-reuse rule for TOTP codes: never send the same code twice.
//!
//! Servers reject a code that was already accepted, so a second login within
//! one time step (a re-login after 401, two profiles sharing a secret, or a
//! run started right after another) must wait for the next step. The ledger
//! records which steps were used per secret fingerprint, in memory and in
//! `totp-ledger.json` in the cache folder so the next process sees them.
//!
//! The file is read, merged and rewritten (through a temporary file and a
//! rename) under a lock file, so parallel runs don't lose each other's
//! entries. Persistence is best effort: when the cache folder cannot be
//! written, the in-memory record still protects this run. Entries are pruned
//! ten minutes after their step ends.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::totp::TotpSpec;

const FILE_NAME: &str = "totp-ledger.json";
const LOCK_NAME: &str = "totp-ledger.lock";
/// How long a used step is remembered after it ends.
const KEEP_SECS: u64 = 600;
/// A lock file older than this was left by a crashed process.
const STALE_LOCK: Duration = Duration::from_secs(10);
/// How long to wait for another process's lock before going on without it.
const LOCK_PATIENCE: Duration = Duration::from_secs(3);

/// Used TOTP steps, per secret fingerprint; thread-safe (`&self`).
pub(crate) struct Ledger {
    dir: Option<PathBuf>,
    used: Mutex<BTreeSet<Entry>>,
}

/// A code to send, and how long to wait before sending it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Claim {
    pub code: String,
    pub step: u64,
    /// How long the caller must wait before sending (0 when the current step
    /// is fresh).
    pub wait: Duration,
    /// The ledger file was damaged: why the caller waits although no use of
    /// this step is recorded.
    pub damaged: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    step: u64,
    /// Unix time at which the step ends.
    until: u64,
}

#[derive(Default, Serialize, Deserialize)]
struct LedgerFile {
    version: u32,
    used: Vec<Entry>,
}

impl Ledger {
    /// `dir`: the cache folder to persist in (`totp-ledger.json`, mode 0600;
    /// the folder is created 0700), or `None` for memory only.
    pub(crate) fn new(dir: Option<PathBuf>) -> Self {
        Ledger {
            dir,
            used: Mutex::new(BTreeSet::new()),
        }
    }

    /// The code of the first step at or after the one containing `now` that
    /// was not used yet for this secret; marks it used (memory and file) and
    /// says how long until that step starts.
    pub(crate) fn claim(&self, spec: &TotpSpec, now: SystemTime) -> Claim {
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        let now_secs = now.as_secs();
        let fingerprint = spec.fingerprint();
        let period = spec.period();

        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let lock = self.dir.as_deref().and_then(FileLock::acquire);
        let mut damaged = None;
        if let Some(dir) = &self.dir {
            match read_file(&dir.join(FILE_NAME)) {
                Ok(entries) => used.extend(entries),
                Err(why) => damaged = Some(why),
            }
        }
        used.retain(|entry| entry.until.saturating_add(KEEP_SECS) >= now_secs);

        let mut step = spec.step_at(now_secs);
        if damaged.is_some() {
            // What the damaged file held is unknown: this step's code may
            // already have gone out, so only the next step is safe.
            step += 1;
        }
        while used
            .iter()
            .any(|e| e.fingerprint == fingerprint && e.step == step)
        {
            step += 1;
        }
        let start = step.saturating_mul(period);
        used.insert(Entry {
            fingerprint,
            step,
            until: start.saturating_add(period),
        });
        if let Some(dir) = &self.dir {
            // Best effort: the in-memory record still holds for this run.
            let _ = write_file(dir, &used);
        }
        drop(lock);

        Claim {
            code: spec.code_at(start),
            step,
            wait: Duration::from_secs(start).saturating_sub(now),
            damaged,
        }
    }
}

/// Entries from the file; a missing file is an empty ledger.
///
/// Errors: the file exists but cannot be read or is not a ledger (damaged):
/// the caller must assume the current step was used.
fn read_file(path: &Path) -> Result<Vec<Entry>, String> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    serde_json::from_slice::<LedgerFile>(&bytes)
        .map(|file| file.used)
        .map_err(|_| format!("{} is damaged (not a TOTP ledger)", path.display()))
}

fn write_file(dir: &Path, used: &BTreeSet<Entry>) -> std::io::Result<()> {
    let body = serde_json::to_vec_pretty(&LedgerFile {
        version: 1,
        used: used.iter().cloned().collect(),
    })
    .map_err(std::io::Error::other)?;
    crate::private_file::create_dir(dir)?;
    crate::private_file::write(&dir.join(FILE_NAME), &body)
}

/// Opens `path` for writing with mode 0600 (`exclusive`: fail if it exists).
fn private_file(path: &Path, exclusive: bool) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    if exclusive {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(file)
}

/// A lock file held between reading and rewriting the ledger, removed on
/// drop. `std::fs::File::lock` would need Rust 1.89; our MSRV is 1.85.
struct FileLock(PathBuf);

impl FileLock {
    /// `None` when the folder cannot be written or another process held the
    /// lock for too long: go on unlocked rather than block a login.
    fn acquire(dir: &Path) -> Option<FileLock> {
        crate::private_file::create_dir(dir).ok()?;
        let path = dir.join(LOCK_NAME);
        let deadline = std::time::Instant::now() + LOCK_PATIENCE;
        loop {
            match private_file(&path, true) {
                Ok(_) => return Some(FileLock(path)),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = fs::metadata(&path)
                        .and_then(|meta| meta.modified())
                        .ok()
                        .and_then(|modified| modified.elapsed().ok())
                        .is_some_and(|age| age > STALE_LOCK);
                    if stale {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if std::time::Instant::now() >= deadline {
                        return None;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(_) => return None,
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests;
