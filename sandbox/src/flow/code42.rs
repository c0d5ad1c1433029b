//! Code42 / Incydr and CrashPlan (same API), served under `/code42`.
//!
//! Emulates the "Code42 API authentication methods" and "Two-factor
//! authentication for CrashPlan" seeds:
//! - `POST /v1/oauth` with an API client's basic `client_id:secret` and an
//!   empty body gives a bearer token that lives 15 minutes;
//! - basic authentication works on v1 and v4 resources and on
//!   `/api/v3/auth/jwt`, never on other v3 resources;
//! - `GET /api/v3/auth/jwt?useBody=true` gives a 30-minute user token in
//!   `$.data.v3_user_token`; without `useBody=true` the token comes only as a
//!   cookie, which the API does not accept;
//! - users with two-factor authentication must send a `totp-auth` header
//!   (`TIME_BASED_ONE_TIME_PASSWORD_REQUIRED` otherwise), checked strictly.
//!
//! v1 resources answer errors in Code42's v1 shape (`[{"name", "description"}]`),
//! v3 and v4 in the v3 envelope (`{"data", "error": [{"primaryErrorKey"}], "warnings"}`).

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::fixtures as fx;
use crate::http::{self, Credentials};
use crate::jwt::JwtError;
use crate::state::{AppState, Extra, bump};
use crate::totp::TotpError;

/// JWT audience of Code42 tokens.
const AUD: &str = "code42";
/// `/v1/oauth` token lifetime (the seed: "Tokens expire in 15 minutes").
pub const OAUTH_TTL: u64 = 900;
/// `/api/v3/auth/jwt` token lifetime (the seed: "tokens expire in 30 minutes").
pub const USER_TOKEN_TTL: u64 = 1800;
/// Cookie the token goes to without `useBody=true`.
pub const COOKIE_NAME: &str = "C42_JWT_API_TOKEN";

struct ApiClient {
    id: &'static str,
    secret: &'static str,
    ttl: u64,
}

const CLIENTS: &[ApiClient] = &[
    ApiClient {
        id: fx::CODE42_CLIENT_ID,
        secret: fx::CODE42_CLIENT_SECRET,
        ttl: OAUTH_TTL,
    },
    ApiClient {
        id: fx::CODE42_SHORT_CLIENT_ID,
        secret: fx::CODE42_SHORT_CLIENT_SECRET,
        ttl: fx::SHORT_TOKEN_SECONDS,
    },
];

pub(super) struct User {
    pub(super) user_id: u64,
    pub(super) user_uid: &'static str,
    pub(super) username: &'static str,
    pub(super) password: &'static str,
    pub(super) totp_secret: Option<&'static str>,
    pub(super) first: &'static str,
    pub(super) last: &'static str,
}

pub(super) const USERS: &[User] = &[
    User {
        user_id: 1001,
        user_uid: "1040542012480010001",
        username: fx::CODE42_USER,
        password: fx::CODE42_PASSWORD,
        totp_secret: None,
        first: "Alice",
        last: "Anders",
    },
    User {
        user_id: 1002,
        user_uid: "1040542012480010002",
        username: fx::CODE42_TOTP_USER,
        password: fx::CODE42_TOTP_PASSWORD,
        totp_secret: Some(fx::CODE42_TOTP_SECRET),
        first: "Bob",
        last: "Berg",
    },
    User {
        user_id: 1003,
        user_uid: "1040542012480010003",
        username: fx::CRASHPLAN_USER,
        password: fx::CRASHPLAN_PASSWORD,
        totp_secret: Some(fx::CRASHPLAN_TOTP_SECRET),
        first: "Carol",
        last: "Chen",
    },
];

