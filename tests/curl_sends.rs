//! Kind: `sesame curl` prints commands that send exactly what `run` sends.
//! Each printed command runs with real curl against the test server, and
//! what the server received is compared with what `run` sent: method, path,
//! query, body and the headers sesame sets (credentials from a login and
//! from a secret, each through its own `sesame token` placeholder; `basic:`;
//! JSON, form and raw bodies; redirects followed).

use std::path::Path;
use std::process::Command;

use crate::support::{Hit, Project, TestServer};

const PROFILE: &str = r#"
secrets:
  client_id: { env: T_CLIENT_ID }
  client_secret: { env: T_CLIENT_SECRET }
  api_key: { env: T_API_KEY }
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
    X-Site: training
  query:
    api_key: "{{ secrets.api_key }}"
expires_in: "{{ expires_in }}"
"#;

const REQUESTS: &str = r#"
profile: both
requests:
  - name: get with query
    url: "@URL@/echo/items/5"
    query: { tag: [a, b], q: "a b+c/d" }
    headers: { X-Custom: "it's" }
    timeout: 5s
  - name: post json
    method: POST
    url: "@URL@/echo/json"
    json: { n: 5, s: "x y" }
  - name: post form
    method: POST
    url: "@URL@/echo/form"
    form: { a: "1 2", b: "x&y" }
  - name: put raw
    method: PUT
    url: "@URL@/echo/raw"
    body: "raw text, not a form"
  - name: typed raw
    method: POST
    url: "@URL@/echo/typed"
    headers: { Content-Type: text/plain }
    body: "plain"
  - name: file body
    method: POST
    url: "@URL@/echo/file"
    body: { file: data.txt }
  - name: multipart
    method: POST
    url: "@URL@/echo/multipart"
    multipart:
      note: "a b&c"
      doc: { file: data.txt, content_type: text/plain, filename: d.txt }
"#;

const BASIC: &str = r#"
requests:
  - name: basic
    url: "@URL@/echo/basic"
    basic: { username: "{{ env.T_BASIC_USER }}", password: "{{ env.T_BASIC_PASS }}" }
  - name: redirected
    url: "@URL@/redirect?to=@URL@/echo/after&status=302"
    basic: { username: "{{ env.T_BASIC_USER }}", password: "{{ env.T_BASIC_PASS }}" }
"#;

const BASIC_PROFILE: &str = r#"
secrets:
  user: { env: T_BASIC_USER }
  password: { env: T_BASIC_PASS }
apply:
  basic: { username: "{{ secrets.user }}", password: "{{ secrets.password }}" }
"#;

const PROFILE_BASIC: &str = r#"
profile: basicp
requests:
  - name: profile basic
    method: DELETE
    url: "@URL@/echo/profile-basic"
"#;

const ENV: [(&str, &str); 5] = [
    ("T_CLIENT_ID", "client"),
    ("T_CLIENT_SECRET", "secret"),
    ("T_API_KEY", "AKx9/Qr+7Zw="),
    ("T_BASIC_USER", "bob"),
    ("T_BASIC_PASS", "p@ss w+rd"),
];

/// Headers sesame sets; curl's own (`Accept`, `Host`, lengths) are not compared.
const COMPARED: [&str; 6] = [
    "authorization",
    "content-type",
    "x-custom",
    "x-site",
    "user-agent",
    "cookie",
];

fn setup(server: &TestServer) -> Project {
    let mut p = Project::new();
    let sub = |t: &str| t.replace("@URL@", &server.url());
    p.file("profiles/both.yaml", &sub(PROFILE));
    p.file("requests/a.yaml", &sub(REQUESTS));
    p.file("requests/data.txt", "file bytes\nline 2\n");
    p.file("requests/b.yaml", &sub(BASIC));
    p.file("profiles/basicp.yaml", &sub(BASIC_PROFILE));
    p.file("requests/c.yaml", &sub(PROFILE_BASIC));
    for (k, v) in ENV {
        p.env(k, v);
    }
    p
}

