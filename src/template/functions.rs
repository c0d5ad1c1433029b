//! The functions and filters DESIGN.md promises in templates: `totp`,
//! `uuid`, `now`, `b64encode`, `b64decode`, `urlencode` (built in),
//! `urlencode_component`, `jwt_claims`.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, Value};

use crate::template::unknown::Unknown;

/// What `totp()` needs from the run: codes that are never reused, waits
/// announced, and the code registered as a secret.
pub trait TotpProvider: Send + Sync {
    fn code(
        &self,
        secret: &str,
        digits: Option<u32>,
        period: Option<u64>,
        algorithm: Option<&str>,
    ) -> Result<String, String>;
}

pub(crate) fn register(env: &mut Environment<'static>, totp: Arc<dyn TotpProvider>) {
    env.add_function("totp", move |secret: String, kwargs: Kwargs| {
        let digits: Option<u32> = kwargs.get("digits")?;
        let period: Option<u64> = kwargs.get("period")?;
        let algorithm: Option<String> = kwargs.get("algorithm")?;
        kwargs.assert_all_used()?;
        totp.code(&secret, digits, period, algorithm.as_deref())
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, e))
    });
    env.add_function("uuid", || uuid::Uuid::new_v4().to_string());
    // The run's clock, so `now()` agrees with expiry and TOTP in test mode.
    env.add_function("now", crate::clock::unix_now);
    env.add_function("jwt_claims", jwt_claims);
    env.add_filter("jwt_claims", jwt_claims);
    env.add_filter("b64encode", |v: Value| {
        if Unknown::is(&v) {
            return Unknown::derived();
        }
        Value::from(STANDARD.encode(text_of(&v)))
    });
    env.add_filter("urlencode_component", |v: Value| {
        if Unknown::is(&v) {
            return Unknown::derived();
        }
        Value::from(urlencode_component(&text_of(&v)))
    });
    env.add_filter("b64decode", b64decode);
}

/// Decodes standard or URL-safe base64. The error never quotes the input,
/// nor where it went wrong: the input is often a secret, and the template's
/// location already names it.
fn b64decode(v: Value) -> Result<Value, Error> {
    if Unknown::is(&v) {
        return Ok(Unknown::derived());
    }
    let text = text_of(&v);
    let bytes = STANDARD
        .decode(text.trim())
        .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim().trim_end_matches('=')))
        .map_err(|_| invalid("b64decode: the value is not base64"))?;
    String::from_utf8(bytes)
        .map(Value::from)
        .map_err(|_| invalid("b64decode: the decoded bytes are not UTF-8"))
}

/// Percent-encodes every byte outside RFC 3986's unreserved set (`A-Z a-z
/// 0-9 - . _ ~`), so a value is one path segment or query component
/// whatever it holds: `/` is `%2F`, `#` is `%23`, a space `%20`.
pub(crate) fn urlencode_component(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn text_of(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_string(),
    }
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// The claims of a JWT, unverified: for reading `exp`, `sub`, roles.
fn jwt_claims(token: Value) -> Result<Value, Error> {
    if Unknown::is(&token) {
        return Ok(Unknown::derived());
    }
    let token = text_of(&token);
    let token = token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token);
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| invalid("jwt_claims: not a JWT (expected header.payload.signature)"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| invalid("jwt_claims: the payload is not base64url"))?;
    let json: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| invalid("jwt_claims: the payload is not JSON"))?;
    Ok(crate::template::from_json(&json))
}

/// The expiry (`exp`, unix seconds) of a JWT, if the text is one.
pub(crate) fn jwt_exp(token: &str) -> Option<u64> {
    let claims = jwt_claims(Value::from(token)).ok()?;
    let exp = claims.get_attr("exp").ok()?;
    u64::try_from(exp).ok()
}

/// A provider that answers every `totp()` with one fixed code, for the
/// template layer's unit tests.
#[cfg(test)]
pub(crate) struct FixedTotp(pub(crate) &'static str);

#[cfg(test)]
impl TotpProvider for FixedTotp {
    fn code(
        &self,
        _: &str,
        _: Option<u32>,
        _: Option<u64>,
        _: Option<&str>,
    ) -> Result<String, String> {
        Ok(self.0.into())
    }
}
