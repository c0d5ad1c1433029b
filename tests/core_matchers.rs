//! Expectations: status forms, header matchers, every JSONPath operator,
//! several-node selections, templates in expected values, body and
//! duration; and what a failure reports.

use crate::support::{Project, TestServer};

#[test]
fn status_forms_pass() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/s.yaml",
        &server,
        r#"
requests:
  - { url: "{URL}/status/200", expect: { status: 200 } }
  - { url: "{URL}/status/201", expect: { status: [200, 201] } }
  - { url: "{URL}/status/204", expect: { status: "2xx" } }
  - { url: "{URL}/status/404", expect: { status: "4XX" } }
  - { url: "{URL}/status/503", expect: { status: "503" } }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/s.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 201  0ms
          ✓ request 3  GET 204  0ms
          ✓ request 4  GET 404  0ms
          ✓ request 5  GET 503  0ms

        5 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits().len(), 5);
}

#[test]
fn header_matchers() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/h.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/json"
    expect:
      headers:
        content-type: { contains: json }
        Content-Type: application/json
        etag: '"v1"'
        set-cookie: { matches: '^session=' }
        x-missing: { exists: false }
        content-length: { exists: true }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/h.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
}

#[test]
fn a_missing_header_fails() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/h.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/json"
    expect:
      headers:
        x-request-id: { exists: true }
"#,
    );
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/h.yaml
          ✗ request 1  GET 200  0ms

        failures:

        ✗ requests/h.yaml › request 1
          GET {URL}/json → 200
          error: headers x-request-id: expected exists, got nothing
            --> requests/h.yaml:6:23
            |
          6 |         x-request-id: { exists: true }
            |                       ^
            = expected: exists
            = actual:   (nothing)
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
}

#[test]
fn every_jsonpath_operator_passes_when_it_holds() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/ops.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/json"
    expect:
      json:
        $.data.totalCount: 2
        $.ratio: 0.5
        $.nothing: null
        $.data.users[0].active: true
        $.data.users[0].username: alice@example.com
        $.data.users[0].roles: [admin, user]
  - url: "{URL}/json"
    expect:
      json:
        $.build: { eq: build-4711 }
        $.data.users[1].username: { ne: alice@example.com }
        $.data.totalCount: { gt: 1, gte: 2, lt: 3, lte: 2 }
        $.data.users[0].userUid: { contains: "u-" }
        $.data.users[0].roles: { contains: admin }
        $.data: { contains: users }
        $.data.users[-1].username: { matches: '^bob@[a-z]+\.com$' }
        $.data.users[1].userUid: { exists: true }
        $.data.users[2]: { exists: false }
        $.data.nope: { exists: false }
  - url: "{URL}/json"
    expect:
      json:
        $.data.users[0].username: { type: string }
        $.ratio: { type: number }
        $.data.totalCount: { type: integer }
        $.data.users[1].active: { type: boolean }
        $.data.users: { type: array, length: 2 }
        $.data: { type: object }
        $.nothing: { type: "null" }
        $.build: { length: 10 }
        $.data.users[1].roles: { length: 0 }
        $.data.users[0].roles: { length: { gte: 1, lt: 5 } }
        $.data.users[0].userUid: { one_of: [u-0, u-1] }
        $.data['totalCount']: { one_of: [1, 2, 3] }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/ops.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms
          ✓ request 3  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
}

#[test]
fn a_selection_of_several_nodes_compares_as_a_list() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/many.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/json"
    expect:
      json:
        $.data.users[*].userUid: [u-1, u-2]
        $.data.users[*].active: { contains: false, length: 2 }
        $..username: { eq: [alice@example.com, bob@example.com] }
        $.data.users[?@.active == true].username: [alice@example.com]
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/many.yaml
          ✓ request 1  GET 200  0ms

        1 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
}

/// Each expectation fails on `GET /json`; one file per case, all in one run.
const FAILING: &[(&str, &str)] = &[
    ("$.data.totalCount", "3"),
    ("$.data.totalCount", "\"2\""),
    ("$.data.totalCount", "{ ne: 2 }"),
    ("$.data.totalCount", "{ gt: 2 }"),
    ("$.data.totalCount", "{ gte: 3 }"),
    ("$.data.totalCount", "{ lt: 2 }"),
    ("$.data.totalCount", "{ lte: 1 }"),
    ("$.data.users[0].username", "{ contains: carol }"),
    ("$.data.users[0].roles", "{ contains: root }"),
    ("$.data.users[0].username", "{ matches: '^bob' }"),
    ("$.data.users[0].userUid", "{ exists: false }"),
    ("$.data.nope", "{ exists: true }"),
    ("$.data.nope", "1"),
    ("$.data.totalCount", "{ type: string }"),
    ("$.ratio", "{ type: integer }"),
    ("$.nothing", "{ type: object }"),
    ("$.data.users", "{ length: 3 }"),
    ("$.data.users[0].userUid", "{ one_of: [u-2, u-3] }"),
    ("$.data.users[*].userUid", "[u-1]"),
    ("$.data.users[*].userUid", "u-1"),
    ("$.data.totalCount", "{ gt: 1, lt: 2 }"),
];

