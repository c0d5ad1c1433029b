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
    p.run(&["run"]).assert_code(0);
    assert_eq!(server.hits().len(), 5);
}

#[test]
fn status_forms_fail() {
    let server = TestServer::start();
    for (route, expect, message) in [
        ("/status/404", "200", "expected status 200, got 404"),
        (
            "/status/500",
            "[200, 201]",
            "expected status one of 200, 201, got 500",
        ),
        ("/status/302", "\"2xx\"", "expected status 2xx, got 302"),
    ] {
        let p = Project::new();
        p.request_file(
            "requests/s.yaml",
            &server,
            &format!(
                "requests:\n  - url: \"{{URL}}{route}\"\n    expect: {{ status: {expect} }}\n"
            ),
        );
        p.run(&["run"])
            .assert_code(1)
            .assert_has(message)
            .assert_has("requests/s.yaml:3:23");
    }
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
    p.run(&["run"]).assert_code(0);
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
    p.run(&["run"])
        .assert_code(1)
        .assert_has("headers x-request-id");
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
    p.run(&["run"]).assert_code(0);
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
        $.data.users[?@.active == true].username: alice@example.com
"#,
    );
    p.run(&["run"]).assert_code(0);
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
    let run = p.run(&["run"]);
    run.assert_code(1);
    for (i, (path, matcher)) in FAILING.iter().enumerate() {
        let column = 11 + path.len();
        let loc = format!("requests/f{i:02}.yaml:5:{column}");
        assert!(
            run.stdout.contains(&format!("--> {loc}\n"))
                && run.stdout.contains(&format!("json {path}: ")),
            "case {i} `{path}: {matcher}` did not report a failure at {loc}\n{}",
            run.stdout
        );
    }
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
    p.run(&["run"]).assert_code(0);

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
    p.run(&["run"])
        .assert_code(1)
        .assert_has("u-2")
        .assert_has("u-1");
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
    p.run(&["run"]).assert_code(0);

    p.request_file(
        "requests/b.yaml",
        &server,
        "requests:\n  - url: \"{URL}/text\"\n    expect:\n      body: { contains: goodbye }\n",
    );
    p.run(&["run"])
        .assert_code(1)
        .assert_has("goodbye")
        .assert_has("requests/b.yaml:4:13");
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
    p.run(&["run"]).assert_code(1).assert_has("not JSON");
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
    p.run(&["run"]).assert_code(0);

    p.request_file(
        "requests/d.yaml",
        &server,
        "requests:\n  - url: \"{URL}/slow/200\"\n    expect:\n      duration: { lt: 50 }\n",
    );
    p.run(&["run"])
        .assert_code(1)
        .assert_has("duration")
        .assert_has("requests/d.yaml:4:17");
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
    let run = p.run(&["run"]);
    run.assert_code(1)
        .assert_has("count users")
        .assert_has("requests/report.yaml:8:28")
        .assert_has("json $.data.totalCount")
        .assert_has("41")
        .assert_has("requests/report.yaml:9:35")
        .assert_has("json $.data.users[0].username")
        .assert_has("carol")
        .assert_has("alice@example.com");
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
    p.run(&["run"])
        .assert_code(1)
        .assert_has("hello build-42 world");
}
