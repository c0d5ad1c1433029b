//! Kind: invalid input, of every kind, ends in exit 2 with the place and a
//! message in the user's words, and nothing reaches the server.
//!
//! The cases are data: `tests/malformed/*.txt`, one file per kind. A case is
//!
//! ```text
//! === what is wrong
//! --- requests/a.yaml            a file of the project ({URL} = the server)
//! requests:
//!   - url: "{URL}/x?q={{ env.SESAME_MALFORMED_UNSET }}"
//! --- args                       optional: one command line; default: both
//! run --tag x                    `validate` and `run`, which must agree
//! --- stderr                     the whole standard error, exactly
//! error: undefined variable `env.SESAME_MALFORMED_UNSET`
//! ...
//! ```
//!
//! Other sections: `--- fifo PATH` (a named pipe), `--- dir PATH` (a
//! folder), `--- bytes PATH` (content with `\xNN` escapes). Every case is
//! run against one test server, which must have received nothing.
//! `MALFORMED_BLESS=1 cargo test malformed` rewrites the `stderr` sections
//! from what the binary prints (review the diff before committing).

use std::fmt::Write as _;
use std::path::Path;

use crate::support::{Project, TestServer};

/// One case of a data file.
struct Case {
    title: String,
    files: Vec<(String, Vec<u8>)>,
    fifos: Vec<String>,
    dirs: Vec<String>,
    args: Option<String>,
    stderr: String,
}

fn parse(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for block in text.split("\n=== ").skip(1) {
        let (title, rest) = block.split_once('\n').unwrap_or((block, ""));
        let mut case = Case {
            title: title.trim().to_string(),
            files: Vec::new(),
            fifos: Vec::new(),
            dirs: Vec::new(),
            args: None,
            stderr: String::new(),
        };
        for section in format!("\n{rest}").split("\n--- ").skip(1) {
            let (head, body) = section.split_once('\n').unwrap_or((section, ""));
            let head = head.trim();
            let body = body.strip_suffix('\n').unwrap_or(body);
            let body = if body.is_empty() {
                String::new()
            } else {
                format!("{body}\n")
            };
            match head.split_once(' ') {
                _ if head == "args" => case.args = Some(body.trim().to_string()),
                _ if head == "stderr" => case.stderr = body,
                Some(("fifo", path)) => case.fifos.push(path.to_string()),
                Some(("dir", path)) => case.dirs.push(path.to_string()),
                Some(("bytes", path)) => case.files.push((path.to_string(), unescape(&body))),
                _ => case.files.push((head.to_string(), body.into_bytes())),
            }
        }
        cases.push(case);
    }
    cases
}

/// `\xNN` escapes as bytes; everything else as written.
fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && b.get(i + 1) == Some(&b'x')
            && let Some(hex) = s.get(i + 2..i + 4)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn project(case: &Case, url: &str) -> Project {
    let p = Project::new();
    if !case.files.iter().any(|(path, _)| path == "sesame.yaml") {
        p.file("sesame.yaml", "");
    }
    for (path, content) in &case.files {
        let full = p.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a folder")).expect("mkdir");
        let text = String::from_utf8_lossy(content).replace("{URL}", url);
        if std::str::from_utf8(content).is_ok() {
            std::fs::write(&full, text).expect("write");
        } else {
            std::fs::write(&full, content).expect("write");
        }
    }
    for dir in &case.dirs {
        std::fs::create_dir_all(p.path().join(dir)).expect("mkdir");
    }
    for fifo in &case.fifos {
        make_fifo(&p.path().join(fifo));
    }
    p
}

fn make_fifo(path: &Path) {
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs every case of `tests/malformed/NAME.txt`; returns how many ran.
fn run_kind(name: &str) -> usize {
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/malformed")
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&data).expect("read the cases");
    let mut cases = parse(&text);
    assert!(!cases.is_empty(), "no cases in {}", data.display());
    let server = TestServer::start();
    server.expect_no_hits();
    let url = server.url();
    let bless = std::env::var_os("MALFORMED_BLESS").is_some();
    let mut failures = String::new();
    let mut seen = 0;
    for case in &mut cases {
        let p = project(case, &url);
        let commands: Vec<String> = match &case.args {
            Some(a) => vec![a.clone()],
            None => vec!["validate".into(), "run".into()],
        };
        for command in &commands {
            let args: Vec<&str> = command.split_whitespace().collect();
            let run = p.run(&args);
            let stderr = run.stderr.replace(&url, "{URL}");
            let hits = server.hits();
            if hits.len() > seen {
                let _ = writeln!(
                    failures,
                    "\n=== {} (`sesame {command}`): the server received {} {}",
                    case.title, hits[seen].method, hits[seen].path
                );
                seen = hits.len();
            }
            if run.code != 2 {
                let _ = writeln!(
                    failures,
                    "\n=== {} (`sesame {command}`): exit {}, not 2\n{}",
                    case.title,
                    run.code,
                    run.all()
                );
            }
            if case.args.is_none() && !stderr.contains("-->") {
                let _ = writeln!(
                    failures,
                    "\n=== {} (`sesame {command}`): no location in\n{stderr}",
                    case.title
                );
            }
            if bless && command == &commands[0] {
                case.stderr = stderr.clone();
            }
            if stderr != case.stderr {
                let _ = writeln!(
                    failures,
                    "\n=== {} (`sesame {command}`): stderr differs\n--- expected\n{}--- actual\n{}",
                    case.title, case.stderr, stderr
                );
            }
        }
    }
    if bless {
        std::fs::write(&data, bless_text(&text, &cases)).expect("bless");
    }
    assert!(failures.is_empty(), "{failures}");
    cases.len()
}

/// `text` with each case's `stderr` section replaced.
fn bless_text(text: &str, cases: &[Case]) -> String {
    let mut blocks = text.split("\n=== ");
    let mut out = blocks.next().unwrap_or_default().to_string();
    for (block, case) in blocks.zip(cases) {
        let head = block.split("\n--- stderr\n").next().unwrap_or(block);
        let head = head.trim_end_matches('\n');
        let _ = write!(out, "\n=== {head}\n--- stderr\n{}", case.stderr);
    }
    out
}

macro_rules! kinds {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_kind(stringify!($name));
            }
        )*
    };
}

kinds!(
    yaml, types, templates, urls, headers, durations, totp, profiles, dotenv, cli, special, expect,
    messages,
);

#[test]
fn the_corpus_has_at_least_200_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
    let total: usize = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .flatten()
        .map(|e| parse(&std::fs::read_to_string(e.path()).expect("read")).len())
        .sum();
    assert!(total >= 200, "{total} cases");
}
