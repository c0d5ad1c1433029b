//! Masking: no secret value in stdout, stderr or report files, with
//! `--verbose` and failures; `--show-secrets` shows them.

use base64::Engine as _;

use crate::auth_apply::project;
use crate::support::server::{STRONG_CLIENT, STRONG_SECRET, TOTP_SECRET, auth_routes};
use crate::support::{Project, TestServer};
use crate::test::Output;

const PROFILE: &str = r#"
secrets:
  client_id: { env: T_STRONG_ID }
  client_secret: { env: T_STRONG_SECRET }
  seed: { env: T_TOTP_SEED }
  password: { env: T_PASSWORD }
login:
  - name: get token
    method: POST
    url: "@URL@/oauth/strong"
    basic: { username: "{{ secrets.client_id }}", password: "{{ secrets.client_secret }}" }
    expect: { status: 200 }
    capture: { token: $.access_token }
  - name: second factor
    url: "@URL@/totp/check"
    headers: { totp-auth: "{{ totp(secrets.seed) }}" }
    expect: { status: 200 }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
cache: false
"#;

const REQUESTS: &str = r#"
profile: strong
requests:
  - name: protected
    url: "@URL@/protected"
    expect: { status: 200 }
  - name: echo with basic
    method: POST
    url: "@URL@/echo"
    basic: { username: "{{ secrets.client_id }}", password: "{{ secrets.password }}" }
    json: { password: "{{ secrets.password }}", token: "{{ auth.token }}" }
    expect: { status: 200 }
  - name: a failure that quotes the token
    url: "@URL@/echo"
    expect:
      json:
        $.headers.authorization: not the token
"#;

const PASSWORD: &str = "Pw-Hx93-Lamprey";

fn setup(server: &TestServer) -> Project {
    let mut p = project(server, &[("strong", PROFILE)], &[("a", REQUESTS)]);
    p.env("T_STRONG_ID", STRONG_CLIENT)
        .env("T_STRONG_SECRET", STRONG_SECRET)
        .env("T_TOTP_SEED", TOTP_SECRET)
        .env("T_PASSWORD", PASSWORD);
    p
}

/// Every secret value the run handled, read back from what the server got.
fn secret_values(server: &TestServer) -> Vec<(String, String)> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let token = server.hits_to("/protected")[0]
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .expect("bearer token")
        .to_string();
    let code = server.hits_to("/totp/check")[0]
        .header("totp-auth")
        .unwrap()
        .to_string();
    vec![
        ("client id".into(), STRONG_CLIENT.into()),
        ("client secret".into(), STRONG_SECRET.into()),
        ("totp seed".into(), TOTP_SECRET.into()),
        ("password".into(), PASSWORD.into()),
        ("token".into(), token),
        ("totp code".into(), code),
        (
            "login basic".into(),
            b64(&format!("{STRONG_CLIENT}:{STRONG_SECRET}")),
        ),
        (
            "request basic".into(),
            b64(&format!("{STRONG_CLIENT}:{PASSWORD}")),
        ),
    ]
}

/// Runs `run --verbose` with every report; `stdout` is the whole console
/// output expected.
fn run_with_reports(p: &Project, stdout: &str) -> (Output, Vec<(String, String)>) {
    let mut args = vec!["run", "--verbose"];
    let reports = [
        "junit:out/junit.xml",
        "json:out/report.json",
        "tap:out/report.tap",
    ];
    for r in &reports {
        args.push("--report");
        args.push(r);
    }
    std::fs::create_dir_all(p.path().join("out")).unwrap();
    let run = p.test().args(&args).status(1).stdout(stdout).run();
    let files = ["out/junit.xml", "out/report.json", "out/report.tap"]
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(p.path().join(f))
                .unwrap_or_else(|e| panic!("report {f}: {e}\n{}", run.all()));
            (f.to_string(), text)
        })
        .collect();
    (run, files)
}

/// `--verbose`: every exchange, each secret masked.
const MASKED: &str = r#"
    requests/a.yaml
        > POST {URL}/oauth/strong
        > Authorization: Basic ***
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 56
        < date: <date>
        <
        < {"access_token":"***","expires_in":900}
        > GET {URL}/totp/check
        > totp-auth: ***
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 22
        < date: <date>
        <
        < {"token":"tok-totp-0"}
    profile strong: logged in (2 steps, <ms>)
        > GET {URL}/protected
        > Authorization: Bearer ***
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 11
        < date: <date>
        <
        < {"ok":true}
      ✓ protected  GET 200  0ms
        > POST {URL}/echo
        > Authorization: Basic ***
        > Content-Type: application/json
        > Accept-Encoding: gzip, deflate, br, zstd
        >
        > {"password":"***","token":"***"}
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 363
        < date: <date>
        <
        < {"method":"POST","path":"/echo","query":"","headers":{"authorization":"Basic ***","content-type":"application/json","accept-encoding":"gzip, deflate, br, zstd","accept":"*/*","user-agent":"sesame/0.1.0","host":"{addr}","content-length":"61"},"body":"{\"password\":\"***\",\"token\":\"***\"}"}
      ✓ echo with basic  POST 200  0ms
        > GET {URL}/echo
        > Authorization: Bearer ***
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 222
        < date: <date>
        <
        < {"method":"GET","path":"/echo","query":"","headers":{"authorization":"Bearer ***","accept-encoding":"gzip, deflate, br, zstd","accept":"*/*","user-agent":"sesame/0.1.0","host":"{addr}"},"body":""}
      ✗ a failure that quotes the token  GET 200  0ms

    failures:

    ✗ requests/a.yaml › a failure that quotes the token
      GET {URL}/echo → 200
      error: json $.headers.authorization: expected == "not the token", got "Bearer ***"
         --> requests/a.yaml:17:34
         |
      17 |         $.headers.authorization: not the token
         |                                  ^^^^^^^^^^^^^
         = expected: == "not the token"
         = actual:   "Bearer ***"
      body:
        {"method":"GET","path":"/echo","query":"","headers":{"authorization":"Bearer ***","accept-encoding":"gzip, deflate, br, zstd","accept":"*/*","user-agent":"sesame/0.1.0","host":"{addr}"},"body":""}

    2 passed, 1 failed, 0 skipped (1 file) in 0.00s
