//! Regression tests named after what once went wrong.

use crate::auth_apply::{OAUTH_PROFILE, project};
use crate::support::TestServer;

/// A request outside the profile's hosts used to log the profile in first.
#[test]
fn hosts_refusal_happens_before_the_login() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("api", OAUTH_PROFILE)],
        &[(
            "a",
            "profile: api\nrequests:\n  - name: elsewhere\n    url: \"@OTHER@/echo/x\"\n",
        )],
    );
    p.env("T_CLIENT_ID", "client")
        .env("T_CLIENT_SECRET", "secret");
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/a.yaml
          ✗ elsewhere  GET no response  0ms

        failures:

        ✗ requests/a.yaml › elsewhere
          GET {OTHER}/echo/x → no response
          error: hosts: refused before sending: {OTHER} is not among the hosts of profile api ({URL}); add it to the profile's `hosts:` if it should receive these credentials
            --> requests/a.yaml:3:5
            |
          3 |   - name: elsewhere
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
    assert!(
        server.hits_to("/oauth").is_empty(),
        "no login for a refused request"
    );
    assert!(server.hits_to("/echo/x").is_empty());
    server.expect_no_hits();
}

/// Credentials that carry a secret value must not be written to the cache.
#[test]
fn credentials_carrying_a_secret_are_not_cached() {
    let server = TestServer::start();
    let profile = r#"
secrets:
  client_id: { env: T_CLIENT_ID }
  client_secret: { env: T_CLIENT_SECRET }
login:
  - method: POST
    url: "@URL@/oauth"
    basic: { username: "{{ secrets.client_id }}", password: "{{ secrets.client_secret }}" }
    capture: { token: $.access_token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
    X-Client-Secret: "{{ secrets.client_secret }}"
ttl: 10m
"#;
    let mut p = project(
        &server,
        &[("api", profile)],
        &[(
            "a",
            "profile: api\nrequests:\n  - url: \"@URL@/protected\"\n    expect: { status: 200 }\n",
        )],
    );
    p.env("T_CLIENT_ID", "client")
        .env("T_CLIENT_SECRET", "secret");
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile api: logged in (1 step, <ms>)
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    for f in p.files_under(".cache-sesame") {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        assert!(
            !text.contains("secret"),
            "{} holds a secret: {text}",
            f.display()
        );
    }
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile api: logged in (1 step, <ms>)
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        2,
        "not cached, so a second login"
    );
}

/// A dry run names the profile whose credentials it leaves out.
#[test]
fn dry_run_shows_the_profile_placeholder_unmasked() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[("api", OAUTH_PROFILE)],
        &[(
            "a",
            "profile: api\nrequests:\n  - url: \"@URL@/protected\"\n",
        )],
    );
    p.test()
        .args(&["run", "--dry-run", "--verbose"])
        .stdout(
            r#"
            requests/a.yaml
                > GET {URL}/protected
                > Authorization: <credentials of profile api>
              GET {URL}/protected  (request 1)

            dry run: 1 request would be sent (1 file)
        "#,
        )
        .run();
    server.expect_no_hits();
}

/// `sesame schema | head -1` used to panic on the closed pipe.
#[test]
fn a_closed_stdout_pipe_is_not_a_panic() {
    // The pipe's reading end is closed before sesame writes: every write fails.
    let script = format!(
        "import os, subprocess\nr, w = os.pipe()\nos.close(r)\np = subprocess.run([{bin:?}, 'schema'], stdout=w, stderr=subprocess.PIPE)\nprint(p.returncode)\nprint(p.stderr.decode())",
        bin = env!("CARGO_BIN_EXE_sesame")
    );
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // The exit code, then stderr: 0, and nothing (no panic message).
    assert_eq!(text, "0\n\n");
}

/// `sesame curl` printed captured values as `'$CAPTURE_UID'`, which the shell
/// never expands; they are now live shell variables the comment names.
#[test]
fn curl_leaves_captured_values_to_the_shell() {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("curl is not installed; .ci/run installs it");
        return;
    }
    let server = TestServer::start();
    let p = crate::support::Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        "requests:\n  - name: list\n    url: \"{URL}/json\"\n    capture:\n      uid: $.data.users[0].userUid\n  - name: one\n    url: \"{URL}/echo/{{ uid }}\"\n",
    );
    let run = p
        .test()
        .args(&["curl", "requests/a.yaml", "--request", "one"])
        .stdout(
            r#"
            # one
            # set CAPTURE_UID to a value captured by an earlier request first
            curl \
              '{URL}/echo/'"$CAPTURE_UID" \
              -H 'User-Agent: sesame/0.1.0' \
              -L \
              --max-time 30
        "#,
        )
        .run();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{} -s -o /dev/null", run.raw_stdout.trim_end()))
        .env("CAPTURE_UID", "u-1")
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(server.hits_to("/echo/u-1").len(), 1);
}

/// Request files whose `requests:` is not the last key are read whole: the
/// names their other keys define are still in scope.
#[test]
fn vars_after_the_requests_still_count() {
    let server = TestServer::start();
    let p = crate::support::Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        "requests:\n  - url: \"{URL}/echo/{{ who }}\"\n    expect: { status: 200 }\nvars:\n  who: later\n",
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/later").len(), 1);
}
