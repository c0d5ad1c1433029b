//! Checking one selected value against one operator: a small function per
//! operator, each returning the mismatch sentence users see (tests pin them).

use std::cmp::Ordering;

use regex::Regex;
use serde_json::Value;

use super::value::{as_number, compact, json_eq, num_cmp, render, same_text_note, type_name};
use super::{CompareOp, JsonType, Matcher, Mismatch};

/// Builds the mismatches of one check, all naming the same matcher and value.
struct Failure<'a> {
    matcher: &'a Matcher,
    shown: String,
}

impl Failure<'_> {
    fn says(&self, message: String) -> Mismatch {
        Mismatch {
            message,
            expected: self.matcher.describe(),
            actual: self.shown.clone(),
        }
    }

    /// `expected > 0, got -1`.
    fn plain(&self) -> Mismatch {
        self.says(format!(
            "expected {}, got {}",
            self.matcher.describe(),
            self.shown
        ))
    }

    /// `expected > 0, got "abc" (string, not a number)`.
    fn because(&self, why: &str) -> Mismatch {
        self.says(format!(
            "expected {}, got {} ({why})",
            self.matcher.describe(),
            self.shown
        ))
    }

    fn unless(&self, ok: bool) -> Result<(), Mismatch> {
        if ok { Ok(()) } else { Err(self.plain()) }
    }
}

/// Checks a selected value against a single operator.
pub(super) fn value(matcher: &Matcher, actual: &Value) -> Result<(), Mismatch> {
    let fail = Failure {
        matcher,
        shown: render(actual, matcher.unit()),
    };
    match matcher {
        Matcher::All(_) | Matcher::Exists(_) => matcher.check(Some(actual)),
        Matcher::Compare { op, operand, .. } => compare(&fail, *op, operand, actual),
        Matcher::Contains(needle) => contains(&fail, needle, actual),
        Matcher::Matches(re) => fail.unless(matches(re, actual)),
        Matcher::Type(t) => type_(&fail, *t, actual),
        Matcher::Length(inner) => length(&fail, inner, actual),
        Matcher::OneOf { values, .. } => fail.unless(values.iter().any(|v| json_eq(actual, v))),
    }
}

fn compare(fail: &Failure, op: CompareOp, operand: &Value, actual: &Value) -> Result<(), Mismatch> {
    match op {
        CompareOp::Eq if json_eq(actual, operand) => Ok(()),
        CompareOp::Eq => Err(match same_text_note(operand, actual) {
            Some(note) => fail.says(note),
            None => fail.plain(),
        }),
        CompareOp::Ne => fail.unless(!json_eq(actual, operand)),
        _ => order(fail, op, operand, actual),
    }
}

/// `gt`, `gte`, `lt`, `lte`.
fn order(fail: &Failure, op: CompareOp, operand: &Value, actual: &Value) -> Result<(), Mismatch> {
    let Some(n) = as_number(actual) else {
        return Err(fail.because(&format!("{}, not a number", type_name(actual))));
    };
    let Value::Number(want) = operand else {
        unreachable!("ordering operands are numbers, checked by parse")
    };
    fail.unless(holds(op, num_cmp(&n, want)))
}

fn holds(op: CompareOp, ord: Option<Ordering>) -> bool {
    match op {
        CompareOp::Gt => ord == Some(Ordering::Greater),
        CompareOp::Gte => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::Lt => ord == Some(Ordering::Less),
        _ => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
    }
}

fn contains(fail: &Failure, needle: &Value, actual: &Value) -> Result<(), Mismatch> {
    let found = match (actual, needle) {
        (Value::String(s), Value::String(n)) => s.contains(n.as_str()),
        (Value::Array(items), _) => items.iter().any(|i| json_eq(i, needle)),
        (Value::Object(map), Value::String(key)) => map.contains_key(key),
        (Value::String(_), _) => {
            return Err(fail.because("only a string can be found in a string"));
        }
        (Value::Object(_), _) => {
            return Err(fail.because("an object contains keys, which are strings"));
        }
        _ => {
            return Err(fail.because(&format!("a {} contains nothing", type_name(actual))));
        }
    };
    fail.unless(found)
}

/// Searches a string, or the compact JSON text of any other value.
fn matches(re: &Regex, actual: &Value) -> bool {
    match actual {
        Value::String(s) => re.is_match(s),
        other => re.is_match(&compact(other)),
    }
}

fn type_(fail: &Failure, t: JsonType, actual: &Value) -> Result<(), Mismatch> {
    if t.holds(actual) {
        Ok(())
    } else {
        Err(fail.because(type_name(actual)))
    }
}

fn length(fail: &Failure, inner: &Matcher, actual: &Value) -> Result<(), Mismatch> {
    let len = match actual {
        Value::String(s) => s.chars().count(),
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        other => {
            return Err(fail.because(&format!("a {} has no length", type_name(other))));
        }
    };
    inner.check(Some(&Value::from(len))).map_err(|_| {
        fail.says(format!(
            "expected {}, got length {len}",
            fail.matcher.describe()
        ))
    })
}
