//! `oauth2:` profiles against a strict OAuth 2.0 server of our own
//! (`tests/support/oauth2.rs`): each grant, RFC 6749 §2.3.1 client
//! authentication, refresh before a full login, §5.2 errors in exit 3,
//! and the RFC 8628 device flow with `slow_down`.

use crate::support::creds::AssertHas as _;
use crate::support::creds::CLOCK;
use crate::support::oauth2::{
    CLIENT_ID, CLIENT_SECRET, PASSWORD, PENDING_POLLS, USER_CODE, USERNAME, oauth2_routes,
};
use crate::support::{Project, TestServer, with_url};

const API: &str = r#"
profile: idp
requests:
  - name: api
    url: "{URL}/oauth2/api"
    expect: { status: 200 }
"#;

fn project(server: &TestServer, profile: &str, requests: &str) -> Project {
    let mut p = Project::new();
    p.file("profiles/idp.yaml", &with_url(server, profile))
        .file("requests/a.yaml", &with_url(server, requests));
    p.env("IDP_CLIENT_ID", CLIENT_ID)
        .env("IDP_CLIENT_SECRET", CLIENT_SECRET)
        .env("SESAME_TEST_CLOCK", &CLOCK.to_string());
    p
}

const CLIENT_CREDENTIALS: &str = r#"
description: identity provider, client credentials
secrets:
  client_id: { env: IDP_CLIENT_ID }
  client_secret: { env: IDP_CLIENT_SECRET }
oauth2:
  token_url: "{URL}/oauth2/token"
  grant: client_credentials
  client_id: "{{ secrets.client_id }}"
  client_secret: "{{ secrets.client_secret }}"
  scope: "api:read"
  params: { audience: "https://api.example.com" }
"#;

#[test]
fn client_credentials_with_a_secret_full_of_reserved_characters() {
    let server = TestServer::with(oauth2_routes);
    let p = project(&server, CLIENT_CREDENTIALS, API);
    let run = p.run(&["run", "--no-cache"]);
    run.assert_code(0);
    assert_eq!(server.counter("grant:client_credentials"), 1);
    let hit = &server.hits_to("/oauth2/token")[0];
    assert_eq!(
        hit.body,
        "grant_type=client_credentials&scope=api%3Aread&audience=https%3A%2F%2Fapi.example.com"
    );
    assert_eq!(
        server.hits_to("/oauth2/api")[0].header("authorization"),
        Some("Bearer at-1-Xq9"),
        "the default apply: Bearer access_token"
    );
    assert!(
        !run.all().contains(CLIENT_SECRET),
        "the secret is never shown"
    );
}

#[test]
fn client_auth_body_sends_id_and_secret_as_form_parameters() {
    let server = TestServer::with(oauth2_routes);
    let profile = CLIENT_CREDENTIALS
        .replace(
            "grant: client_credentials",
            "grant: client_credentials\n  client_auth: body",
        )
        .replace("{{ secrets.client_id }}", "body-client")
        .replace(
            "  scope: \"api:read\"\n  params: { audience: \"https://api.example.com\" }\n",
            "",
        );
    let p = project(&server, &profile, API);
    p.run(&["run", "--no-cache"]).assert_code(0);
    let hit = &server.hits_to("/oauth2/token")[0];
    assert_eq!(hit.header("authorization"), None);
    assert_eq!(
        hit.body,
        "client_id=body-client&client_secret=p%2Bs%2Fw%3Dr%25d%3Ax%26y+z&grant_type=client_credentials"
    );
}

