//! Profile resolution over a run: one login for many workers, re-login on
//! 401 and before expiry, logout (also after failures and Ctrl-C), exit 3.

use std::time::{Duration, Instant};

use crate::auth_apply::{OAUTH_PROFILE, project, with_oauth_env};
use crate::support::TestServer;
use crate::support::server::auth_routes;

const PROTECTED_FILE: &str = r#"
profile: oauth
requests:
  - name: protected
    url: "@URL@/protected"
    expect: { status: 200 }
"#;

#[test]
fn one_login_for_eight_parallel_files() {
    let server = TestServer::start();
    let files: Vec<(String, &str)> = (0..8).map(|i| (format!("f{i}"), PROTECTED_FILE)).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let mut p = project(&server, &[("oauth", OAUTH_PROFILE)], &files);
    with_oauth_env(&mut p);
    p.test()
        .args(&["run", "--jobs", "4", "--no-cache"])
        .stdout(
            r#"
            profile oauth: logged in (1 step, <ms>)
            requests/f0.yaml
              ✓ protected  GET 200  0ms
            requests/f1.yaml
              ✓ protected  GET 200  0ms
            requests/f2.yaml
              ✓ protected  GET 200  0ms
            requests/f3.yaml
              ✓ protected  GET 200  0ms
            requests/f4.yaml
              ✓ protected  GET 200  0ms
            requests/f5.yaml
              ✓ protected  GET 200  0ms
            requests/f6.yaml
              ✓ protected  GET 200  0ms
            requests/f7.yaml
              ✓ protected  GET 200  0ms

            8 passed, 0 failed, 0 skipped (8 files) in 0.00s
        "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        1,
        "a profile is resolved once per run"
    );
    assert_eq!(server.hits_to("/protected").len(), 8);
}

#[test]
fn a_401_logs_in_again_once_and_resends_the_request() {
    let server = TestServer::with(auth_routes);
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            r#"
profile: oauth
requests:
  - name: before
    url: "@URL@/protected"
    expect: { status: 200 }
  - name: revoke every token
    method: POST
    url: "@URL@/revoke"
    profile: none
    expect: { status: 204 }
  - name: after
    url: "@URL@/protected"
    expect: { status: 200 }
"#,
        )],
    );
    with_oauth_env(&mut p);
    p.test()
        .args(&["run", "--no-cache"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ before  GET 200  0ms
          ✓ revoke every token  POST 204  0ms
        profile oauth: credentials refused (401), logging in again
        profile oauth: logged in (1 step, <ms>)
          ✓ after  GET 200  0ms  (2 attempts)

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 2);
    let prot = server.hits_to("/protected");
    assert_eq!(prot.len(), 3, "before, after (401), after again");
    assert_eq!(prot[1].header("authorization"), Some("Bearer tok-oauth-0"));
    assert_eq!(prot[2].header("authorization"), Some("Bearer tok-oauth-1"));
}

#[test]
fn a_401_after_the_relogin_is_a_failure_not_a_loop() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            r#"
profile: oauth
requests:
  - name: always refused
    url: "@URL@/status/401"
    expect: { status: 200 }
"#,
        )],
    );
    with_oauth_env(&mut p);
    p.test()
        .args(&["run", "--no-cache"])
        .status(1)
        .stdout(
            r#"
            requests/a.yaml
            profile oauth: logged in (1 step, <ms>)
            profile oauth: credentials refused (401), logging in again
            profile oauth: logged in (1 step, <ms>)
              ✗ always refused  GET 401  0ms  (2 attempts)

            failures:

            ✗ requests/a.yaml › always refused
              GET {URL}/status/401 → 401 after 2 attempts
              error: status: expected status 200, got 401
                --> requests/a.yaml:6:23
                |
              6 |     expect: { status: 200 }
                |                       ^^^
                = expected: 200
                = actual:   401
              body:
                status 401

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 2, "one re-login");
    assert_eq!(
        server.hits_to("/status/401").len(),
        2,
        "sent once more, not again"
    );
}

