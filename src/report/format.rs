//! Durations and counts as every writer prints them, with the frozen clock
//! that lets tests compare output exactly.

use std::time::Duration;

/// A request's time: `123ms` under a second, else `1.2s`; `0ms` when frozen.
pub(super) fn request_time(d: Duration, frozen: bool) -> String {
    if frozen {
        return "0ms".into();
    }
    crate::text::duration(d)
}

/// A run's time: `0.84s`; `0.00s` when frozen.
pub(super) fn run_time(d: Duration, frozen: bool) -> String {
    if frozen {
        "0.00s".into()
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

/// `1 file`, `2 files`.
pub(super) fn count(n: usize, noun: &str) -> String {
    crate::text::count(n, noun)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(request_time(Duration::from_millis(123), false), "123ms");
        assert_eq!(request_time(Duration::from_millis(999), false), "999ms");
        assert_eq!(request_time(Duration::from_millis(1234), false), "1.2s");
        assert_eq!(request_time(Duration::from_millis(1234), true), "0ms");
        assert_eq!(run_time(Duration::from_millis(840), false), "0.84s");
        assert_eq!(run_time(Duration::from_secs(75), true), "0.00s");
    }

    #[test]
    fn plurals() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "file"), "0 files");
    }
}
