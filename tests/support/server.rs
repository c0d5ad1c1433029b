//! A real HTTP server on 127.0.0.1 for the tests: axum on port 0, in its own
//! thread and runtime, recording every request it receives.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, Request, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Default)]
pub struct Shared {
    pub hits: Arc<Mutex<Vec<Hit>>>,
    pub counters: Arc<Mutex<HashMap<String, u64>>>,
    /// Bumped to invalidate every token issued so far.
    pub token_epoch: Arc<AtomicU64>,
    /// The server's time in unix seconds, when a test set it (0: the
    /// system clock), to agree with sesame's `SESAME_TEST_CLOCK`.
    pub clock: Arc<AtomicU64>,
}

/// How many requests the server must have received when it is dropped.
#[derive(Clone, Copy, Debug)]
enum HitCheck {
    AtLeastOne,
    Exactly(usize),
    Unchecked,
}

/// A server on 127.0.0.1:0. When dropped (and the test is not already
/// failing) it checks that it was hit: at least once by default, or exactly
/// as often as [`TestServer::expect_hits`] says.
pub struct TestServer {
    pub addr: SocketAddr,
    pub shared: Shared,
    check: Mutex<HitCheck>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// The standard routes (see [`routes`]).
    pub fn start() -> TestServer {
        TestServer::with(|r| r)
    }

