//! The test harness: a project in a temporary folder, the real `sesame`
//! binary run in it, and a real server on 127.0.0.1.

pub mod creds;
pub mod oauth2;
pub mod raw;
pub mod server;
pub mod tls;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

pub use raw::{Run, finish};
pub use server::{Hit, TestServer};

use crate::test::Test;

/// A sesame project in a temporary folder, for tests that run the binary
/// several times in it: [`Project::test`] starts each run.
pub struct Project {
    pub dir: Arc<tempfile::TempDir>,
    env: Vec<(String, String)>,
    /// The servers whose addresses become `{URL}`/`{addr}` in output.
    servers: RefCell<Vec<String>>,
}

impl Project {
    pub fn new() -> Project {
        let dir = Arc::new(tempfile::tempdir().expect("tempdir"));
        Project {
            dir,
            env: Vec::new(),
            servers: RefCell::new(Vec::new()),
        }
    }

    /// `{URL}` and `{addr}` stand for `server` in the output of [`Project::test`].
    pub fn server(&self, server: &TestServer) -> &Project {
        self.origin(&server.addr.to_string())
    }

    /// `{URL}` and `{addr}` stand for `127.0.0.1:PORT` = `addr`.
    pub fn origin(&self, addr: &str) -> &Project {
        let mut servers = self.servers.borrow_mut();
        if !servers.iter().any(|s| s == addr) {
            servers.push(addr.to_string());
        }
        self
    }

    /// A run of the binary in this project (its environment and servers
    /// included), compared exactly: see [`Test`].
    pub fn test(&self) -> Test {
        let mut t = Test::in_dir(self.dir.clone());
        for addr in self.servers.borrow().iter() {
            t = t.origin(addr);
        }
        for (k, v) in &self.env {
            t = t.env(k, v);
        }
        t
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` to `rel` (creating folders).
    pub fn file(&self, rel: &str, content: &str) -> &Project {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn env(&mut self, k: &str, v: &str) -> &mut Project {
        self.env.push((k.into(), v.into()));
        self
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.dir.path().join(".cache-sesame")
    }

    /// The binary as [`Test`] runs it, for a process the test drives
    /// itself (a server it stops).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sesame"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("SESAME_TEST_MODE", "1")
            .env("NO_COLOR", "1")
            .env("SESAME_CACHE_DIR", self.cache_dir())
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }
}

/// `yaml` with every `{URL}` replaced by `server`'s base URL, so request
/// files can be written as plain raw strings.
pub fn with_url(server: &TestServer, yaml: &str) -> String {
    yaml.replace("{URL}", &server.url())
}

// ---- auth-profile helpers (tests/auth_*.rs) ----

impl TestServer {
    /// The value of `shared.counters[name]` (0 when never set).
    pub fn counter(&self, name: &str) -> u64 {
        self.shared
            .counters
            .lock()
            .unwrap()
            .get(name)
            .copied()
            .unwrap_or(0)
    }

    /// The same server under another origin: `http://localhost:PORT`.
    pub fn other_origin_url(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }
}

impl Project {
    /// Writes a request file whose `{URL}` is `server`'s base URL.
    pub fn request_file(&self, rel: &str, server: &TestServer, yaml: &str) -> &Project {
        self.server(server);
        self.file(rel, &with_url(server, yaml))
    }

    /// Every file under `rel` (recursively), for "appears nowhere" checks.
    pub fn files_under(&self, rel: &str) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.dir.path().join(rel), &mut out);
        out
    }
}

/// The permission bits of `path` (e.g. `0o600`).
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

pub mod sandbox;
