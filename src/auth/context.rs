//! What the auth layer needs from the command that runs it, given once at
//! construction: `auth` never calls back into the runner.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::auth::cache::CredCache;
use crate::exchange::Exchange;
use crate::template::{Layer, Scope, from_json, layer};

/// The context of every login and logout of one command.
pub(crate) struct AuthContext {
    /// The client, redactor and event stream every exchange goes through.
    pub exchange: Arc<Exchange>,
    /// `env`, the environment's variables and `--var`: what profile
    /// templates see besides their own secrets and captures.
    pub base: Scope,
    /// `--var` alone, part of the cache key.
    pub cli_vars: Layer,
    /// The process environment and `.env`, for `env:` secret sources.
    pub env: Arc<BTreeMap<String, String>>,
    /// `--env NAME`, part of the cache key.
    pub env_name: Option<String>,
    /// Text of the chosen environment's variables, part of the cache key.
    pub env_fingerprint: String,
    /// The project folder, part of the cache key: two projects with a
    /// profile of the same name keep an entry each.
    pub project_root: std::path::PathBuf,
    /// The disk cache; `None` with `--no-cache`.
    pub cache: Option<CredCache>,
    /// `--insecure`, `--cacert`: the base of each `tls:` profile's client.
    pub tls: crate::http::ClientOptions,
    /// `run --credentials FILE`: used instead of logging in while they last.
    pub saved: Option<Arc<crate::auth::saved::Saved>>,
    /// Serialises questions asked on the terminal (secret prompts, confirms).
    pub prompts: Arc<Mutex<()>>,
}

impl AuthContext {
    /// Templates of a profile see the base scope, its secrets and its captures.
    pub(crate) fn profile_scope(
        &self,
        secrets: &std::collections::HashMap<String, String>,
        captures: &std::collections::HashMap<String, Value>,
    ) -> Scope {
        let secrets_value = from_json(&serde_json::to_value(secrets).unwrap_or_default());
        self.base
            .with(layer([("secrets", secrets_value)]))
            .with(Arc::new(
                captures
                    .iter()
                    .map(|(k, v)| (k.clone(), from_json(v)))
                    .collect(),
            ))
    }
}
