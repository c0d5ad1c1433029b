//! `validate`, `run --dry-run`, `curl` and `schema`.

use serde_json::Value;

use crate::support::{Project, TestServer};

const GOOD: &str = r#"
vars: { n: 5 }
inputs:
  region: { default: eu }
requests:
  - name: create
    method: POST
    url: "{URL}/echo/items/{{ n }}"
    query: { tag: [a, b], region: "{{ region }}" }
    headers: { X-Custom: custom-value }
    json: { n: "{{ n }}", quote: "it's" }
    capture: { id: $.path }
  - name: search
    url: "{URL}/echo/search"
    query: { q: "a b" }
  - name: submit form
    method: PUT
    url: "{URL}/echo/form"
    form: { a: "b c", list: [1, 2] }
"#;

#[test]
fn validate_accepts_good_files_and_sends_nothing() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "profiles/api-key.yaml",
        "apply:\n  headers:\n    X-Api-Key: k-123\n",
    );
    p.request_file("requests/good.yaml", &server, GOOD);
    p.request_file(
        "requests/sub/keyed.yml",
        &server,
        "profile: api-key\nrequests:\n  - url: \"{URL}/needs-key\"\n",
    );
    let run = p.run(&["validate"]);
    run.assert_code(0).assert_has("valid");
    server.expect_no_hits();
}

#[test]
fn validate_takes_env_and_var() {
    let p = Project::new();
    p.file(
        "sesame.yaml",
        "environments:\n  local:\n    base_url: http://127.0.0.1:9\n",
    );
    p.file(
        "requests/a.yaml",
        "requests:\n  - url: \"{{ base_url }}/{{ id }}\"\n",
    );
    p.run(&["validate"])
        .assert_code(2)
        .assert_stderr_has("undefined variable");
    p.run(&["validate", "--env", "local"])
        .assert_code(2)
        .assert_stderr_has("undefined variable `id`");
    p.run(&["validate", "--env", "local", "--var", "id=1"])
        .assert_code(0);
}

#[test]
fn validate_checks_profiles_that_no_request_uses() {
    let p = Project::new();
    p.file("profiles/broken.yaml", "apply:\n  headerz: {}\n");
    p.file(
        "requests/a.yaml",
        "requests:\n  - url: http://127.0.0.1:9/x\n",
    );
    p.run(&["validate"])
        .assert_code(2)
        .assert_stderr_has("profiles/broken.yaml:2:3")
        .assert_stderr_has("did you mean `headers`?");
}

#[test]
fn dry_run_prints_method_and_rendered_url_and_sends_nothing() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/good.yaml", &server, GOOD);
    let run = p.run(&["run", "--dry-run"]);
    run.assert_code(0);
    let url = server.url();
    run.assert_has("POST")
        .assert_has(&format!("{url}/echo/items/5?tag=a&tag=b&region=eu"))
        .assert_has(&format!("{url}/echo/search?q=a+b"))
        .assert_has("PUT");
    assert!(
        !run.stdout.contains("custom-value"),
        "headers only with --verbose"
    );
    server.expect_no_hits();
}

#[test]
fn dry_run_verbose_shows_headers_and_body() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/good.yaml", &server, GOOD);
    let run = p.run(&["run", "--dry-run", "--verbose", "--var", "n=9"]);
    run.assert_code(0)
        .assert_has(&format!(
            "POST {}/echo/items/9?tag=a&tag=b&region=eu",
            server.url()
        ))
        .assert_has("X-Custom: custom-value")
        .assert_has(r#"{"n":9,"quote":"it's"}"#)
        .assert_has("a=b+c&list=1&list=2");
    server.expect_no_hits();
}

