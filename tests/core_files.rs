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
    p.run(&["run", "--jobs", "1"]).assert_code(0);
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
    p.run(&["run", "other/y.yaml", "other"]).assert_code(0);
    let mut got = paths(&server);
    got.sort();
    assert_eq!(
        got,
        ["/echo/x", "/echo/y"],
        "each file runs once, requests/ is not run"
    );

    let run = p.run(&["run", "nowhere.yaml"]);
    run.assert_code(2)
        .assert_stderr_has("nowhere.yaml")
        .assert_stderr_has("no such file");
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
        let run = p.run(&["run", "--jobs", jobs]);
        run.assert_code(1)
            .assert_has("broken")
            .assert_has("expected status 200, got 500");
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
        .run(&["run", "--jobs", "1"])
        .assert_code(0);
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
        .run(&["run", "--jobs", "4"])
        .assert_code(0);
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
    p.run(&["run", "--jobs", "0"])
        .assert_code(2)
        .assert_stderr_has("--jobs");
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
    for k in 1..=3 {
        let shard = format!("{k}/3");
        server.shared.hits.lock().unwrap().clear();
        p.run(&["run", "--shard", &shard]).assert_code(0);
        let first: BTreeSet<String> = paths(&server).into_iter().collect();
        server.shared.hits.lock().unwrap().clear();
        p.run(&["run", "--shard", &shard]).assert_code(0);
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
        p.run(&["run", "--shard", bad])
            .assert_code(2)
            .assert_stderr_has("--shard");
    }
    server.expect_no_hits();
}
