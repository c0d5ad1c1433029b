//! Reading a response body within a limit: the first `--max-body` bytes are
//! kept, the rest is read and dropped chunk by chunk, so a 1 GiB answer
//! costs the limit in memory, never the answer's size. Status and header
//! expectations still see the whole response; expectations that need the
//! body fail, saying the body was larger than the limit.

use std::sync::atomic::{AtomicU64, Ordering};

/// The default limit: 32 MiB. Far above any API answer a check reads,
/// and it keeps a run's peak memory under 64 MiB whatever a server sends.
pub(crate) const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;

/// The run's limit. One value per process: set once from `--max-body`
/// before the first request, read by every request.
static MAX_BODY: AtomicU64 = AtomicU64::new(DEFAULT_MAX_BODY);

/// Sets the limit for the requests that follow.
pub(crate) fn set_max_body(bytes: u64) {
    MAX_BODY.store(bytes, Ordering::Relaxed);
}

/// The limit in force.
pub(crate) fn max_body() -> u64 {
    MAX_BODY.load(Ordering::Relaxed)
}

/// A body read within the limit.
pub(crate) struct CappedBody {
    /// The first `limit` bytes.
    pub bytes: Vec<u8>,
    /// The body's whole size, when it was larger than the limit.
    pub cut_from: Option<u64>,
}

/// Reads `resp`'s body, keeping at most `limit` bytes and discarding the rest.
pub(crate) async fn read_capped(
    mut resp: reqwest::Response,
    limit: u64,
) -> Result<CappedBody, reqwest::Error> {
    let keep = usize::try_from(limit).unwrap_or(usize::MAX);
    let hint = resp
        .content_length()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let mut bytes = Vec::with_capacity(hint.min(keep).min(1 << 20));
    let mut total: u64 = 0;
    while let Some(chunk) = resp.chunk().await? {
        total = total.saturating_add(chunk.len() as u64);
        let room = keep.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(CappedBody {
        cut_from: (total > limit).then_some(total),
        bytes,
    })
}

/// Why a body cut at the limit is not judged, for every expectation and
/// capture that needs it.
pub(crate) fn too_big(total: u64) -> String {
    format!(
        "the body is larger than {} (--max-body): {} received, so it was not checked",
        size(max_body()),
        size(total)
    )
}

/// A size for people: `64 MiB`, `1.5 KiB`, `12 bytes`.
pub(crate) fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return crate::text::count(usize::try_from(bytes).unwrap_or(usize::MAX), "byte");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `--max-body SIZE`: `64MiB`, `10MB`, `512KiB`, `1GiB` or bytes.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| {
        format!(
            "`{}` is not a size (write e.g. 64MiB, 10MB, 512KiB)",
            crate::text::excerpt(text, 40)
        )
    })?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{}` is not a size (write e.g. 64MiB, 10MB, 512KiB)",
                crate::text::excerpt(text, 40)
            ));
        }
    };
    match n.checked_mul(factor) {
        Some(0) => Err("a size of 0 would keep no body; give at least 1 byte".into()),
        Some(b) => Ok(b),
        None => Err(format!(
            "size `{}` is out of range",
            crate::text::excerpt(text, 40)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("10mb"), Ok(10_000_000));
        assert_eq!(parse_size("512"), Ok(512));
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999999999999GiB").is_err());
        assert!(parse_size("€").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert_eq!(size(DEFAULT_MAX_BODY), "32 MiB");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(1), "1 byte");
    }
}
