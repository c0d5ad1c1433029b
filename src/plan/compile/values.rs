//! The leaves every part compiles the same way: templates (with their names
//! checked against what is defined), plain values, durations, basic auth.

use std::time::Duration;

use indexmap::IndexMap;
use serde_json::Value;

use super::{At, Compiler};
use crate::diagnostic::Diagnostic;
use crate::duration::{self, BareUnit};
use crate::plan::BasicPlan;
use crate::plan::scope_check::{Known, undefined};
use crate::source::model::{BasicSpec, Loc, Node};
use crate::template::{TemplateError, Tpl, TplValue};

impl Compiler {
    pub(super) fn basic(&mut self, at: &At, b: &BasicSpec, known: &Known) -> Option<BasicPlan> {
        Some(BasicPlan {
            username: self.tpl(at, &b.username, known)?,
            password: self.tpl(at, &b.password, known)?,
        })
    }

    pub(super) fn duration(&mut self, at: &At, node: &Node, bare: BareUnit) -> Option<Duration> {
        match duration::from_json(&node.value, bare) {
            Ok(d) => Some(d),
            Err(e) => {
                self.errors.push(at.err(e, &node.referenced));
                None
            }
        }
    }

    pub(super) fn tpl(&mut self, at: &At, s: &Loc<String>, known: &Known) -> Option<Tpl> {
        match self.engine.compile(&s.value) {
            Ok(t) => {
                self.check_names(at, &t, &s.referenced, known);
                Some(t)
            }
            Err(e) => {
                self.errors.push(template_error(at, e, &s.referenced));
                None
            }
        }
    }

    pub(super) fn scalar_tpl(
        &mut self,
        at: &At,
        node: &Node,
        known: &Known,
        what: &str,
    ) -> Option<Tpl> {
        let text = match at.written(node) {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                self.errors
                    .push(at.err(format!("{what} must be a string"), &node.referenced));
                return None;
            }
        };
        let loc = Loc {
            value: text,
            referenced: node.referenced,
            defined: node.defined,
        };
        self.tpl(at, &loc, known)
    }

    pub(super) fn value(&mut self, at: &At, node: &Node, known: &Known) -> Option<TplValue> {
        match self.engine.compile_value(&at.written(node)) {
            Ok(v) => {
                for t in v.templates() {
                    self.check_names(at, t, &node.referenced, known);
                }
                Some(v)
            }
            Err(e) => {
                self.errors.push(template_error(at, e, &node.referenced));
                None
            }
        }
    }

    pub(super) fn check_names(
        &mut self,
        at: &At,
        t: &Tpl,
        l: &serde_saphyr::Location,
        known: &Known,
    ) {
        if self.checked {
            return;
        }
        // Unknown functions first: `foo()` is not an undefined variable.
        if let Some(e) = self.engine.lint(t, self.inputs.env_names.as_ref()) {
            self.errors.push(template_error(at, e, l));
        } else if let Some((title, hint)) = undefined(t, known, &self.inputs.env_vars) {
            self.errors.push(at.err(title, l).with_hint(hint));
        }
    }

    /// Each `name: value` of a map, compiled; entries with errors are left out.
    pub(super) fn named_values(
        &mut self,
        at: &At,
        map: &IndexMap<String, Node>,
        known: &Known,
    ) -> Vec<(String, TplValue)> {
        map.iter()
            .filter_map(|(k, v)| Some((k.clone(), self.value(at, v, known)?)))
            .collect()
    }

    /// Header values: scalars, each a template.
    pub(super) fn header_tpls(
        &mut self,
        at: &At,
        map: &IndexMap<String, Node>,
        known: &Known,
    ) -> Vec<(String, Tpl)> {
        map.iter()
            .filter_map(|(k, v)| {
                Some((k.clone(), self.scalar_tpl(at, v, known, "a header value")?))
            })
            .collect()
    }
}

/// A template that does not compile, with the engine's hint when it has one.
fn template_error(at: &At, e: TemplateError, l: &serde_saphyr::Location) -> Diagnostic {
    let d = at.err(e.message, l);
    match e.hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}
