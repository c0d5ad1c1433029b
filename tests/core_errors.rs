//! Bad input: every problem is located (`file:line:col`), comes with a
//! hint, all of them are listed at once, and nothing is sent (exit 2).
//! Also the table of exit codes.

use crate::support::{Project, TestServer};
use crate::test::Test;

/// (file, text): each file has one problem (all pinned in BAD_PROJECT_STDERR).
const BAD: &[(&str, &str)] = &[
    (
        "a_syntax.yaml",
        "requests:\n  - url: \"{URL}/x\n    method: GET\n",
    ),
    (
        "b_indent.yaml",
        "requests:\n  - url: \"{URL}/x\"\n   method: GET\n",
    ),
    (
        "c_key.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    metod: GET\n",
    ),
    (
        "d_bool.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    follow_redirects: maybe\n",
    ),
    (
        "e_list.yaml",
        "tags: smoke\nrequests:\n  - url: \"{URL}/x\"\n",
    ),
    (
        "f_number.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    retry: { count: many }\n",
    ),
    (
        "g_jsonpath.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.data[: 1\n",
    ),
    ("h_template.yaml", "requests:\n  - url: \"{URL}/{{ id }\"\n"),
    (
        "i_undefined.yaml",
        "vars:\n  base_url: \"{URL}\"\nrequests:\n  - url: \"{{ base_ur }}/x\"\n",
    ),
    (
        "j_profile.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    profile: api-ky\n",
    ),
    (
        "k_operator.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.a: { gtt: 1 }\n",
    ),
    (
        "l_nested_operator.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.a: { length: { lenght: 1 } }\n",
    ),
    (
        "m_status.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect: { status: 9000 }\n",
    ),
    (
        "n_capture.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    capture:\n      a: { heder: X }\n",
    ),
    ("o_missing_url.yaml", "requests:\n  - method: GET\n"),
    (
        "p_two_bodies.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    json: {}\n    form: { a: b }\n",
    ),
];

fn bad_project(server: &TestServer) -> Project {
    let p = Project::new();
    p.file(
        "profiles/api-key.yaml",
        "apply:\n  headers:\n    X-Api-Key: k-123\n",
    );
    p.request_file(
        "requests/0_good.yaml",
        server,
        "requests:\n  - url: \"{URL}/echo/good\"\n",
    );
    for (file, text) in BAD {
        p.request_file(&format!("requests/{file}"), server, text);
    }
    p
}

