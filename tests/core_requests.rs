//! Request keys: method, url, query, headers, basic, bodies, timeout, retry,
//! redirects, `when`, `confirm`, `inputs`, and the flags that select and
//! parameterise a run (`--tag`, `--filter`, `--var`, `--env`, `.env`).

use serde_json::{Value, json};

use crate::support::{Project, TestServer};

fn methods(server: &TestServer) -> Vec<(String, String)> {
    server
        .hits()
        .into_iter()
        .map(|h| (h.method, h.path))
        .collect()
}

#[test]
fn method_defaults_to_get_and_each_method_is_sent() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/m.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/echo/default"
  - { method: POST, url: "{URL}/echo/post" }
  - { method: put, url: "{URL}/echo/put" }
  - { method: PATCH, url: "{URL}/echo/patch" }
  - { method: DELETE, url: "{URL}/echo/delete", expect: { json: { $.method: DELETE } } }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/m.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  POST 200  0ms
          ✓ request 3  PUT 200  0ms
          ✓ request 4  PATCH 200  0ms
          ✓ request 5  DELETE 200  0ms

        5 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        methods(&server),
        [
            ("GET", "/echo/default"),
            ("POST", "/echo/post"),
            ("PUT", "/echo/put"),
            ("PATCH", "/echo/patch"),
            ("DELETE", "/echo/delete"),
        ]
        .map(|(m, p)| (m.to_string(), p.to_string()))
    );
}

#[test]
fn url_is_a_template_and_query_lists_repeat_the_key() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/q.yaml",
        &server,
        r#"
vars:
  id: 7
  sizes: [s, m]
requests:
  - url: "{URL}/echo/users/{{ id }}"
    query:
      active: true
      page: 2
      name: "a b&c"
      tag: [x, y]
      size: "{{ sizes }}"
      country: NO
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/q.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hits = server.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].path, "/echo/users/7");
    assert_eq!(
        hits[0].query,
        "active=true&page=2&name=a+b%26c&tag=x&tag=y&size=s&size=m&country=NO"
    );
}

#[test]
fn request_headers_win_over_sesame_yaml_default_headers() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "sesame.yaml",
        "defaults:\n  headers:\n    User-Agent: sesame-tests\n    X-Default: d\n",
    );
    p.request_file(
        "requests/h.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/echo/own"
    headers: { user-agent: mine, X-Extra: "{{ 1 + 1 }}" }
  - url: "{URL}/echo/defaults"
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/h.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let own = &server.hits_to("/echo/own")[0];
    assert_eq!(own.header("user-agent"), Some("mine"));
    assert_eq!(own.header("x-default"), Some("d"));
    assert_eq!(own.header("x-extra"), Some("2"));
    assert_eq!(
        own.headers
            .iter()
            .filter(|(k, _)| k == "user-agent")
            .count(),
        1
    );
    let defaults = &server.hits_to("/echo/defaults")[0];
    assert_eq!(defaults.header("user-agent"), Some("sesame-tests"));
}

#[test]
fn basic_sends_an_authorization_header() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/b.yaml",
        &server,
        r#"
vars: { user: client }
requests:
  - method: POST
    url: "{URL}/oauth"
    basic: { username: "{{ user }}", password: secret }
    expect: { status: 200, json: { $.expires_in: 900 } }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/b.yaml
          ✓ request 1  POST 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        server.hits_to("/oauth")[0].header("authorization"),
        Some("Basic Y2xpZW50OnNlY3JldA==")
    );
}

#[test]
fn json_body_keeps_the_types_of_single_expressions() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/j.yaml",
        &server,
        r#"
vars:
  n: 5
  flag: false
requests:
  - method: POST
    url: "{URL}/echo/json"
    json:
      count: "{{ n }}"
      label: "n={{ n }}"
      flag: "{{ flag }}"
      list: [1, "{{ n + 1 }}"]
      nested: { ok: true, none: null }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/j.yaml
          ✓ request 1  POST 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hit = &server.hits_to("/echo/json")[0];
    assert_eq!(hit.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_str(&hit.body).unwrap();
    assert_eq!(
        body,
        json!({"count": 5, "label": "n=5", "flag": false, "list": [1, 6], "nested": {"ok": true, "none": null}})
    );
}

#[test]
fn form_body_is_urlencoded_and_raw_body_is_sent_as_written() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/f.yaml",
        &server,
        r#"
