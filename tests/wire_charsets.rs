//! Charsets (issue 8, kind 2): text is decoded with the `charset` of
//! `Content-Type` (UTF-8 when none; a byte order mark wins) wherever it is
//! read: expectations, captures, excerpts, reports, `--verbose`.

use crate::support::Project;
use crate::wire_server::{Has, Reply, WireServer};

/// `text` in UTF-16 little-endian, byte order mark first.
fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn utf16be(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

fn legacy(label: &str, text: &str) -> Vec<u8> {
    let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, bad) = enc.encode(text);
    assert!(!bad, "{text} in {label}");
    bytes.into_owned()
}

/// (content type, body bytes, the text they hold)
fn cases() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "text/plain; charset=iso-8859-1",
            legacy("latin1", "café crème"),
            "café crème",
        ),
        (
            "text/plain; charset=\"windows-1252\"",
            legacy("windows-1252", "€ “ok” œ"),
            "€ “ok” œ",
        ),
        (
            "text/plain;charset=Shift_JIS",
            legacy("shift_jis", "日本語テキスト"),
            "日本語テキスト",
        ),
        (
            "text/plain; charset=koi8-r",
            legacy("koi8-r", "привет"),
            "привет",
        ),
        ("text/plain; charset=utf-16", utf16le_bom("ünï ☃"), "ünï ☃"),
        ("text/plain; charset=utf-16be", utf16be("ünï ☃"), "ünï ☃"),
        (
            "text/plain",
            b"\xef\xbb\xbfbom \xc3\xa9t\xc3\xa9".to_vec(),
            "bom été",
        ),
        (
            "text/plain; charset=utf-8",
            "déjà".as_bytes().to_vec(),
            "déjà",
        ),
    ]
}

#[test]
fn body_expectations_and_regex_captures_read_text_in_its_charset() {
    for (ct, bytes, text) in cases() {
        let server = WireServer::start(move |hit| match hit.path.as_str() {
            "/text" => Reply::new(bytes.clone()).header("content-type", ct),
            _ => Reply::new("ok"),
        });
        let p = Project::new();
        let yaml = format!(
            r#"
requests:
  - url: "{{URL}}/text"
    expect: {{ body: "{text}" }}
    capture: {{ word: {{ regex: '^(\S+)' }} }}
  - url: "{{URL}}/echo"
    query: {{ w: "{{{{ word }}}}" }}
"#
        );
        p.file("requests/t.yaml", &server.yaml(&yaml));
        p.run(&["run"]).assert_code(0);
        let first = text.split(' ').next().unwrap();
        let expected: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("w", first)
            .finish();
        assert_eq!(server.hits()[1].query, expected, "{ct}");
    }
}

#[test]
fn json_bodies_are_read_in_their_charset() {
    let server = WireServer::start(|_| {
        Reply::new(legacy("latin1", r#"{"city": "Zürich", "n": 1}"#))
            .header("content-type", "application/json; charset=ISO-8859-1")
    });
    let p = Project::new();
    p.file(
        "requests/j.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/j\"\n    expect: { json: { $.city: Zürich } }\n"),
    );
    p.run(&["run"]).assert_code(0);
}

#[test]
fn failure_excerpts_and_verbose_show_text_in_its_charset() {
    let server = WireServer::start(|_| {
        Reply::new(legacy("windows-1252", "Prix : 12 €\r\nstatut : refusé"))
            .header("content-type", "text/plain; charset=windows-1252")
            .status(409)
    });
    let p = Project::new();
    p.file(
        "requests/x.yaml",
        &server.yaml(
            "requests:\n  - name: price\n    url: \"{URL}/x\"\n    expect: { status: 200 }\n",
        ),
    );
    let run = p.run(&["run", "--report", "junit:out.xml"]);
    run.assert_code(1);
    let url = server.url();
    assert_eq!(
        run.stdout,
        format!(
            "requests/x.yaml
  ✗ price  GET 409  0ms

failures:

✗ requests/x.yaml › price
  GET {url}/x → 409
  error: status: expected status 200, got 409
    --> requests/x.yaml:4:23
    |
  4 |     expect: {{ status: 200 }}
    |                       ^^^
    = expected: 200
    = actual:   409
  body:
    Prix : 12 €
    statut : refusé

0 passed, 1 failed, 0 skipped (1 file) in 0.00s
"
        )
    );
    let junit = std::fs::read_to_string(p.path().join("out.xml")).unwrap();
    assert!(junit.contains("Prix : 12 €\nstatut : refusé"), "{junit}");
    let verbose = p.run(&["run", "--verbose"]);
    verbose.assert_has("    < Prix : 12 €\n    < statut : refusé\n");
}
