//! Judging one response: the body read once (text and JSON), every
//! expectation of a request checked against it, and the values it captures.
//! Synchronous and free of I/O: the exchange layer hands a response in and
//! gets failures and captures back as data.

use serde_json::Value;

use crate::assertion::Failure;
use crate::assertion::matcher::{Matcher, Mismatch};
use crate::assertion::spec::{CapturePlan, CaptureSource, ExpectPlan, MatcherPlan, RegexFrom};
use crate::diagnostic::Location;
use crate::http::Incoming;
use crate::http::content::Coding;
use crate::template::Scope;

/// The response body read once for every expectation and capture: its
/// content codings undone, decoded with its charset, parsed as JSON on
/// first use.
pub(crate) struct Body {
    pub text: String,
    /// Why the body could not be read at all (a content coding sesame
    /// cannot undo): every body and JSON expectation fails with it.
    unreadable: Option<String>,
    json: std::cell::OnceCell<Option<Value>>,
}

impl Body {
    pub(crate) fn new(inc: &Incoming) -> Body {
        let unreadable = match &inc.coding {
            // A body cut at --max-body is never judged.
            _ if inc.body_cut.is_some() => inc.body_cut.map(crate::http::body::too_big),
            Coding::Undecodable { coding, reason } => Some(format!(
                "the response body could not be decoded from {coding}: {reason}"
            )),
            _ => None,
        };
        Body {
            text: match inc.body_cut {
                Some(_) => String::new(),
                None => inc.text().to_string(),
            },
            unreadable,
            json: std::cell::OnceCell::new(),
        }
    }

    pub(crate) fn json(&self) -> Option<&Value> {
        self.json
            .get_or_init(|| {
                if self.unreadable.is_some() {
                    return None;
                }
                serde_json::from_str(&self.text).ok()
            })
            .as_ref()
    }

    /// Why the body is not JSON, for a failure.
    fn not_json(&self) -> String {
        self.unreadable
            .clone()
            .unwrap_or_else(|| "the response body is not JSON".into())
    }
}

/// What a header expectation or capture sees: nothing when absent, the
/// value when sent once, every value in order when repeated (`Set-Cookie`
/// included: values are never joined).
fn header_actual(inc: &Incoming, name: &str) -> Option<Value> {
    let mut values: Vec<Value> = inc
        .header_values(name)
        .into_iter()
        .map(Value::String)
        .collect();
    match values.len() {
        0 => None,
        1 => values.pop(),
        _ => Some(Value::Array(values)),
    }
}

/// Every expectation of `req` that does not hold.
pub(crate) fn evaluate(e: &ExpectPlan, inc: &Incoming, body: &Body, scope: &Scope) -> Vec<Failure> {
    let mut failures = Vec::new();
    if let Some((status, loc)) = &e.status
        && !status.accepts(inc.status.as_u16())
    {
        failures.push(Failure {
            key: "status".into(),
            message: format!(
                "expected status {}, got {}",
                status.describe(),
                inc.status.as_u16()
            ),
            expected: Some(status.describe()),
            actual: Some(inc.status.as_u16().to_string()),
            location: Some(loc.clone()),
        });
    }
    for check in &e.headers {
        let actual = header_actual(inc, &check.target);
        run_check(
            &mut failures,
            &format!("headers {}", check.target),
            &check.matcher,
            actual.as_ref(),
            scope,
            &check.location,
        );
    }
    if !e.json.is_empty() {
        check_json(&mut failures, e, body, scope);
    }
    if let Some(check) = &e.body {
        match &body.unreadable {
            Some(why) => failures.push(Failure::new("body", why.clone(), Some(&check.location))),
            None => run_check(
                &mut failures,
                "body",
                &check.matcher,
                Some(&Value::String(body.text.clone())),
                scope,
                &check.location,
            ),
        }
    }
    if let Some(check) = &e.duration {
        let actual = Value::from(inc.duration.as_millis() as u64);
        run_check(
            &mut failures,
            "duration",
            &check.matcher,
            Some(&actual),
            scope,
            &check.location,
        );
    }
    failures
}

