//! Kind: the run options that shape how requests go out
//! (`--continue-on-error`, `--proxy`, `--connect-timeout`), each against a
//! real server on 127.0.0.1.

use crate::support::{Project, TestServer, with_url};

const SMOKE: &str = r#"
requests:
  - name: first check fails
    url: "{URL}/status/500"
    expect: { status: 200 }
    capture:
      etag: { header: ETag }
  - name: independent check
    url: "{URL}/json"
    expect: { status: 200 }
  - name: needs the failed capture
    url: "{URL}/echo/{{ etag }}"
  - name: later check fails too
    url: "{URL}/status/404"
    expect: { status: 200 }
"#;

#[test]
fn continue_on_error_runs_independent_requests_and_skips_dependent_ones() {
    let server = TestServer::start();
    let p = Project::new();
    p.file("requests/smoke.yaml", &with_url(&server, SMOKE));
    let run = p.run(&["run", "--continue-on-error"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let lines: Vec<&str> = run.stdout.lines().take(5).collect();
    assert_eq!(
        lines,
        [
            "requests/smoke.yaml",
            "  ✗ first check fails  GET 500  0ms",
            "  ✓ independent check  GET 200  0ms",
            "  - needs the failed capture  skipped: needs `etag`, which the failed `first check fails` did not capture",
            "  ✗ later check fails too  GET 404  0ms",
        ]
    );
    assert!(
        run.stdout
            .ends_with("1 passed, 2 failed, 1 skipped (1 file) in 0.00s\n"),
        "{}",
        run.stdout
    );
    assert_eq!(server.hits_to("/json").len(), 1);
    assert_eq!(server.hits_to("/status/404").len(), 1);
}

#[test]
fn without_continue_on_error_a_failure_stops_the_file() {
    let server = TestServer::start();
    let p = Project::new();
    p.file("requests/smoke.yaml", &with_url(&server, SMOKE));
    let run = p.run(&["run"]);
    assert_eq!(run.code, 1);
    assert!(server.hits_to("/json").is_empty());
}

#[test]
fn proxy_receives_every_request_in_absolute_form() {
    let proxy = TestServer::start();
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        "requests:\n  - name: through the proxy\n    url: http://api.example.invalid/json\n    expect: { status: 200 }\n",
    );
    let url = proxy.url();
    let run = p.run(&["run", "--proxy", &url]);
    assert_eq!(run.code, 0, "{}", run.all());
    let hits = proxy.hits_to("/json");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].header("host"), Some("api.example.invalid"));
}

#[test]
fn verbose_names_the_proxy_without_its_password() {
    let proxy = TestServer::start();
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        "requests:\n  - name: a\n    url: http://api.example.invalid/echo\n",
    );
    let with_user = format!("http://user:pa55word@{}", proxy.addr);
    let run = p.run(&["run", "--verbose", "--proxy", &with_user]);
    assert_eq!(run.code, 0, "{}", run.all());
    let line = format!("proxy: http://127.0.0.1:{} (--proxy)", proxy.addr.port());
    assert!(run.all().contains(&line), "{}", run.all());
    // The proxy got the credentials; the echoed `Proxy-Authorization` is
    // masked in the output, in every form.
    let hit = &proxy.hits_to("/echo")[0];
    assert_eq!(
        hit.header("proxy-authorization"),
        Some("Basic dXNlcjpwYTU1d29yZA==")
    );
    assert!(!run.all().contains("pa55word"));
    assert!(!run.all().contains("dXNlcjpwYTU1d29yZA"), "{}", run.all());
}

#[test]
fn bad_proxy_and_connect_timeout_values_are_exit_2_before_sending() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        &with_url(&server, "requests:\n  - name: a\n    url: \"{URL}/json\"\n"),
    );
    let run = p.run(&["run", "--proxy", "ftp://proxy:21"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --proxy: `ftp://proxy:21` is not a proxy URL\n  = hint: write http://host:port or https://host:port\nnothing was sent\n"
    );
    let run = p.run(&["run", "--connect-timeout", "soon"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --connect-timeout: `soon` is not a duration (write e.g. 250ms, 2s, 5m, 1h)\n  = hint: write e.g. 5s or 500ms\nnothing was sent\n"
    );
    let run = p.run(&["run", "--connect-timeout", "2s"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(server.hits_to("/json").len(), 1);
}