#[test]
fn credentials_expiring_within_a_minute_are_refreshed_before_use() {
    let server = TestServer::start();
    let short = OAUTH_PROFILE.replace("expires_in: \"{{ expires_in }}\"", "ttl: 30s");
    let mut p = project(
        &server,
        &[("oauth", &short)],
        &[(
            "a",
            r#"
profile: oauth
requests:
  - { name: one, url: "@URL@/protected", expect: { status: 200 } }
  - { name: two, url: "@URL@/protected", expect: { status: 200 } }
  - { name: three, url: "@URL@/protected", expect: { status: 200 } }
"#,
        )],
    );
    with_oauth_env(&mut p);
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ one  GET 200  0ms
          ✓ two  GET 200  0ms
          ✓ three  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        1,
        "a 30-s token is refreshed with min(60 s, 30 s / 4) left: one login for three quick uses"
    );
    // And the baseline: 900 s tokens are reused.
    std::fs::write(
        p.path().join("profiles/oauth.yaml"),
        crate::auth_apply::sub(OAUTH_PROFILE, &server),
    )
    .unwrap();
    p.test()
        .args(&["run", "--no-cache"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ one  GET 200  0ms
          ✓ two  GET 200  0ms
          ✓ three  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 2);
}

const SESSION_PROFILE: &str = r#"
login:
  - name: sign in
    method: POST
    url: "@URL@/session"
    expect: { status: 200 }
apply:
  cookies: true
logout:
  - name: sign out
    method: POST
    url: "@URL@/session/end"
    expect: { status: 200 }
"#;

#[test]
fn logout_runs_after_a_failing_request() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[("sess", SESSION_PROFILE)],
        &[(
            "a",
            r#"
profile: sess
requests:
  - name: data
    url: "@URL@/session/data"
    expect: { status: 200 }
  - name: fails
    url: "@URL@/status/500"
    expect: { status: 200 }
"#,
        )],
    );
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/a.yaml
            profile sess: logged in (1 step, <ms>)
              ✓ data  GET 200  0ms
              ✗ fails  GET 500  0ms
            profile sess: logged out

            failures:

            ✗ requests/a.yaml › fails
              GET {URL}/status/500 → 500
              error: status: expected status 200, got 500
                --> requests/a.yaml:9:23
                |
              9 |     expect: { status: 200 }
                |                       ^^^
                = expected: 200
                = actual:   500
              body:
                status 500

            1 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    assert_eq!(server.counter("signouts"), 1);
}

#[test]
fn logout_runs_once_per_profile_however_many_files_used_it() {
    let server = TestServer::start();
    let file = r#"
profile: sess
requests:
  - { name: data, url: "@URL@/session/data", expect: { status: 200 } }
"#;
    let p = project(
        &server,
        &[("sess", SESSION_PROFILE)],
        &[("a", file), ("b", file), ("c", file)],
    );
    p.test()
        .args(&["run", "--jobs", "3"])
        .stdout(
            r#"
            profile sess: logged in (1 step, <ms>)
            requests/a.yaml
              ✓ data  GET 200  0ms
            requests/b.yaml
              ✓ data  GET 200  0ms
            requests/c.yaml
              ✓ data  GET 200  0ms
            profile sess: logged out

            3 passed, 0 failed, 0 skipped (3 files) in 0.00s
        "#,
        )
        .run();
    assert_eq!(server.hits_to("/session").len(), 1);
    assert_eq!(server.counter("signouts"), 1);
}

/// Ctrl-C during the request: the profile logs out, nothing is counted.
const INTERRUPTED: &str = r#"
    requests/a.yaml
    profile sess: logged in (1 step, <ms>)
    warning: interrupted: logging out
    profile sess: logged out

    0 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

/// The signal handler is in place before the first request is sent, so the
/// interrupt may come as soon as the slow request reaches the server.
#[test]
fn logout_runs_after_ctrl_c_and_the_exit_code_is_130() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[("sess", SESSION_PROFILE)],
        &[(
            "a",
            r#"
profile: sess
requests:
  - name: slow
    url: "@URL@/slow/5000"
"#,
        )],
    );
    let running = p.test().arg("run").status(130).stdout(INTERRUPTED).spawn();
    let started = Instant::now();
    while server.hits_to("/slow/5000").is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the slow request was never sent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &running.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    running.wait();
    assert_eq!(server.counter("signouts"), 1);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "did not wait for the slow response"
    );
}

