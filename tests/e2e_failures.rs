//! End to end, failure paths: the sandbox refuses what the vendors refuse,
//! and sesame reports it (exit codes, messages) or recovers (re-login after
//! expiry or a 401, fresh TOTP step, logout after a failed run).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::sandbox::TestSandbox;

/// Another valid 160-bit base32 secret: codes that bob's account refuses.
const OTHER_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[test]
fn e2e_wrong_totp_secret_fails_login_with_exit_3() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    p.env("CODE42_TOTP_SECRET", OTHER_TOTP_SECRET);
    let run = p.run(&[
        "run",
        "requests/03-code42-jwt-totp.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]);
    run.assert_code(3);
    let all = run.all();
    assert!(all.contains("401"), "{all}");
    assert!(
        all.contains("INVALID_TIME_BASED_ONE_TIME_PASSWORD"),
        "{all}"
    );
    assert!(
        all.contains("get user token"),
        "the login step is named: {all}"
    );
    assert!(!all.contains(OTHER_TOTP_SECRET), "the secret leaked: {all}");
    let s = sb.stats();
    assert!(s.rejected_totp >= 1, "{s:?}");
    assert_eq!(s.code42_jwt_logins, 0, "{s:?}");
}

/// SLOW (up to ~30 s): the only test that waits for a TOTP time step.
///
/// Two runs of flow 3 back to back with `--no-cache` (so the second one logs
/// in again) within one 30 s step: the TOTP ledger in the cache folder still
/// remembers the first run's code, so the second run waits for the next step
/// and says so, and the sandbox, which refuses a reused code, accepts it.
#[test]
fn e2e_slow_reused_totp_waits_for_the_next_step() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    // Both runs must start in one step: skip the end of a step.
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let into_step = now.as_secs_f64() % 30.0;
    if into_step > 25.0 {
        std::thread::sleep(Duration::from_secs_f64(30.0 - into_step + 0.2));
    }
    let args = [
        "run",
        "requests/03-code42-jwt-totp.yaml",
        "--env",
        "sandbox",
        "--yes",
        "--no-cache",
    ];
    let first = p.run(&args);
    first.assert_code(0);
    assert!(!first.all().contains("waiting"), "{}", first.all());
    let second = p.run(&args);
    second.assert_code(0);
    assert!(
        second.all().contains("waiting"),
        "no wait announced:\n{}",
        second.all()
    );
    let s = sb.stats();
    assert_eq!(s.code42_jwt_logins, 2, "{s:?}");
    assert_eq!(s.rejected_totp, 0, "{s:?}");
}

#[test]
fn e2e_missing_x_site_fails_login_with_the_400_body() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    let path = p.path().join("profiles/crisisworks.yaml");
    let profile = std::fs::read_to_string(&path).unwrap();
    let without: String = profile
        .lines()
        .filter(|l| !(l.contains("X-Site") && l.starts_with("      ")))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        without.matches("X-Site:").count(),
        1,
        "only apply keeps X-Site:\n{without}"
    );
    std::fs::write(&path, without).unwrap();
    let run = p.run(&[
        "run",
        "requests/05-crisisworks.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]);
    run.assert_code(3);
    let all = run.all();
    assert!(all.contains("400"), "{all}");
    assert!(all.contains("Missing X-Site header"), "{all}");
    let s = sb.stats();
    assert_eq!(s.crisisworks_logins, 0, "{s:?}");
}

#[test]
fn e2e_expired_token_is_refreshed() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    // Tokens of this client live 2 s.
    p.env(
        "CODE42_CLIENT_ID",
        sesame_sandbox::fixtures::CODE42_SHORT_CLIENT_ID,
    )
    .env(
        "CODE42_CLIENT_SECRET",
        sesame_sandbox::fixtures::CODE42_SHORT_CLIENT_SECRET,
    );
    p.file(
        "requests/expiry.yaml",
        r#"
profile: code42-api-client
requests:
  - name: users
    url: "{{ code42_url }}/api/v1/User"
    expect: { status: 200 }
  - name: create a user (starts a job)
    method: POST
    url: "{{ basicapp_url }}/api/v2/users"
    profile: basicapp
    json: { email: "expiry@example.com", name: expiry }
    expect: { status: 202 }
    capture: { job_id: $.job.id }
  - name: poll the job for more than 2 s
    url: "{{ basicapp_url }}/api/v2/jobs/{{ job_id }}"
    profile: basicapp
    retry: { count: 4, delay: 1200ms }
    expect:
      status: 200
      json: { $.state: done }
  - name: users after expiry
    url: "{{ code42_url }}/api/v1/User"
    expect: { status: 200 }
"#,
    );
    let run = p.run(&["run", "requests/expiry.yaml", "--env", "sandbox", "--yes"]);
    run.assert_code(0);
    let s = sb.stats();
    assert_eq!(
        s.code42_oauth_logins, 2,
        "one login, one refresh after expiry: {s:?}"
    );
    assert_eq!(
        s.unauthorized, 0,
        "refreshed before use, not after a 401: {s:?}"
    );
}

