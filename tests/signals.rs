//! Kind: every way a run is told to stop (SIGINT, SIGTERM, SIGHUP, a second
//! signal during a hanging logout) logs out every session it opened, writes
//! complete reports and exits with the signal's code.

use std::time::{Duration, Instant};

use crate::support::{Project, TestServer, finish};

const PROFILE: &str = r#"
login:
  - name: sign in
    method: POST
    url: "@URL@/session"
    expect: { status: 200 }
apply:
  cookies: true
logout:
  - name: sign out
    method: @LOGOUT_METHOD@
    url: "@URL@@LOGOUT@"
    expect: { status: 200 }
"#;

const REQUESTS: &str = r#"
profile: sess
requests:
  - name: data
    url: "@URL@/session/data"
    expect: { status: 200 }
  - name: slow
    url: "@URL@/slow/20000"
"#;

/// A project whose profile logs out with `logout` (`METHOD /path`).
fn project(server: &TestServer, logout: &str) -> Project {
    let p = Project::new();
    let (method, path) = logout.split_once(' ').expect("METHOD /path");
    let sub = |t: &str| {
        t.replace("@URL@", &server.url())
            .replace("@LOGOUT_METHOD@", method)
            .replace("@LOGOUT@", path)
    };
    p.file("profiles/sess.yaml", &sub(PROFILE));
    p.file("requests/a.yaml", &sub(REQUESTS));
    p
}

/// Waits (bounded) until the server has seen a request to `path`.
fn wait_for_hit(server: &TestServer, path: &str) {
    let started = Instant::now();
    while server.hits_to(path).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{path} was never requested"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send(signal: &str, pid: u32) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// The JSON report's summary, as `passed/failed/skipped`.
fn summary(p: &Project) -> String {
    let text = std::fs::read_to_string(p.path().join("out.json")).expect("json report");
    let v: serde_json::Value = serde_json::from_str(&text).expect("complete JSON");
    let s = &v["summary"];
    format!("{}/{}/{}", s["passed"], s["failed"], s["skipped"])
}

fn stop_during_a_request(signal: &str, code: i32, said: &str) {
    let server = TestServer::start();
    let p = project(&server, "POST /session/end");
    let child = p.spawn(&["run", "--report", "json:out.json"]);
    wait_for_hit(&server, "/slow/20000");
    send(signal, child.id());
    let run = finish(child);
    assert_eq!(
        run.code, code,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_eq!(server.counter("signouts"), 1, "logged out once");
    assert!(
        run.all().contains(&format!("{said}: logging out")),
        "{}",
        run.all()
    );
    assert_eq!(summary(&p), "1/0/0", "the request before the signal counts");
}

#[test]
fn sigint_logs_out_writes_reports_and_exits_130() {
    stop_during_a_request("INT", 130, "interrupted");
}

#[test]
fn sigterm_logs_out_writes_reports_and_exits_143() {
    stop_during_a_request("TERM", 143, "terminated");
}

#[test]
fn sighup_logs_out_writes_reports_and_exits_129() {
    stop_during_a_request("HUP", 129, "hung up");
}

#[test]
fn a_second_signal_abandons_a_hanging_logout_and_keeps_the_first_code() {
    let server = TestServer::start();
    let p = project(&server, "GET /slow/20000");
    let child = p.spawn(&["run", "--report", "json:out.json"]);
    wait_for_hit(&server, "/slow/20000");
    send("TERM", child.id());
    // The logout step goes to the same slow route: wait for its request.
    let started = Instant::now();
    while server.hits_to("/slow/20000").len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no logout sent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    send("INT", child.id());
    let run = finish(child);
    assert_eq!(run.code, 143, "{}", run.stderr);
    assert!(
        run.all().contains("interrupted: logout abandoned"),
        "{}",
        run.all()
    );
    assert_eq!(summary(&p), "1/0/0");
}