const A_FAILED_LOGIN_IS_EXIT_3_AND_OTHER_PROFILES_STILL_RUN: &str = r#"
    profile oauth: logged in (1 step, <ms>)
    requests/a.yaml
      ✗ first  GET no response  0ms
      - second  skipped: `first` failed
    requests/b.yaml
      ✓ protected  GET 200  0ms
    requests/c.yaml
      ✗ protected  GET no response  0ms
    requests/d.yaml
      ✗ plain failure  GET 500  0ms

    failures:

    ✗ requests/a.yaml › first
      GET {URL}/protected → no response
      error: login bad: profile bad could not log in: login step `get token`: expected status 200, got 401; response: {"error":"invalid_***"}
        --> requests/a.yaml:4:5
        |
      4 |   - { name: first, url: "{URL}/protected" }
        |     ^

    ✗ requests/c.yaml › protected
      GET {URL}/protected → no response
      error: login bad: profile bad could not log in: login step `get token`: expected status 200, got 401; response: {"error":"invalid_***"}
        --> requests/c.yaml:4:5
        |
      4 |   - name: protected
        |     ^

    ✗ requests/d.yaml › plain failure
      GET {URL}/status/500 → 500
      error: status: expected status 200, got 500
        --> requests/d.yaml:3:88
        |
      3 |   - { name: plain failure, url: "{URL}/status/500", expect: { status: 200 } }
        |                                                                                        ^^^
        = expected: 200
        = actual:   500
      body:
        status 500

    1 passed, 3 failed, 1 skipped (4 files) in 0.00s
"#;

#[test]
fn a_failed_login_is_exit_3_and_other_profiles_still_run() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[
            ("oauth", OAUTH_PROFILE),
            (
                "bad",
                &OAUTH_PROFILE.replace("T_CLIENT_SECRET", "T_BAD_SECRET"),
            ),
        ],
        &[
            (
                "a",
                r#"
profile: bad
requests:
  - { name: first, url: "@URL@/protected" }
  - { name: second, url: "@URL@/echo/never" }
"#,
            ),
            ("b", PROTECTED_FILE),
            (
                "c",
                PROTECTED_FILE
                    .replace("/protected\"", "/protected\"\n    profile: bad")
                    .as_str(),
            ),
            (
                "d",
                r#"
requests:
  - { name: plain failure, url: "@URL@/status/500", expect: { status: 200 } }
"#,
            ),
        ],
    );
    with_oauth_env(&mut p);
    p.env("T_BAD_SECRET", "wrong");
    p.test()
        .args(&["run", "--jobs", "1"])
        .status(3)
        .stdout(A_FAILED_LOGIN_IS_EXIT_3_AND_OTHER_PROFILES_STILL_RUN)
        .run();
    assert_eq!(
        server.hits_to("/protected").len(),
        1,
        "the good profile's file ran"
    );
    assert!(
        server.hits_to("/echo/never").is_empty(),
        "the file of the failed profile stops"
    );
    assert_eq!(server.hits_to("/status/500").len(), 1);
    let bad_logins = server
        .hits_to("/oauth")
        .iter()
        .filter(|h| h.header("authorization") != Some("Basic Y2xpZW50OnNlY3JldA=="))
        .count();
    assert_eq!(
        bad_logins, 1,
        "a failed login is not retried by every request"
    );
}

#[test]
fn without_expires_in_or_ttl_the_jwt_exp_decides() {
    let server = TestServer::with(auth_routes);
    let profile = |ttl: u64| {
        format!(
            r#"
login:
  - name: jwt
    method: POST
    url: "@URL@/login/jwt?ttl={ttl}"
    capture: {{ token: $.token }}
apply:
  headers: {{ Authorization: "Bearer {{{{ token }}}}" }}
"#
        )
    };
    let file = r#"
profile: jwt
requests:
  - { name: one, url: "@URL@/echo/1" }
  - { name: two, url: "@URL@/echo/2" }
  - { name: three, url: "@URL@/echo/3" }
"#;
    let p = project(&server, &[("jwt", &profile(30))], &[("a", file)]);
    p.test()
        .args(&["run", "--no-cache"])
        .stdout(
            r#"
        requests/a.yaml
        profile jwt: logged in (1 step, <ms>)
          ✓ one  GET 200  0ms
          ✓ two  GET 200  0ms
          ✓ three  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/login/jwt").len(),
        1,
        "a JWT expiring in 30 s is refreshed with 7.5 s left: one login for three quick uses"
    );
    p.file(
        "profiles/jwt.yaml",
        &crate::auth_apply::sub(&profile(3600), &server),
    );
    p.test()
        .args(&["run", "--no-cache"])
        .stdout(
            r#"
        requests/a.yaml
        profile jwt: logged in (1 step, <ms>)
          ✓ one  GET 200  0ms
          ✓ two  GET 200  0ms
          ✓ three  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/login/jwt").len(),
        2,
        "a JWT valid for an hour is reused"
    );
}
