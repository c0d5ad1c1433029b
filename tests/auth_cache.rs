//! The credential cache between runs, and `sesame token`.

use crate::auth_apply::{OAUTH_PROFILE, project, with_oauth_env};
use crate::support::{TestServer, mode_of};

const PROTECTED_FILE: &str = r#"
profile: oauth
requests:
  - name: protected
    url: "@URL@/protected"
    headers: { X-Tenant: "{{ secrets.tenant }}" }
    expect: { status: 200 }
"#;

fn cached_files(p: &crate::support::Project) -> Vec<std::path::PathBuf> {
    p.files_under(".cache-sesame")
        .into_iter()
        .filter(|f| {
            f.to_string_lossy().contains("credentials")
                && f.extension().is_some_and(|e| e == "json")
        })
        .collect()
}

/// One request with profile `oauth`, which logs in.
const LOGGED_IN: &str = r#"
    requests/a.yaml
    profile oauth: logged in (1 step, <ms>)
      ✓ protected  GET 200  0ms

    1 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

/// One request with profile `oauth`, whose credentials come from the cache.
const FROM_CACHE: &str = r#"
    requests/a.yaml
    profile oauth: credentials from cache
      ✓ protected  GET 200  0ms

    1 passed, 0 failed, 0 skipped (1 file) in 0.00s
"#;

#[test]
fn credentials_are_cached_privately_and_reused_until_inputs_change() {
    let server = TestServer::start();
    let profile = OAUTH_PROFILE.replace("secrets:\n", "secrets:\n  tenant: { env: T_TENANT }\n");
    let mut p = project(&server, &[("oauth", &profile)], &[("a", PROTECTED_FILE)]);
    with_oauth_env(&mut p);
    p.env("T_TENANT", "acme");

    p.test().args(&["run"]).stdout(LOGGED_IN).run();
    assert_eq!(server.hits_to("/oauth").len(), 1);
    let files = cached_files(&p);
    assert_eq!(files.len(), 1, "one credential file: {files:?}");
    assert_eq!(mode_of(&files[0]), 0o600, "credential file mode");
    assert_eq!(
        mode_of(files[0].parent().unwrap()),
        0o700,
        "credential folder mode"
    );
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        !text.contains("Basic Y2xpZW50OnNlY3JldA=="),
        "login secrets are not written"
    );
    assert!(
        !text.contains("\"secret\""),
        "secret values are not written: {text}"
    );

    // Second run: from the cache, no login.
    p.test().args(&["run"]).stdout(FROM_CACHE).run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        1,
        "the cached token is reused"
    );
    assert_eq!(server.hits_to("/protected").len(), 2);
    assert_eq!(
        server.hits_to("/protected")[1].header("authorization"),
        Some("Bearer tok-oauth-0")
    );

    // A secret's value changes: another key, a new login.
    p.env("T_TENANT", "globex");
    p.test().args(&["run"]).stdout(LOGGED_IN).run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        2,
        "changed secret value → new login"
    );
    let after = cached_files(&p);
    assert_eq!(
        after.len(),
        2,
        "an entry per profile, environment and inputs: {after:?}"
    );
    assert!(after.contains(&files[0]), "the other inputs' entry stays");

    // --no-cache logs in, whatever is cached.
    p.test()
        .args(&["run", "--no-cache"])
        .stdout(LOGGED_IN)
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 3);

    // `sesame cache clear` empties it; the next run logs in.
    p.test()
        .args(&["cache", "clear"])
        .stdout("cleared {dir}/.cache-sesame (4 files of sesame's)\n")
        .run();
    assert!(
        cached_files(&p).is_empty(),
        "cache clear leaves no credential"
    );
    p.test().args(&["run"]).stdout(LOGGED_IN).run();
    assert_eq!(server.hits_to("/oauth").len(), 4);
}

