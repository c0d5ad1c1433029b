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

/// What every example flow prints, whether run by `sesame demo` or by
/// `sesame run` against a sandbox of the tests' own.
const ALL_FLOWS: &str = r#"
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
        "#;

#[test]
fn e2e_demo_runs_every_example_file() {
    let p = Project::new();
    p.test()
        .args(&["demo"])
        // The demo's sandbox listens on a port of its own.
        .normalise(r"127\.0\.0\.1:\d+", "{addr}")
        .stdout(ALL_FLOWS)
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
        .stdout(ALL_FLOWS)
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
    Project::new()
        .test()
        .args(&["sandbox", "--fixtures"])
        .stdout(r#"
            sesame sandbox fixtures (public test values; loopback only)

            Base URLs (one prefix per vendor; a real tenant needs only another base URL)
              code42       http://127.0.0.1:8080/code42
              crisisworks  http://127.0.0.1:8080/crisisworks
              basicapp     http://127.0.0.1:8080/basicapp
              beyondtrust  http://127.0.0.1:8080/beyondtrust/BeyondTrust/api/public/v3  (any case)
              control      http://127.0.0.1:8080/_sandbox/stats (GET), http://127.0.0.1:8080/_sandbox/revoke (POST),
                           http://127.0.0.1:8080/_sandbox/clock (GET; POST {"advance_seconds": N} or {"set_unix": T})
              `sesame sandbox --root VENDOR` also serves one vendor at http://127.0.0.1:8080/ (for
              clients that take a bare host: py42, code42cli, incydr need --root code42;
              BeyondTrust's then is http://127.0.0.1:8080/BeyondTrust/api/public/v3)

            Code42 / Incydr / CrashPlan  (http://127.0.0.1:8080/code42)
              API client     key-0df86a8a-50c8-4417-b91b-9b7f9bf2cef1 / PAX4hWHo79yVGNdKlKip-zk95I1e79IbhM1txIqPjr
                             POST /v1/oauth or /api/v3/oauth/token?grant_type=client_credentials
                             -> bearer, expires_in 900, tenantUid 5c3b9d1e-7a24-4f0b-8e61-2d9c4a7b3f10
              API client     key-a0b2bdb9-ac70-43b3-a274-c29557e7dd68 / ToiZ2nEtkb7tyBzT8w37-4PMM9v2pC1GPK5T74TR2C
                             token expires_in 2
              user (no 2FA)  alice@example.com / alice-password  (LoginConfiguration: LOCAL)
              user (2FA)     bob@example.com / bob-password  TOTP secret DKY7UORJZT5MST3LUQ4ETRZ2YRH76WCT  (LOCAL_2FA)
              CrashPlan 2FA  carol@example.com / carol-password  TOTP secret CO5CCI6MOKPLXW7WXXCRYSEW25GRXZEL
              org id         1
              TOTP: RFC 6238, SHA1, 6 digits, 30 s, +-1 step, each code accepted once
              (same codes as Google Authenticator and `oathtool --totp -b SECRET`)

            Crisisworks  (http://127.0.0.1:8080/crisisworks, header X-Site: sandbox; site "training" also exists)
              user (no MFA)  api.user / api-password
              user (MFA)     api.mfa / mfa-password  TOTP secret RER6BJNQOSXPSFZE5M2DC6G3RXJYWBD4  (send mfaCode)

            basicapp  (http://127.0.0.1:8080/basicapp, Authorization: Basic base64(email:password))
              API access     alice@example.com / alice-password
              no API access  bob@example.com / bob-password  (403)

            BeyondTrust Password Safe  (http://127.0.0.1:8080/beyondtrust/BeyondTrust/api/public/v3; paths ignore case)
              OAuth client   c02702d8-fb34-45c0-b7b1-943b48a66b02 / SnJLdHbg2b5y6lpTC42LnnFFG4nJ1P3iIpHRf9eKxLaK
                             expires_in 3600
              OAuth client   3f1b2407-2b08-4293-9642-b9ad1cf1f8ca / 1DOrs3Gpm7qW5VNxlwXwBOb3LZdsG3EiLH9HfeQemGF8
                             expires_in 2
              OAuth client   4ea00c51-3f42-4bc8-853e-483cc59a71ae / u7Qm2Zt9XkV4pLr8NwY3cHs6JdF1gBe5TaK0oRi2MvEq
                             SignAppIn 403: licence invalid
              PS-Auth        key=daac0880c78b84b338c1b3cf34ee9d651916ed2527b89c4d4d2b61c2cd07d9308669bac8f731f48724f34f195352399a21e3e458fe7e65a1994f36bdfe8a3af0; runas=api-user; [pwd=[api-user-password];]
              PS-Auth        key=9bc1758960ecf27b9329b31ca98710647ac976839a141bbb8ef5b40d98e3f82d0b00f544583f1fef23dd16a58b567e463e9e3b76e1c9f2801ed4e561b434683e; runas=... (403)
              API v1, v2     410 Gone (disabled)

            Examples
              curl -X POST -u 'key-0df86a8a-50c8-4417-b91b-9b7f9bf2cef1:PAX4hWHo79yVGNdKlKip-zk95I1e79IbhM1txIqPjr' -d "" http://127.0.0.1:8080/code42/v1/oauth
              curl -u 'alice@example.com:alice-password' http://127.0.0.1:8080/code42/api/v1/Computer
              curl -u 'bob@example.com:bob-password' -H "totp-auth: $(oathtool --totp -b DKY7UORJZT5MST3LUQ4ETRZ2YRH76WCT)" \
                   'http://127.0.0.1:8080/code42/api/v3/auth/jwt?useBody=true'
              curl -X POST -H 'Content-Type: application/json' -H 'X-Site: sandbox' \
                   -d '{"version":"1","uuid":"example-uuid-123","platform":"curl","name":"Test","username":"api.user","password":"api-password"}' \
                   http://127.0.0.1:8080/crisisworks/api/json/auth
              curl -u 'alice@example.com:alice-password' http://127.0.0.1:8080/basicapp/api/v2/users/me
              curl -X POST -d 'grant_type=client_credentials&client_id=c02702d8-fb34-45c0-b7b1-943b48a66b02&client_secret=SnJLdHbg2b5y6lpTC42LnnFFG4nJ1P3iIpHRf9eKxLaK' \
                   http://127.0.0.1:8080/beyondtrust/BeyondTrust/api/public/v3/Auth/Connect/Token
              curl -c jar -X POST -H 'Authorization: PS-Auth key=daac0880c78b84b338c1b3cf34ee9d651916ed2527b89c4d4d2b61c2cd07d9308669bac8f731f48724f34f195352399a21e3e458fe7e65a1994f36bdfe8a3af0; runas=api-user;' \
                   http://127.0.0.1:8080/beyondtrust/BeyondTrust/api/public/v3/Auth/SignAppIn
              curl -b jar http://127.0.0.1:8080/beyondtrust/BeyondTrust/api/public/v3/ManagedSystems
              curl -b jar -X POST http://127.0.0.1:8080/beyondtrust/BeyondTrust/api/public/v3/Auth/Signout
        "#)
        .run();
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
