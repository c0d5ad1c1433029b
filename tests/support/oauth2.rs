//! A strict OAuth 2.0 authorization server on 127.0.0.1 (RFC 6749 token
//! endpoint, RFC 8628 device authorization), for `tests/oauth2.rs`.
//!
//! Strict means: the token endpoint takes only `POST` with
//! `application/x-www-form-urlencoded`; a client authenticates by exactly
//! one method (§2.3: Basic over form-decoded id and secret, §2.3.1, or
//! `client_id`/`client_secret` in the body); every refusal is a §5.2 JSON
//! error object; refresh tokens are single-use (rotated).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::server::Shared;

/// The confidential client, authenticating with HTTP Basic (RFC 6749 §2.3.1).
pub const CLIENT_ID: &str = "s6BhdRkqt3";
/// A secret with every form-reserved character: sent unencoded, it fails.
pub const CLIENT_SECRET: &str = "p+s/w=r%d:x&y z";
/// The resource owner of the password grant.
pub const USERNAME: &str = "johndoe";
pub const PASSWORD: &str = "A3ddj3w";
/// The user code the device flow shows.
pub const USER_CODE: &str = "WDJB-MJHT";
/// Polls answered `authorization_pending`, then one `slow_down`, then a token.
pub const PENDING_POLLS: u64 = 2;

/// What the server issued, and what it saw.
#[derive(Default)]
pub struct Issued {
    access: HashSet<String>,
    refresh: HashSet<String>,
    next: u64,
}

type Store = Arc<Mutex<Issued>>;

/// `POST /oauth2/token`, `POST /oauth2/device`, `GET /oauth2/api` (a Bearer
/// token from the token endpoint). Counters: `grant:TYPE` per successful
/// grant, `refused` per error answer, `device-polls`.
pub fn oauth2_routes(r: Router<Shared>) -> Router<Shared> {
    let store: Store = Arc::default();
    let token_store = store.clone();
    let api_store = store;
    r.route(
        "/oauth2/token",
        post(move |s: State<Shared>, h: HeaderMap, body: String| {
            let store = token_store.clone();
            async move { token(&s.0, &store, &h, &body) }
        }),
    )
    .route(
        "/oauth2/device",
        post(|s: State<Shared>, h: HeaderMap, body: String| async move { device(&s.0, &h, &body) }),
    )
    .route(
        "/oauth2/api",
        get(move |h: HeaderMap| {
            let store = api_store.clone();
            async move { api(&store, &h) }
        }),
    )
}

fn bump(s: &Shared, name: &str) -> u64 {
    let mut c = s.counters.lock().unwrap();
    let n = c.entry(name.to_string()).or_default();
    *n += 1;
    *n
}

/// A §5.2 error answer.
fn error(s: &Shared, status: StatusCode, code: &str, description: &str) -> Response {
    bump(s, "refused");
    let mut resp = (
        status,
        [("cache-control", "no-store")],
        axum::Json(json!({"error": code, "error_description": description})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut()
            .insert("www-authenticate", "Basic realm=\"oauth\"".parse().unwrap());
    }
    resp
}

fn form(headers: &HeaderMap, body: &str) -> Option<HashMap<String, String>> {
    let ct = headers.get("content-type")?.to_str().ok()?;
    if !ct.starts_with("application/x-www-form-urlencoded") {
        return None;
    }
    Some(
        url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect(),
    )
}

/// The authenticated client id (§2.3): exactly one method, the right secret.
fn client(headers: &HeaderMap, form: &HashMap<String, String>) -> Result<String, &'static str> {
    use base64::Engine as _;
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    let in_body = form.contains_key("client_secret");
    match (basic, in_body) {
        (Some(_), true) => Err("more than one client authentication method"),
        (Some(b), false) => {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|_| "bad Basic credentials")?;
            let raw = String::from_utf8(raw).map_err(|_| "bad Basic credentials")?;
            let (id, secret) = raw.split_once(':').ok_or("bad Basic credentials")?;
            let dec = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            (dec(id) == CLIENT_ID && dec(secret) == CLIENT_SECRET)
                .then(|| CLIENT_ID.to_string())
                .ok_or("client authentication failed")
        }
        (None, true) => {
            let ok = form.get("client_id").map(String::as_str) == Some("body-client")
                && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
            ok.then(|| "body-client".to_string())
                .ok_or("client authentication failed")
        }
        // A public client (device flow) names itself only.
        (None, false) => match form.get("client_id").map(String::as_str) {
            Some("public-device") => Ok("public-device".into()),
            _ => Err("client authentication failed"),
        },
    }
}

