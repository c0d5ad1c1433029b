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
    p.test()
        .args(&["validate"])
        .stdout(
            r#"
        2 files, 4 requests and 1 profile: valid
    "#,
        )
        .run();
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
    p.test()
        .args(&["validate"])
        .status(2)
        .stderr(
            r#"
        error: undefined variable `base_url`
          --> requests/a.yaml:2:10
          |
        2 |   - url: "{{ base_url }}/{{ id }}"
          |          ^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: `base_url` is defined in the environment local of sesame.yaml: pass --env local
        nothing was sent
    "#,
        )
        .run();
    p.test().args(&["validate", "--env", "local"]).status(2).stderr(r#"
        error: undefined variable `id`
          --> requests/a.yaml:2:10
          |
        2 |   - url: "{{ base_url }}/{{ id }}"
          |          ^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request
        nothing was sent
    "#).run();
    p.test()
        .args(&["validate", "--env", "local", "--var", "id=1"])
        .stdout(
            r#"
        1 file, 1 request and 0 profiles: valid
    "#,
        )
        .run();
}

#[test]
fn validate_checks_profiles_that_no_request_uses() {
    let p = Project::new();
    p.file("profiles/broken.yaml", "apply:\n  headerz: {}\n");
    p.file(
        "requests/a.yaml",
        "requests:\n  - url: http://127.0.0.1:9/x\n",
    );
    p.test()
        .args(&["validate"])
        .status(2)
        .stderr(
            r#"
        error: unknown key `headerz` in a profile
          --> profiles/broken.yaml:2:3
          |
        2 |   headerz: {}
          |   ^^^^^^^
          = hint: did you mean `headers`?
        nothing was sent
    "#,
        )
        .run();
}

#[test]
fn dry_run_prints_method_and_rendered_url_and_sends_nothing() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/good.yaml", &server, GOOD);
    let run = p
        .test()
        .args(&["run", "--dry-run"])
        .stdout(
            r#"
        requests/good.yaml
          POST {URL}/echo/items/5?tag=a&tag=b&region=eu  (create)
          GET {URL}/echo/search?q=a+b  (search)
          PUT {URL}/echo/form  (submit form)

        dry run: 3 requests would be sent (1 file)
    "#,
        )
        .run();
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
    p.test()
        .args(&["run", "--dry-run", "--verbose", "--var", "n=9"])
        .stdout(
            r#"
            requests/good.yaml
                > POST {URL}/echo/items/9?tag=a&tag=b&region=eu
                > X-Custom: custom-value
                > Content-Type: application/json
                >
                > {"n":9,"quote":"it's"}
              POST {URL}/echo/items/9?tag=a&tag=b&region=eu  (create)
                > GET {URL}/echo/search?q=a+b
              GET {URL}/echo/search?q=a+b  (search)
                > PUT {URL}/echo/form
                > Content-Type: application/x-www-form-urlencoded
                >
                > a=b+c&list=1&list=2
              PUT {URL}/echo/form  (submit form)

            dry run: 3 requests would be sent (1 file)
        "#,
        )
        .run();
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
    p.test()
        .args(&["run", "--dry-run", "--verbose"])
        .stdout(
            r#"
            requests/a.yaml
                > GET {URL}/protected
                > Authorization: <credentials of profile oauth>
              GET {URL}/protected  (request 1)

            dry run: 1 request would be sent (1 file)
        "#,
        )
        .run();
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
    let run = p
        .test()
        .args(&["curl", "requests/good.yaml"])
        .stdout(
            r#"
            # create
            curl \
              -X POST \
              '{URL}/echo/items/5?tag=a&tag=b&region=eu' \
              -H 'User-Agent: sesame/0.1.0' \
              -H 'X-Custom: custom-value' \
              -H 'Content-Type: application/json' \
              --data-raw '{"n":5,"quote":"it'\''s"}' \
              -L \
              --max-time 30
            # search
            curl \
              '{URL}/echo/search?q=a+b' \
              -H 'User-Agent: sesame/0.1.0' \
              -L \
              --max-time 30
            # submit form
            curl \
              -X PUT \
              '{URL}/echo/form' \
              -H 'User-Agent: sesame/0.1.0' \
              -H 'Content-Type: application/x-www-form-urlencoded' \
              --data-raw 'a=b+c&list=1&list=2' \
              -L \
              --max-time 30
        "#,
        )
        .run();
    assert!(server.hits().is_empty(), "nothing sent yet");
    let cmds = commands(&run.raw_stdout);
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
    let run = p
        .test()
        .args(&[
            "curl",
            "requests/good.yaml",
            "--request",
            "create",
            "--var",
            "n=7",
        ])
        .stdout(
            r#"
            # create
            curl \
              -X POST \
              '{URL}/echo/items/7?tag=a&tag=b&region=eu' \
              -H 'User-Agent: sesame/0.1.0' \
              -H 'X-Custom: custom-value' \
              -H 'Content-Type: application/json' \
              --data-raw '{"n":7,"quote":"it'\''s"}' \
              -L \
              --max-time 30
        "#,
        )
        .run();
    assert_eq!(commands(&run.stdout).len(), 1);
    assert!(!run.stdout.contains("# search"));

    p.test()
        .args(&["curl", "requests/good.yaml", "--request", "nope"])
        .status(2)
        .stderr(
            r#"
        error: no request named `nope` in requests/good.yaml
    "#,
        )
        .run();
    server.expect_no_hits();
}

#[test]
fn schema_is_json_with_the_three_schemas() {
    let p = Project::new();
    // The documents are checked as JSON, not as text.
    let run = p.test().arg("schema").any_stdout().run();
    let all: Value = serde_json::from_str(&run.stdout).expect("schema is JSON");
    for kind in ["request", "profile", "config"] {
        let s = &all["$defs"][kind];
        assert_eq!(s["type"], "object", "{kind}");
        assert!(s["properties"].is_object(), "{kind}");
        let out = p.test().args(&["schema", kind]).any_stdout().run();
        let one: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            one["properties"], s["properties"],
            "`sesame schema {kind}` is the same document"
        );
    }
    assert!(all["$defs"]["request"]["properties"]["requests"].is_object());
    assert!(all["$defs"]["profile"]["properties"]["login"].is_object());
    assert!(all["$defs"]["config"]["properties"]["environments"].is_object());
    p.test()
        .args(&["schema", "nope"])
        .status(2)
        .stderr(
            r#"
            error: unknown schema `nope`
              = hint: use request, profile, config or all
            nothing was sent
        "#,
        )
        .run();
}
