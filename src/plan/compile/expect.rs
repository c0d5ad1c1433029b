//! `expect:`: the status, and matchers on headers, JSON, body and duration.
//! Matchers without templates are built here, so a bad operand is a load error.

use serde_json::Value;

use super::{At, Compiler};
use crate::assertion::jsonpath::JsonPath;
use crate::assertion::matcher::{Matcher, OperandKind, operator_names};
use crate::diagnostic::did_you_mean;
use crate::plan::scope_check::Known;
use crate::plan::{Check, ExpectPlan, MatcherPlan, StatusPlan};
use crate::source::model::{ExpectSpec, Node};
use crate::template::TplValue;

impl Compiler {
    pub(super) fn expect(&mut self, at: &At, e: &ExpectSpec, known: &Known) -> ExpectPlan {
        let mut plan = ExpectPlan {
            headers: Vec::with_capacity(e.headers.len()),
            json: Vec::with_capacity(e.json.len()),
            ..ExpectPlan::default()
        };
        if let Some(s) = &e.status {
            match status(&s.value) {
                Ok(p) => plan.status = Some((p, at.loc(&s.referenced))),
                Err(msg) => self.errors.push(
                    at.err(msg, &s.referenced)
                        .with_hint("write 200, [200, 201] or \"2xx\""),
                ),
            }
        }
        for (name, node) in &e.headers {
            if let Some(m) = self.matcher(at, node, OperandKind::Json, known) {
                plan.headers.push(Check {
                    target: name.clone(),
                    matcher: m,
                    location: at.loc(&node.referenced),
                });
            }
        }
        for (path, node) in &e.json {
            let jp = match JsonPath::parse(path) {
                Ok(jp) => jp,
                Err(err) => {
                    self.errors.push(
                        at.err(
                            format!("invalid JSONPath `{path}`: {}", err.message),
                            &node.referenced,
                        )
                        .with_hint("JSONPath as in RFC 9535, e.g. $.data.users[0].name"),
                    );
                    continue;
                }
            };
            if let Some(m) = self.matcher(at, node, OperandKind::Json, known) {
                plan.json.push(Check {
                    target: jp,
                    matcher: m,
                    location: at.loc(&node.referenced),
                });
            }
        }
        if let Some(node) = &e.body
            && let Some(m) = self.matcher(at, node, OperandKind::Json, known)
        {
            plan.body = Some(Check {
                target: (),
                matcher: m,
                location: at.loc(&node.referenced),
            });
        }
        if let Some(node) = &e.duration
            && let Some(m) = self.matcher(at, node, OperandKind::Duration, known)
        {
            plan.duration = Some(Check {
                target: (),
                matcher: m,
                location: at.loc(&node.referenced),
            });
        }
        plan
    }

    pub(super) fn matcher(
        &mut self,
        at: &At,
        node: &Node,
        kind: OperandKind,
        known: &Known,
    ) -> Option<MatcherPlan> {
        if let Value::Object(map) = &node.value {
            for key in map.keys() {
                if !operator_names().any(|o| o == key) {
                    let hint = match did_you_mean(key, operator_names()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "operators: {}",
                            operator_names().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.errors.push(
                        at.err(
                            format!("unknown matcher operator `{key}`"),
                            &node.referenced,
                        )
                        .with_hint(hint),
                    );
                    return None;
                }
            }
        }
        let compiled = self.value(at, node, known)?;
        if let TplValue::Literal(v) = &compiled {
            return match Matcher::parse(v, kind) {
                Ok(m) => Some(MatcherPlan::Static(m)),
                Err(e) => {
                    let mut d = at.err(format!("invalid matcher: {e}"), &node.referenced);
                    if let Some((_, hint)) = e.split_once("did you mean ") {
                        let hint = hint.strip_suffix(')').unwrap_or(hint);
                        d = d.with_hint(format!("did you mean {hint}"));
                    }
                    self.errors.push(d);
                    None
                }
            };
        }
        Some(MatcherPlan::Dynamic(compiled, kind))
    }
}

use crate::text::excerpt;

fn status(v: &Value) -> Result<StatusPlan, String> {
    let code = |v: &Value| -> Option<u16> {
        match v {
            Value::Number(n) => n.as_u64().and_then(|c| u16::try_from(c).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .filter(|c| (100..=599).contains(c))
    };
    if let Some(c) = code(v) {
        return Ok(StatusPlan::Codes(vec![c]));
    }
    match v {
        Value::String(s) if s.is_ascii() && s.len() == 3 && s[1..].eq_ignore_ascii_case("xx") => s
            [..1]
            .parse::<u16>()
            .ok()
            .filter(|c| (1..=5).contains(c))
            .map(StatusPlan::Class)
            .ok_or_else(|| format!("invalid status class `{}`", excerpt(s, 40))),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|i| code(i).ok_or_else(|| format!("invalid status code {i}")))
            .collect::<Result<Vec<_>, _>>()
            .map(StatusPlan::Codes),
        other => Err(format!(
            "invalid status {}",
            excerpt(&other.to_string(), 40)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_forms() {
        assert_eq!(
            status(&serde_json::json!(200)),
            Ok(StatusPlan::Codes(vec![200]))
        );
        assert_eq!(
            status(&serde_json::json!([200, 201])),
            Ok(StatusPlan::Codes(vec![200, 201]))
        );
        assert_eq!(status(&serde_json::json!("2xx")), Ok(StatusPlan::Class(2)));
        assert_eq!(
            status(&serde_json::json!("404")),
            Ok(StatusPlan::Codes(vec![404]))
        );
        assert!(status(&serde_json::json!("9xx")).is_err());
        assert!(status(&serde_json::json!(42)).is_err());
        for odd in ["€", "€xx", "x€", "2€", "éxx", "2xé"] {
            assert!(status(&serde_json::json!(odd)).is_err(), "{odd}");
        }
        assert!(StatusPlan::Class(2).accepts(204));
    }
}
