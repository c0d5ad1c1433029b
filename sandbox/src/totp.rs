//! Strict TOTP checking (RFC 6238: SHA1, 6 digits, 30 s steps).
//!
//! A code is accepted within ±1 time step of the server clock (the usual
//! allowance for clock drift) and only once per user: the ledger keeps the
//! last accepted step per user and refuses any code for that step or an
//! earlier one, as RFC 6238 §5.2 recommends. That is what makes a client that
//! resends a code (e.g. two logins within one 30 s step) fail here as it
//! would at the vendor.

use std::collections::HashMap;
use std::sync::Mutex;

use totp_rs::{Rfc6238, Secret, TOTP};

/// Seconds per TOTP step.
pub const STEP: u64 = 30;

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpError {
    /// Matches no step within the window (or is not 6 digits).
    Invalid,
    /// Matches a step that was already used by this user.
    Reused,
}

/// Builds the RFC 6238 generator for a base32 secret.
///
/// Uses `Rfc6238::with_defaults`, whose signature does not change with
/// totp-rs' `otpauth` feature (which sesame enables in the same workspace).
pub fn generator(base32_secret: &str) -> TOTP {
    let bytes = Secret::Encoded(base32_secret.to_string())
        .to_bytes()
        .expect("fixture TOTP secrets are valid base32");
    let rfc = Rfc6238::with_defaults(bytes).expect("fixture TOTP secrets are 160-bit");
    TOTP::from_rfc6238(rfc).expect("valid RFC 6238 parameters")
}

/// Per-user record of the last accepted time step.
#[derive(Default)]
pub struct Ledger {
    last_step: Mutex<HashMap<String, u64>>,
}

impl Ledger {
    /// Checks `code` for `user` at unix time `now`, and on success records
    /// its step so that the code cannot be used again.
    pub fn verify(
        &self,
        user: &str,
        base32_secret: &str,
        code: &str,
        now: u64,
    ) -> Result<(), TotpError> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TotpError::Invalid);
        }
        let totp = generator(base32_secret);
        let current = now / STEP;
        let candidates = [Some(current), current.checked_sub(1), Some(current + 1)];
        let step = candidates
            .into_iter()
            .flatten()
            .find(|s| constant_eq(totp.generate(s * STEP).as_bytes(), code.as_bytes()))
            .ok_or(TotpError::Invalid)?;
        let mut ledger = self.last_step.lock().expect("ledger lock");
        if ledger.get(user).is_some_and(|last| step <= *last) {
            return Err(TotpError::Reused);
        }
        ledger.insert(user.to_string(), step);
        Ok(())
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA1 seed "12345678901234567890": T=59 gives
    /// 94287082, whose last 6 digits are what Google Authenticator shows.
    #[test]
    fn matches_rfc6238_vector() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(generator(secret).generate(59), "287082");
        assert_eq!(generator(secret).generate(1111111109), "081804");
    }

    #[test]
    fn window_and_replay() {
        let secret = crate::fixtures::CODE42_TOTP_SECRET;
        let g = generator(secret);
        let now = 1_000_000_000;
        let ledger = Ledger::default();
        let prev = g.generate(now - STEP);
        let far = g.generate(now + 5 * STEP);
        assert_eq!(
            ledger.verify("u", secret, &far, now),
            Err(TotpError::Invalid)
        );
        assert_eq!(
            ledger.verify("u", secret, "12345", now),
            Err(TotpError::Invalid)
        );
        assert_eq!(ledger.verify("u", secret, &prev, now), Ok(()));
        assert_eq!(
            ledger.verify("u", secret, &prev, now),
            Err(TotpError::Reused)
        );
        let cur = g.generate(now);
        assert_eq!(ledger.verify("u", secret, &cur, now), Ok(()));
        assert_eq!(
            ledger.verify("u", secret, &cur, now + 10),
            Err(TotpError::Reused)
        );
        // Another user's ledger is separate.
        assert_eq!(ledger.verify("v", secret, &cur, now), Ok(()));
    }
}