fn issue(s: &Shared, store: &Store, grant: &str, scope: Option<&String>) -> Response {
    bump(s, &format!("grant:{grant}"));
    let mut st = store.lock().unwrap();
    st.next += 1;
    let n = st.next;
    let access = format!("at-{n}-Xq9");
    let refresh = format!("rt-{n}-Zk3");
    st.access.insert(access.clone());
    st.refresh.insert(refresh.clone());
    let mut doc = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": 60,
        "refresh_token": refresh,
    });
    if let Some(sc) = scope {
        doc["scope"] = Value::String(sc.clone());
    }
    (
        [("cache-control", "no-store"), ("pragma", "no-cache")],
        axum::Json(doc),
    )
        .into_response()
}

fn token(s: &Shared, store: &Store, headers: &HeaderMap, body: &str) -> Response {
    let Some(f) = form(headers, body) else {
        return error(
            s,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "form body required",
        );
    };
    let client_id = match client(headers, &f) {
        Ok(c) => c,
        Err(why) => return error(s, StatusCode::UNAUTHORIZED, "invalid_client", why),
    };
    let get = |k: &str| f.get(k).map(String::as_str);
    if get("scope").is_some_and(|sc| sc.split(' ').any(|x| x == "admin")) {
        return error(
            s,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "admin is not granted",
        );
    }
    grant(s, store, &f, &client_id)
}

/// The grant of a token request whose client is authenticated.
fn grant(s: &Shared, store: &Store, f: &HashMap<String, String>, client_id: &str) -> Response {
    let get = |k: &str| f.get(k).map(String::as_str);
    let bad = StatusCode::BAD_REQUEST;
    match get("grant_type") {
        Some("client_credentials") => issue(s, store, "client_credentials", f.get("scope")),
        Some("password")
            if get("username") == Some(USERNAME) && get("password") == Some(PASSWORD) =>
        {
            issue(s, store, "password", f.get("scope"))
        }
        Some("password") => error(s, bad, "invalid_grant", "wrong resource owner credentials"),
        Some("refresh_token") => {
            let rt = get("refresh_token").unwrap_or_default().to_string();
            if !store.lock().unwrap().refresh.remove(&rt) {
                return error(s, bad, "invalid_grant", "refresh token unknown or used");
            }
            issue(s, store, "refresh_token", f.get("scope"))
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") if client_id == "public-device" => {
            let polls = bump(s, "device-polls");
            if get("device_code") != Some("dc-8f3") {
                return error(s, bad, "invalid_grant", "unknown device code");
            }
            match polls {
                p if p <= PENDING_POLLS => {
                    error(s, bad, "authorization_pending", "waiting for the user")
                }
                p if p == PENDING_POLLS + 1 => error(s, bad, "slow_down", "poll less often"),
                _ => issue(s, store, "device_code", None),
            }
        }
        Some(_) => error(s, bad, "unsupported_grant_type", "not supported here"),
        None => error(s, bad, "invalid_request", "grant_type is required"),
    }
}

fn device(s: &Shared, headers: &HeaderMap, body: &str) -> Response {
    let Some(f) = form(headers, body) else {
        return error(
            s,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "form body required",
        );
    };
    if client(headers, &f).as_deref() != Ok("public-device") {
        return error(
            s,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client",
        );
    }
    axum::Json(json!({
        "device_code": "dc-8f3",
        "user_code": USER_CODE,
        "verification_uri": "https://example.com/device",
        "expires_in": 1800,
        "interval": 5,
    }))
    .into_response()
}

fn api(store: &Store, headers: &HeaderMap) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if store.lock().unwrap().access.contains(token) {
        axum::Json(json!({"ok": true})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer error=\"invalid_token\"")],
        )
            .into_response()
    }
}
