//! Integration tests: plain HTTP requests against `Sandbox::start(0)`.
//!
//! One test binary (modules per vendor) to keep link time down; every test
//! starts its own sandbox, so tests run in parallel without sharing tokens,
//! sessions or used TOTP codes.

mod basicapp;
mod beyondtrust;
mod clock;
mod code42;
mod code42_login;
mod control;
mod crisisworks;
mod root;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use sesame_sandbox::Sandbox;

/// A fresh sandbox and a client without cookie store or redirects.
pub async fn start() -> (Sandbox, reqwest::Client) {
    let sandbox = Sandbox::start(0).await.expect("sandbox starts");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (sandbox, client)
}

/// TOTP code for `secret` at now + `steps` × 30 s.
pub fn totp_code(secret: &str, steps: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    sesame_sandbox::totp::generator(secret).generate((now + steps * 30) as u64)
}

/// Status and JSON body (Null when the body is not JSON).
pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Status and raw body text.
pub async fn send_text(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// Decoded claims of a JWT (no verification; the sandbox verifies).
pub fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json claims")
}

/// TOTP code for `secret` at unix time `unix` (e.g. the sandbox clock).
pub fn totp_code_at(secret: &str, unix: u64) -> String {
    sesame_sandbox::totp::generator(secret).generate(unix)
}

/// `POST /_sandbox/clock` with `body`; returns the status and the JSON answer.
pub async fn move_clock(client: &reqwest::Client, base: &str, body: Value) -> (u16, Value) {
    send(
        client
            .post(format!("{base}/_sandbox/clock"))
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}
