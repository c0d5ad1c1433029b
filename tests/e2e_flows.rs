//! End to end: the example project (`sesame demo`'s files) run by the real
//! binary against the vendor sandbox, one test per seed flow, checked through
//! the exit code and the sandbox's counters.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::sandbox::{TestSandbox, raw_http};
use crate::support::{Project, Run};

/// The example files of `sesame demo`.
const EXAMPLE_REQUEST_FILES: [&str; 9] = [
    "01-code42-api-client",
    "02-code42-basic",
    "03-code42-jwt-totp",
    "04-crashplan-totp",
    "05-crisisworks",
    "06-basicapp",
    "07-beyondtrust",
    "08-beyondtrust-psauth",
    "90-onboarding",
];

/// Runs one example request file with `--env sandbox --yes`.
fn run_flow(sb: &TestSandbox, file: &str) -> Run {
    let p = sb.example_project();
    p.run(&[
        "run",
        &format!("requests/{file}.yaml"),
        "--env",
        "sandbox",
        "--yes",
    ])
}

#[test]
fn e2e_demo_runs_every_example_file() {
    let p = Project::new();
    let run = p.run(&["demo"]);
    run.assert_code(0);
    let all = run.all();
    assert!(all.contains("0 failed"), "no `0 failed` in\n{all}");
    for f in EXAMPLE_REQUEST_FILES {
        assert!(all.contains(f), "`{f}` missing from the demo output\n{all}");
    }
}

#[test]
fn e2e_flow1_code42_api_client() {
    let sb = TestSandbox::start();
    run_flow(&sb, "01-code42-api-client").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.code42_oauth_logins, 1, "{s:?}");
    assert_eq!(s.token_requests, 1, "{s:?}");
    // Only the deliberate request without credentials was refused.
    assert_eq!(s.unauthorized, 1, "{s:?}");
}

#[test]
fn e2e_flow2_code42_basic() {
    let sb = TestSandbox::start();
    run_flow(&sb, "02-code42-basic").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.token_requests, 0, "{s:?}");
    assert_eq!(s.basic_auth_requests, 2, "{s:?}");
    assert_eq!(s.unauthorized, 1, "v3 refuses basic: {s:?}");
}

#[test]
fn e2e_flow3_code42_jwt_totp() {
    let sb = TestSandbox::start();
    run_flow(&sb, "03-code42-jwt-totp").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.code42_jwt_logins, 1, "{s:?}");
    assert_eq!(s.token_requests, 1, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
}

#[test]
fn e2e_flow4_crashplan_totp() {
    let sb = TestSandbox::start();
    run_flow(&sb, "04-crashplan-totp").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.code42_jwt_logins, 1, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
    assert_eq!(s.unauthorized, 0, "{s:?}");
}

#[test]
fn e2e_flow5_crisisworks() {
    let sb = TestSandbox::start();
    run_flow(&sb, "05-crisisworks").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.crisisworks_logins, 1, "{s:?}");
    assert_eq!(s.token_requests, 1, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
}

#[test]
fn e2e_flow6_basicapp() {
    let sb = TestSandbox::start();
    run_flow(&sb, "06-basicapp").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.token_requests, 0, "{s:?}");
    assert_eq!(s.basic_auth_requests, 2, "{s:?}");
}

#[test]
fn e2e_flow6_onboarding_playbook() {
    let sb = TestSandbox::start();
    run_flow(&sb, "90-onboarding").assert_code(0);
    let s = sb.stats();
    assert!(s.basic_auth_requests >= 4, "{s:?}");
    assert_eq!(s.unauthorized, 0, "{s:?}");
}

#[test]
fn e2e_flow7_beyondtrust_oauth_session_signout() {
    let sb = TestSandbox::start();
    run_flow(&sb, "07-beyondtrust").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.beyondtrust_token_logins, 1, "{s:?}");
    assert_eq!(s.beyondtrust_signins, 1, "{s:?}");
    assert_eq!(s.signouts, 1, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
}

#[test]
fn e2e_flow7_beyondtrust_psauth_header() {
    let sb = TestSandbox::start();
    run_flow(&sb, "08-beyondtrust-psauth").assert_code(0);
    let s = sb.stats();
    assert_eq!(s.beyondtrust_token_logins, 0, "{s:?}");
    assert_eq!(s.beyondtrust_signins, 1, "{s:?}");
    assert_eq!(s.signouts, 1, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
}

#[test]
fn e2e_all_flows_in_one_run_log_in_once_each() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    p.run(&["run", "--env", "sandbox", "--yes"]).assert_code(0);
    let s = sb.stats();
    assert_eq!(s.code42_oauth_logins, 1, "{s:?}");
    assert_eq!(s.code42_jwt_logins, 2, "bob and carol: {s:?}");
    assert_eq!(s.crisisworks_logins, 1, "{s:?}");
    assert_eq!(s.beyondtrust_token_logins, 1, "{s:?}");
    assert_eq!(s.beyondtrust_signins, 2, "oauth and PS-Auth: {s:?}");
    assert_eq!(s.signouts, 2, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
}

#[test]
fn e2e_sandbox_fixtures_lists_users() {
    let run = Project::new().run(&["sandbox", "--fixtures"]);
    run.assert_code(0);
    for who in [
        sesame_sandbox::fixtures::CODE42_CLIENT_ID,
        sesame_sandbox::fixtures::BEYONDTRUST_CLIENT_ID,
        sesame_sandbox::fixtures::CODE42_SHORT_CLIENT_ID,
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "api.mfa",
        sesame_sandbox::fixtures::BEYONDTRUST_UNLICENSED_CLIENT_ID,
        sesame_sandbox::fixtures::BEYONDTRUST_PS_KEY,
        sesame_sandbox::fixtures::CODE42_TOTP_SECRET,
    ] {
        assert!(
            run.stdout.contains(who),
            "`{who}` missing from\n{}",
            run.stdout
        );
    }
}

/// Kills the spawned `sesame sandbox` by its PID even when the test fails.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn e2e_sandbox_command_serves_on_a_free_port() {
    let p = Project::new();
    let mut cmd = p.command(&["sandbox", "--port", "0"]);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = KillOnDrop(cmd.spawn().expect("spawn sesame sandbox"));
    let stderr = child.0.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("listening on") {
                let _ = tx.send(line);
                return;
            }
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("a `listening on` line on stderr");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{addr}"
    );
    let (status, body) = raw_http(&addr, "GET", "/_sandbox/stats", &[]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("token_requests"), "{body}");
    // Stop it by its PID (SIGTERM); KillOnDrop reaps it.
    let pid = child.0.id();
    let killed = Command::new("kill")
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(killed.success());
}