/// Routes, relative to `/code42` (and to `/` with `--root code42`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/oauth", post(oauth))
        .route("/api/v3/oauth/token", post(v3_oauth_token))
        .route("/api/v3/auth/jwt", get(auth_jwt))
        .route("/api/v3/LoginConfiguration", get(login_configuration))
        .route("/api/v3/customer/my", get(v3_customer_my))
        .route("/api/v1/User", get(v1_users))
        .route("/api/v1/User/my", get(v1_user_my))
        .route("/api/v1/User/{uid}", get(v1_user))
        .route("/api/v1/Computer", get(v1_computers))
        .route("/api/v3/org/{org_id}/user", get(v3_org_users))
        .route("/api/v4/role/view", get(v4_roles))
        .merge(super::code42_gateway::router())
}

/// Which error shape and which credentials a resource takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Api {
    V1,
    V3,
    V4,
}

pub(super) fn error(api: Api, status: StatusCode, key: &str, description: &str) -> Response {
    let body = match api {
        Api::V1 => json!([{ "name": key, "description": description, "objects": [] }]),
        Api::V3 | Api::V4 => json!({
            "data": null,
            "error": [{ "primaryErrorKey": key, "otherErrors": null, "description": description }],
            "warnings": null,
        }),
    };
    http::json(status, body)
}

fn user_json(u: &User) -> Value {
    json!({
        "userId": u.user_id,
        "userUid": u.user_uid,
        "status": "Active",
        "username": u.username,
        "email": u.username,
        "firstName": u.first,
        "lastName": u.last,
        "orgId": 1,
        "orgUid": "1040542012480000001",
        "orgName": "Sandbox Org",
        "active": true,
        "blocked": false,
        "emailPromo": false,
        "localAuthenticationOnly": u.totp_secret.is_some(),
    })
}

/// Checks a user's password and, for 2FA users, the `totp-auth` header.
fn check_user(
    state: &AppState,
    headers: &HeaderMap,
    api: Api,
    user: &str,
    password: &str,
) -> Result<(), Response> {
    let Some(u) = USERS
        .iter()
        .find(|u| u.username == user && u.password == password)
    else {
        return Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "Invalid username or password",
        ));
    };
    let Some(secret) = u.totp_secret else {
        return Ok(());
    };
    let Some(code) = http::header_str(headers, "totp-auth") else {
        return Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "TIME_BASED_ONE_TIME_PASSWORD_REQUIRED",
            "Two-factor authentication is enabled for this user: send a totp-auth header",
        ));
    };
    match state.check_totp(&format!("code42:{}", u.username), secret, code) {
        Ok(()) => Ok(()),
        Err(TotpError::Invalid) => Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "INVALID_TIME_BASED_ONE_TIME_PASSWORD",
            "The time-based one-time password is invalid",
        )),
        Err(TotpError::Reused) => Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "INVALID_TIME_BASED_ONE_TIME_PASSWORD",
            "The time-based one-time password was already used",
        )),
    }
}

/// Authenticates a resource request: Bearer everywhere, basic on v1/v4 only.
pub(super) fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    api: Api,
) -> Result<String, Response> {
    match http::credentials(headers) {
        None => Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Authentication required",
        )),
        Some(Credentials::Bearer(token)) => state.verify(AUD, &token).map(|c| c.sub).map_err(|e| {
            let key = match e {
                JwtError::Expired => "TOKEN_EXPIRED",
                _ => "INVALID_TOKEN",
            };
            error(api, StatusCode::UNAUTHORIZED, key, e.message())
        }),
        Some(Credentials::Basic { .. }) if api == Api::V3 => Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "BASIC_AUTH_NOT_ALLOWED",
            "Basic authentication is not allowed for version 3 resources; use a bearer token",
        )),
        Some(Credentials::Basic { user, password }) => {
            check_user(state, headers, api, &user, &password)?;
            bump(&state.counters.basic_auth_requests);
            Ok(user)
        }
        Some(Credentials::Other(_)) => Err(error(
            api,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Unsupported authorization scheme; use Basic or Bearer",
        )),
    }
}

fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    http::json(
        status,
        json!({ "error": code, "error_description": description }),
    )
}