#[test]
fn e2e_revoked_token_401_triggers_one_relogin() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    p.file(
        "requests/revoke.yaml",
        &format!(
            r#"
profile: code42-api-client
requests:
  - name: users
    url: "{{{{ code42_url }}}}/api/v1/User"
    expect: {{ status: 200 }}
  - name: revoke every token
    method: POST
    url: "{sandbox}/_sandbox/revoke"
    profile: none
    expect: {{ status: [200, 204] }}
  - name: users after revoke
    url: "{{{{ code42_url }}}}/api/v1/User"
    expect: {{ status: 200 }}
  - name: org users after revoke
    url: "{{{{ code42_url }}}}/api/v3/org/{{{{ code42_org_id }}}}/user"
    expect: {{ status: 200 }}
"#,
            sandbox = sb.url()
        ),
    );
    let run = p.run(&["run", "requests/revoke.yaml", "--env", "sandbox", "--yes"]);
    run.assert_code(0);
    let s = sb.stats();
    assert_eq!(s.revocations, 1, "{s:?}");
    assert_eq!(s.code42_oauth_logins, 2, "{s:?}");
    assert_eq!(
        s.unauthorized, 1,
        "one refused request, then the new token: {s:?}"
    );
}

#[test]
fn e2e_signed_out_session_is_refused() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    let run = p.run(&[
        "run",
        "requests/07-beyondtrust.yaml",
        "--env",
        "sandbox",
        "--yes",
        "--verbose",
        "--show-secrets",
    ]);
    run.assert_code(0);
    let s = sb.stats();
    assert_eq!(s.signouts, 1, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
    // The session cookie the run used, from the verbose output.
    let all = run.all();
    let at = all
        .find("ASP.NET_SessionId=")
        .unwrap_or_else(|| panic!("no session cookie shown:\n{all}"));
    let cookie: String = all[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ';' && *c != '"' && *c != ',')
        .collect();
    assert!(cookie.len() > "ASP.NET_SessionId=".len(), "{cookie}");
    let (status, body) = sb.raw(
        "GET",
        "/beyondtrust/BeyondTrust/api/public/v3/ManagedSystems",
        &[("Cookie", &cookie)],
    );
    assert_eq!(status, 401, "the old session still works: {body}");
}

#[test]
fn e2e_logout_runs_after_a_failed_request() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    let flow = std::fs::read_to_string(p.path().join("requests/07-beyondtrust.yaml")).unwrap();
    p.file(
        "requests/07-beyondtrust.yaml",
        &format!(
            "{flow}\n  - name: this one fails\n    url: \"{{{{ beyondtrust_url }}}}/ManagedSystems\"\n    expect: {{ status: 418 }}\n"
        ),
    );
    let run = p.run(&[
        "run",
        "requests/07-beyondtrust.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]);
    run.assert_code(1);
    assert!(run.all().contains("this one fails"), "{}", run.all());
    let s = sb.stats();
    assert_eq!(s.beyondtrust_signins, 1, "{s:?}");
    assert_eq!(s.signouts, 1, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
}

#[test]
fn e2e_unlicensed_beyondtrust_client_fails_login_with_403() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    p.env(
        "BEYONDTRUST_CLIENT_ID",
        sesame_sandbox::fixtures::BEYONDTRUST_UNLICENSED_CLIENT_ID,
    )
    .env(
        "BEYONDTRUST_CLIENT_SECRET",
        sesame_sandbox::fixtures::BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
    );
    let run = p.run(&[
        "run",
        "requests/07-beyondtrust.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]);
    run.assert_code(3);
    let all = run.all();
    assert!(all.contains("403"), "{all}");
    assert!(
        all.contains("sign in"),
        "the failing login step is named: {all}"
    );
    let s = sb.stats();
    assert_eq!(s.beyondtrust_token_logins, 1, "{s:?}");
    assert_eq!(s.beyondtrust_signins, 0, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
}

#[test]
fn e2e_unlicensed_psauth_key_fails_login_with_403() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    p.env(
        "BEYONDTRUST_PS_KEY",
        sesame_sandbox::fixtures::BEYONDTRUST_UNLICENSED_PS_KEY,
    );
    let run = p.run(&[
        "run",
        "requests/08-beyondtrust-psauth.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]);
    run.assert_code(3);
    assert!(run.all().contains("403"), "{}", run.all());
    assert!(
        !run.all()
            .contains(sesame_sandbox::fixtures::BEYONDTRUST_UNLICENSED_PS_KEY),
        "the key leaked: {}",
        run.all()
    );
    assert_eq!(sb.stats().beyondtrust_signins, 0);
}
