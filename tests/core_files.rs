//! Files: discovery, path order, a failure stopping only its own file,
//! `--jobs` and `--shard`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::routing::get;

use crate::support::{Project, TestServer};

fn paths(server: &TestServer) -> Vec<String> {
    server.hits().into_iter().map(|h| h.path).collect()
}

fn one(name: &str) -> String {
    format!("requests:\n  - url: \"{{URL}}/echo/{name}\"\n")
}

#[test]
fn discovers_yaml_and_yml_recursively_in_path_order() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/b.yaml", &server, &one("b"));
    p.request_file("requests/a.yml", &server, &one("a"));
    p.request_file("requests/sub/c.yaml", &server, &one("sub-c"));
    p.request_file("requests/sub/deeper/a.yaml", &server, &one("sub-deeper-a"));
    p.request_file("requests/z.yaml", &server, &one("z"));
    p.file("requests/notes.txt", "not: [a request file");
    p.file("requests/README.md", "# not yaml");
    p.request_file("requests/.hidden.yaml", &server, &one("hidden"));
    p.request_file("other/x.yaml", &server, &one("other"));
    p.test()
        .args(&["run", "--jobs", "1"])
        .stdout(
            r#"
        requests/a.yml
          ✓ request 1  GET 200  0ms
        requests/b.yaml
          ✓ request 1  GET 200  0ms
        requests/sub/c.yaml
          ✓ request 1  GET 200  0ms
        requests/sub/deeper/a.yaml
          ✓ request 1  GET 200  0ms
        requests/z.yaml
          ✓ request 1  GET 200  0ms

        5 passed, 0 failed, 0 skipped (5 files) in 0.00s
    "#,
        )
        .run();
    assert_eq!(
        paths(&server),
        [
            "/echo/a",
            "/echo/b",
            "/echo/sub-c",
            "/echo/sub-deeper-a",
            "/echo/z"
        ]
    );
}

#[test]
fn explicit_paths_replace_the_default_folder() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/a.yaml", &server, &one("a"));
    p.request_file("other/x.yaml", &server, &one("x"));
    p.request_file("other/y.yaml", &server, &one("y"));
    p.test()
        .args(&["run", "other/y.yaml", "other"])
        .stdout(
            r#"
        other/x.yaml
          ✓ request 1  GET 200  0ms
        other/y.yaml
          ✓ request 1  GET 200  0ms

        2 passed, 0 failed, 0 skipped (2 files) in 0.00s
    "#,
        )
        .run();
    let mut got = paths(&server);
    got.sort();
    assert_eq!(
        got,
        ["/echo/x", "/echo/y"],
        "each file runs once, requests/ is not run"
    );

    p.test()
        .args(&["run", "nowhere.yaml"])
        .status(2)
        .stderr(
            r#"
            error: no such file or folder
              --> nowhere.yaml
              = hint: pass request files or folders; the default is requests/
            nothing was sent
        "#,
        )
        .run();
}

#[test]
fn a_failing_request_stops_its_file_while_other_files_go_on() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file(
        "requests/a.yaml",
        &server,
        r#"
requests:
  - url: "{URL}/echo/a1"
  - name: broken
    url: "{URL}/status/500"
    expect: { status: 200 }
  - url: "{URL}/echo/a3"
  - url: "{URL}/echo/a4"
"#,
    );
    p.request_file(
        "requests/b.yaml",
        &server,
        "requests:\n  - url: \"{URL}/echo/b1\"\n  - url: \"{URL}/echo/b2\"\n",
    );
    for jobs in ["1", "4"] {
        server.shared.hits.lock().unwrap().clear();
        p.test()
            .args(&["run", "--jobs", jobs])
            .status(1)
            .stdout(
                r#"
                requests/a.yaml
                  ✓ request 1  GET 200  0ms
                  ✗ broken  GET 500  0ms
                  - request 3  skipped: `broken` failed
                  - request 4  skipped: `broken` failed
                requests/b.yaml
                  ✓ request 1  GET 200  0ms
                  ✓ request 2  GET 200  0ms

                failures:

                ✗ requests/a.yaml › broken
                  GET {URL}/status/500 → 500
                  error: status: expected status 200, got 500
                    --> requests/a.yaml:6:23
                    |
                  6 |     expect: { status: 200 }
                    |                       ^^^
                    = expected: 200
                    = actual:   500
                  body:
                    status 500

                3 passed, 1 failed, 2 skipped (2 files) in 0.00s
            "#,
            )
            .run();
        let mut got = paths(&server);
        got.sort();
        assert_eq!(
            got,
            ["/echo/a1", "/echo/b1", "/echo/b2", "/status/500"],
            "--jobs {jobs}"
        );
    }
}

/// A server whose `/concurrent` route records the most requests in flight at once.
fn concurrency_server() -> (TestServer, Arc<AtomicUsize>) {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let (i, m) = (in_flight.clone(), max.clone());
    let server = TestServer::with(move |r| {
        r.route(
            "/concurrent/{name}",
            get(move || {
                let (i, m) = (i.clone(), m.clone());
                async move {
                    let now = i.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    i.fetch_sub(1, Ordering::SeqCst);
                    "ok"
                }
            }),
        )
    });
    (server, max)
}

