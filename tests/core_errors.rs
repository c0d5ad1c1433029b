//! Bad input: every problem is located (`file:line:col`), comes with a
//! hint, all of them are listed at once, and nothing is sent (exit 2).
//! Also the table of exit codes.

use crate::support::{Project, TestServer};

/// (file, text, title, location, hint)
const BAD: &[(&str, &str, &str, &str, &str)] = &[
    (
        "a_syntax.yaml",
        "requests:\n  - url: \"{URL}/x\n    method: GET\n",
        "invalid indentation",
        "requests/a_syntax.yaml:3:5",
        "hint: check the indentation",
    ),
    (
        "b_indent.yaml",
        "requests:\n  - url: \"{URL}/x\"\n   method: GET\n",
        "did not find expected",
        "requests/b_indent.yaml:3:4",
        "hint: check the indentation",
    ),
    (
        "c_key.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    metod: GET\n",
        "unknown key `metod`",
        "requests/c_key.yaml:3:5",
        "hint: did you mean `method`?",
    ),
    (
        "d_bool.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    follow_redirects: maybe\n",
        "invalid boolean",
        "requests/d_bool.yaml:3:23",
        "hint: write true or false",
    ),
    (
        "e_list.yaml",
        "tags: smoke\nrequests:\n  - url: \"{URL}/x\"\n",
        "wrong type",
        "requests/e_list.yaml:1:7",
        "hint: write a list",
    ),
    (
        "f_number.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    retry: { count: many }\n",
        "invalid u32",
        "requests/f_number.yaml:3:21",
        "hint: write a whole number",
    ),
    (
        "g_jsonpath.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.data[: 1\n",
        "invalid JSONPath `$.data[`",
        "requests/g_jsonpath.yaml:5:18",
        "hint: JSONPath as in RFC 9535",
    ),
    (
        "h_template.yaml",
        "requests:\n  - url: \"{URL}/{{ id }\"\n",
        "template syntax error",
        "requests/h_template.yaml:2:10",
        "hint: templates use minijinja syntax",
    ),
    (
        "i_undefined.yaml",
        "vars:\n  base_url: \"{URL}\"\nrequests:\n  - url: \"{{ base_ur }}/x\"\n",
        "undefined variable `base_ur`",
        "requests/i_undefined.yaml:4:10",
        "hint: did you mean `base_url`?",
    ),
    (
        "j_profile.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    profile: api-ky\n",
        "unknown profile `api-ky`",
        "requests/j_profile.yaml:3:14",
        "hint: did you mean `api-key`?",
    ),
    (
        "k_operator.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.a: { gtt: 1 }\n",
        "unknown matcher operator `gtt`",
        "requests/k_operator.yaml:5:14",
        "hint: did you mean `gt`?\n",
    ),
    (
        "l_nested_operator.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect:\n      json:\n        $.a: { length: { lenght: 1 } }\n",
        "unknown operator `lenght`",
        "requests/l_nested_operator.yaml:5:14",
        "hint: did you mean `length`?\n",
    ),
    (
        "m_status.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    expect: { status: 9000 }\n",
        "invalid status 9000",
        "requests/m_status.yaml:3:23",
        "hint: write 200",
    ),
    (
        "n_capture.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    capture:\n      a: { heder: X }\n",
        "capture `a`: unknown capture kind",
        "requests/n_capture.yaml:4:10",
        "hint: write a JSONPath",
    ),
    (
        "o_missing_url.yaml",
        "requests:\n  - method: GET\n",
        "missing key `url`",
        "requests/o_missing_url.yaml:2:5",
        "hint: add `url:`",
    ),
    (
        "p_two_bodies.yaml",
        "requests:\n  - url: \"{URL}/x\"\n    json: {}\n    form: { a: b }\n",
        "at most one body",
        "requests/p_two_bodies.yaml:2:5",
        "hint: keep one of",
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
    for (file, text, ..) in BAD {
        p.request_file(&format!("requests/{file}"), server, text);
    }
    p
}

/// The block of stderr that renders the diagnostic located at `location`.
fn block<'a>(stderr: &'a str, location: &str) -> Option<&'a str> {
    let at = stderr.find(&format!("--> {location}\n"))?;
    let start = stderr[..at].rfind("\nerror: ").map_or(0, |s| s + 1);
    let end = stderr[at..]
        .find("\nerror: ")
        .map_or(stderr.len(), |e| at + e + 1);
    Some(&stderr[start..end])
}

#[test]
fn each_bad_file_is_located_with_a_hint_and_all_are_listed_before_sending() {
    let server = TestServer::start();
    let run = bad_project(&server).run(&["run"]);
    run.assert_code(2);
    for (file, _, title, location, hint) in BAD {
        let b = block(&run.stderr, location)
            .unwrap_or_else(|| panic!("{file}: no diagnostic at {location}\n{}", run.stderr));
        assert!(b.contains(title), "{file}: title {title:?} missing in\n{b}");
        assert!(b.contains(hint), "{file}: hint {hint:?} missing in\n{b}");
    }
    run.assert_stderr_has(&format!("{} problems found; nothing was sent", BAD.len()));
    server.expect_no_hits();
}

#[test]
fn validate_lists_the_same_problems_and_sends_nothing() {
    let server = TestServer::start();
    let run = bad_project(&server).run(&["validate"]);
    run.assert_code(2);
    for (_, _, _, location, _) in BAD {
        run.assert_stderr_has(location);
    }
    server.expect_no_hits();
}

#[test]
fn undefined_variable_defined_only_in_an_environment_suggests_env() {
    let p = Project::new();
    p.file(
        "sesame.yaml",
        "environments:\n  sandbox:\n    base_url: http://127.0.0.1:9\n",
    );
    p.file(
        "requests/a.yaml",
        "requests:\n  - url: \"{{ base_url }}/x\"\n",
    );
    p.run(&["run"])
        .assert_code(2)
        .assert_stderr_has("requests/a.yaml:2:10")
        .assert_stderr_has("pass --env sandbox");
}

#[test]
fn a_bad_sesame_yaml_is_located() {
    let p = Project::new();
    p.file(
        "sesame.yaml",
        "environments:\n  sandbox:\n    base_url: http://x\ndefault:\n  timeout: 1s\n",
    );
    p.file(
        "requests/a.yaml",
        "requests:\n  - url: http://127.0.0.1:9/x\n",
    );
    p.run(&["run"])
        .assert_code(2)
        .assert_stderr_has("unknown key `default`")
        .assert_stderr_has("sesame.yaml:4:1")
        .assert_stderr_has("did you mean `defaults`?");
}

#[test]
fn exit_codes() {
    let server = TestServer::start();
    // A port where nothing listens: bind, note the port, drop the listener.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let cases: &[(&str, &str, &[&str], i32)] = &[
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
    for (what, text, args, code) in cases {
        let p = Project::new();
        p.request_file(
            "requests/a.yaml",
            &server,
            &text.replace("CLOSED", &closed.to_string()),
        );
        let mut argv = vec!["run"];
        argv.extend_from_slice(args);
        let run = p.run(&argv);
        assert_eq!(
            run.code, *code,
            "{what}: exit code\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout, run.stderr
        );
    }
}
