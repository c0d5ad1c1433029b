//! Kind: output in path order whatever `--jobs` is. A slow first file and a
//! fast second file run in parallel: the console, TAP numbers and the JSON
//! report still list the first file first.

use crate::support::TestServer;
use crate::test::Test;

const SLOW: &str = r#"
requests:
  - name: slow one
    url: "{URL}/slow/400"
"#;

const FAST: &str = r#"
requests:
  - name: fast one
    url: "{URL}/json"
"#;

#[test]
fn parallel_files_print_and_report_in_path_order() {
    let server = TestServer::start();
    let out = Test::new()
        .server(&server)
        .file("requests/a-slow.yaml", SLOW)
        .file("requests/b-fast.yaml", FAST)
        .args(&["run", "--jobs", "2", "--report", "tap:out.tap"])
        .keep_file_order()
        .stdout(
            r#"
            requests/a-slow.yaml
              ✓ slow one  GET 200  0ms
            requests/b-fast.yaml
              ✓ fast one  GET 200  0ms

            2 passed, 0 failed, 0 skipped (2 files) in 0.00s
        "#,
        )
        .run();
    let tap = std::fs::read_to_string(out.test().path().join("out.tap")).expect("tap report");
    let points: Vec<&str> = tap.lines().filter(|l| l.starts_with("ok ")).collect();
    assert_eq!(
        points,
        [
            "ok 1 - requests/a-slow.yaml › slow one",
            "ok 2 - requests/b-fast.yaml › fast one"
        ]
    );
}
