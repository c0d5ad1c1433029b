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

mod check;
mod json_type;
mod operand;
mod operators;
#[cfg(test)]
mod tests;
mod value;

use std::fmt;

use regex::Regex;
use serde_json::Value;

pub(crate) use json_type::JsonType;
pub(crate) use operators::operator_names;
use value::render;

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

impl Matcher {
    /// Compiles a matcher as written under `expect:`.
    ///
    /// A scalar (or list) means equality; a map means operators, all of which
    /// must hold.
    pub fn parse(spec: &Value, kind: OperandKind) -> Result<Matcher, String> {
        let Value::Object(map) = spec else {
            return Ok(Matcher::Compare {
                op: CompareOp::Eq,
                operand: operand::equality(spec, kind, None)?,
                unit: operand::unit(kind),
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
            all.push(operators::parse(name, operand, kind)?);
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
        check::value(self, actual)
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
