//! BeyondTrust Password Safe public API, served under
//! `/beyondtrust/BeyondTrust/api/public`.
//!
//! Emulates the seed's Authentication page:
//! - `POST v3/Auth/Connect/Token` takes an urlencoded
//!   `grant_type=client_credentials&client_id&client_secret` (any other
//!   content type is refused) and returns `access_token`, `expires_in`,
//!   `token_type: "Bearer"`, `scope: "publicapi"`;
//! - `POST v3/Auth/SignAppIn` with `Authorization: Bearer TOKEN` or
//!   `Authorization: PS-Auth key=KEY; runas=USER; [pwd=[PASSWORD];]` creates a
//!   session (cookie `ASP.NET_SessionId`) and returns the user model; 403 when
//!   the client's or key's licence is invalid;
//! - resources need that session; `POST v3/Auth/Signout` ends it, after which
//!   the cookie is refused (401);
//! - API versions v1 and v2 are disabled: 410 Gone.
//!
//! The API runs on IIS, whose routing ignores case (the seed itself spells
//! both `SignAppin` and `SignAppIn`; the official library sends
//! `Auth/connect/token` and `managedsystems`): the routes here are lower
//! case and [`crate::lower_case_beyondtrust`] lower-cases every path under
//! the vendor's prefix before routing. `runas` and the PS-Auth field names
//! ignore case too, as Windows account names do. `POST Auth/Signout` needs
//! no permission (the seed): without a live session it is a 200 that ends
//! nothing, while resources keep refusing an ended session with 401.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{any, get, post};
use serde_json::{Value, json};

use crate::fixtures as fx;
use crate::http::{self, Credentials};
use crate::state::{AppState, Extra, Session, bump};

/// JWT audience of BeyondTrust tokens.
const AUD: &str = "beyondtrust";
/// Default OAuth token lifetime.
pub const TOKEN_TTL: u64 = 3600;
/// Session cookie set by SignAppIn.
pub const SESSION_COOKIE: &str = "ASP.NET_SessionId";
/// The only enabled API version.
pub const VERSION: &str = "v3";
/// Versions answered with 410 Gone.
pub const DISABLED_VERSIONS: &[&str] = &["v1", "v2"];

/// A Password Safe user as SignAppIn returns it.
struct UserModel {
    user_id: u64,
    user_name: &'static str,
    name: &'static str,
    email: &'static str,
}

const APP_USER: UserModel = UserModel {
    user_id: 7,
    user_name: "sandbox-app-user",
    name: "Sandbox Application User",
    email: "sandbox-app@example.com",
};

const RUNAS_USER: UserModel = UserModel {
    user_id: 8,
    user_name: fx::BEYONDTRUST_RUNAS,
    name: "Sandbox API User",
    email: "api-user@example.com",
};

struct Client {
    id: &'static str,
    secret: &'static str,
    ttl: u64,
    licensed: bool,
}

const CLIENTS: &[Client] = &[
    Client {
        id: fx::BEYONDTRUST_CLIENT_ID,
        secret: fx::BEYONDTRUST_CLIENT_SECRET,
        ttl: TOKEN_TTL,
        licensed: true,
    },
    Client {
        id: fx::BEYONDTRUST_SHORT_CLIENT_ID,
        secret: fx::BEYONDTRUST_SHORT_CLIENT_SECRET,
        ttl: fx::SHORT_TOKEN_SECONDS,
        licensed: true,
    },
    Client {
        id: fx::BEYONDTRUST_UNLICENSED_CLIENT_ID,
        secret: fx::BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
        ttl: TOKEN_TTL,
        licensed: false,
    },
];

/// PS-Auth keys and whether their licence is valid.
const KEYS: &[(&str, bool)] = &[
    (fx::BEYONDTRUST_PS_KEY, true),
    (fx::BEYONDTRUST_UNLICENSED_PS_KEY, false),
];

/// Routes, relative to `/beyondtrust/BeyondTrust/api/public` (and to
/// `/BeyondTrust/api/public` with `--root beyondtrust`), in lower case: the
/// paths reach them lower-cased.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v3/auth/connect/token", post(token))
        .route("/v3/auth/signappin", post(sign_app_in))
        .route("/v3/auth/signout", post(sign_out))
        .route("/v3/managedsystems", get(managed_systems))
        .route("/v3/managedaccounts", get(managed_accounts))
        .route("/{version}/{*rest}", any(other_version))
}

fn unauthorized(message: &str) -> Response {
    http::text(StatusCode::UNAUTHORIZED, message)
}

fn oauth_error(code: &str, description: &str) -> Response {
    http::json(
        StatusCode::BAD_REQUEST,
        json!({ "error": code, "error_description": description }),
    )
}