fn concurrency_project(server: &TestServer) -> Project {
    let p = Project::new();
    for name in ["a", "b", "c", "d"] {
        p.request_file(
            &format!("requests/{name}.yaml"),
            server,
            &format!(
                "requests:\n  - url: \"{{URL}}/concurrent/{name}-1\"\n  - url: \"{{URL}}/concurrent/{name}-2\"\n"
            ),
        );
    }
    p
}

#[test]
fn jobs_one_runs_files_one_after_the_other_in_order() {
    let (server, max) = concurrency_server();
    concurrency_project(&server)
        .test()
        .args(&["run", "--jobs", "1"])
        .stdout(
            r#"
            requests/a.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms
            requests/b.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms
            requests/c.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms
            requests/d.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms

            8 passed, 0 failed, 0 skipped (4 files) in 0.00s
        "#,
        )
        .run();
    assert_eq!(max.load(Ordering::SeqCst), 1);
    assert_eq!(
        paths(&server),
        [
            "/concurrent/a-1",
            "/concurrent/a-2",
            "/concurrent/b-1",
            "/concurrent/b-2",
            "/concurrent/c-1",
            "/concurrent/c-2",
            "/concurrent/d-1",
            "/concurrent/d-2"
        ]
    );
}

#[test]
fn jobs_runs_files_in_parallel_and_requests_of_a_file_in_order() {
    let (server, max) = concurrency_server();
    concurrency_project(&server)
        .test()
        .args(&["run", "--jobs", "4"])
        .stdout(
            r#"
            requests/a.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms
            requests/b.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms
            requests/c.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms
            requests/d.yaml
              ✓ request 1  GET 200  0ms
              ✓ request 2  GET 200  0ms

            8 passed, 0 failed, 0 skipped (4 files) in 0.00s
        "#,
        )
        .run();
    assert!(max.load(Ordering::SeqCst) >= 2, "files ran in parallel");
    assert!(
        max.load(Ordering::SeqCst) <= 4,
        "at most --jobs files at a time"
    );
    let got = paths(&server);
    for name in ["a", "b", "c", "d"] {
        let first = got
            .iter()
            .position(|p| *p == format!("/concurrent/{name}-1"))
            .unwrap();
        let second = got
            .iter()
            .position(|p| *p == format!("/concurrent/{name}-2"))
            .unwrap();
        assert!(first < second, "requests of {name} stay in order: {got:?}");
    }
}

#[test]
fn jobs_zero_is_invalid() {
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        "requests:\n  - url: http://127.0.0.1:9/x\n",
    );
    p.test()
        .args(&["run", "--jobs", "0"])
        .status(2)
        .stderr(
            r#"
        error: --jobs must be at least 1
        nothing was sent
    "#,
        )
        .run();
}

/// The console report of `requests/{f}.yaml` for each of `files`, each with
/// one passing request.
fn passing_report(files: &[&str]) -> String {
    let mut out = String::new();
    for f in files {
        out += &format!("requests/{f}.yaml\n  ✓ request 1  GET 200  0ms\n");
    }
    let n = files.len();
    let s = if n == 1 { "" } else { "s" };
    out + &format!("\n{n} passed, 0 failed, 0 skipped ({n} file{s}) in 0.00s\n")
}

#[test]
fn shards_are_deterministic_disjoint_and_cover_every_file() {
    let server = TestServer::start();
    let p = Project::new();
    let names: Vec<String> = (0..7).map(|i| format!("f{i}")).collect();
    for n in &names {
        p.request_file(&format!("requests/{n}.yaml"), &server, &one(n));
    }
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    for (k, files) in [
        (1, &["f0", "f3", "f6"][..]),
        (2, &["f1", "f4"]),
        (3, &["f2", "f5"]),
    ] {
        let shard = format!("{k}/3");
        server.shared.hits.lock().unwrap().clear();
        p.test()
            .args(&["run", "--shard", &shard])
            .stdout(&passing_report(files))
            .run();
        let first: BTreeSet<String> = paths(&server).into_iter().collect();
        server.shared.hits.lock().unwrap().clear();
        p.test()
            .args(&["run", "--shard", &shard])
            .stdout(&passing_report(files))
            .run();
        let again: BTreeSet<String> = paths(&server).into_iter().collect();
        assert_eq!(first, again, "shard {shard} is deterministic");
        assert!(!first.is_empty(), "shard {shard} is not empty");
        seen.push(first);
    }
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert!(a.is_disjoint(b), "{a:?} and {b:?} overlap");
        }
    }
    let all: BTreeSet<String> = seen.into_iter().flatten().collect();
    let expected: BTreeSet<String> = names.iter().map(|n| format!("/echo/{n}")).collect();
    assert_eq!(all, expected);
}

#[test]
fn invalid_shards_are_refused() {
    let server = TestServer::start();
    let p = Project::new();
    p.request_file("requests/a.yaml", &server, &one("a"));
    for bad in ["0/3", "4/3", "1/0", "x", "1-3"] {
        p.test()
            .args(&["run", "--shard", bad])
            .status(2)
            .stderr(&format!(
                "error: invalid --shard `{bad}`\n  = hint: write --shard K/N with 1 <= K <= N, e.g. --shard 2/4\nnothing was sent\n"
            ))
            .run();
    }
    server.expect_no_hits();
}
