//! State shared by every route of one sandbox: signing key, revocation
//! generation, TOTP ledger, sessions, counters.
//!
//! Each [`crate::Sandbox`] has its own state, so parallel tests never see each
//! other's tokens, used TOTP codes or sessions.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::jwt::{self, Claims, JwtError};
use crate::totp::{Ledger, TotpError};

/// Snapshot of the sandbox's counters (also served at `GET /_sandbox/stats`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Every successful credential-issuing login, all vendors: the sum of
    /// the five login counters below.
    pub token_requests: u64,
    /// Code42 `POST /v1/oauth` tokens issued.
    pub code42_oauth_logins: u64,
    /// Code42 `GET /api/v3/auth/jwt` tokens issued (body or cookie).
    pub code42_jwt_logins: u64,
    /// Crisisworks `POST /api/json/auth` tokens issued.
    pub crisisworks_logins: u64,
    /// BeyondTrust `POST Auth/Connect/Token` tokens issued.
    pub beyondtrust_token_logins: u64,
    /// BeyondTrust `POST Auth/SignAppIn` sessions created.
    pub beyondtrust_signins: u64,
    /// Requests accepted with HTTP basic credentials (Code42 v1/v4, basicapp).
    pub basic_auth_requests: u64,
    /// BeyondTrust sessions ended by `POST Auth/Signout`.
    pub signouts: u64,
    /// BeyondTrust sessions alive now.
    pub active_sessions: u64,
    /// TOTP codes refused: wrong, outside the ±1 step window, or reused.
    pub rejected_totp: u64,
    /// Responses with status 401, any vendor.
    pub unauthorized: u64,
    /// Calls of `POST /_sandbox/revoke`.
    pub revocations: u64,
}

/// Monotonic counters behind [`Stats`].
#[derive(Default)]
pub struct Counters {
    pub code42_oauth_logins: AtomicU64,
    pub code42_jwt_logins: AtomicU64,
    pub crisisworks_logins: AtomicU64,
    pub beyondtrust_token_logins: AtomicU64,
    pub beyondtrust_signins: AtomicU64,
    pub basic_auth_requests: AtomicU64,
    pub signouts: AtomicU64,
    pub rejected_totp: AtomicU64,
    pub unauthorized: AtomicU64,
    pub revocations: AtomicU64,
}

/// Increments a counter by one.
pub fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A BeyondTrust session created by SignAppIn.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_name: String,
}

/// A basicapp provisioning job that is done on its third status poll.
#[derive(Clone, Debug)]
pub struct Job {
    pub user_id: u64,
    pub polls: u32,
}

/// A user created through basicapp's `POST /api/v2/users`.
#[derive(Clone, Debug)]
pub struct CreatedUser {
    pub id: u64,
    pub email: String,
    pub name: String,
    pub role: String,
}

/// Vendor-specific claims of a token [`AppState::issue`] signs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extra<'a> {
    /// Crisisworks: the `X-Site` the token is for.
    pub site: Option<&'a str>,
    /// OAuth scope, when the vendor reports one.
    pub scope: Option<&'a str>,
    /// Code42 API clients: `tenantUid`.
    pub tenant_uid: Option<&'a str>,
}

/// Cheaply clonable handle to one sandbox's state.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    key: [u8; 32],
    generation: AtomicU64,
    /// Seconds added to the system clock: the sandbox's one clock is
    /// [`AppState::now`], moved by `POST /_sandbox/clock`.
    clock_offset: AtomicI64,
    pub counters: Counters,
    pub totp: Ledger,
    pub sessions: Mutex<HashMap<String, Session>>,
    pub jobs: Mutex<HashMap<String, Job>>,
    pub created_users: Mutex<Vec<CreatedUser>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The system clock, unix seconds.
fn system_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl AppState {
    /// Fresh state with a random HS256 key (from two v4 UUIDs, i.e. the OS RNG).
    pub fn new() -> Self {
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        AppState(Arc::new(Inner {
            key,
            generation: AtomicU64::new(0),
            clock_offset: AtomicI64::new(0),
            counters: Counters::default(),
            totp: Ledger::default(),
            sessions: Mutex::default(),
            jobs: Mutex::default(),
            created_users: Mutex::default(),
        }))
    }

    /// The sandbox clock, unix seconds: the system clock plus the offset set
    /// through `POST /_sandbox/clock`. Every time the sandbox reads (TOTP
    /// steps, token `iat`/`exp`, expiry checks) comes from here.
    pub fn now(&self) -> u64 {
        let offset = self.clock_offset.load(Ordering::SeqCst);
        system_now().saturating_add_signed(offset)
    }

    /// Moves the sandbox clock `seconds` forward (backward when negative);
    /// returns the new time.
    pub fn advance_clock(&self, seconds: i64) -> u64 {
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
        self.now()
    }

    /// Sets the sandbox clock to unix time `unix`; returns it.
    pub fn set_clock(&self, unix: u64) -> u64 {
        let offset = i64::try_from(unix).unwrap_or(i64::MAX) - system_now() as i64;
        self.clock_offset.store(offset, Ordering::SeqCst);
        self.now()
    }

    /// Seconds between the sandbox clock and the system clock.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::SeqCst)
    }

    /// Issues a token for `sub` at vendor `aud`, valid `ttl` seconds.
    pub fn issue(&self, aud: &str, sub: &str, ttl: u64, extra: Extra) -> String {
        let iat = self.now();
        let claims = Claims {
            sub: sub.to_string(),
            aud: aud.to_string(),
            iat,
            exp: iat + ttl,
            jti: uuid::Uuid::new_v4().to_string(),
            generation: self.generation.load(Ordering::SeqCst),
            site: extra.site.map(str::to_string),
            scope: extra.scope.map(str::to_string),
            tenant_uid: extra.tenant_uid.map(str::to_string),
        };
        jwt::sign(&self.key, &claims)
    }

    /// Verifies a token this sandbox issued for vendor `aud`.
    pub fn verify(&self, aud: &str, token: &str) -> Result<Claims, JwtError> {
        jwt::verify(
            &self.key,
            token,
            aud,
            self.now(),
            self.generation.load(Ordering::SeqCst),
        )
    }

    /// Checks a TOTP code, counting refusals in `rejected_totp`.
    pub fn check_totp(&self, user: &str, secret: &str, code: &str) -> Result<(), TotpError> {
        let result = self.totp.verify(user, secret, code, self.now());
        if result.is_err() {
            bump(&self.counters.rejected_totp);
        }
        result
    }

    /// Invalidates every token and session issued so far.
    pub fn revoke(&self) -> u64 {
        self.sessions.lock().expect("sessions lock").clear();
        bump(&self.counters.revocations);
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Snapshot of the counters.
    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let logins = [
            get(&c.code42_oauth_logins),
            get(&c.code42_jwt_logins),
            get(&c.crisisworks_logins),
            get(&c.beyondtrust_token_logins),
            get(&c.beyondtrust_signins),
        ];
        Stats {
            token_requests: logins.iter().sum(),
            code42_oauth_logins: logins[0],
            code42_jwt_logins: logins[1],
            crisisworks_logins: logins[2],
            beyondtrust_token_logins: logins[3],
            beyondtrust_signins: logins[4],
            basic_auth_requests: get(&c.basic_auth_requests),
            signouts: get(&c.signouts),
            active_sessions: self.sessions.lock().expect("sessions lock").len() as u64,
            rejected_totp: get(&c.rejected_totp),
            unauthorized: get(&c.unauthorized),
            revocations: get(&c.revocations),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
