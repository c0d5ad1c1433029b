//! Auth profiles: how credentials attach (`apply`), chained login steps,
//! `auth.*` / `secrets.*` in request templates, profile scope, and `hosts`.

use crate::support::{Project, TestServer};

/// `@URL@` → the server's URL, `@OTHER@` → the same server as `localhost`.
pub fn sub(text: &str, server: &TestServer) -> String {
    text.replace("@URL@", &server.url())
        .replace("@OTHER@", &server.other_origin_url())
}

/// A project with `profiles/NAME.yaml` and `requests/NAME.yaml`.
pub fn project(
    server: &TestServer,
    profiles: &[(&str, &str)],
    requests: &[(&str, &str)],
) -> Project {
    let p = Project::new();
    p.server(server);
    for (name, body) in profiles {
        p.file(&format!("profiles/{name}.yaml"), &sub(body, server));
    }
    for (name, body) in requests {
        p.file(&format!("requests/{name}.yaml"), &sub(body, server));
    }
    p
}

/// The `/oauth` client-credentials profile of DESIGN.md, secrets from env.
pub const OAUTH_PROFILE: &str = r#"
secrets:
  client_id: { env: T_CLIENT_ID }
  client_secret: { env: T_CLIENT_SECRET }
login:
  - name: get token
    method: POST
    url: "@URL@/oauth"
    basic: { username: "{{ secrets.client_id }}", password: "{{ secrets.client_secret }}" }
    expect: { status: 200 }
    capture:
      token: $.access_token
      expires_in: $.expires_in
apply:
  headers:
    Authorization: "Bearer {{ token }}"
expires_in: "{{ expires_in }}"
"#;

pub fn with_oauth_env(p: &mut Project) {
    p.env("T_CLIENT_ID", "client")
        .env("T_CLIENT_SECRET", "secret");
}

#[test]
fn apply_headers_bearer_from_oauth_login() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            r#"
profile: oauth
requests:
  - name: protected
    url: "@URL@/protected"
    expect: { status: 200, json: { $.ok: true } }
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
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let login = server.hits_to("/oauth");
    assert_eq!(login.len(), 1);
    // basic client:secret
    assert_eq!(
        login[0].header("authorization"),
        Some("Basic Y2xpZW50OnNlY3JldA==")
    );
    let prot = server.hits_to("/protected");
    assert_eq!(prot.len(), 1);
    assert_eq!(prot[0].header("authorization"), Some("Bearer tok-oauth-0"));
}

#[test]
fn apply_query_api_key_without_login() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[(
            "key",
            r#"
secrets:
  key: { env: T_API_KEY }
apply:
  query:
    api_key: "{{ secrets.key }}"
"#,
        )],
        &[(
            "a",
            r#"
profile: key
requests:
  - name: keyed
    url: "@URL@/needs-key"
    query: { page: 2 }
    expect: { status: 200 }
"#,
        )],
    );
    p.env("T_API_KEY", "k-123");
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ keyed  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hits = server.hits_to("/needs-key");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].query, "page=2&api_key=k-123");
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
fn apply_cookies_sends_login_cookies_and_logs_out_with_them() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[("sess", SESSION_PROFILE)],
        &[
            (
                "a",
                r#"
profile: sess
requests:
  - name: data
    url: "@URL@/session/data"
    expect: { status: 200, json: { $.data: secret stuff } }
"#,
            ),
            (
                "b",
                r#"
requests:
  - name: data without the profile
    url: "@URL@/session/data"
    expect: { status: 401 }
"#,
            ),
        ],
    );
    p.test()
        .args(&["run", "--jobs", "1"])
        .stdout(
            r#"
            profile sess: logged in (1 step, <ms>)
            requests/a.yaml
              ✓ data  GET 200  0ms
            requests/b.yaml
              ✓ data without the profile  GET 401  0ms
            profile sess: logged out

            2 passed, 0 failed, 0 skipped (2 files) in 0.00s
        "#,
        )
        .run();
    assert_eq!(server.hits_to("/session").len(), 1);
    let data = server.hits_to("/session/data");
    assert_eq!(data.len(), 2);
    assert!(
        data.iter()
            .any(|h| h.header("cookie").is_some_and(|c| c.contains("sid=sid-0")))
    );
    assert!(
        data.iter().any(|h| h.header("cookie").is_none()),
        "a request without the profile got its cookie"
    );
    assert_eq!(server.counter("signouts"), 1);
    let end = server.hits_to("/session/end");
    assert!(
        end[0]
            .header("cookie")
            .is_some_and(|c| c.contains("sid=sid-0")),
        "logout is sent with the profile's cookies: {:?}",
        end[0].headers
    );
}

