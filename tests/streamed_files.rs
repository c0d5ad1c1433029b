//! Kind: a request file read one request at a time (the usual layout:
//! `requests:` last, block items, no anchors; issue 11) runs, fails and
//! reports exactly as the same file read whole. Each case is run twice:
//! as written, and with a key after the list, which makes it read whole.

use crate::support::{Project, TestServer};

/// Captures across items, comments and blank lines between them, a block
/// scalar whose lines look like items, a flow map over two lines, numbers
/// as written, a failure on a late line and a skip after it.
const FILE: &str = r#"name: alike
vars:
  n: 2
requests:
  # the first
  - name: first
    url: "{URL}/json"
    expect:
      json: { $.data.totalCount: 2, $.ratio: 0.50 }
    capture: { count: $.data.totalCount }

  - name: second
    method: POST
    url: "{URL}/echo/{{ count }}"
    body: |
      - not an item
      {{ n }}
    expect: {
      status: 200, json: { $.path: /echo/2, $.body: "- not an item\n2\n" } }
  - name: third
    url: "{URL}/json"
    expect:
      json:
        $.data.totalCount: 3
  - name: fourth
    url: "{URL}/json"
"#;

fn run_both(file: &str, args: &[&str]) -> (crate::support::raw::Run, crate::support::raw::Run) {
    let server = TestServer::start();
    if args.contains(&"--dry-run") {
        server.expect_no_hits();
    }
    let streamed = Project::new();
    streamed.request_file("requests/a.yaml", &server, file);
    let whole = Project::new();
    whole.request_file("requests/a.yaml", &server, &format!("{file}tags: [x]\n"));
    (streamed.run(args), whole.run(args))
}

#[test]
fn a_file_read_request_by_request_runs_and_fails_like_one_read_whole() {
    let (streamed, whole) = run_both(FILE, &["run"]);
    streamed.assert_code(1);
    assert_eq!(streamed.stdout, whole.stdout);
    assert_eq!(streamed.stderr, whole.stderr);
    let located: Vec<&str> = streamed
        .stdout
        .lines()
        .filter(|l| l.contains("requests/a.yaml:"))
        .collect();
    assert_eq!(located, ["     --> requests/a.yaml:24:28"]);
}

#[test]
fn a_dry_run_and_a_json_report_of_a_file_read_request_by_request_match_one_read_whole() {
    let (streamed, whole) = run_both(FILE, &["run", "--dry-run", "--report", "json:-"]);
    streamed.assert_code(0);
    assert_eq!(
        zero_durations(&streamed.stdout),
        zero_durations(&whole.stdout)
    );
}

