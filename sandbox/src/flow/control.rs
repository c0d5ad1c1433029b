//! The sandbox's own routes under `/_sandbox`, for tests and demos: observe
//! logins and logouts, force a re-login, list the fixtures, move the clock.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::http;
use crate::state::AppState;

/// Routes, relative to `/_sandbox`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats))
        .route("/revoke", post(revoke))
        .route("/fixtures", get(fixtures))
        .route("/fixtures.json", get(fixtures_json))
        .route("/clock", get(clock).post(set_clock))
}

/// Body of `POST /_sandbox/clock`: exactly one of the two fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    /// Seconds to move the clock by (negative: back).
    advance_seconds: Option<i64>,
    /// Unix time to set the clock to.
    set_unix: Option<u64>,
}

fn clock_json(state: &AppState, now: u64) -> Response {
    http::json(
        StatusCode::OK,
        json!({ "now": now, "offset_seconds": state.clock_offset() }),
    )
}

/// `GET /_sandbox/clock`: the sandbox time (`now`, unix seconds) and how far
/// it is from the system clock (`offset_seconds`).
async fn clock(State(state): State<AppState>) -> Response {
    clock_json(&state, state.now())
}

/// `POST /_sandbox/clock` with `{"advance_seconds": N}` or `{"set_unix": T}`:
/// moves the one clock every TOTP check and token reads, answers as
/// `GET /_sandbox/clock`; 400 for any other body.
async fn set_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let change = serde_json::from_slice::<ClockChange>(&body).ok();
    let now = match change {
        Some(ClockChange {
            advance_seconds: Some(seconds),
            set_unix: None,
        }) => state.advance_clock(seconds),
        Some(ClockChange {
            advance_seconds: None,
            set_unix: Some(unix),
        }) => state.set_clock(unix),
        _ => {
            return http::json(
                StatusCode::BAD_REQUEST,
                json!({ "error": "send {\"advance_seconds\": N} or {\"set_unix\": T}" }),
            );
        }
    };
    clock_json(&state, now)
}

/// `GET /_sandbox/stats`: the [`crate::Stats`] snapshot as JSON.
async fn stats(State(state): State<AppState>) -> Response {
    axum::Json(state.stats()).into_response()
}

/// `POST /_sandbox/revoke`: every token and session issued so far is refused
/// from now on, so a client must log in again.
async fn revoke(State(state): State<AppState>) -> Response {
    let generation = state.revoke();
    http::json(
        StatusCode::OK,
        json!({ "revoked": true, "generation": generation }),
    )
}

/// `GET /_sandbox/fixtures.json`: [`crate::fixtures::ALL`] as one JSON object.
async fn fixtures_json() -> Response {
    let all: serde_json::Map<String, serde_json::Value> = crate::fixtures::ALL
        .iter()
        .map(|(name, value)| (name.to_string(), json!(value)))
        .collect();
    http::json(StatusCode::OK, serde_json::Value::Object(all))
}

/// `GET /_sandbox/fixtures`: [`crate::fixtures_text`] for this server.
async fn fixtures(headers: axum::http::HeaderMap) -> Response {
    let host = http::header_str(&headers, "host").unwrap_or("127.0.0.1");
    http::text(
        StatusCode::OK,
        &crate::fixtures_text(&format!("http://{host}")),
    )
}