    /// The standard routes plus whatever `extend` adds.
    pub fn with(extend: impl FnOnce(Router<Shared>) -> Router<Shared>) -> TestServer {
        let shared = Shared::default();
        let router = extend(routes())
            .layer(middleware::from_fn_with_state(shared.clone(), record))
            .with_state(shared.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("test server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1:0");
                addr_tx
                    .send(listener.local_addr().expect("local addr"))
                    .expect("send addr");
                axum::serve(listener, router)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("server start");
        TestServer {
            addr,
            shared,
            check: Mutex::new(HitCheck::AtLeastOne),
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    pub fn hits_to(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    /// On drop, the server must have received exactly `n` requests.
    pub fn expect_hits(&self, n: usize) -> &TestServer {
        *self.check.lock().unwrap() = HitCheck::Exactly(n);
        self
    }

    /// On drop, the server must have received nothing.
    pub fn expect_no_hits(&self) -> &TestServer {
        self.expect_hits(0)
    }

    /// No check on drop: for a server that may or may not be reached
    /// (a second origin, a route raced by parallel files).
    pub fn unchecked(&self) -> &TestServer {
        *self.check.lock().unwrap() = HitCheck::Unchecked;
        self
    }

    fn check_hits(&self) {
        let hits = self.hits();
        let summary = || {
            hits.iter()
                .map(|h| format!("  {} {}", h.method, h.path))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match *self.check.lock().unwrap() {
            HitCheck::AtLeastOne => {
                assert!(!hits.is_empty(), "test server exited without being hit");
            }
            HitCheck::Exactly(n) => assert_eq!(
                hits.len(),
                n,
                "test server: expected {n} requests, received\n{}",
                summary()
            ),
            HitCheck::Unchecked => {}
        }
    }

    /// Sets the server's clock to `unix` seconds (see [`Shared::clock`]).
    pub fn set_clock(&self, unix: u64) {
        self.shared.clock.store(unix, Ordering::SeqCst);
    }

    pub fn revoke_tokens(&self) {
        self.shared.token_epoch.fetch_add(1, Ordering::SeqCst);
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if !std::thread::panicking() {
            self.check_hits();
        }
    }
}

async fn record(State(s): State<Shared>, req: Request<Body>, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    s.hits.lock().unwrap().push(Hit {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    });
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The document `GET /json` serves.
pub fn users_doc() -> Value {
    json!({
        "data": {
            "totalCount": 2,
            "users": [
                {"userUid": "u-1", "username": "alice@example.com", "active": true, "roles": ["admin", "user"]},
                {"userUid": "u-2", "username": "bob@example.com", "active": false, "roles": []}
            ]
        },
        "build": "build-4711",
        "ratio": 0.5,
        "nothing": null
    })
}

/// Standard routes:
/// - `GET /json`: [`users_doc`], `ETag: "v1"`, `Set-Cookie: session=s3cr3t-cookie`
/// - `ANY /echo/...`: the request as JSON `{method, path, query, headers, body}`
/// - `GET /status/{code}`: that status, body `status {code}`
/// - `GET /text`: `hello build-42 world` as text/plain
/// - `GET /slow/{ms}`: answers after `ms` milliseconds
/// - `GET /count/{name}`: `{"count": N}` counting calls; `"state": "done"` from the 3rd
/// - `GET /redirect?to=URL&status=302`: a redirect
/// - `POST /oauth` (basic `client:secret`) → `{"access_token", "expires_in": 900}`
/// - `POST /login/json` (`{"username":"u","password":"p"}`) → `{"token"}`
/// - `GET /protected`: needs `Authorization: Bearer <token from /oauth or /login/json>`
/// - `GET /needs-key`: needs `X-Api-Key: k-123` or `?api_key=k-123`
/// - `POST /session` → Set-Cookie `sid=...`; `GET /session/data` needs it; `POST /session/end`
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/json", get(json_doc))
        .route("/echo", any(echo))
        .route("/echo/{*rest}", any(echo))
        .route("/status/{code}", any(status))
        .route(
            "/text",
            get(|| async { ([("content-type", "text/plain")], "hello build-42 world") }),
        )
        .route("/slow/{ms}", get(slow))
        .route("/count/{name}", get(count))
        .route("/redirect", any(redirect))
        .route("/oauth", post(oauth))
        .route("/login/json", post(login_json))
        .route("/protected", get(protected))
        .route("/needs-key", get(needs_key))
        .route("/session", post(session_start))
        .route("/session/data", get(session_data))
        .route("/session/end", post(session_end))
}

async fn json_doc() -> impl IntoResponse {
    (
        [
            ("etag", "\"v1\""),
            ("set-cookie", "session=s3cr3t-cookie; Path=/"),
        ],
        Json(users_doc()),
    )
}

async fn echo(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Json<Value> {
    let headers: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                Value::String(v.to_str().unwrap_or_default().to_string()),
            )
        })
        .collect();
    Json(json!({
        "method": method.to_string(),
        "path": uri.path(),
        "query": uri.query().unwrap_or_default(),
        "headers": headers,
        "body": String::from_utf8_lossy(&body),
    }))
}

async fn status(Path(code): Path<u16>) -> Response {
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (code, format!("status {}", code.as_u16())).into_response()
}

async fn slow(Path(ms): Path<u64>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(ms.min(5_000))).await;
    "slow"
}

async fn count(State(s): State<Shared>, Path(name): Path<String>) -> Json<Value> {
    let n = {
        let mut c = s.counters.lock().unwrap();
        let e = c.entry(name).or_default();
        *e += 1;
        *e
    };
    Json(json!({"count": n, "state": if n >= 3 { "done" } else { "pending" }}))
}

async fn redirect(Query(q): Query<HashMap<String, String>>) -> Response {
    let to = q.get("to").cloned().unwrap_or_else(|| "/json".into());
    let code = q
        .get("status")
        .and_then(|s| s.parse().ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::FOUND);
    (code, [("location", to)]).into_response()
}

fn token_for(s: &Shared, who: &str) -> String {
    format!("tok-{who}-{}", s.token_epoch.load(Ordering::SeqCst))
}

fn bearer_ok(s: &Shared, headers: &HeaderMap) -> bool {
    let epoch = s.token_epoch.load(Ordering::SeqCst);
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| t.starts_with("tok-") && t.ends_with(&format!("-{epoch}")))
}

async fn oauth(State(s): State<Shared>, headers: HeaderMap) -> Response {
    use base64::Engine as _;
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .is_some_and(|b| b == b"client:secret");
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    Json(json!({"access_token": token_for(&s, "oauth"), "token_type": "bearer", "expires_in": 900}))
        .into_response()
}

async fn login_json(State(s): State<Shared>, Json(body): Json<Value>) -> Response {
    if body["username"] == "u" && body["password"] == "p" {
        Json(json!({"token": token_for(&s, "json")})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"status": 401, "message": "Invalid user, password or mfaCode"})),
        )
            .into_response()
    }
}

async fn protected(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if bearer_ok(&s, &headers) {
        Json(json!({"ok": true})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "unauthorized"})),
        )
            .into_response()
    }
}

