//! One request, login step or logout step: method, URL, headers, body and
//! the options that shape how it is sent.

use std::time::Duration;

use serde_json::Value;

use super::{At, Compiler};
use crate::duration::BareUnit;
use crate::plan::scope_check::Known;
use crate::plan::{BodyPlan, RequestPlan, RetryPlan, WhenPlan};
use crate::source::model::{BodySpec, Loc, Node, RequestSpec, RetrySpec};
use crate::template::Tpl;

impl Compiler {
    /// Compiles the `index`-th request of a list; its captures join `known`.
    pub(super) fn request(
        &mut self,
        at: &At,
        spec: &Loc<Box<RequestSpec>>,
        index: usize,
        known: &mut Known,
    ) -> Option<RequestPlan> {
        let before = self.errors.len();
        let r = &spec.value;
        let location = at.loc(&spec.referenced);
        let method = self.method(at, r.method.as_deref());
        let url = self.tpl(at, &r.url, known);
        self.no_literal_fragment(at, &r.url);
        if let Some(u) = &url {
            self.check_url(at, u, &r.url.referenced);
        }
        self.check_query(at, &r.query);
        let query = self.named_values(at, &r.query, known);
        self.check_headers(at, &r.headers);
        let headers = self.header_tpls(at, &r.headers, known);
        let basic = r.basic.as_ref().and_then(|b| self.basic(at, b, known));
        let body = self.body(at, spec, known);
        let timeout = r.timeout.as_ref().and_then(|n| {
            let d = self.duration(at, n, BareUnit::Seconds)?;
            if d.is_zero() {
                // Every attempt would fail at once: a typing mistake.
                self.errors.push(
                    at.err("a `timeout` of 0 fails every request", &n.referenced)
                        .with_hint("write a duration above 0, e.g. 30s"),
                );
            }
            Some(d)
        });
        let retry = r.retry.as_ref().map(|rs| self.retry(at, rs));
        let when = r.when.as_ref().and_then(|n| self.when(at, n, known));
        let confirm = r.confirm.as_ref().and_then(|c| self.tpl(at, c, known));
        // Expectations run before captures, so they see only earlier names.
        let expect = r
            .expect
            .as_ref()
            .map(|e| self.expect(at, e, known))
            .unwrap_or_default();
        let captures = r
            .capture
            .iter()
            .filter_map(|(name, node)| self.capture(at, name, node))
            .collect::<Vec<_>>();
        for c in &captures {
            known.names.insert(c.name.clone());
        }
        if self.errors.len() > before {
            return None;
        }
        Some(RequestPlan {
            name: r
                .name
                .clone()
                .unwrap_or_else(|| format!("request {}", index + 1)),
            location,
            method,
            static_url: url.as_ref().and_then(static_url),
            url: url?,
            query,
            headers,
            basic,
            body,
            profile: None,
            expect: Box::new(expect),
            captures,
            timeout,
            retry,
            follow_redirects: r.follow_redirects.unwrap_or(true),
            when,
            confirm,
        })
    }

    /// A `#` written in a URL starts a fragment, which is never sent: the
    /// rest of the URL would be lost silently, so it is invalid input.
    fn no_literal_fragment(&mut self, at: &At, url: &Loc<String>) {
        if let Some(at_char) = literal_hash(&url.value) {
            let fragment: String = url.value.chars().skip(at_char).collect();
            self.errors.push(
                at.err(
                    format!("the URL has a fragment `{fragment}`, which is never sent"),
                    &url.referenced,
                )
                .with_hint(
                    "remove it, or write `%23` for a `#` that belongs in the path; encode values with `urlencode_component`",
                ),
            );
        }
    }

    /// The method as written (any case); `GET` when absent or invalid.
    fn method(&mut self, at: &At, method: Option<&Loc<String>>) -> reqwest::Method {
        let Some(m) = method else {
            return reqwest::Method::GET;
        };
        // A method is a word (PROPFIND, M-SEARCH): letters first, then
        // letters, digits, `-` or `_`.
        let word = m.value.starts_with(|c: char| c.is_ascii_alphabetic())
            && m.value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let method = reqwest::Method::from_bytes(m.value.to_uppercase().as_bytes())
            .ok()
            .filter(|_| word);
        method.unwrap_or_else(|| {
            self.errors.push(
                at.err(
                    format!("invalid method `{}`", crate::text::excerpt(&m.value, 40)),
                    &m.referenced,
                )
                .with_hint("use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS"),
            );
            reqwest::Method::GET
        })
    }

