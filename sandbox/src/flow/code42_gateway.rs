//! Code42's API-gateway resources (`/v1/users`, `/v1/devices`), merged into
//! the [`super::code42`] router: what incydr reads after its `/v1/oauth`
//! login. Bearer tokens only, like the other gateway resources.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::code42::{Api, USERS, User, authenticate};
use crate::fixtures as fx;
use crate::http;
use crate::state::AppState;

/// Organisation every fixture user belongs to.
const ORG_GUID: &str = "1040542012480000001";

/// Routes, relative to the Code42 prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/users", get(users))
        .route("/v1/devices", get(devices))
}

fn user_json(u: &User) -> Value {
    json!({
        "legacyUserId": u.user_id.to_string(),
        "userId": u.user_uid,
        "username": u.username,
        "firstName": u.first,
        "lastName": u.last,
        "legacyOrgId": fx::CODE42_ORG_ID,
        "orgId": ORG_GUID,
        "orgGuid": ORG_GUID,
        "orgName": "Sandbox Org",
        "notes": null,
        "active": true,
        "blocked": false,
        "creationDate": "2024-01-02T03:04:05.000Z",
        "modificationDate": "2024-01-02T03:04:05.000Z",
    })
}

/// Every field of the gateway's device model (incydr requires them all).
fn device_json(i: usize, u: &User) -> Value {
    json!({
        "deviceId": format!("94159001236551{:04}", 7000 + i),
        "legacyDeviceId": (2001 + i).to_string(),
        "name": format!("{}-laptop", u.first.to_lowercase()),
        "osHostname": format!("{}-laptop.example.com", u.first.to_lowercase()),
        "status": "Active",
        "active": true,
        "blocked": false,
        "alertState": 0,
        "userId": u.user_uid,
        "legacyUserId": u.user_id.to_string(),
        "orgId": ORG_GUID,
        "legacyOrgId": fx::CODE42_ORG_ID,
        "orgGuid": ORG_GUID,
        "externalReferenceInfo": null,
        "notes": null,
        "lastConnected": "2024-05-01T10:00:00.000Z",
        "osName": if i % 2 == 0 { "mac" } else { "win" },
        "osVersion": if i % 2 == 0 { "14.4" } else { "10.0.22631" },
        "osArch": "x86_64",
        "address": "192.0.2.10:4242",
        "remoteAddress": "198.51.100.7",
        "timeZone": "Australia/Melbourne",
        "version": "11.2.1",
        "build": 33,
        "creationDate": "2024-01-02T03:04:05.000Z",
        "modificationDate": "2024-05-01T10:00:00.000Z",
        "loginDate": "2024-05-01T09:58:00.000Z",
    })
}

/// `GET /v1/users[?username=]`: one page of users.
async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V3) {
        return r;
    }
    let users: Vec<Value> = USERS
        .iter()
        .filter(|u| query.get("username").is_none_or(|n| n == u.username))
        .map(user_json)
        .collect();
    http::json(
        StatusCode::OK,
        json!({ "users": users, "totalCount": users.len() }),
    )
}

/// `GET /v1/devices`: one page of devices, one per user.
async fn devices(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V3) {
        return r;
    }
    let devices: Vec<Value> = USERS
        .iter()
        .enumerate()
        .map(|(i, u)| device_json(i, u))
        .collect();
    http::json(
        StatusCode::OK,
        json!({ "devices": devices, "totalCount": devices.len() }),
    )
}
