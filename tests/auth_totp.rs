//! TOTP: `sesame totp` against oathtool, `totp()` in a login step verified
//! by the server, and the no-reuse wait across runs.

use std::process::Command;

use crate::auth_apply::project;
use crate::support::server::{TOTP_SECRET, auth_routes};
use crate::support::{Project, TestServer};

/// oathtool's code for `secret` at `unix` seconds.
fn oathtool_at(secret: &str, unix: u64) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", "--now", &format!("@{unix}"), secret])
        .output()
        .expect("oathtool is installed (apt-get install oathtool)");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// `sesame totp` prints exactly oathtool's code, at instants all over a
/// step (its first and last second, mid-step), on the test clock.
#[test]
fn totp_command_equals_oathtool() {
    let mut p = crate::support::Project::new();
    for at in [1_767_225_600, 1_767_225_629, 1_767_225_615, 2_000_000_000] {
        p.env("SESAME_TEST_CLOCK", &at.to_string());
        for secret in [TOTP_SECRET, "JBSWY3DPEHPK3PXP"] {
            let theirs = oathtool_at(secret, at);
            p.test()
                .args(&["totp", secret])
                .stdout(&format!("{theirs}\n"))
                .run();
        }
    }
}

fn totp_profile(period: u64, secret_expr: &str) -> String {
    format!(
        r#"
secrets:
  seed: {{ env: T_TOTP_SEED }}
login:
  - name: two-factor
    url: "@URL@/totp/check?period={period}"
    headers:
      totp-auth: "{{{{ totp({secret_expr}, period={period}) }}}}"
    expect: {{ status: 200 }}
    capture: {{ token: $.token }}
apply:
  headers:
    Authorization: "Bearer {{{{ token }}}}"
cache: false
"#
    )
}

const PROTECTED: &str = r#"
profile: mfa
requests:
  - name: protected
    url: "@URL@/protected"
    expect: { status: 200 }
"#;

#[test]
fn totp_in_a_login_step_sends_the_rfc6238_code() {
    let server = TestServer::with(auth_routes);
    let profile = totp_profile(30, "secrets.seed");
    let mut p = project(&server, &[("mfa", &profile)], &[("a", PROTECTED)]);
    p.env("T_TOTP_SEED", TOTP_SECRET);
    on_the_test_clock(&server, &mut p);
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile mfa: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.counter("totp-ok"), 1, "the server accepted the code");
    let code = server.hits_to("/totp/check")[0]
        .header("totp-auth")
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 6);
}

#[test]
fn totp_accepts_an_otpauth_uri_and_honours_its_period() {
    let server = TestServer::with(auth_routes);
    // The URI says period=4; the argument's period (30) is ignored for a URI,
    // and the server checks against a 4 s period.
    let profile = totp_profile(4, "secrets.seed").replace("period=4) }}", "period=30) }}");
    let mut p = project(&server, &[("mfa", &profile)], &[("a", PROTECTED)]);
    p.env(
        "T_TOTP_SEED",
        &format!("otpauth://totp/Acme:alice?secret={TOTP_SECRET}&issuer=Acme&period=4&digits=6&algorithm=SHA1"),
    );
    on_the_test_clock(&server, &mut p);
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile mfa: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.counter("totp-ok"), 1);
}

/// sesame and the server agree on one fixed instant, 3 s into a 4 s step
/// and a 30 s step: a code never lands on a step boundary by chance.
fn on_the_test_clock(server: &TestServer, p: &mut Project) {
    const AT: u64 = 1_767_225_603;
    server.set_clock(AT);
    p.env("SESAME_TEST_CLOCK", &AT.to_string());
}

/// A run of `requests/a.yaml` with the TOTP profile `mfa`.
const TOTP_LOGGED_IN: &str = r#"
    requests/a.yaml
    profile mfa: logged in (1 step, <ms>)
      ✓ protected  GET 200  0ms

    1 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

/// The same when the step's code was already used: it waits, and says so.
const TOTP_WAITED: &str = r#"
    requests/a.yaml
    waiting <s> for a fresh TOTP code (this step's code was already used)
    profile mfa: logged in (1 step, <ms>)
      ✓ protected  GET 200  0ms

    1 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

/// Two runs in one TOTP step: the second finds the step's code used (the
/// ledger in the cache folder) and waits for the next step, saying so.
/// Time is moved, never waited for: sesame runs on the test clock and the
/// server's clock is set to match.
#[test]
fn a_second_run_in_the_same_step_waits_for_the_next_code_and_says_so() {
    const PERIOD: u64 = 4;
    // 1 s into a 4 s step.
    const STEP_START: u64 = 1_767_225_600;
    let server = TestServer::with(auth_routes);
    let profile = totp_profile(PERIOD, "secrets.seed");
    let mut p = project(&server, &[("mfa", &profile)], &[("a", PROTECTED)]);
    p.env("T_TOTP_SEED", TOTP_SECRET)
        .env("SESAME_TEST_CLOCK", &(STEP_START + 1).to_string());
    server.set_clock(STEP_START + 1);
    p.test().args(&["run"]).stdout(TOTP_LOGGED_IN).run();
    // The second run starts at the same instant, waits 3 s on its own clock,
    // and the server has moved to the next step by then.
    server.set_clock(STEP_START + PERIOD);
    p.test()
        .args(&["run"])
        .stdout(&TOTP_WAITED.replace("waiting <s>", "waiting 3s"))
        .run();
    assert_eq!(
        server.counter("totp-ok"),
        2,
        "both codes accepted: none was reused"
    );
    let codes: Vec<String> = server
        .hits_to("/totp/check")
        .iter()
        .map(|h| h.header("totp-auth").unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 2);
    assert_ne!(codes[0], codes[1], "a code is never sent twice");
}
