//! Kind: no secret material reaches any output, in any encoding DESIGN
//! names. Every example flow against the sandbox, and every failure path
//! against a server that echoes what it gets in many encodings (failing
//! expectation, login failure, template error on a secret, `--dry-run`,
//! `sesame curl`, Ctrl-C), with `--verbose` and every report; ordinary
//! words and URLs come out unchanged, and `--show-secrets` shows it all.

use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::support::sandbox::TestSandbox;
use crate::support::{Project, Run, TestServer, finish};

const REPORTS: [&str; 6] = [
    "--report",
    "junit:out/junit.xml",
    "--report",
    "json:out/report.json",
    "--report",
    "tap:out/report.tap",
];

/// Every form `value` may travel in: as written, form- and
/// percent-encoded, partly percent-encoded (reserved characters other than
/// `/`), JSON-escaped with and without `\/`, `\uXXXX` escapes, HTML
/// entities.
fn forms(value: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let json = serde_json::to_string(value).unwrap();
    let json = json.trim_matches('"').to_string();
    let mut out = vec![
        value.to_string(),
        form.clone(),
        form.replace('+', "%20"),
        partly_encoded(value),
        json.replace('/', "\\/"),
        json,
        unicode_escaped(value),
        value
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;"),
    ];
    out.retain(|f| f.chars().count() >= 4);
    out.sort();
    out.dedup();
    out
}

/// Percent-encodes what httpbin-like servers encode, leaving `/` alone.
fn partly_encoded(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '+' | '=' | '&' | ' ' | '"' | '\\' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// `\u002b` for every character that is not a letter or digit.
fn unicode_escaped(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect()
}

/// stdout, stderr and every report file, by name.
fn outputs(p: &Project, run: &Run) -> Vec<(String, String)> {
    let mut out = vec![
        ("stdout".to_string(), run.stdout.clone()),
        ("stderr".to_string(), run.stderr.clone()),
    ];
    for path in p.files_under("out") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        out.push((path.display().to_string(), text));
    }
    out
}

/// Asserts that no form of any of `secrets` appears in any output, nor
/// ten consecutive characters of a long one, nor any JWT.
#[track_caller]
fn assert_no_leak(outputs: &[(String, String)], secrets: &[String]) {
    for (name, text) in outputs {
        for secret in secrets {
            for form in forms(secret) {
                assert!(
                    !text.contains(&form),
                    "{name} holds `{form}` (a form of a secret):\n{text}"
                );
            }
            let chars: Vec<char> = secret.chars().collect();
            if chars.len() >= 20 {
                for window in chars.windows(10) {
                    let part: String = window.iter().collect();
                    assert!(!text.contains(&part), "{name} holds `{part}`:\n{text}");
                }
            }
        }
        assert!(!holds_jwt(text), "{name} holds a JWT:\n{text}");
    }
}

/// `eyJ...` followed by a dot and more base64url: a JWT, always a credential here.
fn holds_jwt(text: &str) -> bool {
    text.match_indices("eyJ").any(|(at, _)| {
        let rest = &text[at..];
        let head = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        head >= 16 && rest[head..].starts_with('.')
    })
}

/// The values of a `.env` file.
fn env_values(p: &Project) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(p.path().join(".env")).unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// TOTP codes of `secret` from two minutes ago to one minute ahead.
fn totp_codes(secret: &str) -> Vec<String> {
    let spec = sesame::testing::TotpSpec::parse(secret, None, None, None).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    (0..6).map(|i| spec.code_at(now + 60 - i * 30)).collect()
}

