//! TOTP: `sesame totp` against oathtool, `totp()` in a login step verified
//! by the server, and the no-reuse wait across runs.

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::auth_apply::project;
use crate::support::TestServer;
use crate::support::server::{TOTP_SECRET, auth_routes};
use crate::test::unindent;

fn oathtool(secret: &str) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", secret])
        .output()
        .expect("oathtool is installed (apt-get install oathtool)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn totp_command_equals_oathtool() {
    let p = crate::support::Project::new();
    for secret in [TOTP_SECRET, "JBSWY3DPEHPK3PXP"] {
        // Retry when a 30 s boundary falls between the two commands.
        let mut last = None;
        for _ in 0..3 {
            // stdout is compared exactly with oathtool's below.
            let ours = p.test().args(&["totp", secret]).any_stdout().run();
            let theirs = oathtool(secret);
            if ours.stdout.trim() == theirs {
                assert_eq!(
                    ours.stdout,
                    format!("{theirs}\n"),
                    "only the code on stdout"
                );
                last = None;
                break;
            }
            last = Some((ours.stdout, theirs));
        }
        assert!(last.is_none(), "sesame totp vs oathtool: {last:?}");
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

fn now_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
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

// clock: sleeps until a TOTP step begins, then waits up to a 4 s step.
#[test]
fn a_second_run_in_the_same_step_waits_for_the_next_code_and_says_so() {
    const PERIOD: u64 = 4;
    let server = TestServer::with(auth_routes);
    let profile = totp_profile(PERIOD, "secrets.seed");
    let mut p = project(&server, &[("mfa", &profile)], &[("a", PROTECTED)]);
    p.env("T_TOTP_SEED", TOTP_SECRET);
    // Start just after a step begins, so both runs normally fall in one step.
    let into = now_secs_f64() % PERIOD as f64;
    if into > 0.3 {
        std::thread::sleep(Duration::from_secs_f64(PERIOD as f64 - into + 0.05));
    }
    let step_at_start = now_secs_f64() as u64 / PERIOD;
    p.test().args(&["run"]).stdout(TOTP_LOGGED_IN).run();
    let second_started = now_secs_f64();
    // Compared below: the wait is announced only when both runs fall in one step.
    let second = p
        .test()
        .args(&["run"])
        .normalise(r"waiting \d+s", "waiting <s>")
        .any_stdout()
        .run();
    let second_took = now_secs_f64() - second_started;
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
    if second_started as u64 / PERIOD == step_at_start {
        assert_eq!(
            second.stdout,
            unindent(TOTP_WAITED),
            "the wait is announced"
        );
        assert!(
            second_took > 0.2,
            "the second run waited for the next step ({second_took:.2}s)"
        );
    } else {
        assert_eq!(second.stdout, unindent(TOTP_LOGGED_IN));
        eprintln!(
            "the machine was too slow to land both runs in one {PERIOD}s step; wait not checked"
        );
    }
}