/// What a request looked like to the server, as compared (a multipart
/// boundary is the sender's choice: written `BOUNDARY`).
fn seen(hit: &Hit) -> String {
    let boundary = hit
        .header("content-type")
        .and_then(|t| t.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"').to_string());
    let text = seen_as_is(hit);
    match boundary {
        Some(b) if !b.is_empty() => text.replace(&b, "BOUNDARY"),
        _ => text,
    }
}

fn seen_as_is(hit: &Hit) -> String {
    let mut headers: Vec<String> = COMPARED
        .iter()
        .filter_map(|name| hit.header(name).map(|v| format!("{name}: {v}")))
        .collect();
    headers.sort();
    format!(
        "{} {}?{}\n{}\n\n{}",
        hit.method,
        hit.path,
        hit.query,
        headers.join("\n"),
        hit.body
    )
}

fn echo_hits(server: &TestServer, from: usize) -> Vec<String> {
    server.hits()[from..]
        .iter()
        .filter(|h| h.path.starts_with("/echo"))
        .map(seen)
        .collect()
}

/// The commands `sesame curl` printed, one per request.
fn commands(stdout: &str) -> Vec<String> {
    stdout
        .split("\n# ")
        .filter_map(|block| block.find("curl ").map(|at| block[at..].to_string()))
        .collect()
}

fn run_with_curl(p: &Project, cmd: &str) {
    let bin = Path::new(env!("CARGO_BIN_EXE_sesame")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut sh = Command::new("sh");
    sh.args(["-c", &format!("{} -sS -o /dev/null", cmd.trim_end())])
        .current_dir(p.path())
        .env("PATH", path)
        .env("SESAME_TEST_MODE", "1")
        .env("SESAME_CACHE_DIR", p.cache_dir());
    for (k, v) in ENV {
        sh.env(k, v);
    }
    let out = sh.output().expect("sh");
    assert!(
        out.status.success(),
        "{cmd}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn curl_installed() -> bool {
    Command::new("sh")
        .args(["-c", "command -v curl"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn curl_commands_send_what_run_sends() {
    if !curl_installed() {
        return;
    }
    let server = TestServer::start();
    let p = setup(&server);
    for file in ["requests/a.yaml", "requests/b.yaml", "requests/c.yaml"] {
        let before = server.hits().len();
        p.run(&["run", file, "--yes"]).assert_code(0);
        let sent = echo_hits(&server, before);
        let printed = p.run(&["curl", file]);
        printed.assert_code(0);
        for secret in ["AKx9", "p@ss", "tok-oauth", "secret", "Ym9i"] {
            assert!(!printed.stdout.contains(secret), "{}", printed.stdout);
        }
        let before = server.hits().len();
        for cmd in commands(&printed.stdout) {
            run_with_curl(&p, &cmd);
        }
        let received = echo_hits(&server, before);
        let expected = match file {
            "requests/a.yaml" => 7,
            "requests/b.yaml" => 2,
            _ => 1,
        };
        assert_eq!(sent.len(), expected);
        assert_eq!(received, sent, "curl:\n{}", printed.stdout);
    }
}

#[test]
fn curl_carries_each_credential_and_the_run_settings() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = setup(&server);
    let printed = p.run(&["curl", "requests/a.yaml", "--request", "get with query"]);
    printed.assert_code(0);
    let out = &printed.stdout;
    for part in [
        "api_key='\"$(sesame token both --query api_key)\"",
        "-H 'Authorization: '\"$(sesame token both --header Authorization)\"",
        "-H 'X-Site: training'",
        "--max-time 5",
        "-L",
    ] {
        assert!(out.contains(part), "{part} missing:\n{out}");
    }
    let basic = p.run(&["curl", "requests/b.yaml"]);
    assert!(
        basic
            .stdout
            .contains("-u \"$T_BASIC_USER\"':'\"$T_BASIC_PASS\""),
        "{}",
        basic.stdout
    );
}
