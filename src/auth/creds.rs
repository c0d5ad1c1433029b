//! Credentials: what a profile's login produced, ready to attach.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::http::Jar;
use serde_json::Value;

use crate::http::{Credentials, Origin};
use crate::template::{Layer, from_json, layer};

/// Refresh credentials that have less than this left.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Creds {
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
    /// Where the credentials came from, for the output.
    pub from_cache: bool,
    /// `request_layer`, built on first use: every request of the profile reads it.
    pub layer: std::sync::OnceLock<Layer>,
}

impl Creds {
    pub fn credentials(&self) -> Credentials<'_> {
        Credentials {
            headers: &self.headers,
            query: &self.query,
            hosts: self.hosts.as_deref(),
        }
    }

    pub fn fresh(&self, now: SystemTime) -> bool {
        match self.expires_at {
            None => true,
            Some(t) => t
                .duration_since(now)
                .is_ok_and(|left| left > REFRESH_MARGIN),
        }
    }

    /// `secrets` and `auth` for the templates of requests using the profile.
    pub fn request_layer(&self) -> Layer {
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
    pub fn token(&self) -> Option<String> {
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