/// One failure per case of [`FAILING`], in file order.
const EVERY_OPERATOR_FAILS: &str = r#"
    requests/f00.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f01.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f02.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f03.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f04.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f05.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f06.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f07.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f08.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f09.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f10.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f11.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f12.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f13.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f14.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f15.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f16.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f17.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f18.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f19.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed
    requests/f20.yaml
      ✗ request 1  GET 200  0ms
      - request 2  skipped: `request 1` failed

    failures:

    ✗ requests/f00.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected == 3, got 2
        --> requests/f00.yaml:5:28
        |
      5 |         $.data.totalCount: 3
        |                            ^
        = expected: == 3
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f01.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected "2" (string), got 2 (number)
        --> requests/f01.yaml:5:28
        |
      5 |         $.data.totalCount: "2"
        |                            ^^^
        = expected: == "2"
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f02.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected != 2, got 2
        --> requests/f02.yaml:5:28
        |
      5 |         $.data.totalCount: { ne: 2 }
        |                            ^
        = expected: != 2
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f03.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected > 2, got 2
        --> requests/f03.yaml:5:28
        |
      5 |         $.data.totalCount: { gt: 2 }
        |                            ^
        = expected: > 2
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f04.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected >= 3, got 2
        --> requests/f04.yaml:5:28
        |
      5 |         $.data.totalCount: { gte: 3 }
        |                            ^
        = expected: >= 3
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f05.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected < 2, got 2
        --> requests/f05.yaml:5:28
        |
      5 |         $.data.totalCount: { lt: 2 }
        |                            ^
        = expected: < 2
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f06.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected <= 1, got 2
        --> requests/f06.yaml:5:28
        |
      5 |         $.data.totalCount: { lte: 1 }
        |                            ^
        = expected: <= 1
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f07.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[0].username: expected contains "carol", got "alice@example.com"
        --> requests/f07.yaml:5:35
        |
      5 |         $.data.users[0].username: { contains: carol }
        |                                   ^
        = expected: contains "carol"
        = actual:   "alice@example.com"
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f08.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[0].roles: expected contains "root", got ["admin","user"]
        --> requests/f08.yaml:5:32
        |
      5 |         $.data.users[0].roles: { contains: root }
        |                                ^
        = expected: contains "root"
        = actual:   ["admin","user"]
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f09.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[0].username: expected matches /^bob/, got "alice@example.com"
        --> requests/f09.yaml:5:35
        |
      5 |         $.data.users[0].username: { matches: '^bob' }
        |                                   ^
        = expected: matches /^bob/
        = actual:   "alice@example.com"
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f10.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[0].userUid: expected no value, got "u-1"
        --> requests/f10.yaml:5:34
        |
      5 |         $.data.users[0].userUid: { exists: false }
        |                                  ^
        = expected: does not exist
        = actual:   "u-1"
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f11.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.nope: expected exists, got nothing
        --> requests/f11.yaml:5:22
        |
      5 |         $.data.nope: { exists: true }
        |                      ^
        = expected: exists
        = actual:   (nothing)
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f12.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.nope: expected == 1, got nothing
        --> requests/f12.yaml:5:22
        |
      5 |         $.data.nope: 1
        |                      ^
        = expected: == 1
        = actual:   (nothing)
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f13.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected type string, got 2 (number)
        --> requests/f13.yaml:5:28
        |
      5 |         $.data.totalCount: { type: string }
        |                            ^
        = expected: type string
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f14.yaml › request 1
      GET {URL}/json → 200
      error: json $.ratio: expected type integer, got 0.5 (number)
        --> requests/f14.yaml:5:18
        |
      5 |         $.ratio: { type: integer }
        |                  ^
        = expected: type integer
        = actual:   0.5
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f15.yaml › request 1
      GET {URL}/json → 200
      error: json $.nothing: expected type object, got null (null)
        --> requests/f15.yaml:5:20
        |
      5 |         $.nothing: { type: object }
        |                    ^
        = expected: type object
        = actual:   null
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f16.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users: expected length == 3, got length 2
        --> requests/f16.yaml:5:23
        |
      5 |         $.data.users: { length: 3 }
        |                       ^
        = expected: length == 3
        = actual:   [{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f17.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[0].userUid: expected one of ["u-2", "u-3"], got "u-1"
        --> requests/f17.yaml:5:34
        |
      5 |         $.data.users[0].userUid: { one_of: [u-2, u-3] }
        |                                  ^
        = expected: one of ["u-2", "u-3"]
        = actual:   "u-1"
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f18.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[*].userUid: expected == ["u-1"], got ["u-1","u-2"]
        --> requests/f18.yaml:5:34
        |
      5 |         $.data.users[*].userUid: [u-1]
        |                                  ^
        = expected: == ["u-1"]
        = actual:   ["u-1","u-2"]
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f19.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.users[*].userUid: expected == "u-1", got ["u-1","u-2"]
        --> requests/f19.yaml:5:34
        |
      5 |         $.data.users[*].userUid: u-1
        |                                  ^^^
        = expected: == "u-1"
        = actual:   ["u-1","u-2"]
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    ✗ requests/f20.yaml › request 1
      GET {URL}/json → 200
      error: json $.data.totalCount: expected < 2, got 2
        --> requests/f20.yaml:5:28
        |
      5 |         $.data.totalCount: { gt: 1, lt: 2 }
        |                            ^
        = expected: < 2
        = actual:   2
      body:
        {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

    0 passed, 21 failed, 21 skipped (21 files) in 0.00s
"#;

#[test]
fn every_operator_fails_when_it_does_not_hold() {
    let server = TestServer::start();
    let p = Project::new();
    for (i, (path, matcher)) in FAILING.iter().enumerate() {
        p.request_file(
            &format!("requests/f{i:02}.yaml"),
            &server,
            &format!("requests:\n  - url: \"{{URL}}/json\"\n    expect:\n      json:\n        {path}: {matcher}\n  - url: \"{{URL}}/echo/never\"\n"),
        );
    }
    // One job: with several, files are reported in the order they finish.
    p.test()
        .args(&["run", "--jobs", "1"])
        .status(1)
        .stdout(EVERY_OPERATOR_FAILS)
        .run();
    assert_eq!(server.hits_to("/json").len(), FAILING.len());
    assert!(server.hits_to("/echo/never").is_empty());
}

#[test]
fn expected_values_are_templates() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/t.yaml",
        &server,
        r#"
vars:
  total: 2
  name: alice
requests:
  - url: "{URL}/json"
    capture:
      uid: $.data.users[0].userUid
      count: $.data.totalCount
  - url: "{URL}/json"
    expect:
      json:
        $.data.users[0].userUid: "{{ uid }}"
        $.data.totalCount: "{{ total }}"
        $.data['totalCount']: { eq: "{{ count }}", lt: "{{ count + 1 }}" }
        $.data.users[0].username: { contains: "{{ name }}@" }
        $.data.users[*].userUid: ["{{ uid }}", u-2]
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/t.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();

    p.request_file(
        "requests/t.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/json"
    capture:
      uid: $.data.users[1].userUid
  - url: "{URL}/json"
    expect:
      json:
        $.data.users[0].userUid: "{{ uid }}"
"#,
    );
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/t.yaml
          ✓ request 1  GET 200  0ms
          ✗ request 2  GET 200  0ms

        failures:

        ✗ requests/t.yaml › request 2
          GET {URL}/json → 200
          error: json $.data.users[0].userUid: expected == "u-2", got "u-1"
            --> requests/t.yaml:9:34
            |
          9 |         $.data.users[0].userUid: "{{ uid }}"
            |                                  ^^^^^^^^^^^
            = expected: == "u-2"
            = actual:   "u-1"
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        1 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
}

#[test]
fn body_matchers() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/b.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/text"
    expect:
      body: hello build-42 world
  - url: "{URL}/text"
    expect:
      body: { contains: build-42, matches: 'build-\d+', length: 20 }
  - url: "{URL}/json"
    expect:
      body: { contains: '"username":"alice@example.com"' }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/b.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms
          ✓ request 3  GET 200  0ms

        3 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();

    p.request_file(
        "requests/b.yaml",
        &server,
        "requests:\n  - url: \"{URL}/text\"\n    expect:\n      body: { contains: goodbye }\n",
    );
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/b.yaml
              ✗ request 1  GET 200  0ms

            failures:

            ✗ requests/b.yaml › request 1
              GET {URL}/text → 200
              error: body: expected contains "goodbye", got "hello build-42 world"
                --> requests/b.yaml:4:13
                |
              4 |       body: { contains: goodbye }
                |             ^
                = expected: contains "goodbye"
                = actual:   "hello build-42 world"
              body:
                hello build-42 world

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
}

#[test]
fn a_json_expectation_on_a_text_body_fails_clearly() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/b.yaml",
        &server,
        "requests:\n  - url: \"{URL}/text\"\n    expect:\n      json:\n        $.a: 1\n",
    );
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/b.yaml
              ✗ request 1  GET 200  0ms

            failures:

            ✗ requests/b.yaml › request 1
              GET {URL}/text → 200
              error: json: the response body is not JSON
                --> requests/b.yaml:5:14
                |
              5 |         $.a: 1
                |              ^
                = expected: a JSON body
                = actual:   hello build-42 world
              body:
                hello build-42 world

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
}

