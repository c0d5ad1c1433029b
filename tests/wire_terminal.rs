//! Bytes from a server never drive the terminal (issue 8, kind 6): control
//! characters in bodies, headers and messages are shown escaped in every
//! output; newlines and tabs of a multi-line body stay readable.

use crate::support::Project;
use crate::wire_server::{Has, Reply, WireServer};

/// ESC sequences (colour, clear screen, title), BEL, backspace, a lone CR,
/// C1 CSI, a bidi override; CR LF line ends and a tab.
const HOSTILE: &str =
    "\u{1b}[31mred\u{1b}[0m\u{7}\r\n\tline\u{8}2\rover\n\u{9b}2J \u{1b}]0;title\u{7} \u{202e}abc";
const SHOWN: &str = "\\u{1b}[31mred\\u{1b}[0m\\u{7}\n\tline\\u{8}2\\rover\n\\u{9b}2J \\u{1b}]0;title\\u{7} \\u{202e}abc";

fn hostile_server() -> WireServer {
    WireServer::start(|_| {
        Reply::new(HOSTILE)
            .status(500)
            .header("content-type", "text/plain")
            // obs-text: ISO-8859-1 C1 CSI in a header value.
            .header("x-evil", b"a\x9b2Jb".to_vec())
    })
}

fn no_control_bytes(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}')
}

#[test]
fn control_characters_in_a_failed_response_are_shown_escaped() {
    let server = hostile_server();
    let p = Project::new();
    p.file(
        "requests/t.yaml",
        &server.yaml(
            "requests:\n  - name: hostile\n    url: \"{URL}/t\"\n    expect: { body: { contains: ok } }\n",
        ),
    );
    let run = p.run(&[
        "run",
        "--report",
        "junit:out/j.xml",
        "--report",
        "json:out/r.json",
    ]);
    run.assert_code(1);
    let url = server.url();
    let body: String = SHOWN.lines().map(|l| format!("    {l}\n")).collect();
    let actual = serde_json::to_string(HOSTILE).unwrap();
    let actual = actual
        .replace('\u{202e}', "\\u{202e}")
        .replace('\u{9b}', "\\u{9b}");
    assert_eq!(
        run.stdout,
        format!(
            "requests/t.yaml
  ✗ hostile  GET 500  0ms

failures:

✗ requests/t.yaml › hostile
  GET {url}/t → 500
  error: body: expected contains \"ok\", got {actual}
    --> requests/t.yaml:4:21
    |
  4 |     expect: {{ body: {{ contains: ok }} }}
    |                     ^
    = expected: contains \"ok\"
    = actual:   {actual}
  body:
{body}
0 passed, 1 failed, 0 skipped (1 file) in 0.00s
"
        )
    );
    for report in ["out/j.xml", "out/r.json"] {
        let text = std::fs::read_to_string(p.path().join(report)).unwrap();
        assert!(no_control_bytes(&text), "{report}: {text}");
    }
}

#[test]
fn verbose_output_escapes_bodies_and_header_values() {
    let server = hostile_server();
    let p = Project::new();
    p.file(
        "requests/v.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/v\"\n    expect: { status: 500 }\n"),
    );
    let run = p.run(&["run", "--verbose"]);
    run.assert_code(0);
    assert!(no_control_bytes(&run.stdout), "{}", run.stdout);
    run.assert_has("    < x-evil: a\\u{9b}2Jb\n");
    let body: String = SHOWN.lines().map(|l| format!("    < {l}\n")).collect();
    run.assert_has(&body);
}

#[test]
fn messages_quoting_a_response_escape_it() {
    let server = WireServer::start(|_| Reply::new("denied\u{1b}[2J\u{1b}[H").status(403));
    let p = Project::new();
    p.file(
        "profiles/p.yaml",
        &server.yaml("login:\n  - name: sign in\n    url: \"{URL}/login\"\n    expect: { status: 200 }\napply:\n  headers: { X-A: b }\n"),
    );
    p.file(
        "requests/r.yaml",
        &server.yaml("requests:\n  - { url: \"{URL}/r\", profile: p }\n"),
    );
    let run = p.run(&["run"]);
    run.assert_code(3);
    assert!(no_control_bytes(&run.all()), "{}", run.all());
    run.assert_has("response: denied\\u{1b}[2J\\u{1b}[H");
}
