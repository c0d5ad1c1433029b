//! Credentials: what a profile's login produced, ready to attach.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::http::Jar;
use serde_json::Value;

use crate::http::{Credentials, Origin};
use crate::template::{Layer, from_json, layer};

/// The most of a lifetime kept in reserve: refresh with 60 s left, or a
/// quarter of the lifetime when that is shorter.
pub(crate) const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// When credentials obtained at `obtained` and expiring at `expires_at` are
/// refreshed: when less than `min(60 s, lifetime / 4)` remains (DESIGN,
/// "Credentials"), whatever gave the lifetime (`expires_in`, `ttl`, a JWT's
/// `exp`). Computed once, when the credential is obtained. A lifetime that
/// is already over (an `exp` in the past) gives `expires_at` itself.
pub(crate) fn refresh_point(obtained: SystemTime, expires_at: SystemTime) -> SystemTime {
    let lifetime = expires_at.duration_since(obtained).unwrap_or_default();
    expires_at - MAX_REFRESH_MARGIN.min(lifetime / 4)
}

#[derive(Debug)]
pub(crate) struct Creds {
    pub profile: String,
    /// Bumped by every login of the profile in this run.
    pub generation: u64,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    /// The profile's cookie jar: the login steps' cookies when `apply:
    /// cookies: true`, and every cookie the profile's requests receive. Its
    /// requests' `Cookie` headers come from it alone.
    pub jar: Arc<Jar>,
    /// `None`: any origin may receive them.
    pub hosts: Option<Vec<Origin>>,
    pub captures: HashMap<String, Value>,
    pub secrets: HashMap<String, String>,
    pub expires_at: Option<SystemTime>,
    /// From [`refresh_point`]; `None` with `expires_at`: never refreshed.
    pub refresh_at: Option<SystemTime>,
    /// Where the credentials came from, for the output.

    /// The exchange the profile's requests go through: the run's, or one
    /// whose client presents the profile's `tls:` certificate.
    pub exchange: Arc<crate::exchange::Exchange>,
    /// `request_layer`, built on first use: every request of the profile reads it.
    pub layer: std::sync::OnceLock<Layer>,
}

impl Creds {
    pub(crate) fn credentials(&self) -> Credentials<'_> {
        Credentials {
            headers: &self.headers,
            query: &self.query,
            hosts: self.hosts.as_deref(),
        }
    }

    /// Usable at `now`: before the refresh point computed at login.
    pub(crate) fn fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|t| now < t)
    }

    /// `secrets` and `auth` for the templates of requests using the profile.
    pub(crate) fn request_layer(&self) -> Layer {
        self.layer
            .get_or_init(|| self.build_request_layer())
            .clone()
    }

    fn build_request_layer(&self) -> Layer {
        layer([
            (
                "secrets",
                from_json(&serde_json::to_value(&self.secrets).unwrap_or_default()),
            ),
            (
                "auth",
                from_json(&serde_json::to_value(&self.captures).unwrap_or_default()),
            ),
        ])
    }

    /// The credential value for `sesame token`: the first applied header
    /// without its scheme word, else the first query value, else the first capture.
    pub(crate) fn token(&self) -> Option<String> {
        if let Some((_, v)) = self.headers.first() {
            let v = v.trim();
            for scheme in ["Bearer ", "bearer ", "Basic ", "Token ", "token "] {
                if let Some(rest) = v.strip_prefix(scheme) {
                    return Some(rest.trim().to_string());
                }
            }
            return Some(v.to_string());
        }
        if let Some((_, v)) = self.query.first() {
            return Some(v.clone());
        }
        self.captures.values().next().map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
}
