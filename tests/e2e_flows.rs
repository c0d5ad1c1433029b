//! End to end: the example project (`sesame demo`'s files) run by the real
//! binary against the vendor sandbox, one test per seed flow, checked through
//! the exit code and the sandbox's counters.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::Project;
use crate::support::sandbox::{TestSandbox, raw_http};
use crate::test::Test;

/// A run of one example request file with `--env sandbox --yes`.
fn run_flow(sb: &TestSandbox, file: &str) -> Test {
    let p = sb.example_project();
    p.test().args(&[
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
    p.test()
        .args(&["demo"])
        // The demo's sandbox listens on a port of its own.
        .normalise(r"127\.0\.0\.1:\d+", "{addr}")
        .stdout(
            r#"
            profile beyondtrust-psauth: logged in (1 step, <ms>)
            profile beyondtrust: logged in (2 steps, <ms>)
            profile code42-api-client: logged in (1 step, <ms>)
            profile code42-jwt-totp: logged in (1 step, <ms>)
            profile crashplan-totp: logged in (1 step, <ms>)
            profile crisisworks: logged in (1 step, <ms>)
            requests/01-code42-api-client.yaml (Code42 API client (flow 1))
              ✓ list users  GET 200  0ms
              ✓ one user  GET 200  0ms
              ✓ org users (v3 accepts the token)  GET 200  0ms
              ✓ roles (v4)  GET 200  0ms
              ✓ without credentials  GET 401  0ms
            requests/02-code42-basic.yaml (Code42 basic authentication (flow 2))
              ✓ devices (v1)  GET 200  0ms
              ✓ roles (v4)  GET 200  0ms
              ✓ v3 resources refuse basic authentication  GET 401  0ms
            requests/03-code42-jwt-totp.yaml (Code42 basic to JWT with TOTP (flow 3))
              ✓ users (v1)  GET 200  0ms
              ✓ org users (v3)  GET 200  0ms
              ✓ roles (v4)  GET 200  0ms
              ✓ a password without a TOTP code is not enough  GET 401  0ms
            requests/04-crashplan-totp.yaml (CrashPlan two-factor authentication (flow 4))
              ✓ devices  GET 200  0ms
              ✓ the token names the user  GET 200  0ms
            requests/05-crisisworks.yaml (Crisisworks (flow 5))
              ✓ ping  GET 200  0ms
              ✓ one item  GET 200  0ms
              ✓ without a token  GET 401  0ms
            requests/06-basicapp.yaml (Basic authentication by email and password (flow 6))
              ✓ who am I  GET 200  0ms
              ✓ users  GET 200  0ms
              ✓ a user without API access is refused  GET 403  0ms
            requests/07-beyondtrust.yaml (BeyondTrust Password Safe, OAuth and session (flow 7))
              ✓ managed systems  GET 200  0ms
              ✓ managed accounts  GET 200  0ms
              ✓ without the session  GET 401  0ms
            requests/08-beyondtrust-psauth.yaml (BeyondTrust Password Safe, PS-Auth header (flow 7))
              ✓ managed accounts  GET 200  0ms
            requests/90-onboarding.yaml (Onboarding playbook)
              ✓ create the API user  POST 202  0ms
              ✓ wait until it is provisioned  GET 200  0ms  (3 attempts)
              ✓ check its role  GET 200  0ms
              ✓ list its devices  GET 200  0ms
            profile beyondtrust: logged out
            profile beyondtrust-psauth: logged out

            28 passed, 0 failed, 0 skipped (9 files) in 0.00s
        "#,
        )
        .stderr(
            r#"
            sandbox on http://{addr}; running the example project with --env sandbox
        "#,
        )
        .run();
}

#[test]
fn e2e_flow1_code42_api_client() {
    let sb = TestSandbox::start();
    run_flow(&sb, "01-code42-api-client")
        .stdout(
            r#"
        requests/01-code42-api-client.yaml (Code42 API client (flow 1))
        profile code42-api-client: logged in (1 step, <ms>)
          ✓ list users  GET 200  0ms
          ✓ one user  GET 200  0ms
          ✓ org users (v3 accepts the token)  GET 200  0ms
          ✓ roles (v4)  GET 200  0ms
          ✓ without credentials  GET 401  0ms

        5 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.code42_oauth_logins, 1, "{s:?}");
    assert_eq!(s.token_requests, 1, "{s:?}");
    // Only the deliberate request without credentials was refused.
    assert_eq!(s.unauthorized, 1, "{s:?}");
}

#[test]
fn e2e_flow2_code42_basic() {
    let sb = TestSandbox::start();
    run_flow(&sb, "02-code42-basic")
        .stdout(
            r#"
        requests/02-code42-basic.yaml (Code42 basic authentication (flow 2))
          ✓ devices (v1)  GET 200  0ms
          ✓ roles (v4)  GET 200  0ms
          ✓ v3 resources refuse basic authentication  GET 401  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.token_requests, 0, "{s:?}");
    assert_eq!(s.basic_auth_requests, 2, "{s:?}");
    assert_eq!(s.unauthorized, 1, "v3 refuses basic: {s:?}");
}

#[test]
fn e2e_flow3_code42_jwt_totp() {
    let sb = TestSandbox::start();
    run_flow(&sb, "03-code42-jwt-totp")
        .stdout(
            r#"
        requests/03-code42-jwt-totp.yaml (Code42 basic to JWT with TOTP (flow 3))
        profile code42-jwt-totp: logged in (1 step, <ms>)
          ✓ users (v1)  GET 200  0ms
          ✓ org users (v3)  GET 200  0ms
          ✓ roles (v4)  GET 200  0ms
          ✓ a password without a TOTP code is not enough  GET 401  0ms

        4 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.code42_jwt_logins, 1, "{s:?}");
    assert_eq!(s.token_requests, 1, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
}

#[test]
fn e2e_flow4_crashplan_totp() {
    let sb = TestSandbox::start();
    run_flow(&sb, "04-crashplan-totp")
        .stdout(
            r#"
        requests/04-crashplan-totp.yaml (CrashPlan two-factor authentication (flow 4))
        profile crashplan-totp: logged in (1 step, <ms>)
          ✓ devices  GET 200  0ms
          ✓ the token names the user  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.code42_jwt_logins, 1, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
    assert_eq!(s.unauthorized, 0, "{s:?}");
}

#[test]
fn e2e_flow5_crisisworks() {
    let sb = TestSandbox::start();
    run_flow(&sb, "05-crisisworks")
        .stdout(
            r#"
        requests/05-crisisworks.yaml (Crisisworks (flow 5))
        profile crisisworks: logged in (1 step, <ms>)
          ✓ ping  GET 200  0ms
          ✓ one item  GET 200  0ms
          ✓ without a token  GET 401  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.crisisworks_logins, 1, "{s:?}");
    assert_eq!(s.token_requests, 1, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
}

#[test]
fn e2e_flow6_basicapp() {
    let sb = TestSandbox::start();
    run_flow(&sb, "06-basicapp")
        .stdout(
            r#"
        requests/06-basicapp.yaml (Basic authentication by email and password (flow 6))
          ✓ who am I  GET 200  0ms
          ✓ users  GET 200  0ms
          ✓ a user without API access is refused  GET 403  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.token_requests, 0, "{s:?}");
    assert_eq!(s.basic_auth_requests, 2, "{s:?}");
}

#[test]
fn e2e_flow6_onboarding_playbook() {
    let sb = TestSandbox::start();
    run_flow(&sb, "90-onboarding")
        .stdout(
            r#"
        requests/90-onboarding.yaml (Onboarding playbook)
          ✓ create the API user  POST 202  0ms
          ✓ wait until it is provisioned  GET 200  0ms  (3 attempts)
          ✓ check its role  GET 200  0ms
          ✓ list its devices  GET 200  0ms

        4 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert!(s.basic_auth_requests >= 4, "{s:?}");
    assert_eq!(s.unauthorized, 0, "{s:?}");
}

#[test]
fn e2e_flow7_beyondtrust_oauth_session_signout() {
    let sb = TestSandbox::start();
    run_flow(&sb, "07-beyondtrust")
        .stdout(
            r#"
        requests/07-beyondtrust.yaml (BeyondTrust Password Safe, OAuth and session (flow 7))
        profile beyondtrust: logged in (2 steps, <ms>)
          ✓ managed systems  GET 200  0ms
          ✓ managed accounts  GET 200  0ms
          ✓ without the session  GET 401  0ms
        profile beyondtrust: logged out

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.beyondtrust_token_logins, 1, "{s:?}");
    assert_eq!(s.beyondtrust_signins, 1, "{s:?}");
    assert_eq!(s.signouts, 1, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
}

#[test]
fn e2e_flow7_beyondtrust_psauth_header() {
    let sb = TestSandbox::start();
    run_flow(&sb, "08-beyondtrust-psauth")
        .stdout(
            r#"
        requests/08-beyondtrust-psauth.yaml (BeyondTrust Password Safe, PS-Auth header (flow 7))
        profile beyondtrust-psauth: logged in (1 step, <ms>)
          ✓ managed accounts  GET 200  0ms
        profile beyondtrust-psauth: logged out

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
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
    p.test()
        .args(&["run", "--env", "sandbox", "--yes"])
        .stdout(
            r#"
            profile beyondtrust-psauth: logged in (1 step, <ms>)
            profile beyondtrust: logged in (2 steps, <ms>)
            profile code42-api-client: logged in (1 step, <ms>)
            profile code42-jwt-totp: logged in (1 step, <ms>)
            profile crashplan-totp: logged in (1 step, <ms>)
            profile crisisworks: logged in (1 step, <ms>)
            requests/01-code42-api-client.yaml (Code42 API client (flow 1))
              ✓ list users  GET 200  0ms
              ✓ one user  GET 200  0ms
              ✓ org users (v3 accepts the token)  GET 200  0ms
              ✓ roles (v4)  GET 200  0ms
              ✓ without credentials  GET 401  0ms
            requests/02-code42-basic.yaml (Code42 basic authentication (flow 2))
              ✓ devices (v1)  GET 200  0ms
              ✓ roles (v4)  GET 200  0ms
              ✓ v3 resources refuse basic authentication  GET 401  0ms
            requests/03-code42-jwt-totp.yaml (Code42 basic to JWT with TOTP (flow 3))
              ✓ users (v1)  GET 200  0ms
              ✓ org users (v3)  GET 200  0ms
              ✓ roles (v4)  GET 200  0ms
              ✓ a password without a TOTP code is not enough  GET 401  0ms
            requests/04-crashplan-totp.yaml (CrashPlan two-factor authentication (flow 4))
              ✓ devices  GET 200  0ms
              ✓ the token names the user  GET 200  0ms
            requests/05-crisisworks.yaml (Crisisworks (flow 5))
              ✓ ping  GET 200  0ms
              ✓ one item  GET 200  0ms
              ✓ without a token  GET 401  0ms
            requests/06-basicapp.yaml (Basic authentication by email and password (flow 6))
              ✓ who am I  GET 200  0ms
              ✓ users  GET 200  0ms
              ✓ a user without API access is refused  GET 403  0ms
            requests/07-beyondtrust.yaml (BeyondTrust Password Safe, OAuth and session (flow 7))
              ✓ managed systems  GET 200  0ms
              ✓ managed accounts  GET 200  0ms
              ✓ without the session  GET 401  0ms
            requests/08-beyondtrust-psauth.yaml (BeyondTrust Password Safe, PS-Auth header (flow 7))
              ✓ managed accounts  GET 200  0ms
            requests/90-onboarding.yaml (Onboarding playbook)
              ✓ create the API user  POST 202  0ms
              ✓ wait until it is provisioned  GET 200  0ms  (3 attempts)
              ✓ check its role  GET 200  0ms
              ✓ list its devices  GET 200  0ms
            profile beyondtrust: logged out
            profile beyondtrust-psauth: logged out

            28 passed, 0 failed, 0 skipped (9 files) in 0.00s
        "#,
        )
        .run();
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