/// `POST Auth/Connect/Token` (client credentials grant).
async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !http::content_type_is(&headers, "application/x-www-form-urlencoded") {
        return oauth_error(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        );
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return oauth_error("invalid_request", "Malformed form body");
    };
    let param = |name: &str| -> Result<Option<&str>, Response> {
        let mut values = pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(oauth_error(
                "invalid_request",
                &format!("Parameter '{name}' given more than once"),
            ));
        }
        Ok(first)
    };
    let (grant, id, secret) = match (
        param("grant_type"),
        param("client_id"),
        param("client_secret"),
    ) {
        (Ok(g), Ok(i), Ok(s)) => (g, i, s),
        (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
    };
    match grant {
        None => return oauth_error("invalid_request", "grant_type is required"),
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                "unsupported_grant_type",
                "Only client_credentials is supported",
            );
        }
    }
    let (Some(id), Some(secret)) = (id, secret) else {
        return oauth_error("invalid_client", "client_id and client_secret are required");
    };
    let Some(client) = CLIENTS.iter().find(|c| c.id == id && c.secret == secret) else {
        return oauth_error("invalid_client", "Invalid client_id or client_secret");
    };
    let token = state.issue(
        AUD,
        client.id,
        client.ttl,
        Extra {
            scope: Some("publicapi"),
            ..Extra::default()
        },
    );
    bump(&state.counters.beyondtrust_token_logins);
    let response = http::json(
        StatusCode::OK,
        json!({ "access_token": token, "expires_in": client.ttl, "token_type": "Bearer", "scope": "publicapi" }),
    );
    http::with_header(response, header::CACHE_CONTROL, "no-store")
}

/// Parsed `PS-Auth key=...; runas=...; pwd=[...];` header.
#[derive(Debug, PartialEq, Eq)]
pub struct PsAuth {
    pub key: String,
    pub runas: Option<String>,
    pub pwd: Option<String>,
}

/// Parses the PS-Auth header value (the part after `Authorization:`).
/// `pwd` is bracketed and may itself contain `;`, so it is cut out first.
pub fn parse_ps_auth(raw: &str) -> Option<PsAuth> {
    let (scheme, rest) = raw.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("PS-Auth") {
        return None;
    }
    let mut rest = rest.to_string();
    let mut pwd = None;
    if let Some(start) = rest.to_ascii_lowercase().find("pwd=[") {
        let end = rest.rfind(']').filter(|e| *e > start)?;
        pwd = Some(rest[start + 5..end].to_string());
        rest.replace_range(start..=end, "");
    }
    let (mut key, mut runas) = (None, None);
    for part in rest.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=')?;
        match k.trim().to_ascii_lowercase().as_str() {
            "key" => key = Some(v.trim().to_string()),
            "runas" => runas = Some(v.trim().to_string()),
            _ => return None,
        }
    }
    Some(PsAuth {
        key: key.filter(|k| !k.is_empty())?,
        runas: runas.filter(|r| !r.is_empty()),
        pwd,
    })
}

/// Who SignAppIn signs in, or the 401/403 response.
fn sign_in_user(state: &AppState, headers: &HeaderMap) -> Result<&'static UserModel, Response> {
    match http::credentials(headers) {
        Some(Credentials::Bearer(token)) => {
            let claims = state
                .verify(AUD, &token)
                .map_err(|e| unauthorized(&format!("User not authenticated: {}", e.message())))?;
            let client = CLIENTS
                .iter()
                .find(|c| c.id == claims.sub)
                .ok_or_else(|| unauthorized("User not authenticated"))?;
            if !client.licensed {
                return Err(http::text(
                    StatusCode::FORBIDDEN,
                    "Access forbidden: the Password Safe license is not valid",
                ));
            }
            Ok(&APP_USER)
        }
        Some(Credentials::Other(raw)) => {
            let ps = parse_ps_auth(&raw).ok_or_else(|| unauthorized("Malformed PS-Auth header"))?;
            let (_, licensed) = KEYS
                .iter()
                .find(|(k, _)| *k == ps.key)
                .ok_or_else(|| unauthorized("User not authenticated: invalid API key"))?;
            let runas = ps
                .runas
                .ok_or_else(|| unauthorized("User not authenticated: runas is required"))?;
            if !runas.eq_ignore_ascii_case(RUNAS_USER.user_name) {
                return Err(unauthorized("User not authenticated: unknown runas user"));
            }
            if ps.pwd.is_some_and(|p| p != fx::BEYONDTRUST_RUNAS_PASSWORD) {
                return Err(unauthorized("User not authenticated: invalid password"));
            }
            if !licensed {
                return Err(http::text(
                    StatusCode::FORBIDDEN,
                    "Access forbidden: the Password Safe license is not valid",
                ));
            }
            Ok(&RUNAS_USER)
        }
        _ => Err(unauthorized(
            "User not authenticated: send Authorization: Bearer or PS-Auth",
        )),
    }
}