#[test]
fn dry_run_resolves_no_profile() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "profiles/oauth.yaml",
        &crate::support::with_url(
            &server,
            r#"
login:
  - method: POST
    url: "{URL}/oauth"
    basic: { username: client, password: secret }
    capture: { token: $.access_token }
apply:
  headers:
    Authorization: "Bearer {{ token }}"
"#,
        ),
    );
    p.request_file(
        "requests/a.yaml",
        &server,
        "profile: oauth\nrequests:\n  - url: \"{URL}/protected\"\n",
    );
    let run = p.run(&["run", "--dry-run", "--verbose"]);
    run.assert_code(0)
        .assert_has("/protected")
        .assert_has("Authorization");
    server.expect_no_hits();
}

fn curl_installed() -> bool {
    std::process::Command::new("sh")
        .args(["-c", "command -v curl"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The commands `sesame curl` printed, one per request.
fn commands(stdout: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if line.starts_with("# ") {
            out.extend(current.take());
            current = Some(String::new());
        } else if let Some(c) = &mut current {
            c.push_str(line);
            c.push('\n');
        }
    }
    out.extend(current);
    out
}

#[test]
fn curl_prints_runnable_commands() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/good.yaml", &server, GOOD);
    let run = p.run(&["curl", "requests/good.yaml"]);
    run.assert_code(0)
        .assert_has("# create")
        .assert_has("# search")
        .assert_has("# submit form")
        .assert_has("-X POST")
        .assert_has("-H 'X-Custom: custom-value'");
    assert!(server.hits().is_empty(), "nothing sent yet");
    let cmds = commands(&run.stdout);
    assert_eq!(cmds.len(), 3, "{}", run.stdout);
    if !curl_installed() {
        assert!(cmds.iter().all(|c| c.starts_with("curl ")));
        return;
    }
    for cmd in &cmds {
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("{} -sS -o /dev/null", cmd.trim_end())])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let hits = server.hits();
    assert_eq!(hits.len(), 3);
    assert_eq!(
        (hits[0].method.as_str(), hits[0].path.as_str()),
        ("POST", "/echo/items/5")
    );
    assert_eq!(hits[0].query, "tag=a&tag=b&region=eu");
    assert_eq!(hits[0].header("x-custom"), Some("custom-value"));
    assert_eq!(
        serde_json::from_str::<Value>(&hits[0].body).unwrap(),
        serde_json::json!({"n": 5, "quote": "it's"})
    );
    assert_eq!(
        (hits[1].method.as_str(), hits[1].query.as_str()),
        ("GET", "q=a+b")
    );
    assert_eq!(hits[2].method, "PUT");
    assert_eq!(hits[2].body.replace("%20", "+"), "a=b+c&list=1&list=2");
}

#[test]
fn curl_request_selects_one_and_takes_var() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/good.yaml", &server, GOOD);
    let run = p.run(&[
        "curl",
        "requests/good.yaml",
        "--request",
        "create",
        "--var",
        "n=7",
    ]);
    run.assert_code(0).assert_has("/echo/items/7");
    assert_eq!(commands(&run.stdout).len(), 1);
    assert!(!run.stdout.contains("# search"));

    p.run(&["curl", "requests/good.yaml", "--request", "nope"])
        .assert_code(2)
        .assert_stderr_has("nope");
    server.expect_no_hits();
}

#[test]
fn schema_is_json_with_the_three_schemas() {
    let p = Project::new();
    let run = p.run(&["schema"]);
    run.assert_code(0);
    let all: Value = serde_json::from_str(&run.stdout).expect("schema is JSON");
    for kind in ["request", "profile", "config"] {
        let s = &all[kind];
        assert_eq!(s["type"], "object", "{kind}");
        assert!(s["properties"].is_object(), "{kind}");
        let one: Value =
            serde_json::from_str(&p.run(&["schema", kind]).assert_code(0).stdout).unwrap();
        assert_eq!(&one, s, "`sesame schema {kind}` is the same document");
    }
    assert!(all["request"]["properties"]["requests"].is_object());
    assert!(all["profile"]["properties"]["login"].is_object());
    assert!(all["config"]["properties"]["environments"].is_object());
    p.run(&["schema", "nope"]).assert_code(2);
}