#[test]
fn apply_basic_from_secrets_without_login() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[(
            "basic",
            r#"
secrets:
  user: { env: T_USER }
  password: { env: T_PASS }
apply:
  basic: { username: "{{ secrets.user }}", password: "{{ secrets.password }}" }
"#,
        )],
        &[(
            "a",
            r#"
profile: basic
requests:
  - name: echo
    url: "@URL@/echo"
    expect: { status: 200 }
"#,
        )],
    );
    p.env("T_USER", "alice@example.com").env("T_PASS", "pa:ss");
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hits = server.hits_to("/echo");
    assert_eq!(hits.len(), 1);
    // base64("alice@example.com:pa:ss")
    assert_eq!(
        hits[0].header("authorization"),
        Some("Basic YWxpY2VAZXhhbXBsZS5jb206cGE6c3M=")
    );
    assert!(
        server.hits().iter().all(|h| h.path == "/echo"),
        "no login request is sent"
    );
}

#[test]
fn chained_login_step_uses_previous_capture() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "chain",
            r#"
login:
  - name: password login
    method: POST
    url: "@URL@/login/json"
    json: { username: u, password: p }
    capture: { first: $.token }
  - name: exchange
    url: "@URL@/echo/exchange"
    headers: { X-First: "{{ first }}" }
    capture: { second: "$.headers['x-first']" }
apply:
  headers:
    Authorization: "Bearer {{ second }}"
"#,
        )],
        &[(
            "a",
            r#"
profile: chain
requests:
  - name: protected
    url: "@URL@/protected"
    expect: { status: 200 }
"#,
        )],
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile chain: logged in (2 steps, <ms>)
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let step2 = server.hits_to("/echo/exchange");
    assert_eq!(step2.len(), 1);
    assert_eq!(step2[0].header("x-first"), Some("tok-json-0"));
    assert_eq!(
        server.hits_to("/protected")[0].header("authorization"),
        Some("Bearer tok-json-0")
    );
}

#[test]
fn auth_and_secrets_are_in_scope_of_requests_using_the_profile() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            r#"
profile: oauth
requests:
  - name: echo
    url: "@URL@/echo/{{ secrets.client_id }}"
    headers:
      X-Token: "{{ auth.token }}"
      X-Expires: "{{ auth.expires_in }}"
    expect: { status: 200 }
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
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hits = server.hits_to("/echo/client");
    assert_eq!(hits.len(), 1, "{:?}", server.hits());
    assert_eq!(hits[0].header("x-token"), Some("tok-oauth-0"));
    assert_eq!(hits[0].header("x-expires"), Some("900"));
}

#[test]
fn auth_is_not_in_scope_without_a_profile() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            r#"
requests:
  - name: echo
    url: "@URL@/echo"
    headers: { X-Token: "{{ auth.token }}" }
"#,
        )],
    );
    with_oauth_env(&mut p);
    p.test()
        .args(&["run"])
        .status(2)
        .stderr(
            r#"
        error: undefined variable `auth`
          --> requests/a.yaml:5:25
          |
        5 |     headers: { X-Token: "{{ auth.token }}" }
          |                         ^^^^^^^^^^^^^^^^^^
          = hint: `auth` is only in scope for requests that use a profile
        nothing was sent
    "#,
        )
        .run();
    server.expect_no_hits();
}

#[test]
fn profile_templates_never_see_a_request_files_vars() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "tenant",
            r#"
apply:
  headers:
    X-Org: "{{ org_id }}"
