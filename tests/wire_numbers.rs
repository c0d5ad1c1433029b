//! Numbers keep their written form (issue 8, kind 3): from JSON bodies,
//! captures, `--var`, `.env` and YAML values they compare exactly at any
//! size and are sent digit for digit; a string that is one `{{ expr }}`
//! sends a number when the value is one.

use crate::support::Project;
use crate::wire_server::{Has, Reply, WireServer};

const DOC: &str = r#"{"id": 98765432109876543210, "neg": -12345678901234567890123, "price": 1.10, "sci": 6.02e23, "small": 0.1000000000000000055511151231257827, "n": 7}"#;

fn doc_server() -> WireServer {
    WireServer::start(|hit| match hit.path.as_str() {
        "/doc" => Reply::json(DOC),
        _ => Reply::new("ok"),
    })
}

#[test]
fn numbers_from_json_bodies_compare_exactly_and_are_resent_digit_for_digit() {
    let server = doc_server();
    let p = Project::new();
    p.file(
        "requests/n.yaml",
        &server.yaml(
            r#"
requests:
  - url: "{URL}/doc"
    expect:
      json:
        $.id: { eq: 98765432109876543210, gt: 98765432109876543209, lt: 98765432109876543211, type: integer }
        $.neg: -12345678901234567890123
        $.price: { eq: 1.1, type: number }
        $.sci: 602000000000000000000000
        $.small: { gt: 0.1 }
        $.n: 7
    capture: { id: $.id, neg: $.neg, price: $.price, sci: $.sci, small: $.small, n: $.n }
  - method: POST
    url: "{URL}/echo/{{ id }}"
    query: { price: "{{ price }}", neg: "{{ neg }}" }
    json:
      id: "{{ id }}"
      neg: "{{ neg }}"
      price: "{{ price }}"
      sci: "{{ sci }}"
      small: "{{ small }}"
      next: "{{ n + 1 }}"
      text: "id {{ id }} costs {{ price }}"
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    let hit = &server.hits()[1];
    assert_eq!(hit.path, "/echo/98765432109876543210");
    assert_eq!(hit.query, "price=1.10&neg=-12345678901234567890123");
    assert_eq!(
        String::from_utf8_lossy(&hit.body),
        r#"{"id":98765432109876543210,"neg":-12345678901234567890123,"price":1.10,"sci":6.02e+23,"small":0.1000000000000000055511151231257827,"next":8,"text":"id 98765432109876543210 costs 1.10"}"#
    );
}

#[test]
fn a_big_integer_that_differs_in_its_last_digit_fails() {
    let server = doc_server();
    let p = Project::new();
    p.file(
        "requests/n.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/doc\"\n    expect: { json: { $.id: 98765432109876543211 } }\n"),
    );
    let run = p.run(&["run"]);
    run.assert_code(1);
    run.assert_has(
        "    = expected: == 98765432109876543211\n    = actual:   98765432109876543210\n",
    );
}

#[test]
fn var_and_env_values_keep_their_digits() {
    let server = doc_server();
    let mut p = Project::new();
    p.file(".env", "BUILD=007\nRATIO=2.50\n");
    p.env("SESAME_UNUSED", "1");
    p.file(
        "requests/v.yaml",
        &server.yaml(
            r#"
requests:
  - method: POST
    url: "{URL}/echo"
    query: { v: "v{{ version }}", big: "{{ big }}" }
    json:
      version: "{{ version }}"
      label: "release {{ version }}"
      big: "{{ big }}"
      zero: "{{ zero }}"
      build: "{{ env.BUILD }}"
      ratio: "{{ env.RATIO }}"
"#,
        ),
    );
    p.run(&[
        "run",
        "--var",
        "version=1.10",
        "--var",
        "big=98765432109876543210",
        "--var",
        "zero=0.50",
    ])
    .assert_code(0);
    let hit = &server.hits()[0];
    assert_eq!(hit.query, "v=v1.10&big=98765432109876543210");
    assert_eq!(
        String::from_utf8_lossy(&hit.body),
        r#"{"version":1.10,"label":"release 1.10","big":98765432109876543210,"zero":0.50,"build":"007","ratio":"2.50"}"#
    );
}

#[test]
fn yaml_numbers_keep_their_digits_and_other_spellings_are_text() {
    let server = WireServer::start(|_| Reply::new("ok"));
    let p = Project::new();
    p.file(
        "requests/y.yaml",
        &server.yaml(
            r#"
vars:
  version: 1.10
requests:
  - method: POST
    url: "{URL}/echo"
    headers: { X-Version: 2.50 }
    query: { v: "{{ version }}", n: 1.0 }
    json:
      version: "{{ version }}"
      big: 98765432109876543210
      list: [1.10, 0.30, -7, 1e5]
      under: 1_000
      hex: 0x1F
      octal: 017
      plus: +1
      dot: .5
      quoted: "1.10"
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    let hit = &server.hits()[0];
    assert_eq!(hit.query, "v=1.10&n=1.0");
    assert_eq!(hit.header("x-version"), Some("2.50"));
    assert_eq!(
        String::from_utf8_lossy(&hit.body),
        r#"{"version":1.10,"big":98765432109876543210,"list":[1.10,0.30,-7,1e+5],"under":"1_000","hex":"0x1F","octal":"017","plus":"+1","dot":".5","quoted":"1.10"}"#
    );
}

#[test]
fn environment_values_in_sesame_yaml_keep_their_digits() {
    let server = WireServer::start(|_| Reply::new("ok"));
    let p = Project::new();
    p.file(
        "sesame.yaml",
        "environments:\n  prod:\n    api_version: 2.10\n    tenant: 98765432109876543210\n",
    );
    p.file(
        "requests/e.yaml",
        &server.yaml(
            "requests:\n  - method: POST\n    url: \"{URL}/v{{ api_version }}\"\n    json: { tenant: \"{{ tenant }}\" }\n",
        ),
    );
    p.run(&["run", "--env", "prod"]).assert_code(0);
    let hit = &server.hits()[0];
    assert_eq!(hit.path, "/v2.10");
    assert_eq!(
        String::from_utf8_lossy(&hit.body),
        r#"{"tenant":98765432109876543210}"#
    );
}
