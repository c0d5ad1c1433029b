//! basicapp, the seed's "Basic Authentication" app, served under `/basicapp`.
//!
//! Every request carries `Authorization: Basic base64(email:password)`; there
//! is no login step. Bad or missing credentials are 401 (with a
//! `WWW-Authenticate` challenge); a valid user whose "API Access" option is
//! off is 403, as the seed requires API access to be granted per user.
//!
//! It also hosts the onboarding playbook's endpoints: creating a user starts
//! a provisioning job whose status is `"done"` on the third poll, so a
//! request file can show `retry:` polling.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use crate::fixtures as fx;
use crate::http::{self, Credentials};
use crate::state::{AppState, CreatedUser, Job, bump};

struct User {
    id: u64,
    email: &'static str,
    password: &'static str,
    api_access: bool,
    name: &'static str,
    role: &'static str,
}

const USERS: &[User] = &[
    User {
        id: 1,
        email: fx::BASICAPP_USER,
        password: fx::BASICAPP_PASSWORD,
        api_access: true,
        name: "Alice Anders",
        role: "Unrestricted Administrator",
    },
    User {
        id: 2,
        email: fx::BASICAPP_NO_API_USER,
        password: fx::BASICAPP_NO_API_PASSWORD,
        api_access: false,
        name: "Bob Berg",
        role: "Viewer",
    },
];

/// Ids of users created by the API start here.
const FIRST_CREATED_ID: u64 = 100;
/// Polls of a job after which it reports `done`.
pub const JOB_POLLS_UNTIL_DONE: u32 = 3;

/// Routes, relative to `/basicapp`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v2/users/me", get(me))
        .route("/api/v2/users", get(list_users).post(create_user))
        .route("/api/v2/users/{id}", get(one_user))
        .route("/api/v2/users/{id}/roles", get(user_roles))
        .route("/api/v2/users/{id}/devices", get(user_devices))
        .route("/api/v2/jobs/{id}", get(job_status))
}

fn fail(status: StatusCode, message: &str) -> Response {
    http::json(
        status,
        json!({ "error": { "code": status.as_u16(), "message": message } }),
    )
}

/// The authenticated user, or the 401/403 response.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<&'static User, Response> {
    let unauthorized = |message: &str| {
        http::with_header(
            fail(StatusCode::UNAUTHORIZED, message),
            header::WWW_AUTHENTICATE,
            "Basic realm=\"basicapp\", charset=\"UTF-8\"",
        )
    };
    let Some(Credentials::Basic { user, password }) = http::credentials(headers) else {
        return Err(unauthorized(
            "Basic authentication required: Authorization: Basic base64(email:password)",
        ));
    };
    let Some(u) = USERS
        .iter()
        .find(|u| u.email == user && u.password == password)
    else {
        return Err(unauthorized("Invalid email or password"));
    };
    if !u.api_access {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "API access is not enabled for this user",
        ));
    }
    bump(&state.counters.basic_auth_requests);
    Ok(u)
}

fn fixed_user_json(u: &User) -> Value {
    json!({ "id": u.id, "email": u.email, "name": u.name, "role": u.role, "apiAccess": u.api_access })
}

fn created_user_json(u: &CreatedUser) -> Value {
    json!({ "id": u.id, "email": u.email, "name": u.name, "role": u.role, "apiAccess": true })
}

fn find_user(state: &AppState, id: &str) -> Option<Value> {
    let id: u64 = id.parse().ok()?;
    if let Some(u) = USERS.iter().find(|u| u.id == id) {
        return Some(fixed_user_json(u));
    }
    let created = state.created_users.lock().expect("users lock");
    created.iter().find(|u| u.id == id).map(created_user_json)
}

/// `GET /api/v2/users/me`.
async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers) {
        Ok(u) => http::json(StatusCode::OK, fixed_user_json(u)),
        Err(r) => r,
    }
}

/// `GET /api/v2/users`.
async fn list_users(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers) {
        return r;
    }
    let mut items: Vec<Value> = USERS.iter().map(fixed_user_json).collect();
    items.extend(
        state
            .created_users
            .lock()
            .expect("users lock")
            .iter()
            .map(created_user_json),
    );
    http::json(
        StatusCode::OK,
        json!({ "total": items.len(), "items": items }),
    )
}

/// `POST /api/v2/users` with `{"email", "name", "role"?}`: 202 and a job.
async fn create_user(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = authenticate(&state, &headers) {
        return r;
    }
    if !http::content_type_is(&headers, "application/json") {
        return fail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        );
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return fail(
            StatusCode::BAD_REQUEST,
            "Request body must be a JSON object",
        );
    };
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let (Some(email), Some(name)) = (text("email"), text("name")) else {
        return fail(
            StatusCode::BAD_REQUEST,
            "'email' and 'name' are required strings",
        );
    };
    if !email.contains('@') {
        return fail(StatusCode::BAD_REQUEST, "'email' must be an email address");
    }
    let mut created = state.created_users.lock().expect("users lock");
    if USERS.iter().any(|u| u.email == email) || created.iter().any(|u| u.email == email) {
        return fail(
            StatusCode::CONFLICT,
            "A user with this email already exists",
        );
    }
    let user = CreatedUser {
        id: FIRST_CREATED_ID + created.len() as u64,
        email: email.to_string(),
        name: name.to_string(),
        role: text("role").unwrap_or("API User").to_string(),
    };
    created.push(user.clone());
    drop(created);
    let job_id = uuid::Uuid::new_v4().to_string();
    state.jobs.lock().expect("jobs lock").insert(
        job_id.clone(),
        Job {
            user_id: user.id,
            polls: 0,
        },
    );
    http::json(
        StatusCode::ACCEPTED,
        json!({ "user": created_user_json(&user), "job": { "id": job_id, "state": "queued" } }),
    )
}

/// Answers for the user `id` with `view(user)`, after authentication.
fn with_user(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    view: impl FnOnce(Value) -> Value,
) -> Response {
    if let Err(r) = authenticate(state, headers) {
        return r;
    }
    match find_user(state, id) {
        Some(u) => http::json(StatusCode::OK, view(u)),
        None => fail(StatusCode::NOT_FOUND, "User not found"),
    }
}

/// `GET /api/v2/users/{id}`.
async fn one_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    with_user(&state, &headers, &id, |u| u)
}

/// `GET /api/v2/users/{id}/roles`.
async fn user_roles(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    with_user(
        &state,
        &headers,
        &id,
        |u| json!({ "userId": u["id"], "roles": [u["role"]] }),
    )
}

/// `GET /api/v2/users/{id}/devices`: every user has one enrolled laptop.
async fn user_devices(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    with_user(&state, &headers, &id, |u| {
        json!({
            "userId": u["id"],
            "devices": [{ "id": format!("dev-{}", u["id"]), "name": "laptop", "platform": "linux", "enrolled": true }],
        })
    })
}

/// `GET /api/v2/jobs/{id}`: `queued`, `running`, then `done` from the third poll on.
async fn job_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = authenticate(&state, &headers) {
        return r;
    }
    let mut jobs = state.jobs.lock().expect("jobs lock");
    let Some(job) = jobs.get_mut(&id) else {
        return fail(StatusCode::NOT_FOUND, "Job not found");
    };
    job.polls += 1;
    let job_state = match job.polls {
        n if n >= JOB_POLLS_UNTIL_DONE => "done",
        1 => "queued",
        _ => "running",
    };
    http::json(
        StatusCode::OK,
        json!({ "id": id, "state": job_state, "userId": job.user_id, "polls": job.polls }),
    )
}
