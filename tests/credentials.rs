//! Credentials that last (issue 10): the refresh point, one cache entry per
//! profile, environment, inputs and project, `cache clear` touching only
//! sesame's files, one login between processes, and the summary after Ctrl-C.

use crate::support::creds::AssertHas as _;
use crate::support::creds::{CLOCK, creds_routes};
use crate::support::server::{TOTP_SECRET, auth_routes};
use crate::support::{Project, TestServer, finish, mode_of, with_url};

/// A profile logging in at `login_url` (a `{URL}` template), with `lifetime`
/// lines (`expires_in:`, `ttl:`) and the captures `token_path` (YAML:
/// `$.path` alone is the token's).
fn profile(login_url: &str, token_path: &str, lifetime: &str) -> String {
    format!(
        r#"
login:
  - name: get token
    method: POST
    url: "{login_url}"
    expect: {{ status: 200 }}
    capture:
      {token_path}
apply:
  headers:
    Authorization: "Bearer {{{{ token }}}}"
{lifetime}
"#
    )
}

/// One use, a wait of `wait_secs` (two retry delays of a request without a
/// profile), then three more uses.
const EXPIRES_IN_CAPTURE: &str = "token: $.access_token\n      expires_in: $.expires_in";

fn use_wait_use(wait_secs: u64) -> String {
    let half = wait_secs / 2;
    format!(
        r#"
profile: short
requests:
  - name: use 1
    url: "{{URL}}/protected"
    expect: {{ status: 200 }}
  - name: wait
    profile: none
    url: "{{URL}}/count/wait"
    retry: {{ count: 2, delay: {half}s }}
    expect: {{ json: {{ $.state: done }} }}
  - name: use 2
    url: "{{URL}}/protected"
    expect: {{ status: 200 }}
  - name: use 3
    url: "{{URL}}/protected"
    expect: {{ status: 200 }}
  - name: use 4
    url: "{{URL}}/protected"
    expect: {{ status: 200 }}
"#
    )
}

fn clocked(server: &TestServer, profile_text: &str, requests: &str) -> Project {
    let mut p = Project::new();
    p.file("profiles/short.yaml", &with_url(server, profile_text))
        .file("requests/a.yaml", &with_url(server, requests));
    p.env("SESAME_TEST_CLOCK", &CLOCK.to_string());
    p
}

#[test]
fn short_lived_tokens_are_fetched_once_per_expiry_whatever_gave_the_lifetime() {
    let sources = [
        (
            "expires_in",
            profile(
                "{URL}/token?expires_in=3",
                EXPIRES_IN_CAPTURE,
                "expires_in: \"{{ expires_in }}\"",
            ),
        ),
        (
            "ttl",
            profile(
                "{URL}/token?expires_in=3",
                "token: $.access_token",
                "ttl: 3s",
            ),
        ),
        (
            "jwt exp",
            profile(
                "{URL}/token/jwt?now={{ now() }}&ttl=3",
                "token: $.token",
                "",
            ),
        ),
    ];
    for (source, text) in sources {
        let server = TestServer::with(creds_routes);
        let p = clocked(&server, &text, &use_wait_use(4));
        p.run(&["run", "--no-cache"]).assert_code(0);
        assert_eq!(
            server.counter("logins"),
            2,
            "{source}: a 3-s token used, then 4 s later three times: 1 login + 1 after expiry"
        );
    }
}

#[test]
fn a_62_second_token_is_not_refreshed_with_more_than_a_quarter_left() {
    let server = TestServer::with(creds_routes);
    let text = profile(
        "{URL}/token?expires_in=62",
        EXPIRES_IN_CAPTURE,
        "expires_in: \"{{ expires_in }}\"",
    );
    // 20 s later, 42 s of 62 are left: more than min(60 s, 62 s / 4).
    let p = clocked(&server, &text, &use_wait_use(20));
    p.run(&["run"]).assert_code(0);
    assert_eq!(server.counter("logins"), 1, "4 uses over 20 s: one login");
}

#[test]
fn a_cached_token_past_its_refresh_point_is_not_reused() {
    let server = TestServer::with(creds_routes);
    let text = profile(
        "{URL}/token?expires_in=8",
        EXPIRES_IN_CAPTURE,
        "expires_in: \"{{ expires_in }}\"",
    );
    // Refresh point: 8 - min(60, 8/4) = 6 s after login.
    let mut p = clocked(&server, &text, &use_wait_use(0));
    p.run(&["run"]).assert_code(0);
    p.run(&["run"]).assert_code(0);
    assert_eq!(server.counter("logins"), 1, "within 6 s: the cached token");
    p.env("SESAME_TEST_CLOCK", &(CLOCK + 7).to_string());
    p.run(&["run"]).assert_code(0);
    assert_eq!(server.counter("logins"), 2, "7 s later: a new login");
}

