//! TOTP codes (RFC 6238) from a base32 secret or an `otpauth://` URI.
//!
//! Parsing is as lenient as `oathtool -b` (case, spaces, any valid length,
//! short secrets) because users paste whatever their vendor's console shows;
//! the HMAC and truncation come from `totp-rs`. What the code is used for,
//! and the rule that one code is never sent twice, live in [`Ledger`].

use sha2::{Digest, Sha256};
use totp_rs::TOTP;

pub(crate) use super::ledger::Ledger;

/// The HMAC hash of a TOTP secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// `SHA1`, `sha-256`, `SHA512`, as written in otpauth URIs and by users.
    pub fn parse(name: &str) -> Result<Algorithm, String> {
        match name.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(format!(
                "unknown TOTP algorithm `{name}` (expected SHA1, SHA256 or SHA512)"
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

/// Everything needed to compute codes: secret bytes, digits, period,
/// algorithm. `Debug` never shows the secret.
#[derive(Clone)]
pub struct TotpSpec {
    totp: TOTP,
}

impl std::fmt::Debug for TotpSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpSpec")
            .field("algorithm", &self.algorithm())
            .field("digits", &self.totp.digits)
            .field("period", &self.totp.step)
            .finish_non_exhaustive()
    }
}

const DEFAULT_DIGITS: u32 = 6;
const DEFAULT_PERIOD: u64 = 30;

impl TotpSpec {
    /// `secret` is base32 (case-insensitive; spaces, dashes and `=` padding
    /// ignored; any length `oathtool -b` accepts) or an `otpauth://totp/...`
    /// URI. For plain base32, `digits`, `period` and `algorithm` replace the
    /// defaults (6, 30, SHA1). For a URI the URI wins: its own
    /// `algorithm`/`digits`/`period` (or the defaults when it omits them) are
    /// used, and the arguments are ignored, because the URI is the issuer's
    /// exact description of the token. Digits must be 6 to 8, period > 0.
    pub fn parse(
        secret: &str,
        digits: Option<u32>,
        period: Option<u64>,
        algorithm: Option<&str>,
    ) -> Result<TotpSpec, String> {
        let trimmed = secret.trim();
        let scheme = trimmed.get(..10).unwrap_or_default();
        if scheme.eq_ignore_ascii_case("otpauth://") {
            return Self::from_uri(trimmed);
        }
        let bytes = decode_base32(trimmed)?;
        let algorithm = algorithm.map(Algorithm::parse).transpose()?;
        Self::build(
            bytes,
            algorithm.unwrap_or(Algorithm::Sha1),
            digits.unwrap_or(DEFAULT_DIGITS),
            period.unwrap_or(DEFAULT_PERIOD),
        )
    }

    fn from_uri(uri: &str) -> Result<TotpSpec, String> {
        // Never echo the URI: it holds the secret.
        let url = url::Url::parse(uri).map_err(|err| format!("invalid otpauth URI: {err}"))?;
        match url.host_str().map(str::to_ascii_lowercase).as_deref() {
            Some("totp") => {}
            Some("hotp") => return Err("otpauth URI is for HOTP; only TOTP is supported".into()),
            _ => return Err("invalid otpauth URI: expected otpauth://totp/...".into()),
        }
        let mut secret = None;
        let mut algorithm = Algorithm::Sha1;
        let mut digits = DEFAULT_DIGITS;
        let mut period = DEFAULT_PERIOD;
        for (key, value) in url.query_pairs() {
            match key.to_ascii_lowercase().as_str() {
                "secret" => secret = Some(decode_base32(&value)?),
                "algorithm" => algorithm = Algorithm::parse(&value)?,
                "digits" => {
                    digits = value.trim().parse().map_err(|_| {
                        format!("invalid otpauth URI: digits `{value}` is not a number")
                    })?;
                }
                "period" => {
                    period = value.trim().parse().map_err(|_| {
                        format!("invalid otpauth URI: period `{value}` is not a number")
                    })?;
                }
                _ => {}
            }
        }
        let secret = secret.ok_or("invalid otpauth URI: no `secret` parameter")?;
        Self::build(secret, algorithm, digits, period)
    }

    fn build(
        secret: Vec<u8>,
        algorithm: Algorithm,
        digits: u32,
        period: u64,
    ) -> Result<TotpSpec, String> {
        if !(6..=8).contains(&digits) {
            return Err(format!("TOTP digits must be 6, 7 or 8, not {digits}"));
        }
        if period == 0 {
            return Err("TOTP period must be at least 1 second".to_string());
        }
        // Unchecked: RFC 4226 asks for ≥128-bit secrets, but real tenants
        // hand out 80-bit ones and oathtool accepts them.
        let totp = TOTP::new_unchecked(
            algorithm.to_totp_rs(),
            digits as usize,
            1,
            period,
            secret,
            None,
            String::new(),
        );
        Ok(TotpSpec { totp })
    }

    /// The code for the time step containing `unix_secs`.
    pub fn code_at(&self, unix_secs: u64) -> String {
        self.totp.generate(unix_secs)
    }

    /// The time step (counter) containing `unix_secs`.
    pub fn step_at(&self, unix_secs: u64) -> u64 {
        unix_secs / self.totp.step
    }

    /// Seconds per step.
    pub fn period(&self) -> u64 {
        self.totp.step
    }

    pub fn digits(&self) -> u32 {
        // Built from a u32 in 6..=8.
        self.totp.digits as u32
    }

    pub fn algorithm(&self) -> Algorithm {
        match self.totp.algorithm {
            totp_rs::Algorithm::SHA256 => Algorithm::Sha256,
            totp_rs::Algorithm::SHA512 => Algorithm::Sha512,
            _ => Algorithm::Sha1,
        }
    }

    /// Stable id for the no-reuse ledger: hex SHA-256 of the secret bytes,
    /// algorithm, digits and period, under a fixed domain prefix. Never the
    /// secret itself.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"sesame-totp-v1\0");
        hasher.update((self.totp.secret.len() as u64).to_be_bytes());
        hasher.update(&self.totp.secret);
        hasher.update(self.algorithm().name().as_bytes());
        hasher.update([0]);
        hasher.update(self.digits().to_be_bytes());
        hasher.update(self.period().to_be_bytes());
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// For `sesame totp SECRET|--env VAR`: the current code, like
/// `oathtool --totp -b SECRET` (or the URI's own parameters).
pub(crate) fn current_code(secret: &str) -> Result<String, String> {
    let spec = TotpSpec::parse(secret, None, None, None)?;
    let now = crate::clock::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970".to_string())?;
    Ok(spec.code_at(now.as_secs()))
}

/// RFC 4648 base32, as leniently as `oathtool -b`: case-insensitive; spaces,
/// dashes and `=` ignored; unpadded lengths whose leftover bits cannot form a
/// byte (1, 3 or 6 characters past a multiple of 8) are refused.
fn decode_base32(text: &str) -> Result<Vec<u8>, String> {
    let mut bits: u64 = 0;
    let mut count = 0u32;
    let mut chars = 0usize;
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    for (position, c) in text.chars().enumerate() {
        let value = match c {
            'A'..='Z' => c as u64 - 'A' as u64,
            'a'..='z' => c as u64 - 'a' as u64,
            '2'..='7' => c as u64 - '2' as u64 + 26,
            ' ' | '\t' | '-' | '=' => continue,
            // Name the position, never the character: it is part of the secret.
            _ => {
                return Err(format!(
                    "TOTP secret is not base32: character {} is not in A–Z, 2–7",
                    position + 1
                ));
            }
        };
        bits = (bits << 5) | value;
        count += 5;
        chars += 1;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    if chars == 0 {
        return Err("TOTP secret is empty".to_string());
    }
    if matches!(chars % 8, 1 | 3 | 6) {
        return Err(format!(
            "TOTP secret is not valid base32: {chars} characters cannot encode whole bytes"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
