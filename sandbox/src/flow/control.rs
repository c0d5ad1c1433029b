//! The sandbox's own routes under `/_sandbox`, for tests and demos: observe
//! logins and logouts, force a re-login, list the fixtures.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::http;
use crate::state::AppState;

/// Routes, relative to `/_sandbox`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats))
        .route("/revoke", post(revoke))
        .route("/fixtures", get(fixtures))
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

/// `GET /_sandbox/fixtures`: [`crate::fixtures_text`] for this server.
async fn fixtures(headers: axum::http::HeaderMap) -> Response {
    let host = http::header_str(&headers, "host").unwrap_or("127.0.0.1");
    http::text(
        StatusCode::OK,
        &crate::fixtures_text(&format!("http://{host}")),
    )
}