const OAUTH_LIKE: &str = r#"
login:
  - name: get token
    method: POST
    url: "{URL}/token?expires_in=900"
    expect: { status: 200 }
    capture: { token: $.access_token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
ttl: 15m
"#;

const PROTECTED: &str = r#"
profile: short
requests:
  - name: protected
    url: "{URL}/protected"
    expect: { status: 200 }
"#;

fn cached_project(server: &TestServer) -> Project {
    let p = Project::new();
    p.file("profiles/short.yaml", &with_url(server, OAUTH_LIKE))
        .file("requests/a.yaml", &with_url(server, PROTECTED))
        .file(
            "sesame.yaml",
            "environments:\n  a: { region: one }\n  b: { region: two }\n",
        );
    p
}

fn entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir.join("credentials"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "json"));
    out.sort();
    out
}

#[test]
fn switching_environments_keeps_each_cache_entry() {
    let server = TestServer::with(creds_routes);
    let p = cached_project(&server);
    for env in ["a", "b", "a"] {
        p.run(&["run", "--env", env]).assert_code(0);
    }
    assert_eq!(server.counter("logins"), 2, "--env a, b, a: two logins");
    let files = entries(&p.cache_dir());
    assert_eq!(files.len(), 2, "an entry per environment: {files:?}");
    for f in &files {
        assert_eq!(mode_of(f), 0o600, "entry mode");
    }
}

#[test]
fn two_projects_with_the_same_profile_name_do_not_evict_each_other() {
    let server = TestServer::with(creds_routes);
    let shared = tempfile::tempdir().unwrap();
    let mut one = cached_project(&server);
    let mut two = cached_project(&server);
    for p in [&mut one, &mut two] {
        p.env("SESAME_CACHE_DIR", shared.path().to_str().unwrap());
    }
    for p in [&one, &two, &one, &two] {
        p.run(&["run", "--env", "a"]).assert_code(0);
    }
    assert_eq!(server.counter("logins"), 2, "one login per project");
    assert_eq!(entries(shared.path()).len(), 2);
}

#[test]
fn cache_clear_removes_only_what_sesame_wrote() {
    let server = TestServer::with(creds_routes);
    let shared = tempfile::tempdir().unwrap();
    let mut p = cached_project(&server);
    p.env("SESAME_CACHE_DIR", shared.path().to_str().unwrap());
    let foreign = [
        "other-tool.db",
        "credentials/notes.json",
        "credentials/short-0123456789abcdef0123456789abcdef.json",
        "credentials/README",
    ];
    std::fs::create_dir_all(shared.path().join("credentials")).unwrap();
    for f in foreign {
        std::fs::write(shared.path().join(f), "not sesame's").unwrap();
    }
    p.run(&["run", "--env", "a"]).assert_code(0);
    let ours = entries(shared.path())
        .into_iter()
        .filter(|e| {
            !e.ends_with("notes.json") && std::fs::read_to_string(e).unwrap() != "not sesame's"
        })
        .collect::<Vec<_>>();
    assert_eq!(ours.len(), 1, "sesame wrote one entry");
    let run = p.run(&["cache", "clear"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "cleared {} (2 files of sesame's)\n",
            shared.path().display()
        ),
        "the entry and its lock file"
    );
    assert!(!ours[0].exists(), "sesame's entry is gone");
    for f in foreign {
        assert_eq!(
            std::fs::read_to_string(shared.path().join(f)).unwrap(),
            "not sesame's",
            "{f} is left alone"
        );
    }
}

#[test]
fn a_damaged_cache_entry_is_ignored_with_a_warning() {
    let server = TestServer::with(creds_routes);
    let p = cached_project(&server);
    p.run(&["run", "--env", "a"]).assert_code(0);
    let entry = entries(&p.cache_dir()).remove(0);
    std::fs::write(&entry, "{\"expires_at\": tru").unwrap();
    let run = p.run(&["run", "--env", "a"]);
    run.assert_code(0).assert_has(&format!(
        "ignoring {}: not a sesame credential file, or damaged",
        entry.display()
    ));
    assert_eq!(server.counter("logins"), 2, "a new login replaces it");
    let text = std::fs::read_to_string(&entry).unwrap();
    assert!(text.contains("sesame-credentials/1"), "rewritten: {text}");
}

const TOTP_PROFILE: &str = r#"
secrets:
  seed: { env: T_TOTP_SEED }