/// `POST Auth/SignAppIn`: user model and a session cookie.
async fn sign_app_in(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match sign_in_user(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let session_id = uuid::Uuid::new_v4().simple().to_string();
    state.sessions.lock().expect("sessions lock").insert(
        session_id.clone(),
        Session {
            user_name: user.user_name.to_string(),
        },
    );
    bump(&state.counters.beyondtrust_signins);
    let response = http::json(
        StatusCode::OK,
        json!({
            "UserId": user.user_id,
            "SID": format!("S-1-5-21-1004336348-1177238915-682003330-{}", 1100 + user.user_id),
            "EmailAddress": user.email,
            "UserName": user.user_name,
            "Name": user.name,
        }),
    );
    http::with_header(
        response,
        header::SET_COOKIE,
        &format!("{SESSION_COOKIE}={session_id}; path=/; HttpOnly; SameSite=Lax"),
    )
}

/// The live session named by the request's cookie, or 401.
fn session(state: &AppState, headers: &HeaderMap) -> Result<(String, Session), Response> {
    let id = http::cookie(headers, SESSION_COOKIE)
        .ok_or_else(|| unauthorized("User not authenticated"))?;
    let sessions = state.sessions.lock().expect("sessions lock");
    match sessions.get(&id) {
        Some(s) => Ok((id, s.clone())),
        None => Err(unauthorized("User not authenticated: session has ended")),
    }
}

/// `POST Auth/Signout`: ends the session named by the cookie, if it is
/// alive; 200 either way (the seed: no permissions required).
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ended = http::cookie(&headers, SESSION_COOKIE).is_some_and(|id| {
        state
            .sessions
            .lock()
            .expect("sessions lock")
            .remove(&id)
            .is_some()
    });
    if ended {
        bump(&state.counters.signouts);
    }
    let response = http::text(StatusCode::OK, "");
    http::with_header(
        response,
        header::SET_COOKIE,
        &format!(
            "{SESSION_COOKIE}=; path=/; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        ),
    )
}

/// `GET ManagedSystems`.
async fn managed_systems(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = session(&state, &headers) {
        return r;
    }
    http::json(
        StatusCode::OK,
        json!([
            { "ManagedSystemID": 1, "AssetID": 11, "SystemName": "sandbox-db01", "PlatformID": 11,
              "NetBiosName": null, "Port": 1433, "Description": "Sandbox SQL Server", "ReleaseDuration": 120 },
            { "ManagedSystemID": 2, "AssetID": 12, "SystemName": "sandbox-web01", "PlatformID": 2,
              "NetBiosName": null, "Port": 22, "Description": "Sandbox Linux host", "ReleaseDuration": 120 },
        ]),
    )
}

/// `GET ManagedAccounts`: accounts the signed-in user may request.
async fn managed_accounts(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (_, session) = match session(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let account = |id: u64, system_id: u64, system: &str, name: &str| -> Value {
        json!({
            "PlatformID": if system_id == 1 { 11 } else { 2 },
            "SystemId": system_id,
            "SystemName": system,
            "DomainName": null,
            "AccountId": id,
            "AccountName": name,
            "InstanceName": "",
            "DefaultReleaseDuration": 120,
            "MaximumReleaseDuration": 525600,
            "LastChangeDate": "2024-05-01T10:00:00",
            "NextChangeDate": null,
            "IsChanging": false,
            "IsISAAccess": false,
            "RequestedBy": session.user_name,
        })
    };
    http::json(
        StatusCode::OK,
        json!([
            account(101, 1, "sandbox-db01", "sa"),
            account(102, 2, "sandbox-web01", "root")
        ]),
    )
}

/// Any path under another API version: 410 for disabled versions, else 404.
async fn other_version(Path((version, _rest)): Path<(String, String)>) -> Response {
    if DISABLED_VERSIONS.contains(&version.as_str()) {
        http::text(StatusCode::GONE, "API version has been disabled")
    } else {
        http::text(StatusCode::NOT_FOUND, "Not found")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ps_auth() {
        assert_eq!(
            parse_ps_auth("PS-Auth key=k1; runas=u1; pwd=[a;b]];"),
            Some(PsAuth {
                key: "k1".into(),
                runas: Some("u1".into()),
                pwd: Some("a;b]".into())
            })
        );
        assert_eq!(
            parse_ps_auth("PS-Auth key=k1; runas=u1;"),
            Some(PsAuth {
                key: "k1".into(),
                runas: Some("u1".into()),
                pwd: None
            })
        );
        assert_eq!(
            parse_ps_auth("PS-Auth KEY=k1;RunAs=u1;PWD=[p]"),
            Some(PsAuth {
                key: "k1".into(),
                runas: Some("u1".into()),
                pwd: Some("p".into())
            })
        );
        assert_eq!(parse_ps_auth("PS-Auth runas=u1;"), None);
        assert_eq!(parse_ps_auth("Basic key=k1;"), None);
        assert_eq!(parse_ps_auth("PS-Auth key=k1; bogus=1;"), None);
    }
}
