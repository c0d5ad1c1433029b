//! Expectation matchers: what a request file writes under `expect:`.
//!
//! A scalar or a list means equality; a map means operators that must all
//! hold. Matchers are compiled once when the file loads (operands checked,
//! regexes compiled, durations converted to milliseconds), so a typo is a load
//! error with a hint and not a failure in the middle of a run.
//!
//! Semantics, decided here and documented in `docs/jsonpath.md`:
//! - types are strict for equality (`"200"` is not `200`), but numbers compare
//!   by value across integers and floats (`1 == 1.0`), also inside lists and
//!   objects; object key order does not matter;
//! - `gt`/`gte`/`lt`/`lte` are numeric only: the operand must be a number, and
//!   an actual string that is a JSON number (a header such as
//!   `content-length`) is read as that number; strings are never ordered;
//! - `contains` is substring on strings, membership on arrays and key
//!   presence on objects;
//! - `matches` searches (unanchored) in a string, or in the compact JSON text
//!   of any other value;
//! - `length` counts characters of strings, items of arrays, members of objects;
//! - `exists: false` is the only operator satisfied by nothing selected.

use std::cmp::Ordering;
use std::fmt;

use regex::Regex;
use serde_json::{Number, Value};

use crate::duration::{self, BareUnit};

/// What the operands of a matcher mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// Operands are JSON values.
    Json,
    /// Operands are milliseconds: numbers, or strings such as `2s` or `250ms`.
    Duration,
}

/// A compiled expectation.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// A map of operators, all of which must hold (in the order written).
    All(Vec<Matcher>),
    /// `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, and the scalar form (`eq`).
    Compare {
        op: CompareOp,
        operand: Value,
        unit: Unit,
    },
    Contains(Value),
    Matches(Regex),
    Exists(bool),
    Type(JsonType),
    Length(Box<Matcher>),
    OneOf {
        values: Vec<Value>,
        unit: Unit,
    },
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
}

/// How numbers are shown in messages: plain, or as milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    None,
    Millis,
}

/// The names accepted by `type:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    Null,
}

/// Why an actual value does not satisfy a matcher. Each field is one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// A sentence such as `expected > 0, got -1`.
    pub message: String,
    /// What the failing operator expects, as in [`Matcher::describe`].
    pub expected: String,
    /// The actual value as compact JSON, or `(nothing)`.
    pub actual: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

const OPERATORS: &[&str] = &[
    "eq", "ne", "gt", "gte", "lt", "lte", "contains", "matches", "exists", "type", "length",
    "one_of",
];

const TYPES: &[(&str, JsonType)] = &[
    ("string", JsonType::String),
    ("number", JsonType::Number),
    ("integer", JsonType::Integer),
    ("boolean", JsonType::Boolean),
    ("array", JsonType::Array),
    ("object", JsonType::Object),
    ("null", JsonType::Null),
];

/// Spellings from other tools, suggested when edit distance finds nothing.
const ALIASES: &[(&str, &str)] = &[
    ("equals", "eq"),
    ("equal", "eq"),
    ("==", "eq"),
    ("!=", "ne"),
    ("not", "ne"),
    (">", "gt"),
    (">=", "gte"),
    ("<", "lt"),
    ("<=", "lte"),
    ("regex", "matches"),
    ("match", "matches"),
    ("pattern", "matches"),
    ("includes", "contains"),
    ("has", "contains"),
    ("in", "one_of"),
    ("any_of", "one_of"),
    ("len", "length"),
    ("size", "length"),
    ("count", "length"),
    ("is", "type"),
    ("present", "exists"),
    ("exist", "exists"),
];

impl Matcher {
    /// Compiles a matcher as written under `expect:`.
    ///
    /// A scalar (or list) means equality; a map means operators, all of which
    /// must hold.
    pub fn parse(spec: &Value, kind: OperandKind) -> Result<Matcher, String> {
        let Value::Object(map) = spec else {
            return Ok(Matcher::Compare {
                op: CompareOp::Eq,
                operand: equality_operand(spec, kind, None)?,
                unit: unit(kind),
            });
        };
        if map.is_empty() {
            return Err(
                "an empty map has no operators; to compare with an empty object, \
                        write `eq: {}`"
                    .into(),
            );
        }
        let mut all = Vec::with_capacity(map.len());
        for (name, operand) in map {
            all.push(parse_operator(name, operand, kind)?);
        }
        Ok(if all.len() == 1 {
            all.pop().expect("one operator")
        } else {
            Matcher::All(all)
        })
    }

