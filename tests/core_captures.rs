//! Captures: JSONPath, header, cookie, regex, status; in scope for later
//! requests of the same file only.

use serde_json::{Value, json};

use crate::support::{Project, TestServer};

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
    p.run(&["run"]).assert_code(0);
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
    p.run(&["run"]).assert_code(0);
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
    p.run(&["run", "--jobs", "1"])
        .assert_code(2)
        .assert_stderr_has("undefined variable `uid`")
        .assert_stderr_has("requests/b.yaml:2:10");
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
    p.run(&["run"])
        .assert_code(2)
        .assert_stderr_has("undefined variable `uid`")
        .assert_stderr_has("requests/a.yaml:3:10");
    server.expect_no_hits();
}

#[test]
fn a_capture_that_finds_nothing_fails_the_request_and_stops_the_file() {
    let server = TestServer::start();
    for (capture, message) in [
        ("$.data.nobody", "$.data.nobody selected nothing"),
        ("{ header: X-Nope }", "no header `X-Nope`"),
        ("{ cookie: nope }", "no cookie `nope`"),
        ("{ regex: 'zzz(\\d)' }", "did not match"),
    ] {
        let p = Project::new();
        p.request_file(
            "requests/a.yaml",
            &server,
            &format!(
                "requests:\n  - url: \"{{URL}}/json\"\n    capture:\n      x: {capture}\n  - url: \"{{URL}}/echo/after\"\n"
            ),
        );
        p.run(&["run"])
            .assert_code(1)
            .assert_has(message)
            .assert_has("requests/a.yaml:4:10");
    }
    assert!(server.hits_to("/echo/after").is_empty());
}