/// The API client named by the basic credentials, or the OAuth refusal.
fn api_client(headers: &HeaderMap) -> Result<&'static ApiClient, Response> {
    let Some(Credentials::Basic { user, password }) = http::credentials(headers) else {
        return Err(http::with_header(
            oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Send the API client id and secret with basic authentication",
            ),
            header::WWW_AUTHENTICATE,
            "Basic realm=\"Code42\"",
        ));
    };
    CLIENTS
        .iter()
        .find(|c| c.id == user && c.secret == password)
        .ok_or_else(|| {
            oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Invalid API client id or secret",
            )
        })
}

/// Checks the client and the empty body, then issues an API-client token
/// (with the tenant's `tenantUid` claim, which incydr reads).
fn client_token(state: &AppState, headers: &HeaderMap, body: &Bytes) -> Response {
    let client = match api_client(headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !body.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request body must be empty",
        );
    }
    let extra = Extra {
        tenant_uid: Some(fx::CODE42_TENANT_UID),
        ..Extra::default()
    };
    let token = state.issue(AUD, client.id, client.ttl, extra);
    bump(&state.counters.code42_oauth_logins);
    http::json(
        StatusCode::OK,
        json!({ "access_token": token, "token_type": "bearer", "expires_in": client.ttl }),
    )
}

/// `POST /v1/oauth`: API client credentials in basic auth, empty body.
async fn oauth(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    client_token(&state, &headers, &body)
}

/// `POST /api/v3/oauth/token?grant_type=client_credentials`: the same login
/// on the console host (py42's API-client login); the grant type is required.
async fn v3_oauth_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    match query.get("grant_type").map(String::as_str) {
        Some("client_credentials") => client_token(&state, &headers, &body),
        None => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type=client_credentials is required in the query",
        ),
        Some(_) => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Only client_credentials is supported",
        ),
    }
}

/// `GET /api/v3/LoginConfiguration?username=`: no authentication; how the
/// official clients learn that a user needs TOTP. Unknown users get
/// `LOCAL_2FA`, as at the vendor, so the route does not reveal who exists.
async fn login_configuration(Query(query): Query<HashMap<String, String>>) -> Response {
    let Some(username) = query.get("username").filter(|u| !u.is_empty()) else {
        return error(
            Api::V3,
            StatusCode::BAD_REQUEST,
            "USERNAME_REQUIRED",
            "The username query parameter is required",
        );
    };
    let local = USERS
        .iter()
        .find(|u| u.username.eq_ignore_ascii_case(username))
        .is_some_and(|u| u.totp_secret.is_none());
    let login_type = if local { "LOCAL" } else { "LOCAL_2FA" };
    http::json(
        StatusCode::OK,
        json!({ "data": { "loginType": login_type, "ssoLoginUrl": null }, "error": null, "warnings": null }),
    )
}

/// `GET /api/v3/customer/my`: the tenant of the bearer (bearer only).
async fn v3_customer_my(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V3) {
        return r;
    }
    http::json(
        StatusCode::OK,
        json!({
            "data": { "tenantUid": fx::CODE42_TENANT_UID, "name": "Sandbox Tenant" },
            "error": null,
            "warnings": null,
        }),
    )
}

/// `GET /api/v3/auth/jwt[?useBody=true]`: basic (+ `totp-auth`) to a user token.
async fn auth_jwt(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let api = Api::V3;
    let Some(Credentials::Basic { user, password }) = http::credentials(&headers) else {
        return error(
            api,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Basic authentication required",
        );
    };
    if let Err(response) = check_user(&state, &headers, api, &user, &password) {
        return response;
    }
    let token = state.issue(AUD, &user, USER_TOKEN_TTL, Extra::default());
    bump(&state.counters.code42_jwt_logins);
    let use_body = query
        .get("useBody")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if use_body {
        return http::json(
            StatusCode::OK,
            json!({ "data": { "v3_user_token": token }, "error": null, "warnings": null }),
        );
    }
    let response = http::json(
        StatusCode::OK,
        json!({
            "data": {
                "message": "The token was returned in an authentication cookie. Authentication cookies are not supported by the Code42 API: add ?useBody=true to receive the token in the response body.",
            },
            "error": null,
            "warnings": null,
        }),
    );
    http::with_header(
        response,
        header::SET_COOKIE,
        &format!(
            "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={USER_TOKEN_TTL}"
        ),
    )
}