async fn needs_key(headers: HeaderMap, uri: Uri) -> Response {
    let by_header = headers.get("x-api-key").and_then(|v| v.to_str().ok()) == Some("k-123");
    let by_query = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "api_key=k-123"));
    if by_header || by_query {
        Json(json!({"ok": true})).into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn session_start(State(s): State<Shared>) -> Response {
    let sid = format!("sid-{}", s.token_epoch.load(Ordering::SeqCst));
    s.counters
        .lock()
        .unwrap()
        .insert("session-active".into(), 1);
    (
        [("set-cookie", format!("sid={sid}; Path=/; HttpOnly"))],
        Json(json!({"UserId": 1})),
    )
        .into_response()
}

async fn session_data(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let active = s.counters.lock().unwrap().get("session-active").copied() == Some(1);
    let has = headers
        .get("cookie")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("sid=sid-"));
    if active && has {
        Json(json!({"data": "secret stuff"})).into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn session_end(State(s): State<Shared>) -> StatusCode {
    s.counters
        .lock()
        .unwrap()
        .insert("session-active".into(), 0);
    *s.counters
        .lock()
        .unwrap()
        .entry("signouts".into())
        .or_default() += 1;
    StatusCode::OK
}

// ---- auth-profile routes (tests/auth_*.rs) ----

/// The base32 TOTP secret `/totp/check` verifies against (160 bits).
pub const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// The client id and secret `/oauth/strong` accepts: distinctive, so tests can
/// look for them in output.
pub const STRONG_CLIENT: &str = "cli-Q7xWv";
pub const STRONG_SECRET: &str = "Zebra-S3cr3t-991-Kq";

/// The auth-profile routes:
/// - `POST /revoke`: invalidates every token issued so far
/// - `GET /totp/check?period=P`: needs a `totp-auth` header equal to the RFC 6238
///   code of [`TOTP_SECRET`] (SHA1, 6 digits, period P, default 30) for the current
///   or previous step, never a step already used (`401 reused`); answers
///   `{"token": ...}`; counts `totp-ok` and records steps in `totp-steps`
/// - `POST /oauth/strong` (basic [`STRONG_CLIENT`]:[`STRONG_SECRET`]) → like `/oauth`
/// - `POST /login/jwt?ttl=N` → `{"token"}`, a JWT expiring in N seconds
pub fn auth_routes(r: Router<Shared>) -> Router<Shared> {
    r.route("/revoke", post(revoke))
        .route("/totp/check", get(totp_check))
        .route("/oauth/strong", post(oauth_strong))
        .route("/login/jwt", post(login_jwt))
}

/// `POST /login/jwt?ttl=N` → `{"token": <unsigned JWT whose exp is now + N s>}`.
async fn login_jwt(Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    use base64::Engine as _;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let ttl: u64 = q.get("ttl").and_then(|t| t.parse().ok()).unwrap_or(3600);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = format!(
        "{}.{}.c2ln",
        b64(&json!({"alg": "HS256", "typ": "JWT"})),
        b64(&json!({"sub": "alice", "exp": now + ttl}))
    );
    Json(json!({ "token": token }))
}

async fn revoke(State(s): State<Shared>) -> StatusCode {
    s.token_epoch.fetch_add(1, Ordering::SeqCst);
    StatusCode::NO_CONTENT
}

fn totp_at(period: u64, t: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(TOTP_SECRET.to_string())
        .to_bytes()
        .expect("base32 secret");
    totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        0,
        period,
        bytes,
        None,
        String::new(),
    )
    .generate(t)
}

async fn totp_check(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let period: u64 = q.get("period").and_then(|p| p.parse().ok()).unwrap_or(30);
    let got = headers
        .get("totp-auth")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let now = match s.clock.load(Ordering::SeqCst) {
        0 => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
        set => set,
    };
    let step = now / period;
    let matched = [step, step.saturating_sub(1)]
        .into_iter()
        .find(|st| totp_at(period, st * period) == got);
    let Some(st) = matched else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "wrong totp"})),
        )
            .into_response();
    };
    let key = format!("totp-step-{st}");
    let mut c = s.counters.lock().unwrap();
    if c.contains_key(&key) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "totp reused"})),
        )
            .into_response();
    }
    c.insert(key, 1);
    *c.entry("totp-ok".into()).or_default() += 1;
    drop(c);
    Json(json!({"token": token_for(&s, "totp")})).into_response()
}

async fn oauth_strong(State(s): State<Shared>, headers: HeaderMap) -> Response {
    use base64::Engine as _;
    let want = format!("{STRONG_CLIENT}:{STRONG_SECRET}");
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .is_some_and(|b| b == want.as_bytes());
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let n = s.hits.lock().unwrap().len();
    let token = format!(
        "tok-strong{n}x{}-{}",
        7_919 * (n as u64 + 13),
        s.token_epoch.load(Ordering::SeqCst)
    );
    Json(json!({"access_token": token, "expires_in": 900})).into_response()
}
