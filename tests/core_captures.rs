//! Captures: JSONPath, header, cookie, regex, status; in scope for later
//! requests of the same file only.

use serde_json::{Value, json};

use crate::support::{Project, TestServer};
use crate::test::Test;

#[test]
fn every_capture_kind_feeds_later_requests() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/c.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/json"
    capture:
      uid: $.data.users[0].userUid
      total: $.data.totalCount
      uids: $.data.users[*].userUid
      nested: { json: "$.data.users[1].roles" }
      etag: { header: ETag }
      etag_digit: { regex: 'v(\d)', from: "header:etag" }
      sid: { cookie: session }
      code: { status: true }
  - url: "{URL}/text"
    capture:
      build: { regex: 'build-(\d+)', from: body }
      whole: { regex: 'build-\d+' }
  - method: POST
    url: "{URL}/echo/{{ uid }}"
    headers: { If-None-Match: "{{ etag }}" }
    json:
      total: "{{ total }}"
      uids: "{{ uids }}"
      nested: "{{ nested }}"
      etag_digit: "{{ etag_digit }}"
      sid: "{{ sid }}"
      code: "{{ code }}"
      build: "{{ build }}"
      whole: "{{ whole }}"
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/c.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms
          ✓ request 3  POST 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    let hit = &server.hits_to("/echo/u-1")[0];
    assert_eq!(hit.header("if-none-match"), Some("\"v1\""));
    let body: Value = serde_json::from_str(&hit.body).unwrap();
    assert_eq!(
        body,
        json!({
            "total": 2,
            "uids": ["u-1", "u-2"],
            "nested": [],
            "etag_digit": "1",
            "sid": "s3cr3t-cookie",
            "code": 200,
            "build": "42",
            "whole": "build-42",
        })
    );
}

#[test]
fn a_later_capture_replaces_an_earlier_value() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/c.yaml",
        &server,
        r#"
vars: { id: from-vars }
requests:
  - url: "{URL}/echo/{{ id }}"
  - url: "{URL}/json"
    capture: { id: $.build }
  - url: "{URL}/echo/{{ id }}"
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/c.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms
          ✓ request 3  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/from-vars").len(), 1);
    assert_eq!(server.hits_to("/echo/build-4711").len(), 1);
}

#[test]
fn captures_are_not_in_scope_in_other_files() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        "requests:\n  - url: \"{URL}/json\"\n    capture:\n      uid: $.data.users[0].userUid\n",
    );
    p.request_file(
        "requests/b.yaml",
        &server,
        "requests:\n  - url: \"{URL}/echo/{{ uid }}\"\n",
    );
    p.test().args(&["run", "--jobs", "1"]).status(2).stderr(r#"
        error: undefined variable `uid`
          --> requests/b.yaml:2:10
          |
        2 |   - url: "{URL}/echo/{{ uid }}"
          |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request
        nothing was sent
    "#).run();
    server.expect_no_hits();
}

#[test]
fn a_capture_is_not_in_scope_before_the_request_that_takes_it() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/echo/{{ uid }}"
  - url: "{URL}/json"
    capture:
      uid: $.data.users[0].userUid
"#,
    );
    p.test().args(&["run"]).status(2).stderr(r#"
        error: undefined variable `uid`
          --> requests/a.yaml:3:10
          |
        3 |   - url: "{URL}/echo/{{ uid }}"
          |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = hint: define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request
        nothing was sent
    "#).run();
    server.expect_no_hits();
}

/// A file whose first request captures `x` with `capture`, on `/json`.
fn capture_finding_nothing(server: &TestServer, capture: &str) -> Test {
    Test::new()
        .server(server)
        .file(
            "requests/a.yaml",
            &format!(
                "requests:\n  - url: \"{{URL}}/json\"\n    capture:\n      x: {capture}\n  - url: \"{{URL}}/echo/after\"\n"
            ),
        )
        .arg("run")
        .status(1)
}

#[test]
fn a_jsonpath_capture_that_finds_nothing_fails_the_request_and_stops_the_file() {
    let server = TestServer::start();
    capture_finding_nothing(&server, "$.data.nobody").stdout(r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms
          - request 2  skipped: `request 1` failed

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/json → 200
          error: capture x: capture `x`: $.data.nobody selected nothing
            --> requests/a.yaml:4:10
            |
          4 |       x: $.data.nobody
            |          ^^^^^^^^^^^^^
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#).run();
    server.expect_hits(1);
}

#[test]
fn a_header_capture_that_finds_nothing_fails_the_request_and_stops_the_file() {
    let server = TestServer::start();
    capture_finding_nothing(&server, "{ header: X-Nope }").stdout(r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms
          - request 2  skipped: `request 1` failed

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/json → 200
          error: capture x: capture `x`: no header `X-Nope` in the response
            --> requests/a.yaml:4:10
            |
          4 |       x: { header: X-Nope }
            |          ^
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#).run();
    server.expect_hits(1);
}

#[test]
fn a_cookie_capture_that_finds_nothing_fails_the_request_and_stops_the_file() {
    let server = TestServer::start();
    capture_finding_nothing(&server, "{ cookie: nope }").stdout(r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms
          - request 2  skipped: `request 1` failed

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/json → 200
          error: capture x: capture `x`: no cookie `nope` was set
            --> requests/a.yaml:4:10
            |
          4 |       x: { cookie: nope }
            |          ^
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#).run();
    server.expect_hits(1);
}

#[test]
fn a_regex_capture_that_finds_nothing_fails_the_request_and_stops_the_file() {
    let server = TestServer::start();
    capture_finding_nothing(&server, "{ regex: 'zzz(\\d)' }").stdout(r#"
        requests/a.yaml
          ✗ request 1  GET 200  0ms
          - request 2  skipped: `request 1` failed

        failures:

        ✗ requests/a.yaml › request 1
          GET {URL}/json → 200
          error: capture x: capture `x`: /zzz(\d)/ did not match
            --> requests/a.yaml:4:10
            |
          4 |       x: { regex: 'zzz(\d)' }
            |          ^
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 1 skipped (1 file) in 0.00s
    "#).run();
    server.expect_hits(1);
}
