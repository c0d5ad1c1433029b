//! Crisisworks, served under `/crisisworks`.
//!
//! Emulates the Crisisworks "Authentication" seed: `POST /api/json/auth` with
//! `X-Site` and a JSON body of required strings (`version`, `uuid`,
//! `platform`, `name`, `username`, `password`) and an optional `mfaCode`
//! (required by users with TOTP MFA) returns `{"status":200, "token",
//! "type":"accessToken"}` with a 1 hour expiry. Invalid input is 400, bad
//! credentials 401 with the seed's exact message. The token then goes in
//! `Authorization` (the seed shows both `Bearer TOKEN` and the bare token)
//! with the same `X-Site` on every request.
//!
//! Missing `X-Site` is invalid input (400: the site cannot be resolved); a
//! token used with another site is not authorised there (401).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::fixtures as fx;
use crate::http::{self, Credentials};
use crate::state::{AppState, Extra, bump};

/// JWT audience of Crisisworks tokens.
const AUD: &str = "crisisworks";
/// Token lifetime (the seed: "The access token will have a 1 hour expiry").
pub const TOKEN_TTL: u64 = 3600;
/// The seed's message for bad credentials.
pub const INVALID_CREDENTIALS: &str = "Invalid user, password or mfaCode";
/// Known sites; `training` exists so a token can be shown refused on another site.
const SITES: &[&str] = &[fx::CRISISWORKS_SITE, fx::CRISISWORKS_OTHER_SITE];

struct User {
    username: &'static str,
    password: &'static str,
    totp_secret: Option<&'static str>,
    display: &'static str,
}

const USERS: &[User] = &[
    User {
        username: fx::CRISISWORKS_USER,
        password: fx::CRISISWORKS_PASSWORD,
        totp_secret: None,
        display: "API User",
    },
    User {
        username: fx::CRISISWORKS_MFA_USER,
        password: fx::CRISISWORKS_MFA_PASSWORD,
        totp_secret: Some(fx::CRISISWORKS_TOTP_SECRET),
        display: "API User (MFA)",
    },
];

/// Routes, relative to `/crisisworks`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/json/auth", post(auth))
        .route("/api/json/ping", get(ping))
        .route("/api/json/item/id/{id}", get(item))
}

fn fail(status: StatusCode, message: &str) -> Response {
    http::json(
        status,
        json!({ "status": status.as_u16(), "message": message }),
    )
}

/// The `X-Site` header, or the 400 for a missing or unknown site.
fn site(headers: &HeaderMap) -> Result<String, Response> {
    match http::header_str(headers, "x-site").map(str::trim) {
        None | Some("") => Err(fail(StatusCode::BAD_REQUEST, "Missing X-Site header")),
        Some(s) if SITES.contains(&s) => Ok(s.to_string()),
        Some(s) => Err(fail(
            StatusCode::BAD_REQUEST,
            &format!("Unknown site '{s}'"),
        )),
    }
}

/// `POST /api/json/auth`.
async fn auth(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let site = match site(&headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !http::content_type_is(&headers, "application/json") {
        return fail(
            StatusCode::BAD_REQUEST,
            "Content-Type must be application/json",
        );
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return fail(
            StatusCode::BAD_REQUEST,
            "Request body must be a JSON object",
        );
    };
    let mut fields = std::collections::HashMap::new();
    for name in [
        "version", "uuid", "platform", "name", "username", "password",
    ] {
        match body.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => {
                fields.insert(name, s.clone());
            }
            Some(Value::String(_)) | None => {
                return fail(
                    StatusCode::BAD_REQUEST,
                    &format!("Missing required field '{name}'"),
                );
            }
            Some(_) => {
                return fail(
                    StatusCode::BAD_REQUEST,
                    &format!("Field '{name}' must be a string"),
                );
            }
        }
    }
    let mfa_code = match body.get("mfaCode") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return fail(StatusCode::BAD_REQUEST, "Field 'mfaCode' must be a string"),
    };
    let Some(user) = USERS
        .iter()
        .find(|u| u.username == fields["username"] && u.password == fields["password"])
    else {
        return fail(StatusCode::UNAUTHORIZED, INVALID_CREDENTIALS);
    };
    if let Some(secret) = user.totp_secret {
        let Some(code) = mfa_code else {
            return fail(StatusCode::UNAUTHORIZED, INVALID_CREDENTIALS);
        };
        if state
            .check_totp(&format!("crisisworks:{}", user.username), secret, &code)
            .is_err()
        {
            return fail(StatusCode::UNAUTHORIZED, INVALID_CREDENTIALS);
        }
    }
    let token = state.issue(
        AUD,
        user.username,
        TOKEN_TTL,
        Extra {
            site: Some(&site),
            ..Extra::default()
        },
    );
    bump(&state.counters.crisisworks_logins);
    http::json(
        StatusCode::OK,
        json!({ "status": 200, "token": token, "type": "accessToken" }),
    )
}

/// Checks `Authorization` (Bearer or bare token) and `X-Site`; returns the user.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<(String, String), Response> {
    let site = site(headers)?;
    let token = match http::credentials(headers) {
        Some(Credentials::Bearer(t)) | Some(Credentials::Other(t)) if !t.contains(' ') => t,
        _ => {
            return Err(fail(
                StatusCode::UNAUTHORIZED,
                "Missing or invalid Authorization header",
            ));
        }
    };
    let claims = state.verify(AUD, &token).map_err(|e| {
        fail(
            StatusCode::UNAUTHORIZED,
            &format!("Invalid token: {}", e.message()),
        )
    })?;
    if claims.site.as_deref() != Some(site.as_str()) {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            "Token was not issued for this site",
        ));
    }
    Ok((claims.sub, site))
}

fn display_name(username: &str) -> &'static str {
    USERS
        .iter()
        .find(|u| u.username == username)
        .map_or("", |u| u.display)
}

/// `GET /api/json/ping`.
async fn ping(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers) {
        Ok((user, site)) => http::json(
            StatusCode::OK,
            json!({
                "status": 200,
                "message": "pong",
                "site": site,
                "user": { "username": user, "name": display_name(&user) },
            }),
        ),
        Err(r) => r,
    }
}

/// `GET /api/json/item/id/{id}`: a register item (ids 1 to 3 exist).
async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = authenticate(&state, &headers) {
        return r;
    }
    let Ok(id) = id.parse::<u64>() else {
        return fail(StatusCode::BAD_REQUEST, "Item id must be a number");
    };
    let labels = [
        "Fallen tree on Main Rd",
        "Flooded culvert at Creek Ln",
        "Power outage at Town Hall",
    ];
    match labels.get((id as usize).wrapping_sub(1)) {
        Some(label) if id >= 1 => http::json(
            StatusCode::OK,
            json!({
                "status": 200,
                "data": {
                    "id": id,
                    "type": "request",
                    "register": "Requests",
                    "label": label,
                    "status": "open",
                    "event": { "id": 1, "label": "Sandbox storm event" },
                },
            }),
        ),
        _ => fail(StatusCode::NOT_FOUND, "Item not found"),
    }
}