fn page_size(query: &HashMap<String, String>) -> usize {
    query
        .get("pgSize")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

/// `GET /api/v1/User`: users of the organisation (`active`, `username`, `pgSize`).
async fn v1_users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V1) {
        return r;
    }
    if query.get("active").is_some_and(|v| v == "false") {
        return http::json(
            StatusCode::OK,
            json!({ "data": { "totalCount": 0, "users": [] } }),
        );
    }
    let matching: Vec<&User> = USERS
        .iter()
        .filter(|u| query.get("username").is_none_or(|name| name == u.username))
        .collect();
    let users: Vec<Value> = matching
        .iter()
        .take(page_size(&query))
        .map(|u| user_json(u))
        .collect();
    http::json(
        StatusCode::OK,
        json!({ "data": { "totalCount": matching.len(), "users": users } }),
    )
}

/// `GET /api/v1/User/my`: the signed-in user (basic or a user token). An
/// API client is no user: 404, as py42 warns.
async fn v1_user_my(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match authenticate(&state, &headers, Api::V1) {
        Ok(w) => w,
        Err(r) => return r,
    };
    match USERS.iter().find(|u| u.username == who) {
        Some(u) => http::json(StatusCode::OK, json!({ "data": user_json(u) })),
        None => error(
            Api::V1,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "User not found: API clients have no current user",
        ),
    }
}

/// `GET /api/v1/User/{uid}`: one user by `userUid` or `userId`.
async fn v1_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V1) {
        return r;
    }
    match USERS
        .iter()
        .find(|u| u.user_uid == uid || u.user_id.to_string() == uid)
    {
        Some(u) => http::json(StatusCode::OK, json!({ "data": user_json(u) })),
        None => error(
            Api::V1,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "User not found",
        ),
    }
}

/// `GET /api/v1/Computer`: devices of the organisation.
async fn v1_computers(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V1) {
        return r;
    }
    let computers: Vec<Value> = USERS
        .iter()
        .enumerate()
        .map(|(i, u)| {
            json!({
                "computerId": 2001 + i,
                "guid": format!("94159001236551{:04}", 7000 + i),
                "name": format!("{}-laptop", u.first.to_lowercase()),
                "osName": if i % 2 == 0 { "mac" } else { "win" },
                "status": "Active",
                "alertState": 0,
                "userUid": u.user_uid,
                "orgId": 1,
                "productVersion": "11.2.1",
            })
        })
        .collect();
    http::json(
        StatusCode::OK,
        json!({ "data": { "totalCount": computers.len(), "computers": computers } }),
    )
}

/// `GET /api/v3/org/{orgId}/user`: bearer only.
async fn v3_org_users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org_id): Path<String>,
) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V3) {
        return r;
    }
    if org_id != fx::CODE42_ORG_ID {
        return error(
            Api::V3,
            StatusCode::NOT_FOUND,
            "ORG_NOT_FOUND",
            "Organization not found",
        );
    }
    let users: Vec<Value> = USERS.iter().map(user_json).collect();
    http::json(
        StatusCode::OK,
        json!({ "data": { "totalCount": users.len(), "users": users }, "error": null, "warnings": null }),
    )
}

/// `GET /api/v4/role/view`: roles (basic or bearer).
async fn v4_roles(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers, Api::V4) {
        return r;
    }
    http::json(
        StatusCode::OK,
        json!([
            {
                "roleId": "desktop-user",
                "roleName": "Desktop User",
                "creationDate": "2024-01-02T03:04:05.000Z",
                "modificationDate": "2024-01-02T03:04:05.000Z",
                "permissionIds": [{ "permission": "computer.login" }],
            },
            {
                "roleId": "security-center-user",
                "roleName": "Security Center User",
                "creationDate": "2024-01-02T03:04:05.000Z",
                "modificationDate": "2024-01-02T03:04:05.000Z",
                "permissionIds": [{ "permission": "forensic.search.read" }],
            },
        ]),
    )
}