#[test]
fn password_grant_and_token_fields_as_captures() {
    let server = TestServer::with(oauth2_routes);
    let profile = format!(
        r#"
secrets:
  client_secret: {{ env: IDP_CLIENT_SECRET }}
  password: {{ env: IDP_PASSWORD }}
oauth2:
  token_url: "{{URL}}/oauth2/token"
  grant: password
  client_id: {CLIENT_ID}
  client_secret: "{{{{ secrets.client_secret }}}}"
  username: {USERNAME}
  password: "{{{{ secrets.password }}}}"
apply:
  headers:
    Authorization: "{{{{ token_type }}}} {{{{ access_token }}}}"
"#
    );
    let requests = r#"
profile: idp
requests:
  - name: echo
    url: "{URL}/echo"
    headers: { X-Type: "{{ auth.token_type }}", X-Life: "{{ auth.expires_in }}" }
"#;
    let mut p = project(&server, &profile, requests);
    p.env("IDP_PASSWORD", PASSWORD);
    p.run(&["run", "--no-cache"]).assert_code(0);
    let hit = &server.hits_to("/echo")[0];
    assert_eq!(hit.header("authorization"), Some("Bearer at-1-Xq9"));
    assert_eq!(hit.header("x-type"), Some("Bearer"));
    assert_eq!(hit.header("x-life"), Some("60"));
}

#[test]
fn a_refused_grant_shows_the_rfc6749_error_in_the_exit_3_message() {
    let server = TestServer::with(oauth2_routes);
    let profile = CLIENT_CREDENTIALS.replace("api:read", "api:read admin");
    let p = project(&server, &profile, API);
    p.run(&["run", "--no-cache"]).assert_code(3).assert_has(
        "profile idp could not log in: oauth2 token request (grant_type=client_credentials) refused (400): invalid_scope: admin is not granted",
    );
    let mut wrong = project(&server, CLIENT_CREDENTIALS, API);
    wrong.env("IDP_CLIENT_SECRET", "p+s/w=r%d:x&y");
    wrong
        .run(&["run", "--no-cache"])
        .assert_code(3)
        .assert_has("refused (401): invalid_client: client authentication failed");
}

/// Uses the token, waits `wait` seconds (retry delays, no profile), uses it again.
fn use_wait_use(wait: u64) -> String {
    format!(
        r#"
profile: idp
requests:
  - name: first
    url: "{{URL}}/oauth2/api"
    expect: {{ status: 200 }}
  - name: wait
    profile: none
    url: "{{URL}}/count/wait"
    retry: {{ count: 2, delay: {}s }}
    expect: {{ json: {{ $.state: done }} }}
  - name: second
    url: "{{URL}}/oauth2/api"
    expect: {{ status: 200 }}
"#,
        wait / 2
    )
}

#[test]
fn an_expiring_token_is_refreshed_with_its_refresh_token_first() {
    let server = TestServer::with(oauth2_routes);
    // 60-s tokens are refreshed with 15 s left: 50 s later, a refresh.
    let p = project(&server, CLIENT_CREDENTIALS, &use_wait_use(50));
    p.run(&["run", "--no-cache"]).assert_code(0);
    assert_eq!(server.counter("grant:client_credentials"), 1);
    assert_eq!(
        server.counter("grant:refresh_token"),
        1,
        "refreshed, not a new login"
    );
    let refresh = &server.hits_to("/oauth2/token")[1];
    assert!(
        refresh
            .body
            .starts_with("grant_type=refresh_token&refresh_token=rt-1-Zk3"),
        "{}",
        refresh.body
    );
    assert_eq!(
        server.hits_to("/oauth2/api")[1].header("authorization"),
        Some("Bearer at-2-Xq9")
    );
}