vars: { n: 5 }
requests:
  - method: POST
    url: "{URL}/echo/form"
    form: { grant_type: client_credentials, scope: "a b", n: "{{ n }}" }
  - method: POST
    url: "{URL}/echo/raw"
    headers: { Content-Type: text/plain }
    body: "hello {{ n }}\nbye"
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/f.yaml
          ✓ request 1  POST 200  0ms
          ✓ request 2  POST 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let form = &server.hits_to("/echo/form")[0];
    assert_eq!(
        form.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(form.body, "grant_type=client_credentials&scope=a+b&n=5");
    let raw = &server.hits_to("/echo/raw")[0];
    assert_eq!(raw.body, "hello 5\nbye");
    assert_eq!(raw.header("content-type"), Some("text/plain"));
}

#[test]
fn two_bodies_are_invalid_and_nothing_is_sent() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/two.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/echo/ok"
  - method: POST
    url: "{URL}/echo/two"
    json: { a: 1 }
    body: raw
"#,
    );
    p.test()
        .args(&["run"])
        .status(2)
        .stderr(
            r#"
            error: a request has at most one body
              --> requests/two.yaml:4:5
              |
            4 |   - method: POST
              |     ^
              = hint: keep one of `json:`, `form:`, `body:`, `multipart:`
            nothing was sent
        "#,
        )
        .run();
    server.expect_no_hits();
}

#[test]
fn timeout_fails_the_request_as_a_transport_error() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/t.yaml",
        &server,
        r#"
requests:
  - name: too slow
    url: "{URL}/slow/500"
    timeout: 100ms
  - url: "{URL}/echo/after"
"#,
    );
    let started = std::time::Instant::now();
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/t.yaml
              ✗ too slow  GET no response  0ms
              - request 2  skipped: `too slow` failed

            failures:

            ✗ requests/t.yaml › too slow
              GET {URL}/slow/500 → no response
              error: transport: GET {URL}/slow/500: timed out after 100ms
                --> requests/t.yaml:3:5
                |
              3 |   - name: too slow
                |     ^

            0 passed, 1 failed, 1 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    assert!(started.elapsed() < std::time::Duration::from_millis(2000));
    assert!(
        server.hits_to("/echo/after").is_empty(),
        "the file stops at the failure"
    );
}

#[test]
fn default_timeout_comes_from_sesame_yaml() {
    let server = TestServer::start();
    let p = Project::new();
    p.file("sesame.yaml", "defaults:\n  timeout: 100ms\n");
    p.request_file(
        "requests/t.yaml",
        &server,
        "requests:\n  - url: \"{URL}/slow/500\"\n",
    );
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/t.yaml
              ✗ request 1  GET no response  0ms

            failures:

            ✗ requests/t.yaml › request 1
              GET {URL}/slow/500 → no response
              error: transport: GET {URL}/slow/500: timed out after 100ms
                --> requests/t.yaml:2:5
                |
              2 |   - url: "{URL}/slow/500"
                |     ^

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
}

#[test]
fn retry_polls_until_the_expectation_holds() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/poll.yaml",
        &server,
        r#"
requests:
  - name: wait for job
    url: "{URL}/count/job"
    retry: { count: 5, delay: 10ms }
    expect: { json: { $.state: done } }
    capture: { n: $.count }
  - url: "{URL}/echo/{{ n }}"
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/poll.yaml
          ✓ wait for job  GET 200  0ms  (3 attempts)
          ✓ request 2  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/count/job").len(), 3);
    assert_eq!(server.hits_to("/echo/3").len(), 1);
}

#[test]
fn retry_gives_up_after_count_more_attempts() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/poll.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/count/job"
    retry: { count: 1, delay: 10ms }
    expect: { json: { $.state: done } }
"#,
    );
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/poll.yaml
              ✗ request 1  GET 200  0ms  (2 attempts)

            failures:

            ✗ requests/poll.yaml › request 1
              GET {URL}/count/job → 200 after 2 attempts
              error: json $.state: expected == "done", got "pending"
                --> requests/poll.yaml:5:32
                |
              5 |     expect: { json: { $.state: done } }
                |                                ^^^^
                = expected: == "done"
                = actual:   "pending"
              body:
                {"count":2,"state":"pending"}

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    assert_eq!(server.hits_to("/count/job").len(), 2);
}

#[test]
fn redirects_are_followed_unless_disabled() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/r.yaml",
        &server,
        r#"
requests:
  - name: followed
    url: "{URL}/redirect?to=/echo/landed"
    expect: { status: 200, json: { $.path: /echo/landed } }
  - name: kept
    url: "{URL}/redirect?to=/echo/never"
    follow_redirects: false
    expect:
      status: 302
      headers: { location: /echo/never }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/r.yaml
          ✓ followed  GET 200  0ms
          ✓ kept  GET 302  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/landed").len(), 1);
    assert!(server.hits_to("/echo/never").is_empty());
    assert_eq!(server.hits_to("/redirect").len(), 2);
}

#[test]
fn when_false_skips_the_request_and_the_file_goes_on() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/w.yaml",
        &server,
        r#"
