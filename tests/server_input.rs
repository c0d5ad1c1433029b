//! Kind: what a server sends is range-checked and bounded like what a user
//! writes: lifetimes past the clock's range, bodies past `--max-body`, and
//! values with line breaks fail clearly, never with a panic or unbounded
//! memory.

use axum::Json;
use axum::routing::{get, post};
use serde_json::json;

use crate::support::{Project, TestServer};

/// `{"alg":"none"}` . `{"sub":"ann","exp":18446744073709551615}` . x
const JWT_MAX_EXP: &str =
    "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm4iLCJleHAiOjE4NDQ2NzQ0MDczNzA5NTUxNjE1fQ.x";
/// `{"alg":"none"}` . `{"sub":"ann","exp":1e300}` . x
const JWT_HUGE_FLOAT_EXP: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm4iLCJleHAiOjFlMzAwfQ.x";

fn server() -> TestServer {
    TestServer::with(|r| {
        r.route(
            "/login-huge-expiry",
            post(|| async { Json(json!({"token": "t1", "expires_in": "99999999999999999999"})) }),
        )
        .route(
            "/login-jwt-max",
            post(|| async { Json(json!({"token": JWT_MAX_EXP})) }),
        )
        .route(
            "/login-jwt-float",
            post(|| async { Json(json!({"token": JWT_HUGE_FLOAT_EXP})) }),
        )
        .route("/big", get(|| async { "a".repeat(10 * 1024) }))
        .route(
            "/header-with-break",
            get(|| async { Json(json!({"v": "a\r\nX-Evil: 1"})) }),
        )
    })
}

fn profile_project(server: &TestServer, login: &str, expires: &str) -> Project {
    let p = Project::new();
    p.file("sesame.yaml", "");
    p.file(
        "profiles/p.yaml",
        &format!(
            "login:\n  - url: \"{}{login}\"\n    method: POST\n    capture:\n      token: $.token\n{expires}apply:\n  headers: {{ Authorization: \"Bearer {{{{ token }}}}\" }}\n",
            server.url()
        ),
    );
    p.file(
        "requests/a.yaml",
        &format!(
            "profile: p\nrequests:\n  - name: one\n    url: \"{}/json\"\n",
            server.url()
        ),
    );
    p
}

#[test]
fn a_lifetime_past_the_clock_from_the_server_is_a_clear_login_error() {
    let s = server();
    let p = profile_project(
        &s,
        "/login-huge-expiry",
        "      expires_in: $.expires_in\nexpires_in: \"{{ expires_in }}\"\n",
    );
    let run = p.run(&["run", "--no-cache"]);
    assert_eq!(run.code, 3, "{}", run.all());
    assert!(
        run.all().contains("is too long: at most 100 years"),
        "{}",
        run.all()
    );
    assert!(!run.all().contains("panicked"), "{}", run.all());
}

#[test]
fn a_jwt_expiring_at_the_end_of_u64_is_used_without_a_panic() {
    for login in ["/login-jwt-max", "/login-jwt-float"] {
        let s = server();
        let p = profile_project(&s, login, "");
        let run = p.run(&["run", "--no-cache"]);
        assert_eq!(run.code, 0, "{login}: {}", run.all());
        assert_eq!(s.hits_to("/json").len(), 1, "{login}");
    }
}

fn big_body_project(server: &TestServer, expect: &str) -> Project {
    let p = Project::new();
    p.file("sesame.yaml", "");
    p.file(
        "requests/a.yaml",
        &format!(
            "requests:\n  - name: big\n    url: \"{}/big\"\n    expect: {expect}\n",
            server.url()
        ),
    );
    p
}

#[test]
fn a_body_past_max_body_keeps_status_checks() {
    let s = server();
    let p = big_body_project(
        &s,
        "{ status: 200, headers: { content-type: { contains: text } } }",
    );
    let run = p.run(&["run", "--max-body", "1KiB"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn a_body_past_max_body_fails_the_expectations_that_need_it() {
    let s = server();
    for expect in [
        "{ status: 200, body: { contains: needle } }",
        "{ body: { contains: aaa } }",
        "{ json: { $.a: 1 } }",
    ] {
        let p = big_body_project(&s, expect);
        let run = p.run(&["run", "--max-body", "1KiB"]);
        assert_eq!(run.code, 1, "{expect}: {}", run.all());
        assert!(
            run.stdout.contains(
                "the body is larger than 1 KiB (--max-body): 10 KiB received, so it was not checked"
            ),
            "{expect}: {}",
            run.all()
        );
    }
}

#[test]
fn a_capture_from_a_body_past_max_body_fails_naming_the_limit() {
    let s = server();
    let p = Project::new();
    p.file("sesame.yaml", "");
    p.file(
        "requests/a.yaml",
        &format!(
            "requests:\n  - name: big\n    url: \"{}/big\"\n    capture: {{ x: {{ regex: 'a+', from: body }} }}\n",
            s.url()
        ),
    );
    let run = p.run(&["run", "--max-body", "1KiB"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout
            .contains("capture `x`: the body is larger than 1 KiB"),
        "{}",
        run.all()
    );
}

#[test]
fn a_rendered_header_with_a_line_break_fails_that_request_only() {
    let s = server();
    let p = Project::new();
    p.file("sesame.yaml", "");
    p.file(
        "requests/a.yaml",
        &format!(
            "requests:\n  - name: get\n    url: \"{0}/header-with-break\"\n    capture: {{ v: $.v }}\n  - name: use\n    url: \"{0}/json\"\n    headers: {{ X-V: \"{{{{ v }}}}\" }}\n",
            s.url()
        ),
    );
    let run = p.run(&["run"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(s.hits_to("/json").is_empty(), "the header was sent");
    assert!(!run.all().contains("X-Evil: 1\n"), "{}", run.all());
}
