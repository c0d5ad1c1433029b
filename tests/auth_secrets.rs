//! Secret sources (env, file, command, prompt), the error when none yields,
//! and `validate` on secrets.

use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth_apply::project;
use crate::support::TestServer;
use crate::test::unindent;

const KEYED_REQUEST: &str = r#"
profile: key
requests:
  - name: keyed
    url: "@URL@/needs-key"
    expect: { status: 200 }
"#;

#[test]
fn env_source() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[(
            "key",
            "secrets:\n  key: { env: T_KEY }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )],
        &[("a", KEYED_REQUEST)],
    );
    p.env("T_KEY", "k-123");
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ keyed  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/needs-key")[0].header("x-api-key"),
        Some("k-123")
    );
}

#[test]
fn env_source_from_dot_env_file() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            "secrets:\n  key: { env: T_DOTENV_KEY }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )],
        &[("a", KEYED_REQUEST)],
    );
    p.file(".env", "T_DOTENV_KEY=k-123\n");
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ keyed  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
}

#[test]
fn file_source_is_relative_to_the_profile_and_trims_the_newline() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            "secrets:\n  key: { file: keys/api.txt }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )],
        &[("a", KEYED_REQUEST)],
    );
    p.file("profiles/keys/api.txt", "k-123\n");
    // A decoy where a cwd-relative lookup would find it.
    p.file("keys/api.txt", "wrong\n");
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ keyed  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/needs-key")[0].header("x-api-key"),
        Some("k-123")
    );
}

#[test]
fn command_source_runs_argv_without_a_shell() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            r#"
secrets:
  key: { command: [printf, "k-%s\n", "123"] }
  literal: { command: [echo, "$HOME", "a;b", "`id`"] }
apply:
  headers:
    X-Api-Key: "{{ secrets.key }}"
    X-Literal: "{{ secrets.literal }}"
"#,
        )],
        &[("a", KEYED_REQUEST)],
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ keyed  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hit = &server.hits_to("/needs-key")[0];
    assert_eq!(hit.header("x-api-key"), Some("k-123"), "stdout trimmed");
    assert_eq!(
        hit.header("x-literal"),
        Some("$HOME a;b `id`"),
        "nothing expanded by a shell"
    );
}

#[test]
fn no_source_yields_exit_3_naming_every_source_tried() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            r#"
secrets:
  key:
    env: T_NOT_SET_ANYWHERE
    file: missing-key.txt
    command: [sh, -c, "echo vault is sealed >&2; exit 4"]
    prompt: "API key"
apply:
  headers: { X-Api-Key: "{{ secrets.key }}" }
"#,
        )],
        &[
            ("a", KEYED_REQUEST),
            (
                "b",
                r#"
requests:
  - name: other file, no profile
    url: "@URL@/echo/other"
"#,
            ),
        ],
    );
    p.test().args(&["run"]).status(3).stdout(r#"
        requests/a.yaml
          ✗ keyed  GET no response  0ms
        requests/b.yaml
          ✓ other file, no profile  GET 200  0ms

        failures:

        ✗ requests/a.yaml › keyed
          GET {URL}/needs-key → no response
          error: login key: profile key could not log in: secret `key` of profile `key`: no source yielded a value (env T_NOT_SET_ANYWHERE: not set; file missing-key.txt: not found at {dir}/profiles/missing-key.txt; command sh -c "echo vault is sealed >&2; exit 4": exited with status 4: vault is sealed; prompt: stdin is not a terminal)
            --> requests/a.yaml:4:5
            |
          4 |   - name: keyed
            |     ^

        1 passed, 1 failed, 0 skipped (2 files) in 0.00s
    "#).run();
    assert!(server.hits_to("/needs-key").is_empty());
    assert_eq!(
        server.hits_to("/echo/other").len(),
        1,
        "other files still run"
    );
}

#[test]
fn validate_reports_a_secret_without_source_and_resolves_nothing() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[
            (
                "broken",
                "secrets:\n  api_token: {}\napply:\n  headers: { X-Api-Key: \"{{ secrets.api_token }}\" }\n",
            ),
            (
                "fine",
                "secrets:\n  key: { env: T_UNSET_FOR_VALIDATE, command: [false] }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
            ),
        ],
        &[(
            "a",
            KEYED_REQUEST
                .replace("profile: key", "profile: fine")
                .as_str(),
        )],
    );
    p.test()
        .args(&["validate"])
        .status(2)
        .stderr(
            r#"
        error: secret `api_token`: no source given (add `env`, `file`, `command` or `prompt`)
          --> profiles/broken.yaml:2:14
          |
        2 |   api_token: {}
          |              ^
          = hint: give at least one of env, file, command, prompt
        nothing was sent
    "#,
        )
        .run();
    std::fs::remove_file(p.path().join("profiles/broken.yaml")).unwrap();
    // Secrets are not resolved by validate: an unset variable is not a problem.
    p.test()
        .args(&["validate"])
        .stdout(
            r#"
        1 file, 1 request and 1 profile: valid
    "#,
        )
        .run();
    server.expect_no_hits();
}