#[test]
fn a_refused_refresh_token_falls_back_to_a_full_login() {
    let server = TestServer::with(oauth2_routes);
    let mut p = project(&server, CLIENT_CREDENTIALS, API);
    p.run(&["run"]).assert_code(0);
    // The refresh token of the cached credential is used up by someone else.
    let entry = std::fs::read_dir(p.cache_dir().join("credentials"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|f| f.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let cached = std::fs::read_to_string(&entry).unwrap();
    assert!(
        cached.contains("rt-1-Zk3"),
        "the refresh token is cached: {cached}"
    );
    // A refresh token the server no longer knows (revoked, or used elsewhere).
    std::fs::write(&entry, cached.replace("rt-1-Zk3", "rt-9-gone")).unwrap();
    p.env("SESAME_TEST_CLOCK", &(CLOCK + 50).to_string());
    let run = p.run(&["run"]);
    run.assert_code(0).assert_has(
        "profile idp: refresh token refused (oauth2 token request (grant_type=refresh_token) refused (400): invalid_grant: refresh token unknown or used), logging in again",
    );
    assert_eq!(server.counter("grant:client_credentials"), 2);
}

#[test]
fn device_code_prints_where_to_sign_in_and_honours_slow_down() {
    let server = TestServer::with(oauth2_routes);
    let profile = r#"
oauth2:
  token_url: "{URL}/oauth2/token"
  device_authorization_url: "{URL}/oauth2/device"
  grant: device_code
  client_id: public-device
  scope: "api:read"
"#;
    let p = project(&server, profile, API);
    let run = p.run(&["run", "--no-cache"]);
    run.assert_code(0).assert_has(&format!(
        "profile idp: to sign in, open https://example.com/device and enter the code {USER_CODE}"
    ));
    assert_eq!(server.counter("device-polls"), PENDING_POLLS + 2);
    // Polls at 5, 10 (pending), 15 (slow_down: every 10 s from then), 25 s.
    run.assert_has("profile idp: logged in (oauth2 device_code, 25.0s)");
}

#[test]
fn a_grant_without_what_it_needs_is_invalid_input() {
    let server = TestServer::with(oauth2_routes);
    let profile = r#"
oauth2:
  token_url: "{URL}/oauth2/token"
  grant: password
  username: someone
"#;
    let p = project(&server, profile, API);
    let run = p.run(&["validate"]);
    run.assert_code(2)
        .assert_has("oauth2: grant `password` needs `password`");
    server.expect_no_hits();
}

/// The `oauth2:` form of BeyondTrust's token request shown in
/// docs/profiles.md, against the sandbox's token endpoint; its Bearer token
/// opens a session.
#[test]
fn the_documented_oauth2_beyondtrust_token_works_against_the_sandbox() {
    let doc = include_str!("../docs/profiles.md");
    let start = doc
        .find("description: BeyondTrust Password Safe token")
        .expect("the example in docs/profiles.md");
    let profile = &doc[start..start + doc[start..].find("```").unwrap()];
    let sb = crate::support::sandbox::TestSandbox::start();
    let p = sb.example_project();
    p.file("profiles/bt-token.yaml", profile).file(
        "requests/sign-in.yaml",
        r#"
profile: bt-token
requests:
  - name: sign in with the token
    method: POST
    url: "{{ beyondtrust_url }}/Auth/SignAppIn"
    expect: { status: 200, json: { $.UserName: { exists: true } } }
"#,
    );
    let run = p.run(&["run", "requests/sign-in.yaml", "--env", "sandbox"]);
    run.assert_code(0);
    assert_eq!(sb.stats().beyondtrust_signins, 1, "{:?}", sb.stats());
}

#[test]
fn verbose_shows_the_token_request_with_its_secrets_masked() {
    let server = TestServer::with(oauth2_routes);
    let p = project(&server, CLIENT_CREDENTIALS, API);
    let run = p.run(&["run", "--no-cache", "--verbose"]);
    run.assert_code(0)
        .assert_has(&format!("POST {}/oauth2/token", server.url()));
    let all = run.all();
    let basic = "czZCaGRSa3F0MzpwJTJCcyUyRnclM0RyJTI1ZCUzQXglMjZ5K3o=";
    for secret in [CLIENT_SECRET, basic, "at-1-Xq9", "rt-1-Zk3"] {
        assert!(!all.contains(secret), "{secret} shown:\n{all}");
    }
}

#[test]
fn dry_run_shows_the_default_bearer_as_a_stand_in_and_sends_nothing() {
    let server = TestServer::with(oauth2_routes);
    let p = project(&server, CLIENT_CREDENTIALS, API);
    p.run(&["run", "--dry-run", "--verbose"])
        .assert_code(0)
        .assert_has("    > Authorization: <credentials of profile idp>\n");
    server.expect_no_hits();
}
