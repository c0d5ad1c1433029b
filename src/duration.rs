//! Durations as users write them: `250ms`, `2s`, `5m`, `1h`.

use std::time::Duration;

/// What a bare number means where a duration is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BareUnit {
    Millis,
    Seconds,
}

/// The longest duration accepted anywhere (timeouts, delays, lifetimes):
/// longer values are typing mistakes, and would overflow the clock.
pub(crate) const MAX: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// Parses `250ms`, `2s`, `1.5s`, `5m`, `1h`, or a bare number in `bare` units.
pub(crate) fn parse(text: &str, bare: BareUnit) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (write e.g. 250ms, 2s, 5m, 1h)"))?;
    let secs = match unit.trim() {
        "" => match bare {
            BareUnit::Millis => value / 1000.0,
            BareUnit::Seconds => value,
        },
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "`{text}` has unknown unit `{other}` (use ms, s, m or h)"
            ));
        }
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("`{text}` is not a valid duration"));
    }
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if d <= MAX => Ok(d),
        _ => Err(format!("`{text}` is too long: at most 100 years (876000h)")),
    }
}

/// Parses a duration given as a YAML number or string.
pub(crate) fn from_json(value: &serde_json::Value, bare: BareUnit) -> Result<Duration, String> {
    match value {
        serde_json::Value::Number(n) => parse(&n.to_string(), bare),
        serde_json::Value::String(s) => parse(s, bare),
        other => Err(format!("expected a duration like 2s, found {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_out_of_range_are_errors_not_panics() {
        let too_long = |t: &str| format!("`{t}` is too long: at most 100 years (876000h)");
        for text in ["99999999999999999999h", "876001h", "18446744073709551616"] {
            assert_eq!(parse(text, BareUnit::Seconds), Err(too_long(text)));
        }
        assert_eq!(
            parse("1e400s", BareUnit::Seconds),
            Err("`1e400s` has unknown unit `e400s` (use ms, s, m or h)".into())
        );
        assert_eq!(parse("876000h", BareUnit::Seconds).unwrap(), MAX);
    }

    #[test]
    fn units() {
        assert_eq!(
            parse("250ms", BareUnit::Seconds).unwrap(),
            Duration::from_millis(250)
        );
        assert_eq!(
            parse("2s", BareUnit::Millis).unwrap(),
            Duration::from_secs(2)
        );
        assert_eq!(
            parse("5m", BareUnit::Millis).unwrap(),
            Duration::from_secs(300)
        );
        assert_eq!(
            parse("1h", BareUnit::Millis).unwrap(),
            Duration::from_secs(3600)
        );
        assert_eq!(
            parse("1500", BareUnit::Millis).unwrap(),
            Duration::from_millis(1500)
        );
        assert_eq!(
            parse("90", BareUnit::Seconds).unwrap(),
            Duration::from_secs(90)
        );
        assert!(parse("2 weeks", BareUnit::Seconds).is_err());
        assert!(parse("abc", BareUnit::Seconds).is_err());
    }
}