#[test]
fn validate_reports_an_unknown_secret_name_in_a_request() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            "secrets:\n  key: { env: T_KEY }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )],
        &[(
            "a",
            r#"
profile: key
requests:
  - name: typo
    url: "@URL@/echo"
    headers: { X-Again: "{{ secrets.kee }}" }
"#,
        )],
    );
    p.test()
        .args(&["validate"])
        .status(2)
        .stderr(
            r#"
        error: undefined variable `secrets.kee`
          --> requests/a.yaml:6:25
          |
        6 |     headers: { X-Again: "{{ secrets.kee }}" }
          |                         ^^^^^^^^^^^^^^^^^^^
          = hint: did you mean `secrets.key`?
        nothing was sent
    "#,
        )
        .run();
    server.expect_no_hits();
}

/// Runs `sesame run` in a pseudo-terminal (util-linux `script`), answers the
/// prompt when it shows, and returns (exit code, output).
fn run_in_pty(p: &crate::support::Project, prompt: &str, answer: &str) -> (i32, String) {
    let cmd = format!("{} run", env!("CARGO_BIN_EXE_sesame"));
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(p.path())
        .env("SESAME_TEST_MODE", "1")
        .env("NO_COLOR", "1")
        .env("SESAME_CACHE_DIR", p.cache_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn script");
    let seen = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = {
        let seen = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.lock().unwrap().contains(prompt) {
        assert!(
            Instant::now() < deadline,
            "no prompt within 20 s; output: {}",
            seen.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The prompt is printed just before echo is turned off: typing at once
    // could be echoed. No output of sesame says when echo is off, so this
    // one test gives it a moment (a pty limit, not a clock).
    std::thread::sleep(Duration::from_millis(500));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{answer}\r").as_bytes()).unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "sesame under script did not finish; output: {}",
                seen.lock().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    let _ = reader.join();
    let out = seen.lock().unwrap().clone();
    (status.code().unwrap_or(-1), out)
}

/// The report the terminal shows besides the prompt (the answer is not
/// echoed), blank lines left out.
const PROMPTED: &str = r#"
    requests/a.yaml
      ✓ keyed  GET 200  0ms
    1 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

#[test]
fn prompt_source_asks_in_a_terminal_without_echo() {
    if Command::new("script").arg("--version").output().is_err() {
        panic!("util-linux `script` is needed for the prompt test");
    }
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            "secrets:\n  key: { env: T_NOT_SET_FOR_PROMPT, prompt: \"Vendor API key\" }\napply:\n  headers: { X-Api-Key: \"{{ secrets.key }}\" }\n",
        )],
        &[("a", KEYED_REQUEST)],
    );
    // The terminal itself echoes an answer typed in the instant between the
    // prompt and echo going off (a pty race, not sesame printing it): such
    // a run is tried again, at most twice.
    let (mut code, mut out) = run_in_pty(&p, "Vendor API key", "k-123");
    for _ in 0..2 {
        if !out.contains("Vendor API key: k-123") {
            break;
        }
        server.shared.hits.lock().unwrap().clear();
        (code, out) = run_in_pty(&p, "Vendor API key", "k-123");
    }
    assert_eq!(code, 0, "output: {out}");
    // In a terminal: the prompt, then the report (lines end in \r\n). The
    // report's first line comes from another thread than the prompt, so it
    // may print before or after the question: the question is taken out
    // and the rest compared exactly.
    let shown = out.replace("\r\n", "\n");
    assert_eq!(shown.matches("Vendor API key: ").count(), 1, "{shown}");
    let report: String = shown
        .replace("Vendor API key: ", "")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(report, unindent(PROMPTED));
    assert_eq!(
        server.hits_to("/needs-key")[0].header("x-api-key"),
        Some("k-123")
    );
    assert!(
        !out.contains("k-123"),
        "the answer is not echoed nor printed: {out}"
    );
}