vars: { go: false }
requests:
  - { url: "{URL}/echo/fixed-false", when: false }
  - { url: "{URL}/echo/fixed-true", when: true }
  - { url: "{URL}/echo/template", when: "{{ go }}" }
  - { url: "{URL}/echo/expression", when: "{{ not go and 1 < 2 }}" }
  - url: "{URL}/echo/last"
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/w.yaml
          - request 1  skipped: `when` is false
          ✓ request 2  GET 200  0ms
          - request 3  skipped: `when` is false
          ✓ request 4  GET 200  0ms
          ✓ request 5  GET 200  0ms

        3 passed, 0 failed, 2 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let paths: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(
        paths,
        ["/echo/fixed-true", "/echo/expression", "/echo/last"]
    );

    let server2 = TestServer::start();
    let p2 = Project::new();
    p2.request_file(
        "requests/w.yaml",
        &server2,
        "vars: { go: false }\nrequests:\n  - { url: \"{URL}/echo/template\", when: \"{{ go }}\" }\n",
    );
    p2.test()
        .args(&["run", "--var", "go=true"])
        .stdout(
            r#"
        requests/w.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server2.hits_to("/echo/template").len(), 1);
}

#[test]
fn confirm_without_a_terminal_fails_the_request_unless_yes() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/c.yaml",
        &server,
        r#"
requests:
  - name: delete everything
    method: DELETE
    url: "{URL}/echo/all"
    confirm: "Really delete all users of {{ 'org' }}?"
  - url: "{URL}/echo/after"
"#,
    );
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/c.yaml
          ✗ delete everything  DELETE no response  0ms
          - request 2  skipped: `delete everything` failed

        failures:

        ✗ requests/c.yaml › delete everything
          DELETE {URL}/echo/all → no response
          error: confirm: this request asks "Really delete all users of org?" and there is no terminal to answer it: pass --yes to confirm
            --> requests/c.yaml:3:5
            |
          3 |   - name: delete everything
            |     ^

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#).run();
    assert!(server.hits().is_empty(), "nothing sent yet");

    p.test()
        .args(&["run", "--yes"])
        .stdout(
            r#"
        requests/c.yaml
          ✓ delete everything  DELETE 200  0ms
          ✓ request 2  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/all").len(), 1);
    assert_eq!(server.hits_to("/echo/after").len(), 1);
}

#[test]
fn inputs_come_from_var_or_default() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/i.yaml",
        &server,
        r#"
inputs:
  org: { description: Organisation id }
  region: { default: eu }
requests:
  - url: "{URL}/echo/{{ org }}"
    query: { region: "{{ region }}" }
"#,
    );
    p.test()
        .args(&["run", "--var", "org=42"])
        .stdout(
            r#"
        requests/i.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hit = &server.hits_to("/echo/42")[0];
    assert_eq!(hit.query, "region=eu");
    p.test()
        .args(&["run", "--var", "org=1", "--var", "region=us"])
        .stdout(
            r#"
            requests/i.yaml
              ✓ request 1  GET 200  0ms

            1 passed, 0 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/1")[0].query, "region=us");
}

#[test]
fn missing_inputs_are_listed_together_and_nothing_is_sent() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        r#"
inputs:
  org: { description: Organisation id }
  region: { default: eu }
  user: {}
requests:
  - url: "{URL}/echo/{{ org }}/{{ user }}/{{ region }}"
"#,
    );
    p.request_file(
        "requests/b.yaml",
        &server,
        "inputs:\n  ticket: {}\nrequests:\n  - url: \"{URL}/echo/{{ ticket }}\"\n",
    );
    p.request_file(
        "requests/c.yaml",
        &server,
        "requests:\n  - url: \"{URL}/echo/c\"\n",
    );
    let run = p
        .test()
        .args(&["run"])
        .status(2)
        .stderr(
            r#"
            error: missing input `org` (Organisation id)
              --> requests/a.yaml
              = hint: pass --var org=VALUE, or run in a terminal to be asked
            error: missing input `user`
              --> requests/a.yaml
              = hint: pass --var user=VALUE, or run in a terminal to be asked
            error: missing input `ticket`
              --> requests/b.yaml
              = hint: pass --var ticket=VALUE, or run in a terminal to be asked
            3 problems found; nothing was sent
        "#,
        )
        .run();
    assert!(
        !run.stderr.contains("`region`"),
        "an input with a default is not missing"
    );
    server.expect_no_hits();
}