    /// Checks `actual`; `None` means the query selected nothing (or the
    /// header is absent).
    pub fn check(&self, actual: Option<&Value>) -> Result<(), Mismatch> {
        if let Matcher::All(all) = self {
            return all.iter().try_for_each(|m| m.check(actual));
        }
        if let Matcher::Exists(want) = self {
            return match (want, actual) {
                (true, Some(_)) | (false, None) => Ok(()),
                (true, None) => Err(self.nothing()),
                (false, Some(v)) => Err(Mismatch {
                    message: format!("expected no value, got {}", render(v, Unit::None)),
                    expected: self.describe(),
                    actual: render(v, Unit::None),
                }),
            };
        }
        let Some(actual) = actual else {
            return Err(self.nothing());
        };
        self.check_value(actual)
    }

    /// Human text of what is expected, e.g. `> 0`, `contains "json"`,
    /// `== "alice@example.com"`.
    pub fn describe(&self) -> String {
        match self {
            Matcher::All(all) => all
                .iter()
                .map(Matcher::describe)
                .collect::<Vec<_>>()
                .join(" and "),
            Matcher::Compare { op, operand, unit } => {
                format!("{} {}", op.symbol(), render(operand, *unit))
            }
            Matcher::Contains(v) => format!("contains {}", render(v, Unit::None)),
            Matcher::Matches(re) => format!("matches /{}/", re.as_str()),
            Matcher::Exists(true) => "exists".into(),
            Matcher::Exists(false) => "does not exist".into(),
            Matcher::Type(t) => format!("type {}", t.name()),
            Matcher::Length(inner) => match &**inner {
                Matcher::All(_) => format!("length ({})", inner.describe()),
                _ => format!("length {}", inner.describe()),
            },
            Matcher::OneOf { values, unit } => format!(
                "one of [{}]",
                values
                    .iter()
                    .map(|v| render(v, *unit))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn nothing(&self) -> Mismatch {
        Mismatch {
            message: format!("expected {}, got nothing", self.describe()),
            expected: self.describe(),
            actual: "(nothing)".into(),
        }
    }

    fn unit(&self) -> Unit {
        match self {
            Matcher::Compare { unit, .. } | Matcher::OneOf { unit, .. } => *unit,
            _ => Unit::None,
        }
    }

    /// Checks a selected value against a single (non-`All`, non-`Exists`)
    /// operator.
    fn check_value(&self, actual: &Value) -> Result<(), Mismatch> {
        let shown = render(actual, self.unit());
        let fail = |message: String| Mismatch {
            message,
            expected: self.describe(),
            actual: shown.clone(),
        };
        let plain = || format!("expected {}, got {shown}", self.describe());
        match self {
            Matcher::All(_) | Matcher::Exists(_) => self.check(Some(actual)),
            Matcher::Compare { op, operand, .. } => match op {
                CompareOp::Eq if json_eq(actual, operand) => Ok(()),
                CompareOp::Eq => Err(fail(match same_text_note(operand, actual) {
                    Some(note) => note,
                    None => plain(),
                })),
                CompareOp::Ne if json_eq(actual, operand) => Err(fail(plain())),
                CompareOp::Ne => Ok(()),
                _ => {
                    let Some(n) = as_number(actual) else {
                        return Err(fail(format!(
                            "expected {}, got {shown} ({}, not a number)",
                            self.describe(),
                            type_name(actual)
                        )));
                    };
                    let Value::Number(want) = operand else {
                        unreachable!("ordering operands are numbers, checked by parse")
                    };
                    let ord = num_cmp(&n, want);
                    let ok = match op {
                        CompareOp::Gt => ord == Some(Ordering::Greater),
                        CompareOp::Gte => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
                        CompareOp::Lt => ord == Some(Ordering::Less),
                        _ => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                    };
                    if ok { Ok(()) } else { Err(fail(plain())) }
                }
            },
            Matcher::Contains(needle) => {
                let found = match (actual, needle) {
                    (Value::String(s), Value::String(n)) => s.contains(n.as_str()),
                    (Value::Array(items), _) => items.iter().any(|i| json_eq(i, needle)),
                    (Value::Object(map), Value::String(key)) => map.contains_key(key),
                    (Value::String(_), _) => {
                        return Err(fail(format!(
                            "expected {}, got {shown} (only a string can be found in a string)",
                            self.describe()
                        )));
                    }
                    (Value::Object(_), _) => {
                        return Err(fail(format!(
                            "expected {}, got {shown} (an object contains keys, which are strings)",
                            self.describe()
                        )));
                    }
                    _ => {
                        return Err(fail(format!(
                            "expected {}, got {shown} (a {} contains nothing)",
                            self.describe(),
                            type_name(actual)
                        )));
                    }
                };
                if found { Ok(()) } else { Err(fail(plain())) }
            }
            Matcher::Matches(re) => {
                let found = match actual {
                    Value::String(s) => re.is_match(s),
                    other => re.is_match(&compact(other)),
                };
                if found { Ok(()) } else { Err(fail(plain())) }
            }
            Matcher::Type(t) => {
                if t.holds(actual) {
                    Ok(())
                } else {
                    Err(fail(format!(
                        "expected type {}, got {shown} ({})",
                        t.name(),
                        type_name(actual)
                    )))
                }
            }
            Matcher::Length(inner) => {
                let len = match actual {
                    Value::String(s) => s.chars().count(),
                    Value::Array(items) => items.len(),
                    Value::Object(map) => map.len(),
                    other => {
                        return Err(fail(format!(
                            "expected {}, got {shown} (a {} has no length)",
                            self.describe(),
                            type_name(other)
                        )));
                    }
                };
                inner
                    .check(Some(&Value::from(len)))
                    .map_err(|_| fail(format!("expected {}, got length {len}", self.describe())))
            }
            Matcher::OneOf { values, .. } => {
                if values.iter().any(|v| json_eq(actual, v)) {
                    Ok(())
                } else {
                    Err(fail(plain()))
                }
            }
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl CompareOp {
    fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Gte => ">=",
            CompareOp::Lt => "<",
            CompareOp::Lte => "<=",
        }
    }
}

impl JsonType {
    fn name(self) -> &'static str {
        TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .expect("every type is named")
    }

    fn holds(self, v: &Value) -> bool {
        match self {
            JsonType::String => v.is_string(),
            JsonType::Number => v.is_number(),
            JsonType::Integer => match v {
                Value::Number(n) => {
                    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
                }
                _ => false,
            },
            JsonType::Boolean => v.is_boolean(),
            JsonType::Array => v.is_array(),
            JsonType::Object => v.is_object(),
            JsonType::Null => v.is_null(),
        }
    }
}

fn unit(kind: OperandKind) -> Unit {
    match kind {
        OperandKind::Json => Unit::None,
        OperandKind::Duration => Unit::Millis,
    }
}

fn parse_operator(name: &str, operand: &Value, kind: OperandKind) -> Result<Matcher, String> {
    let compare = |op| -> Result<Matcher, String> {
        let operand = if op == CompareOp::Eq || op == CompareOp::Ne {
            equality_operand(operand, kind, Some(name))?
        } else {
            number_operand(name, operand, kind)?
        };
        Ok(Matcher::Compare {
            op,
            operand,
            unit: unit(kind),
        })
    };
    if kind == OperandKind::Duration
        && matches!(name, "contains" | "matches" | "exists" | "type" | "length")
    {
        return Err(format!(
            "`{name}` does not apply to a duration; use eq, ne, gt, gte, lt, lte or one_of"
        ));
    }
    match name {
        "eq" => compare(CompareOp::Eq),
        "ne" => compare(CompareOp::Ne),
        "gt" => compare(CompareOp::Gt),
        "gte" => compare(CompareOp::Gte),
        "lt" => compare(CompareOp::Lt),
        "lte" => compare(CompareOp::Lte),
        "contains" => Ok(Matcher::Contains(operand.clone())),
        "matches" => {
            let Value::String(pattern) = operand else {
                return Err(format!(
                    "`matches` expects a regex as a string, found {}",
                    compact(operand)
                ));
            };
            Regex::new(pattern).map(Matcher::Matches).map_err(|e| {
                let detail = e.to_string();
                let last = detail
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("invalid")
                    .trim()
                    .trim_start_matches("error: ");
                format!(
                    "`matches` has an invalid regex {}: {last}",
                    compact(operand)
                )
            })
        }
        "exists" => match operand {
            Value::Bool(b) => Ok(Matcher::Exists(*b)),
            other => Err(format!(
                "`exists` expects true or false, found {}",
                compact(other)
            )),
        },
        "type" => {
            let Value::String(t) = operand else {
                return Err(format!(
                    "`type` expects a type name ({}), found {}{}",
                    type_list(),
                    compact(operand),
                    if operand.is_null() {
                        "; write `type: \"null\"` with quotes"
                    } else {
                        ""
                    }
                ));
            };
            TYPES
                .iter()
                .find(|(n, _)| n == t)
                .map(|(_, ty)| Matcher::Type(*ty))
                .ok_or_else(|| {
                    let names: Vec<&str> = TYPES.iter().map(|(n, _)| *n).collect();
                    let hint = suggest(
                        t,
                        &names,
                        &[
                            ("bool", "boolean"),
                            ("int", "integer"),
                            ("list", "array"),
                            ("map", "object"),
                            ("float", "number"),
                            ("str", "string"),
                        ],
                    )
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_else(|| format!(" (use one of {})", type_list()));
                    format!("`type` has unknown type `{t}`{hint}")
                })
        }
        "length" => match operand {
            Value::Number(n) if n.as_u64().is_some() => {
                Ok(Matcher::Length(Box::new(Matcher::Compare {
                    op: CompareOp::Eq,
                    operand: operand.clone(),
                    unit: Unit::None,
                })))
            }
            Value::Object(_) => Matcher::parse(operand, OperandKind::Json)
                .map(|m| Matcher::Length(Box::new(m)))
                .map_err(|e| format!("in `length`: {e}")),
            other => Err(format!(
                "`length` expects a whole number or a map of operators such as `{{ gt: 0 }}`, found {}",
                compact(other)
            )),
        },
        "one_of" => {
            let Value::Array(items) = operand else {
                return Err(format!(
                    "`one_of` expects a list, found {}",
                    compact(operand)
                ));
            };
            let values = items
                .iter()
                .map(|v| equality_operand(v, kind, Some(name)))
                .collect::<Result<_, _>>()?;
            Ok(Matcher::OneOf {
                values,
                unit: unit(kind),
            })
        }
        other => {
            let hint = suggest(other, OPERATORS, ALIASES)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_else(|| {
                    format!(
                        " (operators: {}; to compare with an object, write `eq: {{…}}`)",
                        OPERATORS.join(", ")
                    )
                });
            Err(format!("unknown operator `{other}`{hint}"))
        }
    }
}

/// An operand compared for equality: any JSON value, or a duration.
fn equality_operand(v: &Value, kind: OperandKind, op: Option<&str>) -> Result<Value, String> {
    match kind {
        OperandKind::Json => Ok(v.clone()),
        OperandKind::Duration => duration_ms(v).map_err(|e| match op {
            Some(op) => format!("`{op}`: {e}"),
            None => e,
        }),
    }
}

/// An operand of `gt`, `gte`, `lt`, `lte`: a number, or a duration.
fn number_operand(op: &str, v: &Value, kind: OperandKind) -> Result<Value, String> {
    match (kind, v) {
        (OperandKind::Json, Value::Number(_)) => Ok(v.clone()),
        (OperandKind::Json, other) => {
            Err(format!("`{op}` expects a number, found {}", compact(other)))
        }
        (OperandKind::Duration, _) => duration_ms(v).map_err(|e| format!("`{op}`: {e}")),
    }
}

/// A duration operand as a number of milliseconds (whole when it is one).
fn duration_ms(v: &Value) -> Result<Value, String> {
    let d = duration::from_json(v, BareUnit::Millis)?;
    let nanos = d.as_nanos();
    if nanos % 1_000_000 == 0 {
        Ok(Value::from((nanos / 1_000_000) as u64))
    } else {
        Ok(Value::from(nanos as f64 / 1e6))
    }
}

/// The closest name within a small edit distance, else a known alias.
fn suggest<'a>(given: &str, names: &[&'a str], aliases: &[(&str, &'a str)]) -> Option<&'a str> {
    let lower = given.to_lowercase();
    names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(&lower, n), *n))
        .filter(|(d, n)| *d <= 2 && *d < n.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
        .or_else(|| aliases.iter().find(|(a, _)| *a == lower).map(|(_, n)| *n))
}

fn type_list() -> String {
    TYPES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

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
fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
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
fn as_number(v: &Value) -> Option<Number> {
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
fn same_text_note(expected: &Value, actual: &Value) -> Option<String> {
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

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| v.to_string())
}

fn render(v: &Value, unit: Unit) -> String {
    match (unit, v) {
        (Unit::Millis, Value::Number(n)) => format!("{n}ms"),
        _ => compact(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(spec: Value) -> Matcher {
        Matcher::parse(&spec, OperandKind::Json).unwrap()
    }

    fn ok(spec: Value, actual: Value) {
        let matcher = m(spec.clone());
        if let Err(e) = matcher.check(Some(&actual)) {
            panic!("{spec} should accept {actual}: {}", e.message);
        }
    }

    /// The mismatch message for `actual`.
    fn no(spec: Value, actual: Value) -> String {
        match m(spec.clone()).check(Some(&actual)) {
            Ok(()) => panic!("{spec} should reject {actual}"),
            Err(e) => e.message,
        }
    }

    fn parse_err(spec: Value) -> String {
        Matcher::parse(&spec, OperandKind::Json).unwrap_err()
    }

    #[test]
    fn scalar_means_equality() {
        ok(json!(200), json!(200));
        ok(json!("alice@example.com"), json!("alice@example.com"));
        ok(json!(null), json!(null));
        ok(json!(true), json!(true));
        assert_eq!(no(json!(200), json!(404)), "expected == 200, got 404");
        assert_eq!(m(json!("a")).describe(), r#"== "a""#);
    }

    #[test]
    fn list_means_equality_with_a_list() {
        ok(json!([1, 2]), json!([1, 2]));
        ok(json!([1, {"a": 1.0}]), json!([1.0, {"a": 1}]));
        assert_eq!(
            no(json!([1, 2]), json!([2, 1])),
            "expected == [1,2], got [2,1]"
        );
        no(json!([1]), json!(1));
    }

    #[test]
    fn numbers_compare_by_value() {
        ok(json!(1), json!(1.0));
        ok(json!({"eq": 1.0}), json!(1));
        ok(json!({"gte": 1}), json!(1.0));
        ok(json!({"lt": 0.5}), json!(0));
        ok(json!({"gt": -1}), json!(0));
        ok(json!({"eq": {"a": 1, "b": 2}}), json!({"b": 2.0, "a": 1}));
        // Exact beyond 2^53, where f64 would confuse neighbours.
        no(json!(9007199254740993_u64), json!(9007199254740992_u64));
        ok(
            json!({"gt": 9007199254740992_u64}),
            json!(9007199254740993_u64),
        );
        ok(
            json!({"lt": -9223372036854775807_i64}),
            json!(-9223372036854775808_i64),
        );
        ok(
            json!({"gt": 18446744073709551614_u64}),
            json!(18446744073709551615_u64),
        );
        assert_eq!(no(json!({"ne": 1}), json!(1.0)), "expected != 1, got 1.0");
    }

    #[test]
    fn types_are_strict_with_a_note_when_texts_agree() {
        assert_eq!(
            no(json!(200), json!("200")),
            r#"expected 200 (number), got "200" (string)"#
        );
        assert_eq!(
            no(json!("true"), json!(true)),
            r#"expected "true" (string), got true (boolean)"#
        );
        assert_eq!(
            no(json!(null), json!("null")),
            r#"expected null (null), got "null" (string)"#
        );
        assert_eq!(
            no(json!(200), json!("201")),
            r#"expected == 200, got "201""#
        );
        ok(json!({"ne": 200}), json!("200"));
    }

    #[test]
    fn ordering() {
        ok(json!({"gt": 0}), json!(1));
        ok(json!({"gte": 1, "lte": 1}), json!(1));
        assert_eq!(no(json!({"gt": 0}), json!(0)), "expected > 0, got 0");
        assert_eq!(no(json!({"lt": 10}), json!(10)), "expected < 10, got 10");
        assert_eq!(no(json!({"gte": 2}), json!(1.5)), "expected >= 2, got 1.5");
        assert_eq!(no(json!({"lte": 2}), json!(3)), "expected <= 2, got 3");
        // Header values are text: a numeric string is read as its number.
        ok(json!({"gt": 1000}), json!("1234"));
        assert_eq!(
            no(json!({"gt": 0}), json!("abc")),
            r#"expected > 0, got "abc" (string, not a number)"#
        );
        assert_eq!(
            no(json!({"lt": 1}), json!(null)),
            "expected < 1, got null (null, not a number)"
        );
    }

    #[test]
    fn all_operators_must_hold_and_the_first_failure_is_reported() {
        let matcher = m(json!({"gt": 0, "lt": 10}));
        assert_eq!(matcher.describe(), "> 0 and < 10");
        assert!(matcher.check(Some(&json!(5))).is_ok());
        let e = matcher.check(Some(&json!(10))).unwrap_err();
        assert_eq!(e.message, "expected < 10, got 10");
        assert_eq!(e.expected, "< 10");
        assert_eq!(e.actual, "10");
    }

    #[test]
    fn contains() {
        ok(
            json!({"contains": "json"}),
            json!("application/json; charset=utf-8"),
        );
        ok(json!({"contains": 2}), json!([1, 2.0, 3]));
        ok(json!({"contains": {"id": 1}}), json!([{"id": 1}]));
        ok(json!({"contains": "id"}), json!({"id": 1}));
        assert_eq!(
            m(json!({"contains": "json"})).describe(),
            r#"contains "json""#
        );
        assert_eq!(
            no(json!({"contains": "xml"}), json!("text/html")),
            r#"expected contains "xml", got "text/html""#
        );
        assert_eq!(
            no(json!({"contains": 4}), json!([1, 2])),
            "expected contains 4, got [1,2]"
        );
        assert_eq!(
            no(json!({"contains": "name"}), json!({"id": 1})),
            r#"expected contains "name", got {"id":1}"#
        );
        assert_eq!(
            no(json!({"contains": 2}), json!("123")),
            r#"expected contains 2, got "123" (only a string can be found in a string)"#
        );
        assert_eq!(
            no(json!({"contains": 1}), json!({"1": 1})),
            r#"expected contains 1, got {"1":1} (an object contains keys, which are strings)"#
        );
        assert_eq!(
            no(json!({"contains": 1}), json!(1)),
            "expected contains 1, got 1 (a number contains nothing)"
        );
    }

    #[test]
    fn matches() {
        ok(json!({"matches": "^build-\\d+$"}), json!("build-42"));
        ok(json!({"matches": "\\d{3}"}), json!("x200y"));
        // Non-strings match against their compact JSON text.
        ok(json!({"matches": "^2\\d\\d$"}), json!(204));
        ok(json!({"matches": "^\\[1,2\\]$"}), json!([1, 2]));
        ok(json!({"matches": "^true$"}), json!(true));
        assert_eq!(m(json!({"matches": "^a+$"})).describe(), "matches /^a+$/");
        assert_eq!(
            no(json!({"matches": "^a+$"}), json!("ab")),
            r#"expected matches /^a+$/, got "ab""#
        );
        let e = parse_err(json!({"matches": "(unclosed"}));
        assert!(
            e.starts_with(r#"`matches` has an invalid regex "(unclosed": "#),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");
        assert_eq!(
            parse_err(json!({"matches": 3})),
            "`matches` expects a regex as a string, found 3"
        );
    }

    #[test]
    fn exists() {
        let yes = m(json!({"exists": true}));
        let no_ = m(json!({"exists": false}));
        assert!(yes.check(Some(&json!(null))).is_ok(), "a null node exists");
        assert!(no_.check(None).is_ok());
        assert_eq!(yes.describe(), "exists");
        assert_eq!(no_.describe(), "does not exist");
        let e = yes.check(None).unwrap_err();
        assert_eq!(e.message, "expected exists, got nothing");
        assert_eq!(e.actual, "(nothing)");
        let e = no_.check(Some(&json!(3))).unwrap_err();
        assert_eq!(e.message, "expected no value, got 3");
        assert_eq!(e.actual, "3");
        assert_eq!(
            parse_err(json!({"exists": 3})),
            "`exists` expects true or false, found 3"
        );
        assert_eq!(
            parse_err(json!({"exists": "yes"})),
            r#"`exists` expects true or false, found "yes""#
        );
    }

    #[test]
    fn every_other_operator_fails_on_nothing() {
        for spec in [
            json!(1),
            json!(null),
            json!({"ne": 1}),
            json!({"gt": 1}),
            json!({"contains": "a"}),
            json!({"matches": "a"}),
            json!({"type": "null"}),
            json!({"length": 0}),
            json!({"one_of": [1]}),
        ] {
            let matcher = m(spec.clone());
            let e = matcher.check(None).unwrap_err();
            assert_eq!(e.actual, "(nothing)", "{spec}");
            assert_eq!(
                e.message,
                format!("expected {}, got nothing", matcher.describe())
            );
        }
        let e = m(json!({"exists": true, "gt": 1})).check(None).unwrap_err();
        assert_eq!(e.message, "expected exists, got nothing");
    }

    #[test]
    fn type_names() {
        ok(json!({"type": "string"}), json!(""));
        ok(json!({"type": "number"}), json!(1));
        ok(json!({"type": "number"}), json!(1.5));
        ok(json!({"type": "integer"}), json!(-3));
        ok(json!({"type": "integer"}), json!(2.0));
        ok(json!({"type": "integer"}), json!(18446744073709551615_u64));
        ok(json!({"type": "boolean"}), json!(false));
        ok(json!({"type": "array"}), json!([]));
        ok(json!({"type": "object"}), json!({}));
        ok(json!({"type": "null"}), json!(null));
        assert_eq!(
            no(json!({"type": "integer"}), json!(1.5)),
            "expected type integer, got 1.5 (number)"
        );
        assert_eq!(
            no(json!({"type": "null"}), json!("null")),
            r#"expected type null, got "null" (string)"#
        );
        assert_eq!(m(json!({"type": "array"})).describe(), "type array");
        assert_eq!(
            parse_err(json!({"type": "bool"})),
            "`type` has unknown type `bool` (did you mean `boolean`?)"
        );
        assert_eq!(
            parse_err(json!({"type": "strng"})),
            "`type` has unknown type `strng` (did you mean `string`?)"
        );
        assert!(parse_err(json!({"type": "date"})).contains("(use one of string, number, integer"));
        assert_eq!(
            parse_err(json!({"type": null})),
            "`type` expects a type name (string, number, integer, boolean, array, object, null), \
             found null; write `type: \"null\"` with quotes"
        );
    }

    #[test]
    fn length() {
        ok(json!({"length": 3}), json!("héé"));
        ok(json!({"length": 2}), json!([1, 2]));
        ok(json!({"length": 1}), json!({"a": 1}));
        ok(json!({"length": {"gt": 0, "lte": 2}}), json!([1]));
        assert_eq!(m(json!({"length": 3})).describe(), "length == 3");
        assert_eq!(m(json!({"length": {"gt": 0}})).describe(), "length > 0");
        assert_eq!(
            m(json!({"length": {"gt": 0, "lt": 5}})).describe(),
            "length (> 0 and < 5)"
        );
        let e = m(json!({"length": 3}))
            .check(Some(&json!([1])))
            .unwrap_err();
        assert_eq!(e.message, "expected length == 3, got length 1");
        assert_eq!(e.actual, "[1]");
        assert_eq!(
            no(json!({"length": {"gt": 0}}), json!(5)),
            "expected length > 0, got 5 (a number has no length)"
        );
        assert!(parse_err(json!({"length": -1})).starts_with("`length` expects a whole number"));
        assert!(parse_err(json!({"length": "3"})).starts_with("`length` expects a whole number"));
        assert_eq!(
            parse_err(json!({"length": {"gt": "x"}})),
            r#"in `length`: `gt` expects a number, found "x""#
        );
    }

    #[test]
    fn one_of() {
        ok(json!({"one_of": [200, 201]}), json!(201));
        ok(json!({"one_of": [1, "a"]}), json!(1.0));
        assert_eq!(
            m(json!({"one_of": [200, "x"]})).describe(),
            r#"one of [200, "x"]"#
        );
        assert_eq!(
            no(json!({"one_of": [200, 201]}), json!(500)),
            "expected one of [200, 201], got 500"
        );
        assert_eq!(
            parse_err(json!({"one_of": 3})),
            "`one_of` expects a list, found 3"
        );
    }

    #[test]
    fn operand_errors_name_the_operator() {
        assert_eq!(
            parse_err(json!({"gt": "abc"})),
            r#"`gt` expects a number, found "abc""#
        );
        assert_eq!(
            parse_err(json!({"lte": null})),
            "`lte` expects a number, found null"
        );
        assert!(parse_err(json!({})).starts_with("an empty map has no operators"));
    }

    #[test]
    fn unknown_operators_get_a_hint() {
        assert_eq!(
            parse_err(json!({"contain": "x"})),
            "unknown operator `contain` (did you mean `contains`?)"
        );
        assert_eq!(
            parse_err(json!({"lenght": 1})),
            "unknown operator `lenght` (did you mean `length`?)"
        );
        assert_eq!(
            parse_err(json!({"oneof": [1]})),
            "unknown operator `oneof` (did you mean `one_of`?)"
        );
        assert_eq!(
            parse_err(json!({"regex": "a"})),
            "unknown operator `regex` (did you mean `matches`?)"
        );
        assert_eq!(
            parse_err(json!({"equals": 1})),
            "unknown operator `equals` (did you mean `eq`?)"
        );
        let e = parse_err(json!({"name": "alice"}));
        assert!(
            e.starts_with("unknown operator `name` (operators: eq, ne,"),
            "{e}"
        );
        assert!(
            e.ends_with("to compare with an object, write `eq: {…}`)"),
            "{e}"
        );
    }

    #[test]
    fn durations_are_milliseconds() {
        let d = |spec: Value| Matcher::parse(&spec, OperandKind::Duration).unwrap();
        let matcher = d(json!({"lt": "2s"}));
        assert_eq!(matcher.describe(), "< 2000ms");
        assert!(matcher.check(Some(&json!(1999))).is_ok());
        let e = matcher.check(Some(&json!(2350))).unwrap_err();
        assert_eq!(e.message, "expected < 2000ms, got 2350ms");
        assert_eq!(e.actual, "2350ms");
        assert_eq!(d(json!({"lte": 250})).describe(), "<= 250ms");
        assert_eq!(d(json!({"gt": "1.5ms"})).describe(), "> 1.5ms");
        assert_eq!(d(json!("1m")).describe(), "== 60000ms");
        assert_eq!(
            d(json!({"one_of": ["1s", 5]})).describe(),
            "one of [1000ms, 5ms]"
        );
        let err = |spec: Value| Matcher::parse(&spec, OperandKind::Duration).unwrap_err();
        assert!(err(json!({"lt": "2 weeks"})).starts_with("`lt`: "));
        assert_eq!(
            err(json!({"contains": 1})),
            "`contains` does not apply to a duration; use eq, ne, gt, gte, lt, lte or one_of"
        );
    }

    #[test]
    fn mismatch_texts_are_one_line() {
        let e = m(json!({"eq": "a\nb"}))
            .check(Some(&json!("a\nc")))
            .unwrap_err();
        assert_eq!(e.message, r#"expected == "a\nb", got "a\nc""#);
        assert!(
            !e.message.contains('\n') && !e.expected.contains('\n') && !e.actual.contains('\n')
        );
    }
}
