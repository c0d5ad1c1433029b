//! How matchers read and show JSON values: equality and order with numbers
//! compared by value, and the compact text every message uses, so that a
//! mismatch always prints a value the same way.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::Unit;

/// JSON equality with numbers compared by value (`1 == 1.0`), recursively;
/// object key order does not matter.
pub fn json_eq(a: &Value, b: &Value) -> bool {
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

/// Numeric order, exact between integers (including beyond 2^53).
pub(super) fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
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