    /// The one body of `json:`, `form:`, `body:` or `multipart:`.
    fn body(&mut self, at: &At, spec: &Loc<Box<RequestSpec>>, known: &Known) -> BodyPlan {
        let r = &spec.value;
        let bodies = [
            r.json.is_some(),
            r.form.is_some(),
            r.body.is_some(),
            r.multipart.is_some(),
        ];
        if bodies.iter().filter(|b| **b).count() > 1 {
            self.errors.push(
                at.err("a request has at most one body", &spec.referenced)
                    .with_hint("keep one of `json:`, `form:`, `body:`, `multipart:`"),
            );
        }
        if let Some(j) = &r.json {
            self.value(at, j, known)
                .map(BodyPlan::Json)
                .unwrap_or(BodyPlan::None)
        } else if let Some(f) = &r.form {
            BodyPlan::Form(self.named_values(at, f, known))
        } else if let Some(m) = &r.multipart {
            BodyPlan::Multipart(self.multipart(at, m, known))
        } else if let Some(b) = &r.body {
            self.raw_body(at, b, known)
        } else {
            BodyPlan::None
        }
    }

    /// `body:` text (a template) or `{ file: PATH }`.
    fn raw_body(&mut self, at: &At, b: &Loc<BodySpec>, known: &Known) -> BodyPlan {
        match &b.value {
            BodySpec::Text(text) => {
                let text = Loc {
                    value: text.clone(),
                    referenced: b.referenced,
                    defined: b.defined,
                };
                self.tpl(at, &text, known)
                    .map(BodyPlan::Raw)
                    .unwrap_or(BodyPlan::None)
            }
            BodySpec::File(f) => self
                .body_file(at, &f.file, &b.referenced)
                .map(BodyPlan::File)
                .unwrap_or(BodyPlan::None),
        }
    }

    fn retry(&mut self, at: &At, rs: &RetrySpec) -> RetryPlan {
        RetryPlan {
            count: rs.count,
            delay: rs
                .delay
                .as_ref()
                .and_then(|n| self.duration(at, n, BareUnit::Seconds))
                .unwrap_or(Duration::from_secs(1)),
        }
    }

    /// `when:`: a boolean, or a template rendered before the request runs.
    fn when(&mut self, at: &At, n: &Node, known: &Known) -> Option<WhenPlan> {
        match &n.value {
            Value::Bool(b) => Some(WhenPlan::Fixed(*b)),
            Value::String(s) => {
                let loc = Loc {
                    value: s.clone(),
                    referenced: n.referenced,
                    defined: n.defined,
                };
                let tpl = self.tpl(at, &loc, known)?;
                if !tpl.is_literal() {
                    return Some(WhenPlan::Template(tpl));
                }
                // Plain text is known now: an answer, or invalid input.
                let truth = WhenPlan::truth(s);
                if truth.is_none() {
                    self.errors.push(
                        at.err(format!("`when` is `{s}`, not true or false"), &n.referenced)
                            .with_hint("write true or false, or a template that renders to one"),
                    );
                }
                truth.map(WhenPlan::Fixed)
            }
            _ => {
                self.errors.push(
                    at.err("`when` must be a boolean or a template", &n.referenced)
                        .with_hint("e.g. when: \"{{ env.CI is defined }}\""),
                );
                None
            }
        }
    }
}

/// The character offset of the first `#` written outside `{{ }}`, `{% %}`
/// and `{# #}` in a URL template.
fn literal_hash(source: &str) -> Option<usize> {
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let close = match (chars[i], chars.get(i + 1)) {
            ('{', Some('{')) => Some('}'),
            ('{', Some('%')) => Some('%'),
            ('{', Some('#')) => Some('#'),
            _ => None,
        };
        match close {
            Some(c) => {
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == c && chars[j + 1] == '}');
                i = end.map_or(chars.len(), |j| j + 2);
            }
            None if chars[i] == '#' => return Some(i),
            None => i += 1,
        }
    }
    None
}

/// The URL parsed once at load, when it holds no template.
fn static_url(t: &Tpl) -> Option<url::Url> {
    t.is_literal()
        .then(|| url::Url::parse(t.source().trim()).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::literal_hash;

    #[test]
    fn a_hash_outside_template_tags_is_a_fragment() {
        assert_eq!(literal_hash("http://h/a#b"), Some(10));
        assert_eq!(literal_hash("{{ base }}/x/#top"), Some(13));
        assert_eq!(literal_hash("{{ base }}/{# note #}x"), None);
        assert_eq!(
            literal_hash("{{ '#' ~ id }}/{% if a %}#{% endif %}"),
            Some(25)
        );
        assert_eq!(literal_hash("{{ base }}/a%23b"), None);
        assert_eq!(literal_hash("{{ a }}"), None);
    }
}