#[test]
fn duration_matchers_in_milliseconds_or_units() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/d.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/slow/200"
    expect:
      duration: { gte: 150, lt: 5000 }
  - url: "{URL}/json"
    expect:
      duration: { lt: 5s }
"#,
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/d.yaml
          ✓ request 1  GET 200  0ms
          ✓ request 2  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();

    p.request_file(
        "requests/d.yaml",
        &server,
        "requests:\n  - url: \"{URL}/slow/200\"\n    expect:\n      duration: { lt: 50 }\n",
    );
    p.test()
        .args(&["run"])
        .status(1)
        // The measured time is not frozen by SESAME_TEST_MODE.
        .normalise(r"(got |actual:   )\d+ms", "${1}<ms>")
        .stdout(
            r#"
            requests/d.yaml
              ✗ request 1  GET 200  0ms

            failures:

            ✗ requests/d.yaml › request 1
              GET {URL}/slow/200 → 200
              error: duration: expected < 50ms, got <ms>
                --> requests/d.yaml:4:17
                |
              4 |       duration: { lt: 50 }
                |                 ^
                = expected: < 50ms
                = actual:   <ms>
              body:
                slow

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
}

#[test]
fn a_failure_reports_file_location_request_key_expected_and_actual() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/report.yaml",
        &server,
        r#"
