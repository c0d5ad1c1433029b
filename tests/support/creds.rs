//! Token endpoints with lifetimes the tests choose, for `tests/credentials.rs`.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::post;
use serde_json::{Value, json};

use super::server::Shared;

/// The instant (unix seconds) tests set `SESAME_TEST_CLOCK` to.
pub const CLOCK: u64 = 1_800_000_000;

/// - `POST /token?expires_in=N` → `{"access_token", "expires_in": N}`;
///   with `&revoke=1`, each login first revokes every earlier token
/// - `POST /token/jwt?now=T&ttl=N` → `{"token"}`: an unsigned JWT whose
///   `exp` is T + N (T: the client's clock, which may be the test clock)
///
/// Both count their logins in the counter `logins`; their tokens pass
/// `GET /protected` until `POST /revoke`.
pub fn creds_routes(r: Router<Shared>) -> Router<Shared> {
    r.route("/token", post(token))
        .route("/token/jwt", post(jwt))
}

fn count_login(s: &Shared) -> u64 {
    let mut c = s.counters.lock().unwrap();
    let n = c.entry("logins".into()).or_default();
    *n += 1;
    *n
}

fn epoch(s: &Shared) -> u64 {
    s.token_epoch.load(Ordering::SeqCst)
}

async fn token(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    if q.contains_key("revoke") {
        s.token_epoch.fetch_add(1, Ordering::SeqCst);
    }
    let n = count_login(&s);
    let expires_in: u64 = q
        .get("expires_in")
        .and_then(|t| t.parse().ok())
        .unwrap_or(900);
    Json(json!({
        "access_token": format!("tok-short{n}-{}", epoch(&s)),
        "expires_in": expires_in,
    }))
}

async fn jwt(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    use base64::Engine as _;
    let n = count_login(&s);
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let num = |k: &str, default: u64| q.get(k).and_then(|t| t.parse().ok()).unwrap_or(default);
    let exp = num("now", CLOCK) + num("ttl", 3600);
    let header = b64(&json!({"alg": "none", "typ": "JWT"}));
    let claims = b64(&json!({"sub": "alice", "n": n, "exp": exp}));
    // `tok-` and `-EPOCH` around it, so `/protected` takes it.
    Json(json!({ "token": format!("tok-{header}.{claims}.c2ln-{}", epoch(&s)) }))
}

/// `assert_has` for the raw runner's results (tests of issue 10).
pub trait AssertHas {
    /// Asserts that stdout or stderr contains `needle`.
    fn assert_has(&self, needle: &str) -> &Self;
}

impl AssertHas for super::raw::Run {
    #[track_caller]
    fn assert_has(&self, needle: &str) -> &Self {
        assert!(
            self.all().contains(needle),
            "expected output to contain {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}