login:
  - name: two-factor
    url: "{URL}/totp/check"
    headers:
      totp-auth: "{{ totp(secrets.seed) }}"
    expect: { status: 200 }
    capture: { token: $.token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
ttl: 15m
"#;

#[test]
fn processes_started_together_share_one_login() {
    let server = TestServer::with(auth_routes);
    let mut p = Project::new();
    p.file("profiles/short.yaml", &with_url(&server, TOTP_PROFILE))
        .file("requests/a.yaml", &with_url(&server, PROTECTED));
    p.env("T_TOTP_SEED", TOTP_SECRET);
    let children: Vec<_> = (0..3).map(|_| p.spawn(&["run"])).collect();
    for child in children {
        finish(child).assert_code(0);
    }
    let sent = server.hits_to("/totp/check").len();
    assert_eq!(server.counter("totp-ok"), 1, "three processes: one login");
    assert_eq!(sent, 1, "no TOTP code sent twice, none refused");
    assert_eq!(server.hits_to("/protected").len(), 3);
}

const LOGOUT_PROFILE: &str = r#"
login:
  - name: get token
    method: POST
    url: "{URL}/token?expires_in=900"
    expect: { status: 200 }
    capture: { token: $.access_token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
logout:
  - name: sign out
    method: POST
    url: "{URL}/session/end"
ttl: 15m
"#;

#[test]
fn a_profile_with_logout_keeps_its_login_to_its_process() {
    let server = TestServer::with(creds_routes);
    let p = Project::new();
    p.file("profiles/short.yaml", &with_url(&server, LOGOUT_PROFILE))
        .file("requests/a.yaml", &with_url(&server, PROTECTED));
    let children: Vec<_> = (0..2).map(|_| p.spawn(&["run"])).collect();
    for child in children {
        finish(child).assert_code(0);
    }
    assert_eq!(server.counter("logins"), 2, "each process its own session");
    assert_eq!(server.counter("signouts"), 2);
}

#[test]
fn ctrl_c_summaries_count_the_results_reported_before_it() {
    use std::io::BufRead as _;
    let server = TestServer::start();
    let p = Project::new();
    let requests = r#"
requests:
  - name: quick
    url: "{URL}/json"
    expect: { status: 200 }
  - name: slow
    url: "{URL}/slow/5000"
    expect: { status: 200 }
"#;
    p.file("requests/a.yaml", &with_url(&server, requests));
    let mut child = p.spawn(&[
        "run",
        "--report",
        "json:out.json",
        "--report",
        "junit:out.xml",
    ]);
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref().take(20) {
        let line = line.unwrap();
        let done = line.contains("quick");
        seen.push(line);
        if done {
            break;
        }
    }
    assert!(seen.last().is_some_and(|l| l.contains("quick")), "{seen:?}");
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let run = finish(child);
    run.assert_code(130);
    let summary = rest.iter().find(|l| l.contains(" passed, ")).cloned();
    assert!(
        summary
            .as_deref()
            .is_some_and(|s| s.starts_with("1 passed, 0 failed")),
        "console summary: {rest:?}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["passed"], 1, "JSON summary");
    let xml = std::fs::read_to_string(p.path().join("out.xml")).unwrap();
    assert!(
        xml.contains("name=\"quick\""),
        "JUnit has the passed request: {xml}"
    );
}

/// Client credentials on `/oauth` (basic `client:secret`, `expires_in: 900`).
const CLIENT_PROFILE: &str = r#"
secrets:
  client_id: { env: T_CLIENT_ID }
  client_secret: { env: T_CLIENT_SECRET }
login:
  - name: get token
    method: POST
    url: "{URL}/oauth"
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

/// A project of four request files using the `api` profile, on the test clock.
fn pipeline(server: &TestServer) -> Project {
    let mut p = Project::new();
    p.file("profiles/api.yaml", &with_url(server, CLIENT_PROFILE));
    for n in 1..=4 {
        let file = PROTECTED.replace("profile: short", "profile: api");
        p.file(&format!("requests/r{n}.yaml"), &with_url(server, &file));
    }
    p.env("SESAME_TEST_CLOCK", &CLOCK.to_string());
    p
}

fn with_secrets(p: &mut Project) {
    p.env("T_CLIENT_ID", "client")
        .env("T_CLIENT_SECRET", "secret");
}

#[test]
fn a_pipeline_of_one_login_and_four_shards_logs_in_once() {
    for key in [None, Some("correct horse battery staple")] {
        let server = TestServer::start();
        let mut login = pipeline(&server);
        with_secrets(&mut login);
        if let Some(k) = key {
            login.env("SESAME_CREDENTIALS_KEY", k);
        }
        let run = login.run(&["login", "api", "--save", "creds.bin", "--no-cache"]);
        let how = if key.is_some() { ", encrypted" } else { "" };
        run.assert_code(0);
        assert_eq!(
            run.stdout,
            format!("saved the credentials of 1 profile to creds.bin{how}\n")
        );
        let file = login.path().join("creds.bin");
        assert_eq!(mode_of(&file), 0o600, "credentials file mode");
        let bytes = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(!bytes.contains("secret\""), "no secret in the file");
        assert_eq!(
            bytes.contains("tok-oauth-0"),
            key.is_none(),
            "encrypted: {key:?}"
        );
        // The shard jobs have the file, not the secrets.
        let mut shard = pipeline(&server);
        std::fs::copy(&file, shard.path().join("creds.bin")).unwrap();
        if let Some(k) = key {
            shard.env("SESAME_CREDENTIALS_KEY", k);
        }
        for k in 1..=4 {
            let slice = format!("{k}/4");
            shard
                .run(&["run", "--credentials", "creds.bin", "--shard", &slice])
                .assert_code(0);
        }
        assert_eq!(
            server.hits_to("/oauth").len(),
            1,
            "one login for the pipeline"
        );
        assert_eq!(server.hits_to("/protected").len(), 4, "four shards ran");
    }
}

#[test]
fn expired_saved_credentials_without_secrets_are_exit_3_saying_so() {
    let server = TestServer::start();
    let mut p = pipeline(&server);
    with_secrets(&mut p);
    p.run(&["login", "api", "--save", "creds.json"])
        .assert_code(0);
    let mut later = pipeline(&server);
    std::fs::copy(p.path().join("creds.json"), later.path().join("creds.json")).unwrap();
    // 900-s token: refreshed from 840 s on.
    later.env("SESAME_TEST_CLOCK", &(CLOCK + 841).to_string());
    let run = later.run(&[
        "run",
        "--credentials",
        "creds.json",
        "--no-cache",
        "--shard",
        "1/4",
    ]);
    run.assert_code(3).assert_has(
        "profile api could not log in: its credentials from creds.json expired or were refused, and logging in again needs its secrets: ",
    );
    with_secrets(&mut later);
    later
        .run(&[
            "run",
            "--credentials",
            "creds.json",
            "--no-cache",
            "--shard",
            "1/4",
        ])
        .assert_code(0);
    assert_eq!(
        server.hits_to("/oauth").len(),
        2,
        "with the secrets: a new login"
    );
}

#[test]
fn saved_credentials_refused_with_401_lead_to_a_login_when_secrets_are_there() {
    let server = TestServer::start();
    let mut p = pipeline(&server);
    with_secrets(&mut p);
    p.run(&["login", "api", "--save", "creds.json"])
        .assert_code(0);
    server.revoke_tokens();
    p.run(&[
        "run",
        "--credentials",
        "creds.json",
        "--no-cache",
        "--shard",
        "1/4",
    ])
    .assert_code(0)
    .assert_has("profile api: credentials refused (401), logging in again");
    assert_eq!(server.hits_to("/oauth").len(), 2);
}

#[test]
fn an_encrypted_credentials_file_without_its_key_is_invalid_input() {
    let server = TestServer::start();
    let mut p = pipeline(&server);
    with_secrets(&mut p);
    p.env("SESAME_CREDENTIALS_KEY", "k1");
    p.run(&["login", "api", "--save", "creds.age"])
        .assert_code(0);
    let other = pipeline(&server);
    std::fs::copy(p.path().join("creds.age"), other.path().join("creds.age")).unwrap();
    other
        .run(&["run", "--credentials", "creds.age"])
        .assert_code(2)
        .assert_has("creds.age is encrypted: set SESAME_CREDENTIALS_KEY to the passphrase it was saved with");
}

#[test]
fn processes_share_one_login_where_each_login_revokes_the_last() {
    let server = TestServer::with(creds_routes);
    let p = Project::new();
    let profile = OAUTH_LIKE.replace("expires_in=900", "expires_in=900&revoke=1");
    p.file("profiles/short.yaml", &with_url(&server, &profile));
    for n in 1..=3 {
        p.file(
            &format!("requests/r{n}.yaml"),
            &with_url(&server, PROTECTED),
        );
    }
    let children: Vec<_> = (0..4).map(|_| p.spawn(&["run", "--jobs", "3"])).collect();
    for child in children {
        finish(child).assert_code(0);
    }
    assert_eq!(server.counter("logins"), 1, "four processes: one login");
    assert_eq!(server.hits_to("/protected").len(), 12);
}
