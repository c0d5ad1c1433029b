//! Repeated response headers (issue 8, kind 9) and a request's own query
//! parameter against a profile's (kind 8).

use crate::support::Project;
use crate::wire_server::{Reply, WireServer};

fn repeating_server() -> WireServer {
    WireServer::start(|hit| match hit.path.as_str() {
        "/multi" => Reply::new("ok")
            .header("x-multi", "a")
            .header("x-multi", "b, c")
            .header("x-single", "one")
            .header("set-cookie", "a=1; Path=/")
            .header("set-cookie", "b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT"),
        _ => Reply::new("ok"),
    })
}

#[test]
fn header_expectations_see_every_value_of_a_repeated_header() {
    let server = repeating_server();
    let p = Project::new();
    p.file(
        "requests/h.yaml",
        &server.yaml(
            r#"
requests:
  - url: "{URL}/multi"
    expect:
      headers:
        x-multi: [a, "b, c"]
        X-Single: one
        set-cookie:
          length: 2
          contains: "b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT"
        x-absent: { exists: false }
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
}

#[test]
fn header_captures_keep_every_value_of_a_repeated_header() {
    let server = repeating_server();
    let p = Project::new();
    p.file(
        "requests/c.yaml",
        &server.yaml(
            r#"
requests:
  - url: "{URL}/multi"
    capture:
      multi: { header: x-multi }
      single: { header: x-single }
      cookies: { header: set-cookie }
  - url: "{URL}/echo"
    query: { m: "{{ multi }}", s: "{{ single }}", n: "{{ cookies | length }}" }
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    assert_eq!(server.hits()[1].query, "m=a&m=b%2C+c&s=one&n=2");
}

#[test]
fn a_failed_header_expectation_shows_every_value() {
    let server = repeating_server();
    let p = Project::new();
    p.file(
        "requests/f.yaml",
        &server
            .yaml("requests:\n  - url: \"{URL}/multi\"\n    expect: { headers: { x-multi: a } }\n"),
    );
    let run = p.run(&["run"]);
    run.assert_code(1);
    let url = server.url();
    assert_eq!(
        run.stdout,
        format!(
            r#"requests/f.yaml
  ✗ request 1  GET 200  0ms

failures:

✗ requests/f.yaml › request 1
  GET {url}/multi → 200
  error: headers x-multi: expected == "a", got ["a","b, c"]
    --> requests/f.yaml:3:35
    |
  3 |     expect: {{ headers: {{ x-multi: a }} }}
    |                                   ^
    = expected: == "a"
    = actual:   ["a","b, c"]
  body:
    ok

0 passed, 1 failed, 0 skipped (1 file) in 0.00s
"#
        )
    );
}

const KEYED: &str = r#"
apply:
  query: { api_key: k-profile-16, tenant: t1 }
  headers: { X-Key: from-profile }
"#;

#[test]
fn a_request_own_query_parameter_replaces_the_profile_one() {
    let server = WireServer::start(|_| Reply::new("ok"));
    let p = Project::new();
    p.file("profiles/keyed.yaml", KEYED);
    p.file(
        "requests/q.yaml",
        &server.yaml(
            r#"
requests:
  - { url: "{URL}/plain", profile: keyed }
  - url: "{URL}/own"
    profile: keyed
    query: { api_key: wrong-on-purpose }
    headers: { x-key: own }
  - url: "{URL}/list"
    profile: keyed
    query: { tenant: [t2, t3] }
  - url: "{URL}/in-url?api_key=literal"
    profile: keyed
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    let sent: Vec<(String, String, Vec<String>)> = server
        .hits()
        .iter()
        .map(|h| {
            let keys = h.all("x-key").into_iter().map(String::from).collect();
            (h.path.clone(), h.query.clone(), keys)
        })
        .collect();
    let row = |p: &str, q: &str, k: &str| (p.to_string(), q.to_string(), vec![k.to_string()]);
    assert_eq!(
        sent,
        [
            row("/plain", "api_key=k-profile-16&tenant=t1", "from-profile"),
            row("/own", "api_key=wrong-on-purpose&tenant=t1", "own"),
            row(
                "/list",
                "tenant=t2&tenant=t3&api_key=k-profile-16",
                "from-profile"
            ),
            row("/in-url", "api_key=literal&tenant=t1", "from-profile"),
        ]
    );
}

#[test]
fn dry_run_and_curl_follow_the_same_replacement_rule() {
    let p = Project::new();
    p.file("profiles/keyed.yaml", KEYED);
    p.file(
        "requests/q.yaml",
        "requests:\n  - url: \"http://127.0.0.1:9/own\"\n    profile: keyed\n    query: { api_key: mine }\n    headers: { X-Key: own }\n",
    );
    let dry = p.run(&["run", "--dry-run", "--verbose"]);
    dry.assert_code(0);
    assert!(
        dry.stdout.contains(
            "    > GET http://127.0.0.1:9/own?api_key=mine&tenant=%3Ccredentials+of+profile+keyed%3E\n    > X-Key: own\n"
        ),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .lines()
            .all(|l| l.matches("api_key").count() <= 1),
        "{}",
        dry.stdout
    );
    let curl = p.run(&["curl", "requests/q.yaml"]);
    curl.assert_code(0);
    assert_eq!(curl.stdout.matches("api_key").count(), 1, "{}", curl.stdout);
}
