//! The `Test` builder: writes a project into a temporary folder, runs the
//! real `sesame` binary in it, and compares stdout, stderr and the exit code
//! **exactly** (like casey/just's `tests/test.rs`).
//!
//! ```ignore
//! Test::new()
//!     .server(&server)
//!     .file("requests/a.yaml", "requests:\n  - url: \"{URL}/json\"\n")
//!     .arg("run")
//!     .stdout("...")
//!     .run();
//! ```
//!
//! Several runs in one project: `Project::test()` starts each (same folder,
//! environment and servers), or `Output::test()` continues after a run.
//! `.spawn()` starts the binary and `Running::wait()` checks it (to send it
//! a signal in between).
//!
//! What varies between runs is replaced by placeholders, both ways: in the
//! files written, `{URL}` becomes `http://127.0.0.1:PORT` of the server,
//! `{addr}` its `127.0.0.1:PORT` and `{OTHER}` `http://localhost:PORT`; in
//! what the binary prints, the same values become placeholders again, and
//! the project folder becomes `{dir}`. `SESAME_TEST_MODE` freezes colours
//! and most times; what it does not freeze is normalised by default (login
//! times `<ms>`, JWTs `<jwt>`, the test server's Date header `<date>`), and
//! the per-file blocks of the console report are sorted (with several jobs
//! they come in the order files finish; see `keep_file_order`). Anything
//! else that varies (a TOTP wait) is normalised with [`Test::normalise`].
//!
//! On a mismatch the failure shows both texts, the first differing line and
//! the actual text as JSON, which `tests/support/bless.py` pastes into the
//! test.
//!
//! Expected texts and file contents that start with a newline are unindented
//! (the first newline dropped, the common indentation removed), so they can
//! be written as indented raw strings.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;

use crate::support::TestServer;
use crate::support::sandbox::TestSandbox;

/// One run of `sesame` to set up and check.
#[must_use]
pub struct Test {
    dir: Arc<tempfile::TempDir>,
    current_dir: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    env_remove: Vec<String>,
    stdin: Option<String>,
    /// (actual value, placeholder): placeholders in files become values,
    /// values in output become placeholders.
    subs: Vec<(String, String)>,
    normalise: Vec<(Regex, String)>,
    /// Sort the per-file blocks of the console report by file name.
    sort_files: bool,
    status: i32,
    stdout: Option<String>,
    stderr: Option<String>,
}

/// What one run printed (after normalising), and the project, for a next run.
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    /// stdout as printed, without placeholders (to feed to another program).
    pub raw_stdout: String,
    test: Test,
}

impl Output {
    /// stdout and stderr together, for "appears nowhere" checks.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// A new run in the same project folder, with the same environment,
    /// placeholders and normalisations, expecting exit 0 and no output.
    pub fn test(self) -> Test {
        self.test
    }
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    pub fn new() -> Test {
        Test::in_dir(Arc::new(tempfile::tempdir().expect("tempdir")))
    }