#[test]
fn tag_selects_files() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        "tags: [smoke]\nrequests:\n  - url: \"{URL}/echo/a\"\n",
    );
    p.request_file(
        "requests/b.yaml",
        &server,
        "tags: [slow]\nrequests:\n  - url: \"{URL}/echo/b\"\n",
    );
    p.request_file(
        "requests/c.yaml",
        &server,
        "requests:\n  - url: \"{URL}/echo/c\"\n",
    );
    p.request_file(
        "requests/d.yaml",
        &server,
        "tags: [x, smoke]\nrequests:\n  - url: \"{URL}/echo/d\"\n",
    );
    p.test()
        .args(&["run", "--tag", "smoke", "--jobs", "1"])
        .stdout(
            r#"
            requests/a.yaml
              ✓ request 1  GET 200  0ms
            requests/d.yaml
              ✓ request 1  GET 200  0ms

            2 passed, 0 failed, 0 skipped (2 files) in 0.00s
        "#,
        )
        .run();
    let paths: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(paths, ["/echo/a", "/echo/d"]);
}

fn filter_project(server: &TestServer) -> Project {
    let p = Project::new();
    p.request_file(
        "requests/users.yaml",
        server,
        r#"
requests:
  - { name: list users, url: "{URL}/echo/list" }
  - { name: create user, url: "{URL}/echo/create" }
"#,
    );
    p.request_file(
        "requests/devices.yaml",
        server,
        r#"
name: device inventory
requests:
  - { name: list devices, url: "{URL}/echo/devices" }
  - { name: count, url: "{URL}/echo/count" }
"#,
    );
    p
}

#[test]
fn filter_selects_requests_by_name() {
    let server = TestServer::start();
    filter_project(&server)
        .test()
        .args(&["run", "--filter", "create"])
        .stdout(
            r#"
            requests/users.yaml
              ✓ create user  GET 200  0ms

            1 passed, 0 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    let paths: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(paths, ["/echo/create"]);
}

#[test]
fn filter_matching_a_file_name_runs_the_whole_file() {
    let server = TestServer::start();
    filter_project(&server)
        .test()
        .args(&["run", "--filter", "inventory"])
        .stdout(
            r#"
            requests/devices.yaml (device inventory)
              ✓ list devices  GET 200  0ms
              ✓ count  GET 200  0ms

            2 passed, 0 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    let paths: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(paths, ["/echo/devices", "/echo/count"]);
}

#[test]
fn var_overrides_file_vars_and_keeps_its_type() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/v.yaml",
        &server,
        r#"
vars:
  who: file
  n: 1
  greeting: "hi {{ who }}"
requests:
  - method: POST
    url: "{URL}/echo/{{ who }}"
    json: { n: "{{ n }}", greeting: "{{ greeting }}" }
"#,
    );
    p.test()
        .args(&["run", "--var", "who=cli", "--var", "n=5"])
        .stdout(
            r#"
            requests/v.yaml
              ✓ request 1  POST 200  0ms

            1 passed, 0 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
    let hit = &server.hits_to("/echo/cli")[0];
    let body: Value = serde_json::from_str(&hit.body).unwrap();
    assert_eq!(body, json!({"n": 5, "greeting": "hi cli"}));
}

#[test]
fn env_picks_an_environment_of_sesame_yaml() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "sesame.yaml",
        &crate::support::with_url(
            &server,
            r#"
environments:
  sandbox:
    base_url: "{URL}"
    who: sandbox
  prod:
    base_url: https://prod.invalid
    who: prod
"#,
        ),
    );
    p.file(
        "requests/e.yaml",
        "requests:\n  - url: \"{{ base_url }}/echo/{{ who }}\"\n",
    );
    p.test()
        .args(&["run", "--env", "sandbox"])
        .stdout(
            r#"
        requests/e.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/sandbox").len(), 1);

    p.test()
        .args(&["run", "--env", "sandbx"])
        .status(2)
        .stderr(
            r#"
            error: unknown environment `sandbx`
              --> sesame.yaml
              = hint: did you mean `sandbox`?
            nothing was sent
        "#,
        )
        .run();

    p.test().args(&["run"]).status(2).stderr(r#"
        error: undefined variable `base_url`
          --> requests/e.yaml:2:10
          |
        2 |   - url: "{{ base_url }}/echo/{{ who }}"
          |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: `base_url` is defined in the environments sandbox, prod of sesame.yaml: pass --env sandbox
        nothing was sent
    "#).run();
    assert_eq!(server.hits().len(), 1);
}

#[test]
fn dotenv_is_loaded_but_never_overrides_the_real_environment() {
    let server = TestServer::start();
    let mut p = Project::new();
    p.file(".env", "SESAME_T_FROM_DOTENV=dot\nSESAME_T_SHARED=dot\n");
    p.env("SESAME_T_SHARED", "real");
    p.request_file(
        "requests/d.yaml",
        &server,
        "requests:\n  - url: \"{URL}/echo/{{ env.SESAME_T_FROM_DOTENV }}/{{ env.SESAME_T_SHARED }}\"\n",
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/d.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/dot/real").len(), 1);
}
