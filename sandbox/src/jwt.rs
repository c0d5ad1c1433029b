//! HS256 JSON Web Tokens, enough for the sandbox to issue and check its own.
//!
//! Hand-rolled on `hmac` + `sha2` rather than a JWT crate: the sandbox only
//! ever verifies tokens it signed itself with one algorithm, and this keeps
//! the crate free of C builds. Verification refuses any `alg` but HS256
//! (notably `none`), compares the MAC in constant time, and checks audience,
//! expiry and the revocation generation.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Claims the sandbox puts in every token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    /// Who the token speaks for: a user name or an API client id.
    pub sub: String,
    /// Vendor the token is good for (`code42`, `crisisworks`, `beyondtrust`):
    /// one vendor's token never works at another's prefix.
    pub aud: String,
    /// Issued at, unix seconds.
    pub iat: u64,
    /// Expires at, unix seconds; refused from this second on.
    pub exp: u64,
    /// Unique token id.
    pub jti: String,
    /// Revocation generation at issue time; `/_sandbox/revoke` bumps it.
    pub generation: u64,
    /// Crisisworks: the `X-Site` the token was issued for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// OAuth scope, when the vendor reports one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Code42 API-client tokens: the tenant, which incydr reads from the token.
    #[serde(rename = "tenantUid", default, skip_serializing_if = "Option::is_none")]
    pub tenant_uid: Option<String>,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON, or not HS256.
    Malformed,
    /// Signature does not match this sandbox's key.
    BadSignature,
    /// Issued for another vendor.
    WrongAudience,
    /// Past `exp`.
    Expired,
    /// Issued before the last `/_sandbox/revoke`.
    Revoked,
}

impl JwtError {
    /// Short human-readable reason, used in error bodies.
    pub fn message(self) -> &'static str {
        match self {
            JwtError::Malformed => "token is malformed",
            JwtError::BadSignature => "token signature is invalid",
            JwtError::WrongAudience => "token was not issued for this API",
            JwtError::Expired => "token has expired",
            JwtError::Revoked => "token has been revoked",
        }
    }
}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Signs `claims` with `key`.
pub fn sign(key: &[u8], claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(HEADER);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
    let input = format!("{header}.{payload}");
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{input}.{sig}")
}

/// Verifies signature, audience, expiry (against `now`, unix seconds) and
/// revocation generation.
pub fn verify(
    key: &[u8],
    token: &str,
    audience: &str,
    now: u64,
    generation: u64,
) -> Result<Claims, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: serde_json::Value = URL_SAFE_NO_PAD
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(JwtError::Malformed);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&sig).map_err(|_| JwtError::BadSignature)?;
    let claims: Claims = URL_SAFE_NO_PAD
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    if claims.aud != audience {
        return Err(JwtError::WrongAudience);
    }
    if now >= claims.exp {
        return Err(JwtError::Expired);
    }
    if claims.generation != generation {
        return Err(JwtError::Revoked);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            sub: "alice".into(),
            aud: "code42".into(),
            iat: 100,
            exp,
            jti: "j".into(),
            generation: 0,
            site: None,
            scope: None,
            tenant_uid: None,
        }
    }

    #[test]
    fn round_trip_and_refusals() {
        let key = b"k1";
        let t = sign(key, &claims(200));
        assert_eq!(verify(key, &t, "code42", 150, 0), Ok(claims(200)));
        assert_eq!(verify(key, &t, "code42", 200, 0), Err(JwtError::Expired));
        assert_eq!(
            verify(b"k2", &t, "code42", 150, 0),
            Err(JwtError::BadSignature)
        );
        assert_eq!(
            verify(key, &t, "crisisworks", 150, 0),
            Err(JwtError::WrongAudience)
        );
        assert_eq!(verify(key, &t, "code42", 150, 1), Err(JwtError::Revoked));
        assert_eq!(
            verify(key, "a.b", "code42", 150, 0),
            Err(JwtError::Malformed)
        );
    }

    #[test]
    fn alg_none_is_refused() {
        let key = b"k1";
        let t = sign(key, &claims(200));
        let mut parts: Vec<&str> = t.split('.').collect();
        let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        parts[0] = &none;
        parts[2] = "";
        assert_eq!(
            verify(key, &parts.join("."), "code42", 150, 0),
            Err(JwtError::Malformed)
        );
    }
}