"#;

#[test]
fn no_secret_appears_in_output_or_reports() {
    let server = TestServer::with(auth_routes);
    let p = setup(&server);
    let (run, reports) = run_with_reports(&p, MASKED);
    assert_eq!(
        server.counter("totp-ok"),
        1,
        "the login worked: {}",
        run.all()
    );
    let mut places = vec![
        ("stdout".to_string(), run.raw_stdout.clone()),
        ("stderr".to_string(), run.stderr.clone()),
    ];
    places.extend(reports);
    for (what, value) in secret_values(&server) {
        for (place, text) in &places {
            assert!(
                !text.contains(&value),
                "{what} `{value}` appears in {place}:\n{text}"
            );
        }
    }
}

/// `--verbose --show-secrets`: every exchange of the login and the requests.
const SHOW_SECRETS: &str = r#"
    requests/a.yaml
        > POST {URL}/oauth/strong
        > Authorization: Basic Y2xpLVE3eFd2OlplYnJhLVMzY3IzdC05OTEtS3E=
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 56
        < date: <date>
        <
        < {"access_token":"tok-strong1x110866-0","expires_in":900}
        > GET {URL}/totp/check
        > totp-auth: <code>
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 22
        < date: <date>
        <
        < {"token":"tok-totp-0"}
    profile strong: logged in (2 steps, <ms>)
        > GET {URL}/protected
        > Authorization: Bearer tok-strong1x110866-0
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 11
        < date: <date>
        <
        < {"ok":true}
      ✓ protected  GET 200  0ms
        > POST {URL}/echo
        > Authorization: Basic Y2xpLVE3eFd2OlB3LUh4OTMtTGFtcHJleQ==
        > Content-Type: application/json
        > Accept-Encoding: gzip, deflate, br, zstd
        >
        > {"password":"Pw-Hx93-Lamprey","token":"tok-strong1x110866-0"}
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 363
        < date: <date>
        <
        < {"method":"POST","path":"/echo","query":"","headers":{"authorization":"Basic Y2xpLVE3eFd2OlB3LUh4OTMtTGFtcHJleQ==","content-type":"application/json","accept-encoding":"gzip, deflate, br, zstd","accept":"*/*","user-agent":"sesame/0.1.0","host":"{addr}","content-length":"61"},"body":"{\"password\":\"Pw-Hx93-Lamprey\",\"token\":\"tok-strong1x110866-0\"}"}
      ✓ echo with basic  POST 200  0ms
        > GET {URL}/echo
        > Authorization: Bearer tok-strong1x110866-0
        > Accept-Encoding: gzip, deflate, br, zstd
        < HTTP/1.1 200 OK
        < content-type: application/json
        < content-length: 222
        < date: <date>
        <
        < {"method":"GET","path":"/echo","query":"","headers":{"authorization":"Bearer tok-strong1x110866-0","accept-encoding":"gzip, deflate, br, zstd","accept":"*/*","user-agent":"sesame/0.1.0","host":"{addr}"},"body":""}
      ✗ a failure that quotes the token  GET 200  0ms

    failures:

    ✗ requests/a.yaml › a failure that quotes the token
      GET {URL}/echo → 200
      error: json $.headers.authorization: expected == "not the token", got "Bearer tok-strong1x110866-0"
         --> requests/a.yaml:17:34
         |
      17 |         $.headers.authorization: not the token
         |                                  ^^^^^^^^^^^^^
         = expected: == "not the token"
         = actual:   "Bearer tok-strong1x110866-0"
      body:
        {"method":"GET","path":"/echo","query":"","headers":{"authorization":"Bearer tok-strong1x110866-0","accept-encoding":"gzip, deflate, br, zstd","accept":"*/*","user-agent":"sesame/0.1.0","host":"{addr}"},"body":""}

    2 passed, 1 failed, 0 skipped (1 file) in 0.00s
"#;

#[test]
fn show_secrets_shows_them() {
    let server = TestServer::with(auth_routes);
    let p = setup(&server);
    p.test()
        .args(&["run", "--verbose", "--show-secrets"])
        .status(1)
        // The code of the current TOTP step.
        .normalise(r"totp-auth: \d{6}", "totp-auth: <code>")
        .stdout(SHOW_SECRETS)
        .run();
}
