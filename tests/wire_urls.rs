//! A URL never loses a part silently (issue 8, kind 5): a value that would
//! become a fragment, vanish as a tab or line break, or resolve a segment
//! away fails the request naming the value; `urlencode_component` encodes a
//! path segment whatever it holds.

use crate::support::Project;
use crate::wire_server::{Has, Reply, WireServer};

#[test]
fn a_rendered_value_that_would_shorten_the_url_fails_the_request_naming_it() {
    let cases = [
        ("aaa/bbb#ccc", "`#ccc` is a fragment, never sent"),
        ("a#", "`#` is a fragment, never sent"),
        (
            "../admin",
            "a `.` or `..` segment is resolved away with the segment before it",
        ),
        (
            "x/%2E%2E/y",
            "a `.` or `..` segment is resolved away with the segment before it",
        ),
        (
            "line\\nbreak",
            "tabs and line breaks are removed from a URL",
        ),
    ];
    for (id, why) in cases {
        let server = WireServer::start(|_| Reply::new("ok"));
        let p = Project::new();
        p.file(
            "requests/u.yaml",
            &server.yaml(&format!(
                "vars:\n  id: \"{id}\"\nrequests:\n  - {{ name: first, url: \"{{URL}}/first\" }}\n  - name: item\n    url: \"{{{{ base }}}}/items/{{{{ id }}}}\"\n"
            )),
        );
        let base = server.url();
        let run = p.run(&["run", "--var", &format!("base={base}")]);
        run.assert_code(1);
        let sent = format!("{base}/items/{id}");
        let message = format!(
            "  error: url: `{sent}` would not be sent as written: {why}; `id` is `{id}`; encode a value placed in a path with `urlencode_component`\n    --> requests/u.yaml:5:5\n"
        );
        run.assert_has(&message);
        let paths: Vec<String> = server.hits().iter().map(|h| h.path.clone()).collect();
        assert_eq!(paths, ["/first"], "{id}");
    }
}

#[test]
fn urlencode_component_keeps_a_value_one_path_segment() {
    let server = WireServer::start(|_| Reply::new("ok"));
    let p = Project::new();
    p.file(
        "requests/e.yaml",
        &server.yaml(
            r#"
vars:
  id: "aaa/bbb#ccc ?x=1&y=é%"
requests:
  - url: "{URL}/items/{{ id | urlencode_component }}/tail"
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    let hit = &server.hits()[0];
    assert_eq!(
        (hit.path.as_str(), hit.query.as_str()),
        ("/items/aaa%2Fbbb%23ccc%20%3Fx%3D1%26y%3D%C3%A9%25/tail", "")
    );
}

#[test]
fn a_fragment_written_in_a_url_is_invalid_input() {
    let p = Project::new();
    p.file(
        "requests/f.yaml",
        "requests:\n  - name: a\n    url: \"{{ base }}/items/x#frag\"\n",
    );
    p.file(
        "profiles/p.yaml",
        "login:\n  - name: in\n    url: 'http://127.0.0.1:9/login#x'\napply: { headers: { A: b } }\n",
    );
    let run = p.run(&["validate", "--var", "base=http://127.0.0.1:9"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: the URL has a fragment `#x`, which is never sent
  --> profiles/p.yaml:3:10
  |
3 |     url: 'http://127.0.0.1:9/login#x'
  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = hint: remove it, or write `%23` for a `#` that belongs in the path; encode values with `urlencode_component`
error: the URL has a fragment `#frag`, which is never sent
  --> requests/f.yaml:3:10
  |
3 |     url: \"{{ base }}/items/x#frag\"
  |          ^^^^^^^^^^^^^^^^^^^^^^^^^
  = hint: remove it, or write `%23` for a `#` that belongs in the path; encode values with `urlencode_component`
2 problems found; nothing was sent
"
    );
}