/// `code` as a whole number anywhere in `text`.
fn holds_code(text: &str, code: &str) -> bool {
    text.match_indices(code).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Secret values, basic pairs' base64 and TOTP codes of the example project.
fn example_material(p: &Project) -> (Vec<String>, Vec<String>) {
    let env = env_values(p);
    let get = |k: &str| {
        env.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut secrets: Vec<String> = env.iter().map(|(_, v)| v.clone()).collect();
    for (user, pass) in [
        ("CODE42_CLIENT_ID", "CODE42_CLIENT_SECRET"),
        ("CODE42_USERNAME", "CODE42_PASSWORD"),
        ("CODE42_TOTP_USERNAME", "CODE42_TOTP_PASSWORD"),
        ("CRASHPLAN_USERNAME", "CRASHPLAN_PASSWORD"),
        ("BASICAPP_EMAIL", "BASICAPP_PASSWORD"),
    ] {
        secrets.push(STANDARD.encode(format!("{}:{}", get(user), get(pass))));
    }
    let codes = env
        .iter()
        .filter(|(k, _)| k.ends_with("TOTP_SECRET"))
        .flat_map(|(_, v)| totp_codes(v))
        .collect();
    (secrets, codes)
}

#[test]
fn every_example_flow_leaks_nothing_in_any_output() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    let mut args = vec!["run", "--env", "sandbox", "--verbose", "--yes"];
    args.extend(REPORTS);
    let run = p.run(&args);
    run.assert_code(0);
    let (mut secrets, codes) = example_material(&p);
    // The tokens the run used: `token` reads them back from the cache.
    for profile in [
        "code42-api-client",
        "code42-jwt-totp",
        "crashplan-totp",
        "crisisworks",
    ] {
        let t = p.run(&["token", profile, "--env", "sandbox"]);
        if t.code == 0 {
            secrets.push(t.stdout.trim().to_string());
        }
    }
    let outs = outputs(&p, &run);
    assert_no_leak(&outs, &secrets);
    for (name, text) in &outs {
        for code in &codes {
            assert!(!holds_code(text, code), "{name} holds TOTP code {code}");
        }
    }
    // Ordinary values are left alone.
    let all = run.all();
    let computer = format!("{}/code42/api/v1/Computer", sb.url());
    assert!(all.contains(&computer), "{all}");
    assert!(all.contains("X-Site: sandbox"), "{all}");
    assert!(!all.contains("h***p"), "{all}");
    let json = std::fs::read_to_string(p.path().join("out/report.json")).unwrap();
    assert!(
        json.contains(&computer) && json.contains("\"devices\""),
        "{json}"
    );
}

#[test]
fn curl_and_dry_run_of_every_example_print_everything_else() {
    let sb = TestSandbox::start();
    let p = sb.example_project();
    let (secrets, _) = example_material(&p);
    for file in p.files_under("requests") {
        let file = file.display().to_string();
        let curl = p.run(&["curl", &file, "--env", "sandbox"]);
        curl.assert_code(0);
        assert!(curl.stdout.contains("curl "), "{}", curl.stdout);
        let mut args = vec!["run", &file, "--env", "sandbox", "--dry-run", "--verbose"];
        args.extend(REPORTS);
        let dry = p.run(&args);
        dry.assert_code(0);
        let mut outs = outputs(&p, &dry);
        outs.push(("curl".into(), curl.all()));
        assert_no_leak(&outs, &secrets);
    }
    let curl = p.run(&[
        "curl",
        "requests/04-crashplan-totp.yaml",
        "--env",
        "sandbox",
    ]);
    assert!(
        curl.stdout.contains("%3Cknown+after+login%3E"),
        "{}",
        curl.stdout
    );
    assert!(
        curl.stdout
            .contains("\"$(sesame token crashplan-totp --header Authorization --env sandbox)\""),
        "{}",
        curl.stdout
    );
}

// The echoing server and a profile whose every kind of secret it echoes.

const API_KEY: &str = "AKx9/Qr+7Zw=";
/// `"`, `\`, `+`, `&` and a space.
const PASSWORD: &str = "p\"a\\ss+w&rd x7Q";
const USER: &str = "svc-leak-user";
const TOKEN: &str = "tok-LEAK-9f8e7d6c5b4a39281706";
const COOKIE: &str = "Ck-7d/Zq+Lw9=Rt4";
const SHORT: &str = "h";

fn material() -> Vec<String> {
    [
        API_KEY.to_string(),
        PASSWORD.to_string(),
        USER.to_string(),
        TOKEN.to_string(),
        COOKIE.to_string(),
        STANDARD.encode(format!("{USER}:{PASSWORD}")),
        STANDARD.encode(USER),
        STANDARD.encode(PASSWORD),
        STANDARD.encode(API_KEY),
    ]
    .to_vec()
}

/// Each value in the forms a careless server echoes it in.
fn echoed(values: impl IntoIterator<Item = String>) -> String {
    let mut out = Vec::new();
    for v in values {
        out.extend(forms(&v));
    }
    out.join("\n")
}

/// 418 with a body that starts `pad` characters in, so that what it echoes
/// straddles the excerpt's cut.
fn leaky_body(pad: usize, uri: &Uri, headers: &HeaderMap, body: &str) -> (StatusCode, String) {
    let query = uri.query().unwrap_or_default().to_string();
    let mut values = vec![query.clone(), body.to_string()];
    values.extend(url::form_urlencoded::parse(query.as_bytes()).map(|(_, v)| v.to_string()));
    for (_, v) in headers {
        let v = v.to_str().unwrap_or_default();
        values.push(v.to_string());
        if let Some((_, rest)) = v.split_once(' ') {
            values.push(rest.to_string());
        }
        for pair in v.split(';') {
            values.extend(pair.split_once('=').map(|(_, v)| v.trim().to_string()));
        }
    }
    let text = format!("{}{}", ".".repeat(pad), echoed(values));
    (StatusCode::IM_A_TEAPOT, text)
}

fn leak_server() -> TestServer {
    TestServer::with(|r| {
        r.route(
            "/leak/login",
            post(|| async {
                (
                    [("set-cookie", format!("sid={COOKIE}; Path=/; HttpOnly"))],
                    axum::Json(serde_json::json!({ "token": TOKEN, "site": "training" })),
                )
            }),
        )
        .route(
            "/leak/echo",
            get(|uri: Uri, headers: HeaderMap| async move { leaky_body(790, &uri, &headers, "") }),
        )
        .route(
            "/leak/fail-login",
            post(|uri: Uri, headers: HeaderMap, body: String| async move {
                leaky_body(190, &uri, &headers, &body)
            }),
        )
    })
}

const LEAKY_PROFILE: &str = r#"
secrets:
  api_key: { env: T_API_KEY }
  password: { env: T_PASSWORD }
  user: { env: T_USER }
  short: { env: T_SHORT }
login:
  - name: sign in
    method: POST
    url: "@URL@/leak/login"
    basic: { username: "{{ secrets.user }}", password: "{{ secrets.password }}" }
    json: { user: "{{ secrets.user }}", password: "{{ secrets.password }}" }
    expect: { status: 200 }
    capture: { token: $.token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
    X-Site: training
    X-Sig: "sig {{ secrets.user | b64encode }}"
  query:
    api_key: "{{ secrets.api_key }}"
    s: "{{ secrets.short }}"
  cookies: true
cache: false
"#;

const FAILING_LOGIN: &str = r#"
secrets:
  password: { env: T_PASSWORD }
  user: { env: T_USER }
login:
  - name: sign in
    method: POST
    url: "@URL@/leak/fail-login?pw={{ secrets.password }}&u={{ secrets.user }}"
    basic: { username: "{{ secrets.user }}", password: "{{ secrets.password }}" }
    json: { password: "{{ secrets.password }}" }
    expect: { status: 200 }
apply:
  headers:
    Authorization: "Bearer x"
cache: false
"#;

const LOGIN_HANDED_A_TOKEN_FAILS: &str = r#"
secrets:
  user: { env: T_USER }
login:
  - name: sign in
    method: POST
    url: "@URL@/leak/login"
    json: { user: "{{ secrets.user }}" }
    expect: { status: 200, json: { $.site: elsewhere } }
    capture: { token: $.token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
cache: false
"#;

const TEMPLATE_ERROR: &str = r#"
secrets:
  password: { env: T_PASSWORD }
apply:
  headers:
    X-Key: "{{ secrets.password | b64decode }}"
"#;

fn leak_project(server: &TestServer, profile: &str, requests: &str) -> Project {
    let mut p = Project::new();
    let sub = |t: &str| t.replace("@URL@", &server.url());
    p.file("profiles/leaky.yaml", &sub(profile));
    p.file("requests/a.yaml", &sub(requests));
    p.env("T_API_KEY", API_KEY)
        .env("T_PASSWORD", PASSWORD)
        .env("T_USER", USER)
        .env("T_SHORT", SHORT);
    p
}

const ECHO_REQUESTS: &str = r#"
profile: leaky
requests:
  - name: echo everything
    url: "@URL@/leak/echo"
    query: { word: training }
    expect: { status: 200 }
"#;

fn run_all(p: &Project, extra: &[&str]) -> Run {
    let mut args = vec!["run", "--verbose", "--yes"];
    args.extend(REPORTS);
    args.extend(extra);
    p.run(&args)
}

#[test]
fn a_failing_expectation_on_an_echoing_body_leaks_nothing() {
    let server = leak_server();
    let p = leak_project(&server, LEAKY_PROFILE, ECHO_REQUESTS);
    let run = run_all(&p, &[]);
    run.assert_code(1);
    assert_no_leak(&outputs(&p, &run), &material());
    let all = run.all();
    // Ordinary words and URLs are unchanged; the short secret only as a field.
    assert!(all.contains("X-Site: training"), "{all}");
    assert!(all.contains("word=training"), "{all}");
    assert!(
        all.contains(&format!("{}/leak/echo", server.url())),
        "{all}"
    );
    assert!(all.contains("&s=***"), "{all}");
    assert!(!all.contains("h***p") && !all.contains("train***"), "{all}");
    let json = std::fs::read_to_string(p.path().join("out/report.json")).unwrap();
    assert!(json.contains("echo everything"), "{json}");
}

#[test]
fn show_secrets_shows_them() {
    let server = leak_server();
    let p = leak_project(&server, LEAKY_PROFILE, ECHO_REQUESTS);
    let run = run_all(&p, &["--show-secrets"]);
    let all = run.all();
    for secret in [TOKEN, COOKIE, USER] {
        assert!(all.contains(secret), "{secret} missing:\n{all}");
    }
}

#[test]
fn a_login_failure_that_echoes_the_password_leaks_nothing() {
    let server = leak_server();
    let p = leak_project(&server, FAILING_LOGIN, ECHO_REQUESTS);
    let run = run_all(&p, &[]);
    run.assert_code(3);
    assert!(run.all().contains("sign in"), "{}", run.all());
    assert_no_leak(&outputs(&p, &run), &material());
}

#[test]
fn a_failed_login_step_that_was_handed_a_token_leaks_nothing() {
    let server = leak_server();
    let p = leak_project(&server, LOGIN_HANDED_A_TOKEN_FAILS, ECHO_REQUESTS);
    let run = run_all(&p, &[]);
    run.assert_code(3);
    let all = run.all();
    assert!(
        all.contains("elsewhere") && all.contains("training"),
        "{all}"
    );
    assert_no_leak(&outputs(&p, &run), &material());
}

#[test]
fn a_template_error_on_a_secret_names_it_and_quotes_nothing() {
    let server = leak_server();
    server.expect_no_hits();
    let p = leak_project(&server, TEMPLATE_ERROR, ECHO_REQUESTS);
    let run = run_all(&p, &[]);
    run.assert_code(3);
    let all = run.all();
    assert!(all.contains("b64decode") && all.contains("X-Key"), "{all}");
    assert!(!all.contains("offset") && !all.contains("symbol"), "{all}");
    assert_no_leak(&outputs(&p, &run), &material());
}

#[test]
fn dry_run_and_curl_of_a_leaky_profile_leak_nothing() {
    let server = leak_server();
    // Only `sesame token` logs in; dry run and curl send nothing.
    server.expect_hits(1);
    let p = leak_project(&server, LEAKY_PROFILE, ECHO_REQUESTS);
    let dry = run_all(&p, &["--dry-run"]);
    dry.assert_code(0);
    let curl = p.run(&["curl", "requests/a.yaml"]);
    curl.assert_code(0);
    let mut outs = outputs(&p, &dry);
    outs.push(("curl".into(), curl.all()));
    assert_no_leak(&outs, &material());
    assert!(
        curl.stdout
            .contains("api_key='\"$(sesame token leaky --query api_key)\"'"),
        "{}",
        curl.stdout
    );
    let key = p.run(&["token", "leaky", "--query", "api_key"]);
    assert_eq!(key.stdout.trim(), "AKx9%2FQr%2B7Zw%3D", "{}", key.stderr);
}

const SLOW_REQUESTS: &str = r#"
profile: leaky
requests:
  - name: echo everything
    url: "@URL@/leak/echo"
    expect: { status: 418 }
  - name: slow
    url: "@URL@/slow/20000"
"#;

#[test]
fn ctrl_c_mid_run_leaks_nothing() {
    let server = leak_server();
    let p = leak_project(&server, LEAKY_PROFILE, SLOW_REQUESTS);
    let mut args = vec!["run", "--verbose", "--yes"];
    args.extend(REPORTS);
    let child = p.spawn(&args);
    let started = Instant::now();
    while server.hits_to("/slow/20000").is_empty() {
        assert!(started.elapsed() < Duration::from_secs(20), "never sent");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let run = finish(child);
    assert_eq!(run.code, 130, "{}", run.all());
    assert_no_leak(&outputs(&p, &run), &material());
}
