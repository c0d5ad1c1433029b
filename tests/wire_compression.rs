//! Content codings (issue 8, kind 1): every coding a server may use is
//! undone once, before anything reads the body; sesame asks for them unless
//! a request names its own `Accept-Encoding`; `--verbose` says so.

use crate::support::Project;
use crate::wire_server::{Has, Reply, WireServer, compress};

const CODINGS: [&str; 4] = ["gzip", "deflate", "br", "zstd"];

/// Serves `/data` as a compressed JSON document and echoes `/echo`.
fn compressed_server(coding: &'static str) -> WireServer {
    WireServer::start(move |hit| match hit.path.as_str() {
        "/data" => {
            let doc = r#"{"compressed": true, "name": "zoé", "items": [1, 2, 3]}"#;
            Reply::json("")
                .header("content-encoding", coding)
                .header("vary", "accept-encoding")
                .body_bytes(compress(coding, doc.as_bytes()))
        }
        _ => Reply::new("ok"),
    })
}

#[test]
fn every_content_coding_is_decoded_for_expectations_and_captures() {
    for coding in CODINGS {
        let server = compressed_server(coding);
        let p = Project::new();
        p.file(
            "requests/c.yaml",
            &server.yaml(
                r#"
requests:
  - name: read
    url: "{URL}/data"
    expect:
      json: { $.compressed: true, $.items: { length: 3 } }
      body: { contains: '"name": "zoé"' }
    capture: { name: $.name }
  - name: reuse
    url: "{URL}/echo"
    query: { name: "{{ name }}" }
"#,
            ),
        );
        p.run(&["run"]).assert_code(0);
        let hits = server.hits();
        assert_eq!(
            hits[0].header("accept-encoding"),
            Some("gzip, deflate, br, zstd")
        );
        assert_eq!(hits[1].query, "name=zo%C3%A9", "{coding}");
    }
}

#[test]
fn stacked_content_codings_are_undone_last_first() {
    let server = WireServer::start(|_| {
        let inner = compress("gzip", br#"{"ok": "stacked"}"#);
        Reply::json("")
            .header("content-encoding", "gzip, br")
            .body_bytes(compress("br", &inner))
    });
    let p = Project::new();
    p.file(
        "requests/s.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/s\"\n    expect: { json: { $.ok: stacked } }\n"),
    );
    p.run(&["run"]).assert_code(0);
}

#[test]
fn a_request_own_accept_encoding_is_sent_as_written() {
    let server = WireServer::start(|hit| match hit.header("accept-encoding") {
        Some("gzip") => Reply::new("")
            .header("content-encoding", "gzip")
            .body_bytes(compress("gzip", b"plain words")),
        _ => Reply::new("plain words"),
    });
    let p = Project::new();
    p.file(
        "requests/own.yaml",
        &server.yaml(
            r#"
requests:
  - url: "{URL}/identity"
    headers: { Accept-Encoding: identity }
    expect: { body: plain words }
  - url: "{URL}/gzip-only"
    headers: { accept-encoding: gzip }
    expect: { body: plain words }
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    let hits = server.hits();
    let sent: Vec<Vec<&str>> = hits.iter().map(|h| h.all("accept-encoding")).collect();
    assert_eq!(sent, [vec!["identity"], vec!["gzip"]]);
}

#[test]
fn a_body_in_a_coding_sesame_cannot_undo_is_described_not_shown() {
    let server = WireServer::start(|_| {
        Reply::json("")
            .header("content-encoding", "compress")
            .body_bytes(vec![0x1f, 0x9d, 0x90, 0x7b, 0x00, 0x1b, 0x5b])
    });
    let p = Project::new();
    p.file(
        "requests/lzw.yaml",
        &server.yaml(
            r#"
requests:
  - name: lzw
    url: "{URL}/lzw"
    headers: { Accept-Encoding: compress }
    expect: { json: { $.a: 1 } }
"#,
        ),
    );
    let run = p.run(&["run"]);
    run.assert_code(1);
    let url = server.url();
    assert_eq!(
        run.stdout,
        format!(
            "requests/lzw.yaml
  ✗ lzw  GET 200  0ms

failures:

✗ requests/lzw.yaml › lzw
  GET {url}/lzw → 200
  error: json: the response body could not be decoded from compress: sesame decodes gzip, deflate, br and zstd, not `compress`
    --> requests/lzw.yaml:6:28
    |
  6 |     expect: {{ json: {{ $.a: 1 }} }}
    |                            ^
    = expected: a JSON body
    = actual:   <7 bytes, compress-encoded, not decoded>
  body:
    <7 bytes, compress-encoded, not decoded>

0 passed, 1 failed, 0 skipped (1 file) in 0.00s
"
        )
    );
}

#[test]
fn a_corrupt_compressed_body_fails_naming_its_coding() {
    let server =
        WireServer::start(|_| Reply::new("not gzip at all").header("content-encoding", "gzip"));
    let p = Project::new();
    p.file(
        "requests/bad.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/bad\"\n    expect: { body: { contains: x } }\n"),
    );
    let run = p.run(&["run"]);
    run.assert_code(1);
    run.assert_has("  error: body: the response body could not be decoded from gzip: ");
    run.assert_has("    <15 bytes, gzip-encoded, not decoded>");
}

#[test]
fn verbose_says_the_body_was_compressed() {
    for coding in CODINGS {
        let server = compressed_server(coding);
        let p = Project::new();
        p.file(
            "requests/v.yaml",
            &server.yaml("requests:\n  - url: \"{URL}/data\"\n"),
        );
        let run = p.run(&["run", "--verbose"]);
        run.assert_code(0);
        let size = compress(
            coding,
            r#"{"compressed": true, "name": "zoé", "items": [1, 2, 3]}"#.as_bytes(),
        )
        .len();
        run.assert_has(&format!("    < content-encoding: {coding}\n"));
        run.assert_has(&format!("    < (decoded from {coding}, {size} bytes)\n"));
        run.assert_has(
            "    <\n    < {\"compressed\": true, \"name\": \"zoé\", \"items\": [1, 2, 3]}\n",
        );
        run.assert_has("    > Accept-Encoding: gzip, deflate, br, zstd\n");
    }
}

#[test]
fn login_steps_read_compressed_answers_too() {
    let server = WireServer::start(|hit| match hit.path.as_str() {
        "/token" => Reply::json("")
            .header("content-encoding", "br")
            .body_bytes(compress("br", br#"{"access_token": "t-42"}"#)),
        _ => Reply::new("ok"),
    });
    let p = Project::new();
    p.file(
        "profiles/z.yaml",
        &server.yaml(
            "login:\n  - name: token\n    method: POST\n    url: \"{URL}/token\"\n    capture: { token: $.access_token }\napply:\n  headers: { Authorization: \"Bearer {{ token }}\" }\n",
        ),
    );
    p.file(
        "requests/r.yaml",
        &server.yaml("requests:\n  - { url: \"{URL}/r\", profile: z }\n"),
    );
    p.run(&["run"]).assert_code(0);
    assert_eq!(
        server.hits()[1].header("authorization"),
        Some("Bearer t-42")
    );
}

#[test]
fn a_binary_body_is_described_not_shown() {
    let server = WireServer::start(|_| {
        Reply::new(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\x1b[2J".to_vec())
            .header("content-type", "image/png")
            .status(404)
    });
    let p = Project::new();
    p.file(
        "requests/b.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/logo.png\"\n    expect: { status: 200 }\n"),
    );
    let run = p.run(&["run"]);
    run.assert_code(1);
    run.assert_has("  body:\n    <21 bytes of image/png>\n");
}