"#,
        )],
        &[(
            "a",
            r#"
profile: tenant
vars: { org_id: "42" }
requests:
  - name: echo
    url: "@URL@/echo"
    headers: { X-Mine: "{{ org_id }}" }
"#,
        )],
    );
    p.test().args(&["run"]).status(2).stderr(r#"
        error: undefined variable `org_id`
          --> profiles/tenant.yaml:4:12
          |
        4 |     X-Org: "{{ org_id }}"
          |            ^^^^^^^^^^^^^^
          = hint: define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request
        nothing was sent
    "#).run();
    assert!(server.hits().is_empty(), "nothing sent yet");
    // The same variable from --var is fine: profiles see --var.
    p.test()
        .args(&["run", "--var", "org_id=7"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo")[0].header("x-org"), Some("7"));
}

#[test]
fn cross_origin_redirect_carries_no_header_query_or_cookie_of_the_profile() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "mixed",
            r#"
login:
  - name: sign in
    method: POST
    url: "@URL@/session"
apply:
  headers: { X-Api-Key: k-123 }
  query: { api_key: k-123 }
  cookies: true
"#,
        )],
        &[(
            "a",
            r#"
profile: mixed
requests:
  - name: same origin first
    url: "@URL@/redirect?to=/echo/same"
    expect: { status: 200 }
  - name: to another origin
    url: "@URL@/redirect"
    query: { to: "@OTHER@/echo/other" }
    expect: { status: 200 }
"#,
        )],
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile mixed: logged in (1 step, <ms>)
          ✓ same origin first  GET 200  0ms
          ✓ to another origin  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    // Same origin: everything goes, also after the redirect.
    let same = server.hits_to("/echo/same");
    assert_eq!(same.len(), 1);
    assert_eq!(same[0].header("x-api-key"), Some("k-123"));
    assert!(same[0].query.contains("api_key=k-123"), "{}", same[0].query);
    assert!(same[0].header("cookie").is_some_and(|c| c.contains("sid=")));
    // The first hop to the profile's origin had the credentials.
    let first = server.hits_to("/redirect");
    assert_eq!(first.len(), 2);
    assert_eq!(first[1].header("x-api-key"), Some("k-123"));
    // Another origin: nothing of the profile.
    let other = server.hits_to("/echo/other");
    assert_eq!(other.len(), 1);
    let h = &other[0];
    assert_eq!(
        h.header("host"),
        Some(format!("localhost:{}", server.addr.port()).as_str())
    );
    assert_eq!(h.header("x-api-key"), None, "{:?}", h.headers);
    assert!(!h.query.contains("api_key"), "{}", h.query);
    assert!(
        h.header("cookie").is_none_or(|c| !c.contains("sid=")),
        "{:?}",
        h.headers
    );
}

#[test]
fn cross_origin_redirect_drops_an_unrestricted_profiles_key() {
    // No login and no hosts: any origin may be *requested* with the profile,
    // but a redirect the server chooses must not carry the key elsewhere.
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            r#"
apply:
  headers: { X-Api-Key: k-123 }
  query: { api_key: k-123 }
"#,
        )],
        &[(
            "a",
            r#"
profile: key
requests:
  - name: to another origin
    url: "@URL@/redirect"
    query: { to: "@OTHER@/echo/other" }
    expect: { status: 200 }
"#,
        )],
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ to another origin  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/redirect")[0].header("x-api-key"),
        Some("k-123")
    );
    let other = server.hits_to("/echo/other");
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].header("x-api-key"), None, "{:?}", other[0].headers);
    assert!(!other[0].query.contains("api_key"), "{}", other[0].query);
}

#[test]
fn hosts_refuses_another_origin_before_sending() {
    let server = TestServer::start();
    let p = project(
        &server,
        &[(
            "key",
            r#"
hosts: ["@URL@"]
apply:
  headers: { X-Api-Key: k-123 }
"#,
        )],
        &[(
            "a",
            r#"
profile: key
requests:
  - name: elsewhere
    url: "@OTHER@/echo/refused"
  - name: after
    url: "@URL@/echo/after"
"#,
        )],
    );
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/a.yaml
          ✗ elsewhere  GET no response  0ms
          - after  skipped: `elsewhere` failed

        failures:

        ✗ requests/a.yaml › elsewhere
          GET {OTHER}/echo/refused → no response
          error: hosts: refused before sending: {OTHER} is not among the hosts of profile key ({URL}); add it to the profile's `hosts:` if it should receive these credentials
            --> requests/a.yaml:4:5
            |
          4 |   - name: elsewhere
            |     ^

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#).run();
    assert!(
        server.hits_to("/echo/refused").is_empty(),
        "nothing is sent"
    );
    assert!(server.hits_to("/echo/after").is_empty(), "the file stops");
    server.expect_no_hits();
}

#[test]
fn default_hosts_are_the_login_origins() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            r#"
profile: oauth
requests:
  - name: elsewhere
    url: "@OTHER@/protected"
"#,
        )],
    );
    with_oauth_env(&mut p);
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/a.yaml
          ✗ elsewhere  GET no response  0ms

        failures:

        ✗ requests/a.yaml › elsewhere
          GET {OTHER}/protected → no response
          error: hosts: refused before sending: {OTHER} is not among the hosts of profile oauth ({URL}); add it to the profile's `hosts:` if it should receive these credentials
            --> requests/a.yaml:4:5
            |
          4 |   - name: elsewhere
            |     ^

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
    assert!(server.hits_to("/protected").is_empty());
    server.expect_no_hits();
}