    /// A run in an existing project folder.
    pub fn in_dir(dir: Arc<tempfile::TempDir>) -> Test {
        let subs = vec![(dir.path().display().to_string(), "{dir}".to_string())];
        // Not frozen by SESAME_TEST_MODE: how long a login took.
        let login_time = Regex::new(r"(logged in \([\d*]+ steps?), [\d.*]+m?s\)").unwrap();
        Test {
            dir,
            current_dir: PathBuf::new(),
            args: Vec::new(),
            env: Vec::new(),
            env_remove: Vec::new(),
            stdin: None,
            subs,
            normalise: vec![
                (login_time, "$1, <ms>)".to_string()),
                // Tokens the sandbox signs carry the time and a random id.
                (
                    Regex::new(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+").unwrap(),
                    "<jwt>".to_string(),
                ),
                // The test server's Date header, shown by --verbose.
                (
                    Regex::new(r"(?m)^(\s*< date: ).*$").unwrap(),
                    "$1<date>".to_string(),
                ),
            ],
            sort_files: true,
            status: 0,
            stdout: Some(String::new()),
            stderr: Some(String::new()),
        }
    }

    /// The project folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The disk cache the binary is pointed at (`SESAME_CACHE_DIR`).
    pub fn cache_dir(&self) -> PathBuf {
        self.dir.path().join(".cache-sesame")
    }

    /// `{URL}` and `{addr}` stand for this server.
    pub fn server(self, server: &TestServer) -> Test {
        self.origin(&server.addr.to_string())
    }

    /// `{URL}` and `{addr}` stand for this sandbox.
    pub fn sandbox(self, sandbox: &TestSandbox) -> Test {
        self.origin(&sandbox.addr())
    }

    /// `{URL}` and `{addr}` stand for `127.0.0.1:PORT` = `addr`, and
    /// `{OTHER}` for the same port as `http://localhost:PORT`.
    pub fn origin(self, addr: &str) -> Test {
        let port = addr.rsplit(':').next().unwrap_or_default();
        self.substitute(&format!("http://{addr}"), "{URL}")
            .substitute(addr, "{addr}")
            .substitute(&format!("http://localhost:{port}"), "{OTHER}")
    }

    /// `placeholder` stands for `actual`, in files and in output.
    pub fn substitute(mut self, actual: &str, placeholder: &str) -> Test {
        self.subs.push((actual.into(), placeholder.into()));
        self
    }

    /// Replaces every match of `pattern` in stdout and stderr by
    /// `replacement` before comparing (for what legitimately varies).
    pub fn normalise(mut self, pattern: &str, replacement: &str) -> Test {
        let re = Regex::new(pattern).expect("normalise pattern");
        self.normalise.push((re, replacement.into()));
        self
    }

    /// Keeps the per-file blocks of the console report in the order the
    /// binary printed them. By default they are sorted by file name: with
    /// `--jobs` above 1, files are reported in the order they finish.
    pub fn keep_file_order(mut self) -> Test {
        self.sort_files = false;
        self
    }

    /// Writes `content` (placeholders filled, unindented) to `rel`.
    pub fn file(self, rel: &str, content: &str) -> Test {
        let content = self.fill(&unindent(content));
        self.raw_file(rel, &content)
    }

    /// Writes `content` to `rel` as it is.
    pub fn raw_file(self, rel: &str, content: &str) -> Test {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    /// Runs the binary in `rel` (a folder of the project) instead of its root.
    pub fn current_dir(mut self, rel: &str) -> Test {
        self.current_dir = rel.into();
        self
    }

    pub fn arg(mut self, arg: &str) -> Test {
        let arg = self.fill(arg);
        self.args.push(arg);
        self
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        let value = self.fill(value);
        self.env.push((key.into(), value));
        self
    }

    pub fn env_remove(mut self, key: &str) -> Test {
        self.env_remove.push(key.into());
        self
    }

    pub fn stdin(mut self, stdin: &str) -> Test {
        self.stdin = Some(stdin.into());
        self
    }

    pub fn status(mut self, status: i32) -> Test {
        self.status = status;
        self
    }

    pub fn stdout(mut self, stdout: &str) -> Test {
        self.stdout = Some(unindent(stdout));
        self
    }

    pub fn stderr(mut self, stderr: &str) -> Test {
        self.stderr = Some(unindent(stderr));
        self
    }

    /// Leaves stdout unchecked: only for output that another assertion of
    /// the same test pins (a file written, a request received).
    pub fn any_stdout(mut self) -> Test {
        self.stdout = None;
        self
    }

    /// Leaves stderr unchecked (see [`Test::any_stdout`]).
    pub fn any_stderr(mut self) -> Test {
        self.stderr = None;
        self
    }

    /// `text` with every placeholder replaced by its value.
    pub fn fill(&self, text: &str) -> String {
        self.subs
            .iter()
            .fold(text.to_string(), |t, (actual, ph)| t.replace(ph, actual))
    }

    /// `text` with every known value replaced by its placeholder, then
    /// normalised.
    pub fn placeholders(&self, text: &str) -> String {
        let mut t = text.to_string();
        // Longest values first, so `http://addr` wins over `addr`.
        let mut subs: Vec<_> = self.subs.iter().collect();
        subs.sort_by_key(|(actual, _)| std::cmp::Reverse(actual.len()));
        for (actual, ph) in subs {
            t = t.replace(actual.as_str(), ph);
        }
        for (re, rep) in &self.normalise {
            t = re.replace_all(&t, rep.as_str()).into_owned();
        }
        if self.sort_files {
            t = sort_file_blocks(&t);
        }
        t
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sesame"));
        cmd.args(&self.args)
            .current_dir(self.dir.path().join(&self.current_dir))
            .env("SESAME_TEST_MODE", "1")
            .env("NO_COLOR", "1")
            .env("SESAME_CACHE_DIR", self.cache_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for k in &self.env_remove {
            cmd.env_remove(k);
        }
        cmd
    }

    /// Starts the binary without waiting; [`Running::wait`] checks it.
    pub fn spawn(self) -> Running {
        let mut child = self.command().spawn().expect("spawn sesame");
        if let Some(input) = &self.stdin {
            let mut sink = child.stdin.take().expect("stdin");
            sink.write_all(input.as_bytes()).expect("write stdin");
        }
        Running { child, test: self }
    }

    /// Runs the binary (at most 60 s) and checks status, stdout and stderr.
    #[track_caller]
    pub fn run(self) -> Output {
        self.spawn().wait()
    }
}

/// A started run of the binary.
pub struct Running {
    child: std::process::Child,
    test: Test,
}

impl Running {
    /// The process id, to send it a signal.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits (at most 60 s) and checks status, stdout and stderr.
    #[track_caller]
    pub fn wait(self) -> Output {
        let Running { child, test } = self;
        let out = wait_bounded(child);
        let status = out.status.code().unwrap_or(-1);
        let raw_stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stdout = test.placeholders(&raw_stdout);
        let stderr = test.placeholders(&String::from_utf8_lossy(&out.stderr));
        check(&test, status, &stdout, &stderr);
        let next = Test {
            status: 0,
            stdout: Some(String::new()),
            stderr: Some(String::new()),
            stdin: None,
            ..test
        };
        Output {
            status,
            stdout,
            stderr,
            raw_stdout,
            test: next,
        }
    }
}

/// The console report starts with one block per file: the file's path on a
/// line of its own, then its requests, indented. With several jobs, blocks
/// come in the order files finish, and a profile's login line before the
/// first block that needed it. Canonical form: other top-level lines first,
/// sorted (logouts last), then the blocks sorted by path.
fn sort_file_blocks(text: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let (mut before, mut after) = (String::new(), String::new());
    let mut rest = text;
    while let Some((line, next)) = rest.split_once('\n') {
        if line.is_empty() {
            break;
        }
        let first_word = line.split(' ').next().unwrap_or_default();
        if first_word.ends_with(".yaml") || first_word.ends_with(".yml") {
            blocks.push(format!("{line}\n"));
        } else if line.starts_with("  ") && !blocks.is_empty() {
            blocks.last_mut().unwrap().push_str(&format!("{line}\n"));
        } else if line.contains("logged out") {
            after.push_str(&format!("{line}\n"));
        } else {
            before.push_str(&format!("{line}\n"));
        }
        rest = next;
    }
    if blocks.len() < 2 {
        return text.to_string();
    }
    blocks.sort();
    let mut before: Vec<&str> = before.lines().collect();
    before.sort_unstable();
    let before: String = before.iter().map(|l| format!("{l}\n")).collect();
    before + &blocks.concat() + &after + rest
}

fn wait_bounded(child: std::process::Child) -> std::process::Output {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.expect("wait sesame"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("sesame did not finish within 60 s");
        }
    }
}

#[track_caller]
fn check(test: &Test, status: i32, stdout: &str, stderr: &str) {
    let mut bad = Vec::new();
    if status != test.status {
        bad.push(format!("exit code: expected {}, got {status}", test.status));
    }
    for (name, want, have) in [
        ("stdout", &test.stdout, stdout),
        ("stderr", &test.stderr, stderr),
    ] {
        if let Some(want) = want
            && want != have
        {
            bad.push(mismatch(name, want, have));
        }
    }
    if !bad.is_empty() {
        panic!(
            "sesame {:?}: output differs\n{}\n--- actual stdout\n{stdout}\n--- actual stderr\n{stderr}",
            test.args,
            bad.join("\n")
        );
    }
}

/// Both texts and the first line where they differ, plus the actual text
/// as one JSON line (`tests/support/bless.py` pastes it into the test).
fn mismatch(name: &str, want: &str, have: &str) -> String {
    let line = want
        .lines()
        .zip(have.lines())
        .position(|(w, h)| w != h)
        .unwrap_or_else(|| want.lines().count().min(have.lines().count()));
    format!(
        "{name} differs from line {}:\n  expected: {:?}\n  actual:   {:?}\n--- expected {name}\n{want}\nbless {name}: {}",
        line + 1,
        want.lines().nth(line).unwrap_or("<end>"),
        have.lines().nth(line).unwrap_or("<end>"),
        serde_json::to_string(have).expect("json"),
    )
}

/// Drops a leading newline and the common indentation of the lines; the
/// last line, when only spaces, is dropped too. Text that does not start
/// with a newline is returned as it is.
pub fn unindent(text: &str) -> String {
    let Some(body) = text.strip_prefix('\n') else {
        return text.to_string();
    };
    let body = match body.rfind('\n') {
        Some(i) if body[i + 1..].trim().is_empty() => &body[..=i],
        _ => body,
    };
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in body.split_inclusive('\n') {
        out.push_str(l.get(indent..).unwrap_or(l.trim_start_matches(' ')));
    }
    out
}

#[test]
fn unindent_drops_the_first_newline_and_the_common_indentation() {
    assert_eq!(unindent("\n    a\n      b\n\n    c\n    "), "a\n  b\n\nc\n");
    assert_eq!(unindent("a\n  b\n"), "a\n  b\n");
    assert_eq!(unindent("\n  a"), "a");
}

#[test]
fn file_blocks_are_sorted_with_logins_first_and_logouts_last() {
    let printed = "profile b: logged in\nrequests/b.yaml\n  ✓ one\nrequests/a.yml\n  ✓ two\nprofile a: logged in\nprofile b: logged out\n\n2 passed\n";
    assert_eq!(
        sort_file_blocks(printed),
        "profile a: logged in\nprofile b: logged in\nrequests/a.yml\n  ✓ two\nrequests/b.yaml\n  ✓ one\nprofile b: logged out\n\n2 passed\n"
    );
    let one_file = "requests/b.yaml\nprofile b: logged in\n  ✓ one\n\n1 passed\n";
    assert_eq!(sort_file_blocks(one_file), one_file);
}
