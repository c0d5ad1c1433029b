//! Kind: bodies that come from files — `body: { file: }` sends a file's
//! bytes, `multipart:` sends text and file fields — as the server receives
//! them, and a missing file is invalid input found before anything is sent.

use crate::support::{Project, TestServer, with_url};

#[test]
fn body_file_sends_the_files_bytes() {
    let server = TestServer::start();
    let p = Project::new();
    p.file("requests/data/payload.txt", "line one\nline two\n");
    p.file(
        "requests/a.yaml",
        &with_url(
            &server,
            "requests:\n  - name: upload\n    method: PUT\n    url: \"{URL}/echo\"\n    body: { file: data/payload.txt }\n",
        ),
    );
    let run = p.run(&["run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let hit = &server.hits_to("/echo")[0];
    assert_eq!(hit.method, "PUT");
    assert_eq!(hit.body, "line one\nline two\n");
    assert_eq!(hit.header("content-length"), Some("18"));
    assert_eq!(hit.header("content-type"), Some("application/octet-stream"));
}

#[test]
fn multipart_sends_text_and_file_fields_in_order() {
    let server = TestServer::start();
    let p = Project::new();
    p.file("requests/logo.svg", "<svg/>");
    p.file(
        "requests/a.yaml",
        &with_url(
            &server,
            r#"
vars: { who: "alice" }
requests:
  - name: upload
    method: POST
    url: "{URL}/echo"
    multipart:
      owner: "{{ who }}"
      logo: { file: logo.svg, content_type: image/svg+xml, filename: brand.svg }
"#,
        ),
    );
    let run = p.run(&["run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let hit = &server.hits_to("/echo")[0];
    let ct = hit.header("content-type").unwrap().to_string();
    let boundary = ct
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type");
    assert_eq!(
        hit.body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"owner\"\r\n\r\nalice\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"brand.svg\"\r\nContent-Type: image/svg+xml\r\n\r\n<svg/>\r\n--{boundary}--\r\n"
        )
    );
}

#[test]
fn a_missing_body_file_is_exit_2_before_sending() {
    let server = TestServer::start();
    server.expect_no_hits();
    let p = Project::new();
    p.file(
        "requests/a.yaml",
        &with_url(
            &server,
            "requests:\n  - name: upload\n    url: \"{URL}/echo\"\n    body: { file: nowhere.bin }\n",
        ),
    );
    let run = p.run(&["run"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: file `nowhere.bin` does not exist\n  --> requests/a.yaml:4:11\n  |\n4 |     body: { file: nowhere.bin }\n  |           ^\n  = hint: paths are relative to the request file's folder\nnothing was sent\n"
    );
}