#[test]
fn a_changed_profile_file_or_environment_is_a_new_login() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            &PROTECTED_FILE.replace("    headers: { X-Tenant: \"{{ secrets.tenant }}\" }\n", ""),
        )],
    );
    p.file(
        "sesame.yaml",
        "environments:\n  one: { region: a }\n  two: { region: b }\n",
    );
    with_oauth_env(&mut p);
    p.test()
        .args(&["run", "--env", "one"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    p.test()
        .args(&["run", "--env", "one"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: credentials from cache
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 1);
    p.test()
        .args(&["run", "--env", "two"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 2, "another environment");
    let edited = format!(
        "{}\ndescription: edited\n",
        crate::auth_apply::sub(OAUTH_PROFILE, &server)
    );
    std::fs::write(p.path().join("profiles/oauth.yaml"), edited).unwrap();
    p.test()
        .args(&["run", "--env", "two"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 3, "an edited profile");
}

#[test]
fn a_cached_token_refused_with_401_is_replaced() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", OAUTH_PROFILE)],
        &[(
            "a",
            &PROTECTED_FILE.replace("    headers: { X-Tenant: \"{{ secrets.tenant }}\" }\n", ""),
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
    server.revoke_tokens();
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: credentials from cache
        profile oauth: credentials refused (401), logging in again
        profile oauth: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms  (2 attempts)

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        2,
        "the stale cached token led to one login"
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: credentials from cache
          ✓ protected  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/oauth").len(),
        2,
        "and the fresh one was cached"
    );
}

#[test]
fn a_profile_with_logout_is_never_cached() {
    let server = TestServer::start();
    let with_logout = format!(
        "{}\nlogout:\n  - name: sign out\n    method: POST\n    url: \"@URL@/session/end\"\n",
        OAUTH_PROFILE
    );
    let mut p = project(
        &server,
        &[("oauth", &with_logout)],
        &[(
            "a",
            &PROTECTED_FILE.replace("    headers: { X-Tenant: \"{{ secrets.tenant }}\" }\n", ""),
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
        profile oauth: logged out

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ protected  GET 200  0ms
        profile oauth: logged out

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 2, "logged in by each run");
    assert_eq!(server.counter("signouts"), 2, "and logged out by each");
    assert!(cached_files(&p).is_empty(), "nothing cached");
}

#[test]
fn cache_false_keeps_a_profile_out_of_the_cache() {
    let server = TestServer::start();
    let mut p = project(
        &server,
        &[("oauth", &format!("{OAUTH_PROFILE}\ncache: false\n"))],
        &[(
            "a",
            &PROTECTED_FILE.replace("    headers: { X-Tenant: \"{{ secrets.tenant }}\" }\n", ""),
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
    assert_eq!(server.hits_to("/oauth").len(), 2);
    assert!(cached_files(&p).is_empty());
}

#[test]
fn token_prints_only_the_token() {
    let server = TestServer::start();
    let mut p = project(&server, &[("oauth", OAUTH_PROFILE)], &[]);
    with_oauth_env(&mut p);
    let run = p
        .test()
        .args(&["token", "oauth"])
        .stdout(
            r#"
        tok-oauth-0
    "#,
        )
        .run();
    assert_eq!(run.stdout, "tok-oauth-0\n");
    assert_eq!(server.hits_to("/oauth").len(), 1);
}

#[test]
fn token_of_a_profile_that_cannot_log_in_is_exit_3() {
    let server = TestServer::start();
    let mut p = project(&server, &[("oauth", OAUTH_PROFILE)], &[]);
    p.env("T_CLIENT_ID", "client")
        .env("T_CLIENT_SECRET", "nope");
    let run = p.test().args(&["token", "oauth"]).status(3).stderr(r#"
        error: profile oauth could not log in: login step `get token`: expected status 200, got 401; response: {"error":"invalid_***"}
    "#).run();
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert!(
        !run.all().contains("nope"),
        "the wrong secret is masked: {}",
        run.all()
    );
}

const TENANT_PROFILE: &str = r#"
secrets:
  client_id: { env: T_CLIENT_ID }
  client_secret: { env: T_CLIENT_SECRET }
login:
  - name: get token
    method: POST
    url: "{{ base_url }}/oauth"
    basic: { username: "{{ secrets.client_id }}", password: "{{ secrets.client_secret }}" }
    capture: { token: $.access_token }
apply:
  headers: { Authorization: "Bearer {{ token }}" }
ttl: 15m
"#;

const TENANT_FILE: &str = r#"
profile: oauth
requests:
  - { name: echo, url: "{{ base_url }}/echo/tenant" }
"#;

#[test]
fn a_token_cached_for_one_var_value_is_not_reused_for_another() {
    // The profile's login URL comes from --var: another tenant must log in,
    // never receive the first tenant's cached token.
    let server = TestServer::start();
    let mut p = project(&server, &[("oauth", TENANT_PROFILE)], &[("a", TENANT_FILE)]);
    with_oauth_env(&mut p);
    let a = format!("base_url={}", server.url());
    let b = format!("base_url={}", server.other_origin_url());
    p.test()
        .args(&["run", "--var", &a])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    p.test()
        .args(&["run", "--var", &a])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: credentials from cache
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 1, "same inputs: cached");
    p.test()
        .args(&["run", "--var", &b])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: logged in (1 step, <ms>)
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let logins = server.hits_to("/oauth");
    assert_eq!(logins.len(), 2, "another --var value: a new login");
    assert_eq!(
        logins[1].header("host"),
        Some(format!("localhost:{}", server.addr.port()).as_str())
    );
}

#[test]
fn a_token_cached_for_one_env_value_is_not_reused_for_another() {
    let server = TestServer::start();
    let profile = TENANT_PROFILE.replace("{{ base_url }}", "{{ env.T_BASE_URL }}");
    let file = TENANT_FILE.replace("{{ base_url }}", "{{ env.T_BASE_URL }}");
    let mut p = project(&server, &[("oauth", &profile)], &[("a", &file)]);
    with_oauth_env(&mut p);
    p.env("T_BASE_URL", &server.url());
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
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
        profile oauth: credentials from cache
          ✓ echo  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/oauth").len(), 1, "same inputs: cached");
    p.env("T_BASE_URL", &server.other_origin_url());
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
    assert_eq!(
        server.hits_to("/oauth").len(),
        2,
        "another env value: a new login"
    );
}
