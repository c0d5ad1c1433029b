//! The JUnit report as CI tools read it: valid against the Jenkins JUnit
//! schema (`tests/junit/jenkins-junit.xsd`, checked with `xmllint`), with
//! `<error>` for transport and login errors and every failed expectation
//! in the message.

use std::process::Command;

use crate::support::{Project, TestServer, with_url};

const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/junit/jenkins-junit.xsd");

/// A run with a pass, a skip, a failure of two expectations, a transport
/// error and a login error.
fn project(server: &TestServer) -> Project {
    let p = Project::new();
    p.file("sesame.yaml", "");
    p.request_file(
        "profiles/refused.yaml",
        server,
        "login:\n  - name: get token\n    method: POST\n    url: \"{URL}/status/401\"\n    expect: { status: 200 }\napply:\n  headers: { X-Token: t }\n",
    );
    p.request_file(
        "requests/a-checks.yaml",
        server,
        r#"requests:
  - name: ok
    url: "{URL}/json"
  - name: two wrong
    url: "{URL}/json"
    expect:
      status: 201
      json:
        $.data.totalCount: 3
  - name: never reached
    url: "{URL}/json"
"#,
    );
    p.file(
        "requests/b-down.yaml",
        "requests:\n  - name: refused\n    url: \"http://127.0.0.1:9/down\"\n",
    );
    p.request_file(
        "requests/c-login.yaml",
        server,
        "profile: refused\nrequests:\n  - name: behind login\n    url: \"{URL}/json\"\n",
    );
    p
}

/// `xml` with every `time="…"` made `time="T"`, for exact comparison.
fn without_times(xml: &str) -> String {
    regex::Regex::new(r#"time="[0-9.]+""#)
        .unwrap()
        .replace_all(xml, r#"time="T""#)
        .into_owned()
}

#[test]
fn junit_validates_against_the_jenkins_schema() {
    let server = TestServer::start();
    let p = project(&server);
    let run = p.run(&["run", "--jobs", "1", "--report", "junit:out/junit.xml"]);
    run.assert_code(3);
    let mut xmllint = Command::new("xmllint");
    xmllint
        .args(["--noout", "--schema", XSD, "out/junit.xml"])
        .current_dir(p.path());
    let checked = xmllint
        .output()
        .expect("xmllint (apt-get install libxml2-utils)");
    assert_eq!(
        String::from_utf8_lossy(&checked.stderr),
        "out/junit.xml validates\n"
    );
    assert!(checked.status.success());
}

#[test]
fn junit_errors_failures_and_messages() {
    let server = TestServer::start();
    let p = project(&server);
    let run = p.run(&["run", "--jobs", "1", "--report", "junit:-"]);
    run.assert_code(3);
    let xml = without_times(&run.stdout);
    let expected = with_url(&server, EXPECTED);

    assert_eq!(xml, expected);
}

const EXPECTED: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sesame" tests="5" failures="1" errors="2" time="T">
    <testsuite name="a-checks" tests="3" errors="0" failures="1" time="T" file="requests/a-checks.yaml" skipped="1">
        <testcase name="ok" classname="requests/a-checks.yaml" time="T">
        </testcase>
        <testcase name="two wrong" classname="requests/a-checks.yaml" time="T">
            <failure message="status: expected status 201, got 200; json $.data.totalCount: expected == 3, got 2" type="status">status: expected status 201, got 200
  at: requests/a-checks.yaml:7:15
  expected: 201
  actual:   200
json $.data.totalCount: expected == 3, got 2
  at: requests/a-checks.yaml:9:28
  expected: == 3
  actual:   2
GET {URL}/json → 200 (1 attempt)
body:
{&quot;data&quot;:{&quot;totalCount&quot;:2,&quot;users&quot;:[{&quot;userUid&quot;:&quot;u-1&quot;,&quot;username&quot;:&quot;alice@example.com&quot;,&quot;active&quot;:true,&quot;roles&quot;:[&quot;admin&quot;,&quot;user&quot;]},{&quot;userUid&quot;:&quot;u-2&quot;,&quot;username&quot;:&quot;bob@example.com&quot;,&quot;active&quot;:false,&quot;roles&quot;:[]}]},&quot;build&quot;:&quot;build-4711&quot;,&quot;ratio&quot;:0.5,&quot;nothing&quot;:null}
</failure>
        </testcase>
        <testcase name="never reached" classname="requests/a-checks.yaml" time="T">
            <skipped message="`two wrong` failed"/>
        </testcase>
    </testsuite>
    <testsuite name="b-down" tests="1" errors="1" failures="0" time="T" file="requests/b-down.yaml" skipped="0">
        <testcase name="refused" classname="requests/b-down.yaml" time="T">
            <error message="GET http://127.0.0.1:9/down: error sending request for url (http://127.0.0.1:9/down): client error (Connect): tcp connect error: Connection refused (os error 111)" type="transport">transport: GET http://127.0.0.1:9/down: error sending request for url (http://127.0.0.1:9/down): client error (Connect): tcp connect error: Connection refused (os error 111)
  at: requests/b-down.yaml:2:5
GET http://127.0.0.1:9/down → no response (1 attempt)
</error>
        </testcase>
    </testsuite>
    <testsuite name="c-login" tests="1" errors="1" failures="0" time="T" file="requests/c-login.yaml" skipped="0">
        <testcase name="behind login" classname="requests/c-login.yaml" time="T">
            <error message="profile refused could not log in: login step `get token`: expected status 200, got 401; response: status 401" type="login refused">login refused: profile refused could not log in: login step `get token`: expected status 200, got 401; response: status 401
  at: requests/c-login.yaml:3:5
GET {URL}/json → no response (0 attempts)
</error>
        </testcase>
    </testsuite>
</testsuites>
"##;

/// The JSON report of a run with every outcome, and of a dry run, matches
/// the schema documented in `docs/report.schema.json`.
#[test]
fn json_report_matches_its_documented_schema() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/report.schema.json"
    ))
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    let server = TestServer::start();
    let p = project(&server);
    for args in [
        &["run", "--jobs", "1", "--report", "json:-"][..],
        &["run", "--dry-run", "--report", "json:-"][..],
    ] {
        let run = p.run(args);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}\n{}", run.stdout);
        assert_eq!(doc["files"].as_array().unwrap().len(), 3);
    }
    // The schema is strict: an unknown field is refused.
    let mut doc: serde_json::Value =
        serde_json::from_str(&p.run(&["run", "--report", "json:-"]).stdout).unwrap();
    doc["summary"]["extra"] = 1.into();
    assert!(!v.is_valid(&doc));
}