/// The report with every `"duration_ms"` set to 0: the one thing two runs
/// may not share.
fn zero_durations(report: &str) -> String {
    let key = "\"duration_ms\":";
    let mut out = String::new();
    let mut rest = report;
    while let Some(at) = rest.find(key) {
        out.push_str(&rest[..at + key.len()]);
        out.push('0');
        rest = rest[at + key.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// Problems in several items: each item is read on its own, so every one
/// is reported, at its line in the file.
const BROKEN: &str = r#"name: broken
requests:
  - name: first
    url: "{URL}/json"
  - name: second
    urll: "x"
  - name: third
    url: "{{ nope }}/x"
  - name: fourth
    url: "{URL}/json"
    expect: [status, 200]
  - name: fifth
    url: "{URL}/json"
"#;

#[test]
fn every_problem_of_a_file_read_request_by_request_is_reported_at_its_line() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = Project::new();
    p.request_file("requests/a.yaml", &server, BROKEN);
    let run = p.run(&["validate"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        r#"error: unknown key `urll` in a request file
  --> requests/a.yaml:6:5
  |
6 |     urll: "x"
  |     ^^^^
  = hint: did you mean `url`?
error: undefined variable `nope`
  --> requests/a.yaml:8:10
  |
8 |     url: "{{ nope }}/x"
  |          ^^^^^^^^^^^^^^
  = hint: define it in `vars:`, with --var, in an environment of sesame.yaml, or capture it in an earlier request
error: wrong type: expected `key: value` pairs here
   --> requests/a.yaml:11:13
   |
11 |     expect: [status, 200]
   |             ^
   = hint: write `key: value` pairs indented under this key
3 problems found; nothing was sent
"#
    );
    assert_eq!(p.run(&["run"]).code, 2);
}

#[test]
fn files_outside_the_usual_layout_are_read_whole() {
    let server = TestServer::start();
    let p = Project::new();
    for (name, text) in [
        // an anchor used by a later item
        (
            "anchors",
            "requests:\n  - url: &u \"{URL}/json\"\n  - url: *u\n",
        ),
        // flow style
        (
            "flow",
            "requests: [{url: \"{URL}/json\"}, {url: \"{URL}/json\"}]\n",
        ),
        // a key after the list
        (
            "after",
            "requests:\n  - url: \"{URL}/json\"\n  - url: \"{URL}/json\"\nname: after\n",
        ),
    ] {
        p.request_file(&format!("requests/{name}.yaml"), &server, text);
    }
    let run = p.run(&["run"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout.lines().last(),
        Some("6 passed, 0 failed, 0 skipped (3 files) in 0.00s")
    );
}

/// Kind: files checked on several threads (`--jobs`) report their problems
/// as one thread would: in file order, a shared profile's problem once.
#[test]
fn files_checked_in_parallel_report_problems_in_file_order_and_once() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = Project::new();
    p.file(
        "profiles/broken.yaml",
        "login:\n  - url: \"{{ nope }}/x\"\n",
    );
    for i in 0..6 {
        p.request_file(
            &format!("requests/f{i}.yaml"),
            &server,
            &format!("profile: broken\nrequests:\n  - url: \"{{URL}}/{{{{ missing{i} }}}}\"\n"),
        );
    }
    let one = p.run(&["run", "--jobs", "1"]);
    one.assert_code(2);
    for jobs in ["2", "4"] {
        let many = p.run(&["run", "--jobs", jobs]);
        assert_eq!(many.stderr, one.stderr, "--jobs {jobs}");
    }
    assert_eq!(one.stderr.matches("profiles/broken.yaml:2:").count(), 1);
    let order: Vec<&str> = one
        .stderr
        .lines()
        .filter(|l| l.contains("--> "))
        .map(|l| l.trim())
        .collect();
    assert_eq!(
        order,
        [
            "--> profiles/broken.yaml:2:10",
            "--> requests/f0.yaml:3:10",
            "--> requests/f1.yaml:3:10",
            "--> requests/f2.yaml:3:10",
            "--> requests/f3.yaml:3:10",
            "--> requests/f4.yaml:3:10",
            "--> requests/f5.yaml:3:10",
        ]
    );
    assert_eq!(p.run(&["validate"]).stderr, one.stderr);
}

/// `n` requests to `/json`, the first capturing a value every later one
/// sends; `broken` items get an unknown key instead of `url`.
fn many(n: usize, broken: &[usize]) -> String {
    let mut text = String::from("name: many\nrequests:\n");
    for i in 0..n {
        if broken.contains(&i) {
            text.push_str(&format!("  - name: r{i}\n    urll: x\n"));
        } else if i == 0 {
            text.push_str("  - name: r0\n    url: \"{URL}/json\"\n    capture: { count: $.data.totalCount }\n");
        } else {
            text.push_str(&format!(
                "  - name: r{i}\n    url: \"{{URL}}/echo/{{{{ count }}}}/{i}\"\n    expect: {{ json: {{ $.path: /echo/2/{i} }} }}\n"
            ));
        }
    }
    text
}

/// Kind: a big file (its items parsed on two threads by the check, its
/// requests compiled on a thread of their own as it runs) keeps its order,
/// its captures and its line numbers.
#[test]
fn a_file_of_thousands_of_requests_runs_in_order_with_its_captures() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/many.yaml", &server, &many(1500, &[]));
    let run = p.run(&["run", "--report", "tap:-"]);
    run.assert_code(0);
    let points: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("ok "))
        .collect();
    assert_eq!(points.len(), 1500);
    assert_eq!(points[0], "ok 1 - requests/many.yaml › r0");
    assert_eq!(points[1499], "ok 1500 - requests/many.yaml › r1499");
    assert!(
        points
            .iter()
            .enumerate()
            .all(|(i, l)| l.ends_with(&format!(" r{i}")))
    );
}

#[test]
fn problems_of_a_file_of_thousands_of_requests_are_reported_in_order_at_their_lines() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = Project::new();
    p.request_file("requests/many.yaml", &server, &many(1500, &[3, 700, 1499]));
    let run = p.run(&["validate"]);
    run.assert_code(2);
    let located: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("--> "))
        .map(str::trim)
        .collect();
    // Items take three lines from line 3, a broken one two; the unknown
    // key is an item's second line.
    assert_eq!(
        located,
        [
            "--> requests/many.yaml:13:5",
            "--> requests/many.yaml:2103:5",
            "--> requests/many.yaml:4499:5"
        ]
    );
    assert_eq!(
        run.stderr.lines().last(),
        Some("3 problems found; nothing was sent")
    );
}

/// Kind: files that only look like the usual layout — a quoted scalar or a
/// flow collection going on over a line that starts like an item, an anchor
/// named with letters outside ASCII or other characters, a tab in the
/// indentation, a lone CR — are read whole, so they run (or fail) exactly
/// as YAML reads them (found by probing with inputs issue 11 did not show).
#[test]
fn files_that_only_look_like_the_usual_layout_run_as_yaml_reads_them() {
    let server = TestServer::start();
    let p = Project::new();
    for (name, text) in [
        (
            "quoted",
            "requests:\n  - method: POST\n    url: \"{URL}/echo\"\n    json: [\"a\n  - b\"]\n    expect: { json: { $.body: '[\"a - b\"]' } }\n",
        ),
        (
            "flow",
            "requests:\n  - method: POST\n    url: \"{URL}/echo\"\n    json: {note: 'see:\n  - item'}\n    expect: { json: { $.body: '{\"note\":\"see: - item\"}' } }\n",
        ),
        (
            "anchor",
            "vars:\n  h: &é {X-A: \"1\"}\nrequests:\n  - url: \"{URL}/echo\"\n    headers: *é\n    expect: { json: { \"$.headers['x-a']\": \"1\" } }\n",
        ),
        (
            "alias",
            "requests:\n  - url: &/u \"{URL}/json\"\n  - url: */u\n",
        ),
        ("cr", "requests:\n  - name: one\r    url: \"{URL}/json\"\n"),
    ] {
        p.request_file(&format!("requests/{name}.yaml"), &server, text);
    }
    let run = p.run(&["run"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout.lines().last(),
        Some("6 passed, 0 failed, 0 skipped (5 files) in 0.00s")
    );
}

/// Kind: an item that does not parse loses its captures; later items that
/// read them get no second, false "undefined variable" problem.
#[test]
fn a_broken_item_does_not_make_later_names_undefined() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        "requests:\n  - url: \"{URL}/json\"\n    metod: GET\n    capture: { id: $.data.totalCount }\n  - url: \"{URL}/echo/{{ id }}\"\n",
    );
    let run = p.run(&["validate"]);
    run.assert_code(2);
    assert_eq!(run.stderr.matches("error: ").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: unknown key `metod` in a request file\n")
    );
}