/// The `json:` expectations, against the body parsed once.
fn check_json(failures: &mut Vec<Failure>, e: &ExpectPlan, body: &Body, scope: &Scope) {
    let Some(doc) = body.json() else {
        failures.push(Failure {
            key: "json".into(),
            message: body.not_json(),
            expected: Some("a JSON body".into()),
            actual: Some(crate::text::excerpt(&body.text, 80)),
            location: e.json.first().map(|c| c.location.clone()),
        });
        return;
    };
    for check in &e.json {
        let mut actual = check.target.select_actual(doc);
        // `exists` asks whether a nodelist holds any node.
        if matches!(check.matcher, MatcherPlan::Static(Matcher::Exists(_)))
            && actual
                .as_ref()
                .is_some_and(|v| v == &Value::Array(Vec::new()))
            && !check.target.is_singular()
        {
            actual = None;
        }
        run_check(
            failures,
            &format!("json {}", check.target.as_str()),
            &check.matcher,
            actual.as_ref(),
            scope,
            &check.location,
        );
    }
}

fn run_check(
    failures: &mut Vec<Failure>,
    key: &str,
    plan: &MatcherPlan,
    actual: Option<&Value>,
    scope: &Scope,
    location: &Location,
) {
    let built;
    let matcher = match plan {
        MatcherPlan::Static(m) => m,
        MatcherPlan::Dynamic(tv, kind) => {
            let spec = match tv.render(scope) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(Failure::new(
                        key,
                        format!("expected value: {}", e.message),
                        Some(location),
                    ));
                    return;
                }
            };
            built = match Matcher::parse(&spec, *kind) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(Failure::new(
                        key,
                        format!("invalid matcher: {e}"),
                        Some(location),
                    ));
                    return;
                }
            };
            &built
        }
    };
    if let Err(Mismatch {
        message,
        expected,
        actual,
    }) = matcher.check(actual)
    {
        failures.push(Failure {
            key: key.to_string(),
            message,
            expected: Some(expected),
            actual: Some(actual),
            location: Some(location.clone()),
        });
    }
}

/// The values `req` captures from the response.
pub(crate) fn capture(
    captures: &[CapturePlan],
    inc: &Incoming,
    body: &Body,
) -> Result<Vec<(String, Value)>, Failure> {
    let mut out = Vec::with_capacity(captures.len());
    for c in captures {
        let missing = |what: String| Failure {
            key: format!("capture {}", c.name),
            message: format!("capture `{}`: {what}", c.name),
            expected: None,
            actual: None,
            location: Some(c.location.clone()),
        };
        let value = match &c.source {
            CaptureSource::JsonPath(jp) => {
                let doc = body.json().ok_or_else(|| missing(body.not_json()))?;
                jp.select_actual(doc)
                    .ok_or_else(|| missing(format!("{} selected nothing", jp.as_str())))?
            }
            CaptureSource::Header(name) => header_actual(inc, name)
                .ok_or_else(|| missing(format!("no header `{name}` in the response")))?,
            CaptureSource::Cookie(name) => inc
                .set_cookies
                .iter()
                .rev()
                .find_map(|sc| cookie_value(sc, name))
                .map(Value::String)
                .ok_or_else(|| missing(format!("no cookie `{name}` was set")))?,
            CaptureSource::Regex { regex, from } => {
                let hay: String = match from {
                    RegexFrom::Body => match &body.unreadable {
                        Some(why) => return Err(missing(why.clone())),
                        None => body.text.clone(),
                    },
                    // Every value, one per line, so a pattern can find any.
                    RegexFrom::Header(h) => inc.header_values(h).join("\n"),
                };
                let caps = regex
                    .captures(&hay)
                    .ok_or_else(|| missing(format!("/{}/ did not match", regex.as_str())))?;
                let m = caps
                    .get(1)
                    .or_else(|| caps.get(0))
                    .map(|m| m.as_str())
                    .unwrap_or_default();
                Value::String(m.to_string())
            }
            CaptureSource::Status => Value::from(inc.status.as_u16()),
        };
        out.push((c.name.clone(), value));
    }
    Ok(out)
}

fn cookie_value(set_cookie: &str, name: &str) -> Option<String> {
    let first = set_cookie.split(';').next()?;
    let (k, v) = first.split_once('=')?;
    (k.trim() == name).then(|| v.trim().trim_matches('"').to_string())
}
