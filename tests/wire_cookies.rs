//! Cookies have an owner (issue 8, kind 7): one jar per profile (its login
//! steps' and its requests' cookies), one per file for requests without a
//! profile. A `Cookie` header comes from one jar, one value per name; a
//! rotated cookie replaces the old one; nothing crosses to another profile,
//! to `profile: none`, or to another file.

use crate::support::Project;
use crate::wire_server::{Reply, WireServer};

/// `/login/NAME` starts a session `NAME-1` (and a second cookie); `/rotate`
/// rotates `sid` to the next value with other attributes; `/set/K=V` sets
/// any cookie; everything else answers 200.
fn session_server() -> WireServer {
    let rotations = std::sync::atomic::AtomicU32::new(0);
    WireServer::start(move |hit| {
        let path = hit.path.as_str();
        if let Some(name) = path.strip_prefix("/login/") {
            return Reply::new("in")
                .header("set-cookie", format!("sid={name}-1; Path=/; HttpOnly"))
                .header("set-cookie", format!("theme={name}; Path=/"));
        }
        if path == "/api/rotate" {
            let n = rotations.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 2;
            // Same name, another Path: still the one `sid`.
            return Reply::new("rotated").header("set-cookie", format!("sid=s{n}x; Path=/api"));
        }
        if let Some(pair) = path.strip_prefix("/set/") {
            return Reply::new("set").header("set-cookie", format!("{pair}; Path=/"));
        }
        Reply::new("ok")
    })
}

const PROFILE: &str = r#"
login:
  - name: sign in
    method: POST
    url: "{URL}/login/NAME"
    expect: { status: 200 }
apply:
  cookies: true
logout:
  - name: sign out
    method: POST
    url: "{URL}/logout/NAME"
"#;

fn profile(server: &WireServer, name: &str) -> String {
    server.yaml(&PROFILE.replace("NAME", name))
}

/// The `Cookie` header of every request the server received, by path.
fn cookies(server: &WireServer) -> Vec<(String, Vec<String>)> {
    server
        .hits()
        .iter()
        .map(|h| {
            let sent = h.all("cookie").into_iter().map(String::from).collect();
            (h.path.clone(), sent)
        })
        .collect()
}

fn pair(path: &str, sent: &[&str]) -> (String, Vec<String>) {
    (path.into(), sent.iter().map(|s| s.to_string()).collect())
}

#[test]
fn each_cookie_goes_only_to_requests_of_its_owner_once_per_name() {
    let server = session_server();
    let p = Project::new();
    p.file("profiles/alice.yaml", &profile(&server, "alice"));
    p.file("profiles/bob.yaml", &profile(&server, "bob"));
    p.file(
        "requests/a.yaml",
        &server.yaml(
            r#"
requests:
  - { name: first, profile: alice, url: "{URL}/api/first" }
  - { name: rotate, profile: alice, url: "{URL}/api/rotate" }
  - { name: after rotation, profile: alice, url: "{URL}/api/after" }
  - { name: rotate again, profile: alice, url: "{URL}/api/rotate" }
  - { name: own cookie, profile: alice, url: "{URL}/set/lang=fr" }
  - { name: again, profile: alice, url: "{URL}/api/again" }
  - { name: anonymous, profile: none, url: "{URL}/api/anon" }
  - { name: anonymous sets, url: "{URL}/set/anon=1" }
  - { name: anonymous again, url: "{URL}/api/anon-again" }
  - { name: bob, profile: bob, url: "{URL}/api/bob" }
  - { name: alice last, profile: alice, url: "{URL}/api/last" }
"#,
        ),
    );
    p.run(&["run"]).assert_code(0);
    let mut sent = cookies(&server);
    let mut logouts = sent.split_off(13);
    logouts.sort();
    assert_eq!(
        sent,
        [
            pair("/login/alice", &[]),
            pair("/api/first", &["sid=alice-1; theme=alice"]),
            pair("/api/rotate", &["sid=alice-1; theme=alice"]),
            pair("/api/after", &["sid=s2x; theme=alice"]),
            pair("/api/rotate", &["sid=s2x; theme=alice"]),
            pair("/set/lang=fr", &["theme=alice"]),
            pair("/api/again", &["sid=s3x; lang=fr; theme=alice"]),
            pair("/api/anon", &[]),
            pair("/set/anon=1", &[]),
            pair("/api/anon-again", &["anon=1"]),
            pair("/login/bob", &[]),
            pair("/api/bob", &["sid=bob-1; theme=bob"]),
            pair("/api/last", &["sid=s3x; lang=fr; theme=alice"]),
        ]
    );
    // `sid` was last set for `/api` only; logout is sent each cookie once.
    assert_eq!(
        logouts,
        [
            pair("/logout/alice", &["lang=fr; theme=alice"]),
            pair("/logout/bob", &["sid=bob-1; theme=bob"]),
        ]
    );
}

#[test]
fn files_do_not_share_the_cookies_of_requests_without_a_profile() {
    let server = session_server();
    let p = Project::new();
    p.file(
        "requests/1.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/set/visit=one\"\n  - url: \"{URL}/one/next\"\n"),
    );
    p.file(
        "requests/2.yaml",
        &server.yaml("requests:\n  - url: \"{URL}/two/first\"\n"),
    );
    p.run(&["run", "--jobs", "1"]).assert_code(0);
    let by_path: Vec<(String, Vec<String>)> = cookies(&server);
    assert!(by_path.contains(&pair("/one/next", &["visit=one"])));
    assert!(by_path.contains(&pair("/two/first", &[])));
}