requests:
  - name: count users
    url: "{URL}/json"
    expect:
      status: 200
      json:
        $.data.totalCount: 41
        $.data.users[0].username: { contains: carol }
"#,
    );
    p.test().args(&["run"]).status(1).stdout(r#"
        requests/report.yaml
          ✗ count users  GET 200  0ms

        failures:

        ✗ requests/report.yaml › count users
          GET {URL}/json → 200
          error: json $.data.totalCount: expected == 41, got 2
            --> requests/report.yaml:8:28
            |
          8 |         $.data.totalCount: 41
            |                            ^^
            = expected: == 41
            = actual:   2
          error: json $.data.users[0].username: expected contains "carol", got "alice@example.com"
            --> requests/report.yaml:9:35
            |
          9 |         $.data.users[0].username: { contains: carol }
            |                                   ^
            = expected: contains "carol"
            = actual:   "alice@example.com"
          body:
            {"data":{"totalCount":2,"users":[{"userUid":"u-1","username":"alice@example.com","active":true,"roles":["admin","user"]},{"userUid":"u-2","username":"bob@example.com","active":false,"roles":[]}]},"build":"build-4711","ratio":0.5,"nothing":null}

        0 passed, 1 failed, 0 skipped (1 file) in 0.00s
    "#).run();
}

#[test]
fn a_failure_shows_an_excerpt_of_the_body() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/report.yaml",
        &server,
        "requests:\n  - url: \"{URL}/text\"\n    expect: { status: 201 }\n",
    );
    p.test()
        .args(&["run"])
        .status(1)
        .stdout(
            r#"
            requests/report.yaml
              ✗ request 1  GET 200  0ms

            failures:

            ✗ requests/report.yaml › request 1
              GET {URL}/text → 200
              error: status: expected status 201, got 200
                --> requests/report.yaml:3:23
                |
              3 |     expect: { status: 201 }
                |                       ^^^
                = expected: 201
                = actual:   200
              body:
                hello build-42 world

            0 passed, 1 failed, 0 skipped (1 file) in 0.00s
        "#,
        )
        .run();
}
