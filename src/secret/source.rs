//! Where a profile's secret comes from.

use schemars::JsonSchema;
use serde::Deserialize;

/// Sources for one secret, always tried in this order: `env`, `file`,
/// `command`, `prompt`.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretSource {
    /// Name of an environment variable (the process environment or `.env`).
    pub env: Option<String>,
    /// A file whose contents (trailing newline trimmed) are the secret; relative to the profile file.
    pub file: Option<String>,
    /// A program and its arguments, run without a shell; its stdout, trimmed.
    pub command: Option<Vec<String>>,
    /// A question asked without echo, only when stdin is a terminal.
    pub prompt: Option<String>,
}

/// Temporary stand-in until the secrets module lands.
pub fn check(_src: &SecretSource) -> Result<(), String> {
    Ok(())
}

/// Temporary stand-in until the secrets module lands.
pub fn resolve(
    profile: &str,
    name: &str,
    src: &SecretSource,
    _base_dir: &std::path::Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<crate::secret::Secret, String> {
    if let Some(v) = src.env.as_deref().and_then(env) {
        return Ok(crate::secret::Secret::new(v));
    }
    Err(format!("secret `{name}` of profile `{profile}`: no source yielded a value"))
}
