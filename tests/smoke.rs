use crate::support::{Project, TestServer};

#[test]
fn passing_file_exits_zero_and_captures_flow() {
    let server = TestServer::start();
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        &format!(
            r#"
requests:
  - name: list users
    url: "{url}/json"
    expect:
      status: 200
      json:
        $.data.totalCount: 2
    capture:
      uid: $.data.users[0].userUid
  - name: echo uid
    url: "{url}/echo/{{{{ uid }}}}"
    expect:
      json:
        $.path: /echo/u-1
"#,
            url = server.url()
        ),
    );
    p.test()
        .args(&["run"])
        .stdout(
            r#"
        requests/a.yaml
          ✓ list users  GET 200  0ms
          ✓ echo uid  GET 200  0ms

        2 passed, 0 failed, 0 skipped (1 file) in 0.00s
    "#,
        )
        .run();
    assert_eq!(server.hits_to("/echo/u-1").len(), 1);
}
