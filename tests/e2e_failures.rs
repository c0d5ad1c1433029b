//! End to end, failure paths: the sandbox refuses what the vendors refuse,
//! and sesame reports it (exit codes, messages) or recovers (re-login after
//! expiry or a 401, fresh TOTP step, logout after a failed run).

use crate::support::sandbox::TestSandbox;

/// Another valid 160-bit base32 secret: codes that bob's account refuses.
const OTHER_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[test]
fn e2e_wrong_totp_secret_fails_login_with_exit_3() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    p.env("CODE42_TOTP_SECRET", OTHER_TOTP_SECRET);
    let run = p.test().args(&[
        "run",
        "requests/03-code42-jwt-totp.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]).status(3).stdout(r#"
        requests/03-code42-jwt-totp.yaml (Code42 basic to JWT with TOTP (flow 3))
          ✗ users (v1)  GET no response  0ms
          - org users (v3)  skipped: `users (v1)` failed
          - roles (v4)  skipped: `users (v1)` failed
          - a password without a TOTP code is not enough  skipped: `users (v1)` failed

        failures:

        ✗ requests/03-code42-jwt-totp.yaml › users (v1)
          GET {{ code42_url }}/api/v1/User → no response
          error: login code42-jwt-totp: profile code42-jwt-totp could not log in: login step `get user token`: expected status 200, got 401; expected type string, got nothing; response: {"data":null,"error":[{"primaryErrorKey":"INVALID_TIME_BASED_ONE_TIME_PASSWORD","otherErrors":null,"description":"The time-based one-time password is invalid"}],"warnings":null}
            --> requests/03-code42-jwt-totp.yaml:5:5
            |
          5 |   - name: users (v1)
            |     ^

        0 passed, 1 failed, 3 skipped (1 file) in 0.00s
    "#).run();
    let all = run.all();
    assert!(!all.contains(OTHER_TOTP_SECRET), "the secret leaked: {all}");
    let s = sb.stats();
    assert!(s.rejected_totp >= 1, "{s:?}");
    assert_eq!(s.code42_jwt_logins, 0, "{s:?}");
}

/// Two runs of flow 3 back to back with `--no-cache` (so the second one logs
/// in again) within one 30 s step: the TOTP ledger in the cache folder still
/// remembers the first run's code, so the second run waits for the next step
/// and says so, and the sandbox, which refuses a reused code, accepts it.
/// Time is moved, never waited for: sesame runs on the test clock
/// (`SESAME_TEST_CLOCK`), and the sandbox's clock is set to match.
#[test]
fn e2e_reused_totp_waits_for_the_next_step() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    // 10 s into a 30 s step.
    const STEP_START: u64 = 1_767_225_600;
    sb.set_clock(STEP_START + 10);
    p.env("SESAME_TEST_CLOCK", &(STEP_START + 10).to_string());
    let args = [
        "run",
        "requests/03-code42-jwt-totp.yaml",
        "--env",
        "sandbox",
        "--yes",
        "--no-cache",
    ];
    p.test()
        .args(&args)
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
    // The second run starts at the same instant and waits 20 s on its own
    // clock; the sandbox is at the next step when the code arrives.
    sb.set_clock(STEP_START + 30);
    p.test()
        .args(&args)
        .stdout(
            r#"
            requests/03-code42-jwt-totp.yaml (Code42 basic to JWT with TOTP (flow 3))
            waiting 20s for a fresh TOTP code (this step's code was already used)
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
    p.test().args(&[
        "run",
        "requests/05-crisisworks.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]).status(3).stdout(r#"
        requests/05-crisisworks.yaml (Crisisworks (flow 5))
          ✗ ping  GET no response  0ms
          - one item  skipped: `ping` failed
          - without a token  skipped: `ping` failed

        failures:

        ✗ requests/05-crisisworks.yaml › ping
          GET {{ crisisworks_url }}/api/json/ping → no response
          error: login crisisworks: profile crisisworks could not log in: login step `get token`: expected status 200, got 400; expected == "accessToken", got nothing; response: {"status":400,"message":"Missing X-Site header"}
            --> requests/05-crisisworks.yaml:5:5
            |
          5 |   - name: ping
            |     ^

        0 passed, 1 failed, 2 skipped (1 file) in 0.00s
    "#).run();
    let s = sb.stats();
    assert_eq!(s.crisisworks_logins, 0, "{s:?}");
}

#[test]
fn e2e_expired_token_is_refreshed() {
    let sb = TestSandbox::start();
    let mut p = sb.example_project();
    // Tokens of this client live 2 s. sesame runs on the test clock: the
    // retry pauses below move its time 2.4 s on without sleeping.
    const AT: u64 = 1_767_225_600;
    sb.set_clock(AT);
    p.env(
        "CODE42_CLIENT_ID",
        sesame_sandbox::fixtures::CODE42_SHORT_CLIENT_ID,
    )
    .env(
        "CODE42_CLIENT_SECRET",
        sesame_sandbox::fixtures::CODE42_SHORT_CLIENT_SECRET,
    )
    .env("SESAME_TEST_CLOCK", &AT.to_string());
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
    // The captured `expires_in` (2) is masked inside free text too, against
    // DESIGN.md ("shorter than 4 characters ... never inside free text").
    p.test()
        .args(&["run", "requests/expiry.yaml", "--env", "sandbox", "--yes"])
        .stdout(
            r#"
            requests/expiry.yaml
            profile code42-api-client: logged in (1 step, <ms>)
              ✓ users  GET 200  0ms
              ✓ create a user (starts a job)  POST 202  0ms
              ✓ poll the job for more than 2 s  GET 200  0ms  (3 attempts)
            profile code42-api-client: logged in (1 step, <ms>)
              ✓ users after expiry  GET 200  0ms

            4 passed, 0 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
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
    p.test()
        .args(&["run", "requests/revoke.yaml", "--env", "sandbox", "--yes"])
        .stdout(
            r#"
        requests/revoke.yaml
        profile code42-api-client: logged in (1 step, <ms>)
          ✓ users  GET 200  0ms
          ✓ revoke every token  POST 200  0ms
        profile code42-api-client: credentials refused (401), logging in again
        profile code42-api-client: logged in (1 step, <ms>)
          ✓ users after revoke  GET 200  0ms  (2 attempts)
          ✓ org users after revoke  GET 200  0ms

        4 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let s = sb.stats();
    assert_eq!(s.revocations, 1, "{s:?}");
    assert_eq!(s.code42_oauth_logins, 2, "{s:?}");
    assert_eq!(
        s.unauthorized, 1,
        "one refused request, then the new token: {s:?}"
    );
}

const E2E_SIGNED_OUT_SESSION_IS_REFUSED_STDOUT_1: &str = r#"
    requests/07-beyondtrust.yaml (BeyondTrust Password Safe, OAuth and session (flow 7))
        > POST {URL}/beyondtrust/BeyondTrust/api/public/v3/Auth/Connect/Token
        > User-Agent: sesame
        > Content-Type: application/x-www-form-urlencoded
        > Accept-Encoding: gzip, deflate, br, zstd
        >
        > grant_type=client_credentials&client_id=c02702d8-fb34-45c0-b7b1-943b48a66b02&client_secret=SnJLdHbg2b5y6lpTC42LnnFFG4nJ1P3iIpHRf9eKxLaK
        < HTTP/1.1 200 OK
        < content-type: application/json
        < cache-control: no-store
        < content-length: 400
        < date: <date>
        <
        < {"access_token":"<jwt>","expires_in":3600,"token_type":"Bearer","scope":"publicapi"}
        > POST {URL}/beyondtrust/BeyondTrust/api/public/v3/Auth/SignAppIn
        > User-Agent: sesame
        > Authorization: Bearer <jwt>
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < set-cookie: ASP.NET_SessionId=<sid>; path=/; HttpOnly; SameSite=Lax
        < content-length: 171
        < date: <date>
        <
        < {"UserId":7,"SID":"S-1-5-21-1004336348-1177238915-682003330-1107","EmailAddress":"sandbox-app@example.com","UserName":"sandbox-app-user","Name":"Sandbox Application User"}
    profile beyondtrust: logged in (2 steps, <ms>)
        > GET {URL}/beyondtrust/BeyondTrust/api/public/v3/ManagedSystems
        > User-Agent: sesame
        > Cookie: ASP.NET_SessionId=<sid>
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 333
        < date: <date>
        <
        < [{"ManagedSystemID":1,"AssetID":11,"SystemName":"sandbox-db01","PlatformID":11,"NetBiosName":null,"Port":1433,"Description":"Sandbox SQL Server","ReleaseDuration":120},{"ManagedSystemID":2,"AssetID":12,"SystemName":"sandbox-web01","PlatformID":2,"NetBiosName":null,"Port":22,"Description":"Sandbox Linux host","ReleaseDuration":120}]
      ✓ managed systems  GET 200  0ms
        > GET {URL}/beyondtrust/BeyondTrust/api/public/v3/ManagedAccounts
        > User-Agent: sesame
        > Cookie: ASP.NET_SessionId=<sid>
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 651
        < date: <date>
        <
        < [{"PlatformID":11,"SystemId":1,"SystemName":"sandbox-db01","DomainName":null,"AccountId":101,"AccountName":"sa","InstanceName":"","DefaultReleaseDuration":120,"MaximumReleaseDuration":525600,"LastChangeDate":"2024-05-01T10:00:00","NextChangeDate":null,"IsChanging":false,"IsISAAccess":false,"RequestedBy":"sandbox-app-user"},{"PlatformID":2,"SystemId":2,"SystemName":"sandbox-web01","DomainName":null,"AccountId":102,"AccountName":"root","InstanceName":"","DefaultReleaseDuration":120,"MaximumReleaseDuration":525600,"LastChangeDate":"2024-05-01T10:00:00","NextChangeDate":null,"IsChanging":false,"IsISAAccess":false,"RequestedBy":"sandbox-app-user"}]
      ✓ managed accounts  GET 200  0ms
        > GET {URL}/beyondtrust/BeyondTrust/api/public/v3/ManagedSystems
        > User-Agent: sesame
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 401 Unauthorized
        < content-type: text/plain; charset=utf-8
        < content-length: 22
        < date: <date>
        <
        < User not authenticated
      ✓ without the session  GET 401  0ms
        > POST {URL}/beyondtrust/BeyondTrust/api/public/v3/Auth/Signout
        > User-Agent: sesame
        > Cookie: ASP.NET_SessionId=<sid>
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: text/plain; charset=utf-8
        < set-cookie: ASP.NET_SessionId=; path=/; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT
        < content-length: 0
        < date: <date>
    profile beyondtrust: logged out

    3 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

#[test]
fn e2e_signed_out_session_is_refused() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    let run = p
        .test()
        .args(&[
            "run",
            "requests/07-beyondtrust.yaml",
            "--env",
            "sandbox",
            "--yes",
            "--verbose",
            "--show-secrets",
        ])
        // A fresh session id per sign-in.
        .normalise(r"SessionId=[0-9a-f]+", "SessionId=<sid>")
        .stdout(E2E_SIGNED_OUT_SESSION_IS_REFUSED_STDOUT_1)
        .run();
    let s = sb.stats();
    assert_eq!(s.signouts, 1, "{s:?}");
    assert_eq!(s.active_sessions, 0, "{s:?}");
    // The session cookie the run used, from the verbose output.
    let all = run.raw_stdout;
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
    p.test().args(&[
        "run",
        "requests/07-beyondtrust.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]).status(1).stdout(r#"
        requests/07-beyondtrust.yaml (BeyondTrust Password Safe, OAuth and session (flow 7))
        profile beyondtrust: logged in (2 steps, <ms>)
          ✓ managed systems  GET 200  0ms
          ✓ managed accounts  GET 200  0ms
          ✓ without the session  GET 401  0ms
          ✗ this one fails  GET 200  0ms
        profile beyondtrust: logged out

        failures:

        ✗ requests/07-beyondtrust.yaml › this one fails
          GET {URL}/beyondtrust/BeyondTrust/api/public/v3/ManagedSystems → 200
          error: status: expected status 418, got 200
             --> requests/07-beyondtrust.yaml:26:23
             |
          26 |     expect: { status: 418 }
             |                       ^^^
             = expected: 418
             = actual:   200
          body:
            [{"ManagedSystemID":1,"AssetID":11,"SystemName":"sandbox-db01","PlatformID":11,"NetBiosName":null,"Port":1433,"Description":"Sandbox SQL Server","ReleaseDuration":120},{"ManagedSystemID":2,"AssetID":12,"SystemName":"sandbox-web01","PlatformID":2,"NetBiosName":null,"Port":22,"Description":"Sandbox Linux host","ReleaseDuration":120}]

        3 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
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
    p.test().args(&[
        "run",
        "requests/07-beyondtrust.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]).status(3).stdout(r#"
        requests/07-beyondtrust.yaml (BeyondTrust Password Safe, OAuth and session (flow 7))
          ✗ managed systems  GET no response  0ms
          - managed accounts  skipped: `managed systems` failed
          - without the session  skipped: `managed systems` failed

        failures:

        ✗ requests/07-beyondtrust.yaml › managed systems
          GET {{ beyondtrust_url }}/ManagedSystems → no response
          error: login beyondtrust: profile beyondtrust could not log in: login step `sign in`: expected status 200, got 403; the response body is not JSON; response: Access forbidden: the Password Safe license is not valid
            --> requests/07-beyondtrust.yaml:5:5
            |
          5 |   - name: managed systems
            |     ^

        0 passed, 1 failed, 2 skipped (1 file) in 0.00s
    "#).run();
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
    let run = p.test().args(&[
        "run",
        "requests/08-beyondtrust-psauth.yaml",
        "--env",
        "sandbox",
        "--yes",
    ]).status(3).stdout(r#"
        requests/08-beyondtrust-psauth.yaml (BeyondTrust Password Safe, PS-Auth header (flow 7))
          ✗ managed accounts  GET no response  0ms

        failures:

        ✗ requests/08-beyondtrust-psauth.yaml › managed accounts
          GET {{ beyondtrust_url }}/ManagedAccounts → no response
          error: login beyondtrust-psauth: profile beyondtrust-psauth could not log in: login step `sign in`: expected status 200, got 403; response: Access forbidden: the Password Safe license is not valid
            --> requests/08-beyondtrust-psauth.yaml:5:5
            |
          5 |   - name: managed accounts
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
    assert!(
        !run.all()
            .contains(sesame_sandbox::fixtures::BEYONDTRUST_UNLICENSED_PS_KEY),
        "the key leaked: {}",
        run.all()
    );
    assert_eq!(sb.stats().beyondtrust_signins, 0);
}