/// What `run` and `validate` print for [`bad_project`]: every problem,
/// in path order, then the count.
const BAD_PROJECT_STDERR: &str = r#"
    error: invalid indentation in multiline quoted scalar
      --> requests/a_syntax.yaml:3:5
      |
    3 |     method: GET
      |     ^
      = hint: check the indentation and the quotes on this line and the one before
    error: while parsing a block collection, did not find expected '-' indicator
      --> requests/b_indent.yaml:3:4
      |
    3 |    method: GET
      |    ^
      = hint: check the indentation and the quotes on this line and the one before
    error: unknown key `metod` in a request file
      --> requests/c_key.yaml:3:5
      |
    3 |     metod: GET
      |     ^^^^^
      = hint: did you mean `method`?
    error: invalid boolean: expected true or false
      --> requests/d_bool.yaml:3:23
      |
    3 |     follow_redirects: maybe
      |                       ^^^^^
      = hint: write true or false
    error: wrong type: expected a list here
      --> requests/e_list.yaml:1:7
      |
    1 | tags: smoke
      |       ^^^^^
      = hint: write a list: `[a, b]`, or one `- item` per line
    error: invalid number: expected a whole number from 0 to 4294967295
      --> requests/f_number.yaml:3:21
      |
    3 |     retry: { count: many }
      |                     ^^^^
      = hint: write a whole number, e.g. 3
    error: invalid JSONPath `$.data[`: unexpected end of the query
      --> requests/g_jsonpath.yaml:5:18
      |
    5 |         $.data[: 1
      |                  ^
      = hint: JSONPath as in RFC 9535, e.g. $.data.users[0].name
    error: template syntax error: unexpected `}`, expected end of variable block
      --> requests/h_template.yaml:2:10
      |
    2 |   - url: "{URL}/{{ id }"
      |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      = hint: templates use minijinja syntax: {{ variable }}, {{ value | filter }}
    error: undefined variable `base_ur`
      --> requests/i_undefined.yaml:4:10
      |
    4 |   - url: "{{ base_ur }}/x"
      |          ^^^^^^^^^^^^^^^^^
      = hint: did you mean `base_url`?
    error: unknown profile `api-ky`
      --> requests/j_profile.yaml:3:14
      |
    3 |     profile: api-ky
      |              ^^^^^^
      = hint: did you mean `api-key`?
    error: unknown matcher operator `gtt`
      --> requests/k_operator.yaml:5:14
      |
    5 |         $.a: { gtt: 1 }
      |              ^
      = hint: did you mean `gt`?
    error: invalid matcher: in `length`: unknown operator `lenght` (did you mean `length`?)
      --> requests/l_nested_operator.yaml:5:14
      |
    5 |         $.a: { length: { lenght: 1 } }
      |              ^
      = hint: did you mean `length`?
    error: invalid status 9000
      --> requests/m_status.yaml:3:23
      |
    3 |     expect: { status: 9000 }
      |                       ^^^^
      = hint: write 200, [200, 201] or "2xx"
    error: capture `a`: unknown capture kind
      --> requests/n_capture.yaml:4:10
      |
    4 |       a: { heder: X }
      |          ^
      = hint: write a JSONPath ($.token), or {header: NAME}, {cookie: NAME}, {regex: PATTERN, from: body}, {status: true}
    error: missing key `url` in a request file
      --> requests/o_missing_url.yaml:2:5
      |
    2 |   - method: GET
      |     ^^^^^^
      = hint: add `url:`
    error: a request has at most one body
      --> requests/p_two_bodies.yaml:2:5
      |
    2 |   - url: "{URL}/x"
      |     ^
      = hint: keep one of `json:`, `form:`, `body:`, `multipart:`
    16 problems found; nothing was sent
"#;

#[test]
fn each_bad_file_is_located_with_a_hint_and_all_are_listed_before_sending() {
    let server = TestServer::start();
    bad_project(&server)
        .test()
        .arg("run")
        .status(2)
        .stderr(BAD_PROJECT_STDERR)
        .run();
    server.expect_no_hits();
}

#[test]
fn validate_lists_the_same_problems_and_sends_nothing() {
    let server = TestServer::start();
    bad_project(&server)
        .test()
        .arg("validate")
        .status(2)
        .stderr(BAD_PROJECT_STDERR)
        .run();
    server.expect_no_hits();
}

/// (case, request file, flags after `run`, exit code)
const EXIT_CODES: &[(&str, &str, &[&str], i32)] = &[
    (
        "all pass",
        "requests:\n  - url: \"{URL}/json\"\n    expect: { status: 200 }\n",
        &[],
        0,
    ),
    (
        "expectation",
        "requests:\n  - url: \"{URL}/json\"\n    expect: { status: 201 }\n",
        &[],
        1,
    ),
    (
        "server error unchecked",
        "requests:\n  - url: \"{URL}/status/500\"\n",
        &[],
        0,
    ),
    (
        "transport",
        "requests:\n  - url: \"http://CLOSED/x\"\n",
        &[],
        1,
    ),
    (
        "timeout",
        "requests:\n  - url: \"{URL}/slow/300\"\n    timeout: 50ms\n",
        &[],
        1,
    ),
    (
        "confirm",
        "requests:\n  - url: \"{URL}/json\"\n    confirm: sure?\n",
        &[],
        1,
    ),
    (
        "invalid file",
        "requests:\n  - url: \"{URL}/json\"\n    metod: GET\n",
        &[],
        2,
    ),
    (
        "missing input",
        "inputs: { org: {} }\nrequests:\n  - url: \"{URL}/{{ org }}\"\n",
        &[],
        2,
    ),
    (
        "unknown env",
        "requests:\n  - url: \"{URL}/json\"\n",
        &["--env", "nope"],
        2,
    ),
    (
        "bad --var",
        "requests:\n  - url: \"{URL}/json\"\n",
        &["--var", "novalue"],
        2,
    ),
    (
        "bad --shard",
        "requests:\n  - url: \"{URL}/json\"\n",
        &["--shard", "3/2"],
        2,
    ),
    (
        "unknown flag",
        "requests:\n  - url: \"{URL}/json\"\n",
        &["--frobnicate"],
        2,
    ),
];

#[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
#[test]
fn exit_codes() {
    let server = TestServer::start();
    // A port where nothing listens: bind, note the port, drop the listener.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for (what, text, args, code) in EXIT_CODES {
        eprintln!("case: {what}");
        let mut argv = vec!["run"];
        argv.extend_from_slice(args);
        let yaml = text.replace("CLOSED", &closed.to_string());
        // Only the code: each message is pinned in error_messages.rs.
        Test::new()
            .server(&server)
            .file("requests/a.yaml", &yaml)
            .args(&argv)
            .status(*code)
            .any_stdout()
            .any_stderr()
            .run();
    }
}
