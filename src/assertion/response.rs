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
use crate::template::Scope;

/// The response body as JSON, parsed once for every expectation and capture.
pub struct Body<'a> {
    pub text: std::borrow::Cow<'a, str>,
    json: std::cell::OnceCell<Option<Value>>,
}

impl<'a> Body<'a> {
    pub fn new(bytes: &'a [u8]) -> Body<'a> {
        Body {
            text: String::from_utf8_lossy(bytes),
            json: std::cell::OnceCell::new(),
        }
    }

    pub fn json(&self) -> Option<&Value> {
        self.json
            .get_or_init(|| serde_json::from_str(&self.text).ok())
            .as_ref()
    }
}

/// Every expectation of `req` that does not hold.
pub fn evaluate(e: &ExpectPlan, inc: &Incoming, body: &Body, scope: &Scope) -> Vec<Failure> {
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
        let values: Vec<&str> = inc
            .headers
            .get_all(check.target.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let actual = (!values.is_empty()).then(|| Value::String(values.join(", ")));
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
        match body.json() {
            None => failures.push(Failure {
                key: "json".into(),
                message: "the response body is not JSON".into(),
                expected: Some("a JSON body".into()),
                actual: Some(crate::text::excerpt(&body.text, 80)),
                location: e.json.first().map(|c| c.location.clone()),
            }),
            Some(doc) => {
                for check in &e.json {
                    let actual = check.target.select_actual(doc);
                    run_check(
                        &mut failures,
                        &format!("json {}", check.target.as_str()),
                        &check.matcher,
                        actual.as_ref(),
                        scope,
                        &check.location,
                    );
                }
            }
        }
    }
    if let Some(check) = &e.body {
        let actual = Value::String(body.text.to_string());
        run_check(
            &mut failures,
            "body",
            &check.matcher,
            Some(&actual),
            scope,
            &check.location,
        );
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
pub fn capture(
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
                let doc = body
                    .json()
                    .ok_or_else(|| missing("the response body is not JSON".into()))?;
                jp.select_actual(doc)
                    .ok_or_else(|| missing(format!("{} selected nothing", jp.as_str())))?
            }
            CaptureSource::Header(name) => inc
                .headers
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
                .map(|v| Value::String(v.to_string()))
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
                    RegexFrom::Body => body.text.to_string(),
                    RegexFrom::Header(h) => inc
                        .headers
                        .get(h.as_str())
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string(),
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
