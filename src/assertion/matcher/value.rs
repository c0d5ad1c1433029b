//! How matchers read and show JSON values: equality and order with numbers
//! compared by value, and the compact text every message uses, so that a
//! mismatch always prints a value the same way.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::Unit;

/// JSON equality with numbers compared by value (`1 == 1.0`), recursively;
/// object key order does not matter.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Numeric order, exact at any size and precision: both numbers are
/// compared as the decimals they were written as (`1.10 == 1.1`,
/// `98765432109876543210 != 98765432109876543211`), never through a float.
pub(super) fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    Some(Decimal::parse(&a.to_string())?.cmp(&Decimal::parse(&b.to_string())?))
}

/// Whether `n` is a whole number (`2`, `2.0`, `1e3`), exactly.
pub(super) fn is_integer(n: &Number) -> bool {
    Decimal::parse(&n.to_string()).is_some_and(|d| d.digits.is_empty() || d.exp >= 0)
}

/// A JSON number as sign, significant digits and a power of ten:
/// `-12.30e1` is `-, "123", 0`. Zero has no digits.
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: String,
    exp: i64,
}

impl Decimal {
    fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mantissa, exp) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if !(int.chars().chain(frac.chars())).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let all = format!("{int}{frac}");
        let trimmed = all.trim_start_matches('0');
        let significant = trimmed.trim_end_matches('0');
        let zeros = i64::try_from(trimmed.len() - significant.len()).ok()?;
        let frac_len = i64::try_from(frac.len()).ok()?;
        Some(Decimal {
            negative: negative && !significant.is_empty(),
            digits: significant.to_string(),
            exp: exp.saturating_sub(frac_len).saturating_add(zeros),
        })
    }

    /// Order of the absolute values.
    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let top = |d: &Decimal| d.exp.saturating_add(d.digits.len() as i64);
        top(self).cmp(&top(other)).then_with(|| {
            let width = self.digits.len().max(other.digits.len());
            format!("{:0<width$}", self.digits).cmp(&format!("{:0<width$}", other.digits))
        })
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A number, or a string holding a JSON number (header values are text).
pub(super) fn as_number(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => match serde_json::from_str::<Value>(s.trim()) {
            Ok(Value::Number(n)) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// `expected 200 (number), got "200" (string)`: the texts are equal but
/// not the types, the usual surprise with headers.
pub(super) fn same_text_note(expected: &Value, actual: &Value) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => compact(other),
    };
    (type_name(expected) != type_name(actual) && text(expected) == text(actual)).then(|| {
        format!(
            "expected {} ({}), got {} ({})",
            compact(expected),
            type_name(expected),
            compact(actual),
            type_name(actual)
        )
    })
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(super) fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| v.to_string())
}

pub(super) fn render(v: &Value, unit: Unit) -> String {
    match (unit, v) {
        (Unit::Millis, Value::Number(n)) => format!("{n}ms"),
        _ => compact(v),
    }
}

#[cfg(test)]
mod decimal_tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Option<Ordering> {
        num_cmp(
            &serde_json::from_str(a).unwrap(),
            &serde_json::from_str(b).unwrap(),
        )
    }

    #[test]
    fn numbers_compare_exactly_at_any_size() {
        use Ordering::*;
        assert_eq!(
            cmp("98765432109876543210", "98765432109876543210"),
            Some(Equal)
        );
        assert_eq!(
            cmp("98765432109876543210", "98765432109876543211"),
            Some(Less)
        );
        assert_eq!(cmp("1.10", "1.1"), Some(Equal));
        assert_eq!(cmp("1", "1.0"), Some(Equal));
        assert_eq!(cmp("1e3", "1000"), Some(Equal));
        assert_eq!(cmp("0.1", "0.10000000000000001"), Some(Less));
        assert_eq!(cmp("-2", "-10"), Some(Greater));
        assert_eq!(cmp("-0", "0.0"), Some(Equal));
        assert_eq!(cmp("0.5", "0"), Some(Greater));
        assert_eq!(cmp("-0.5", "0"), Some(Less));
        assert_eq!(cmp("12.5e-1", "1.25"), Some(Equal));
        assert_eq!(cmp("9007199254740993", "9007199254740992"), Some(Greater));
        assert!(is_integer(&serde_json::from_str("2.0").unwrap()));
        assert!(is_integer(&serde_json::from_str("1e400").unwrap()));
        assert!(!is_integer(&serde_json::from_str("1.10").unwrap()));
        assert!(is_integer(
            &serde_json::from_str("98765432109876543210").unwrap()
        ));
    }
}
