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
    let run = p.run(&["run"]);
    run.assert_code(0);
    assert_eq!(server.hits_to("/echo/u-1").len(), 1);
}
