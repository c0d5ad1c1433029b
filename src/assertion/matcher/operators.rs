//! The operator table: every name a matcher map may hold, whether it applies
//! to a duration, and the one function that compiles its operand. The
//! load-time check in `plan` reads its names from here too, so the two lists
//! cannot drift apart.

use regex::Regex;
use serde_json::Value;

use super::value::compact;
use super::{CompareOp, JsonType, Matcher, OperandKind, Unit, json_type, operand};

/// One operator as written: its name, its operand, and what the operand means.
pub(super) struct Written<'a> {
    name: &'a str,
    operand: &'a Value,
    kind: OperandKind,
}

struct Operator {
    name: &'static str,
    /// Whether it makes sense for `duration:` (milliseconds).
    on_durations: bool,
    parse: fn(&Written) -> Result<Matcher, String>,
}

/// In the order the `operators:` hint lists them.
const OPERATORS: &[Operator] = &[
    op("eq", true, |w| compare(CompareOp::Eq, w)),
    op("ne", true, |w| compare(CompareOp::Ne, w)),
    op("gt", true, |w| compare(CompareOp::Gt, w)),
    op("gte", true, |w| compare(CompareOp::Gte, w)),
    op("lt", true, |w| compare(CompareOp::Lt, w)),
    op("lte", true, |w| compare(CompareOp::Lte, w)),
    op("contains", false, contains),
    op("matches", false, matches),
    op("exists", false, exists),
    op("type", false, type_),
    op("length", false, length),
    op("one_of", true, one_of),
];

const fn op(
    name: &'static str,
    on_durations: bool,
    parse: fn(&Written) -> Result<Matcher, String>,
) -> Operator {
    Operator {
        name,
        on_durations,
        parse,
    }
}

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

/// Names a matcher map may hold, in table order.
pub(crate) fn operator_names() -> impl Iterator<Item = &'static str> {
    OPERATORS.iter().map(|o| o.name)
}

/// Compiles the operator `name` with its operand.
pub(super) fn parse(name: &str, operand: &Value, kind: OperandKind) -> Result<Matcher, String> {
    let Some(operator) = OPERATORS.iter().find(|o| o.name == name) else {
        return Err(unknown(name));
    };
    if kind == OperandKind::Duration && !operator.on_durations {
        return Err(format!(
            "`{name}` does not apply to a duration; use eq, ne, gt, gte, lt, lte or one_of"
        ));
    }
    (operator.parse)(&Written {
        name,
        operand,
        kind,
    })
}

fn unknown(name: &str) -> String {
    let hint = suggest(name, operator_names(), ALIASES)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_else(|| {
            format!(
                " (operators: {}; to compare with an object, write `eq: {{…}}`)",
                operator_names().collect::<Vec<_>>().join(", ")
            )
        });
    format!("unknown operator `{name}`{hint}")
}

fn compare(op: CompareOp, w: &Written) -> Result<Matcher, String> {
    let operand = if op == CompareOp::Eq || op == CompareOp::Ne {
        operand::equality(w.operand, w.kind, Some(w.name))?
    } else {
        operand::number(w.name, w.operand, w.kind)?
    };
    Ok(Matcher::Compare {
        op,
        operand,
        unit: operand::unit(w.kind),
    })
}

fn contains(w: &Written) -> Result<Matcher, String> {
    Ok(Matcher::Contains(w.operand.clone()))
}

fn matches(w: &Written) -> Result<Matcher, String> {
    let Value::String(pattern) = w.operand else {
        return Err(format!(
            "`matches` expects a regex as a string, found {}",
            compact(w.operand)
        ));
    };
    Regex::new(pattern).map(Matcher::Matches).map_err(|e| {
        // The regex crate's message spans lines; its last line says what is wrong.
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
            compact(w.operand)
        )
    })
}

fn exists(w: &Written) -> Result<Matcher, String> {
    match w.operand {
        Value::Bool(b) => Ok(Matcher::Exists(*b)),
        other => Err(format!(
            "`exists` expects true or false, found {}",
            compact(other)
        )),
    }
}

fn type_(w: &Written) -> Result<Matcher, String> {
    let Value::String(t) = w.operand else {
        // YAML reads a bare `null` as null, not as the type's name.
        let quote_null = if w.operand.is_null() {
            "; write `type: \"null\"` with quotes"
        } else {
            ""
        };
        return Err(format!(
            "`type` expects a type name ({}), found {}{quote_null}",
            json_type::list(),
            compact(w.operand),
        ));
    };
    JsonType::named(t).map(Matcher::Type)
}

fn length(w: &Written) -> Result<Matcher, String> {
    match w.operand {
        Value::Number(n) if n.as_u64().is_some() => {
            Ok(Matcher::Length(Box::new(Matcher::Compare {
                op: CompareOp::Eq,
                operand: w.operand.clone(),
                unit: Unit::None,
            })))
        }
        Value::Object(_) => Matcher::parse(w.operand, OperandKind::Json)
            .map(|m| Matcher::Length(Box::new(m)))
            .map_err(|e| format!("in `length`: {e}")),
        other => Err(format!(
            "`length` expects a whole number or a map of operators such as `{{ gt: 0 }}`, found {}",
            compact(other)
        )),
    }
}

fn one_of(w: &Written) -> Result<Matcher, String> {
    let Value::Array(items) = w.operand else {
        return Err(format!(
            "`one_of` expects a list, found {}",
            compact(w.operand)
        ));
    };
    let values = items
        .iter()
        .map(|v| operand::equality(v, w.kind, Some(w.name)))
        .collect::<Result<_, _>>()?;
    Ok(Matcher::OneOf {
        values,
        unit: operand::unit(w.kind),
    })
}

/// The closest name within a small edit distance, else a known alias.
pub(super) fn suggest<'a>(
    given: &str,
    names: impl IntoIterator<Item = &'a str>,
    aliases: &[(&str, &'a str)],
) -> Option<&'a str> {
    let lower = given.to_lowercase();
    names
        .into_iter()
        .map(|n| (strsim::damerau_levenshtein(&lower, n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
        .or_else(|| aliases.iter().find(|(a, _)| *a == lower).map(|(_, n)| *n))
}
