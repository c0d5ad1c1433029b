//! One request, in a fixed order: render → send → status → expectations →
//! captures. Shared by request files and by profiles' login and logout steps.

use std::time::Duration;

use reqwest::cookie::Jar;
use serde_json::Value;

use crate::assertion::matcher::{Matcher, Mismatch};
use crate::http::{Credentials, Incoming, Outgoing};
use crate::plan::{BodyPlan, CaptureSource, MatcherPlan, RegexFrom, RequestPlan};
use crate::report::event::Failure;
use crate::runner::runtime::Runtime;
use crate::template::{Scope, TemplateError};

/// A failure not tied to one expectation.
pub fn failure(key: &str, message: impl Into<String>, location: Option<&str>) -> Failure {
    Failure {
        key: key.to_string(),
        message: message.into(),
        expected: None,
        actual: None,
        location: location.map(str::to_string),
    }
}

fn template_failure(req: &RequestPlan, what: &str, e: TemplateError) -> Failure {
    let message = match &e.hint {
        Some(h) => format!("{what}: {} ({h})", e.message),
        None => format!("{what}: {}", e.message),
    };
    failure("template", message, Some(&req.location))
}

/// Renders `req` into a request ready to send.
#[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
pub fn render(rt: &Runtime, req: &RequestPlan, scope: &Scope) -> Result<Outgoing, Failure> {
    let mut url = match &req.static_url {
        Some(u) => u.clone(),
        None => {
            let url_text = req
                .url
                .render(scope)
                .map_err(|e| template_failure(req, "url", e))?;
            url::Url::parse(url_text.trim()).map_err(|e| {
                failure(
                    "url",
                    format!("`{}` is not a valid URL: {e}", url_text.trim()),
                    Some(&req.location),
                )
            })?
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(failure(
            "url",
            format!("`{url}` is not an http or https URL"),
            Some(&req.location),
        ));
    }
    if !req.query.is_empty() {
        let mut rendered = Vec::new();
        for (k, v) in &req.query {
            let v = v
                .render(scope)
                .map_err(|e| template_failure(req, "query", e))?;
            rendered.push((k, v));
        }
        let mut pairs = url.query_pairs_mut();
        for (k, v) in rendered {
            for item in flatten(&v) {
                pairs.append_pair(k, &item);
            }
        }
    }
    let mut headers: Vec<(String, String)> =
        Vec::with_capacity(rt.default_headers.len() + req.headers.len() + 2);
    for (k, t) in rt.default_headers.iter().chain(&req.headers) {
        let v = t
            .render(scope)
            .map_err(|e| template_failure(req, &format!("header {k}"), e))?;
        headers.retain(|(h, _)| !h.eq_ignore_ascii_case(k));
        headers.push((k.clone(), v));
    }
    if let Some(b) = &req.basic {
        let user = b
            .username
            .render(scope)
            .map_err(|e| template_failure(req, "basic username", e))?;
        let pass = b
            .password
            .render(scope)
            .map_err(|e| template_failure(req, "basic password", e))?;
        rt.redactor.add_basic_pair(&user, &pass);
        headers.retain(|(h, _)| !h.eq_ignore_ascii_case("authorization"));
        headers.push(("Authorization".into(), basic_header(&user, &pass)));
    }
    let has = |headers: &Vec<(String, String)>, name: &str| {
        headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name))
    };
    let body = match &req.body {
        BodyPlan::None => None,
        BodyPlan::Json(v) => {
            let v = v
                .render(scope)
                .map_err(|e| template_failure(req, "json", e))?;
            if !has(&headers, "content-type") {
                headers.push(("Content-Type".into(), "application/json".into()));
            }
            Some(serde_json::to_vec(&v).unwrap_or_default())
        }
        BodyPlan::Form(fields) => {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in fields {
                let v = v
                    .render(scope)
                    .map_err(|e| template_failure(req, "form", e))?;
                for item in flatten(&v) {
                    ser.append_pair(k, &item);
                }
            }
            if !has(&headers, "content-type") {
                headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
            }
            Some(ser.finish().into_bytes())
        }
        BodyPlan::Raw(t) => Some(
            t.render(scope)
                .map_err(|e| template_failure(req, "body", e))?
                .into_bytes(),
        ),
    };
    Ok(Outgoing {
        method: req.method.clone(),
        url,
        headers,
        body,
        timeout: req.timeout.unwrap_or(rt.default_timeout),
        follow_redirects: req.follow_redirects,
    })
}

pub fn basic_header(user: &str, pass: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// Query and form values: scalars as text, lists repeat the key.
pub fn flatten(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(flatten).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Null => vec![String::new()],
        other => vec![other.to_string()],
    }
}

/// Sends, turning a transport error into a failure.
pub async fn send(
    rt: &Runtime,
    out: &Outgoing,
    creds: Option<&Credentials<'_>>,
    jar: &Jar,
) -> Result<Incoming, Failure> {
    crate::http::send(&rt.client, out, creds, jar)
        .await
        .map_err(|e| {
            failure(
                "transport",
                format!("{} {}: {e}", out.method, out.url),
                None,
            )
        })
}

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
#[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
pub fn evaluate(req: &RequestPlan, inc: &Incoming, body: &Body, scope: &Scope) -> Vec<Failure> {
    let mut failures = Vec::new();
    let e = &req.expect;
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
                actual: Some(excerpt(&body.text, 80)),
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
    location: &str,
) {
    let built;
    let matcher = match plan {
        MatcherPlan::Static(m) => m,
        MatcherPlan::Dynamic(tv, kind) => {
            let spec = match tv.render(scope) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(failure(
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
                    failures.push(failure(
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
            location: Some(location.to_string()),
        });
    }
}

/// The values `req` captures from the response.
pub fn capture(
    req: &RequestPlan,
    inc: &Incoming,
    body: &Body,
) -> Result<Vec<(String, Value)>, Failure> {
    let mut out = Vec::with_capacity(req.captures.len());
    for c in &req.captures {
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

/// The start of a body, for failure reports.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut s: String = text.chars().take(max_chars).collect();
    if text.chars().nth(max_chars).is_some() {
        s.push('…');
    }
    s
}

/// `request` and `response` as text, for `--verbose`.
pub fn exchange_text(
    rt: &Runtime,
    out: &Outgoing,
    inc: Option<&Incoming>,
) -> (String, Option<String>) {
    use std::fmt::Write as _;
    let r = &rt.redactor;
    let (method, url, headers) = match inc {
        Some(i) => (&i.method, &i.url, &i.request_headers),
        None => (&out.method, &out.url, &out.headers),
    };
    let mut req = format!("{method} {}\n", r.redact(url.as_str()));
    for (k, v) in headers {
        // A dry run's stand-in for a profile's credentials is no secret.
        if v.starts_with("<credentials of profile ") {
            let _ = writeln!(req, "{k}: {v}");
        } else {
            let _ = writeln!(req, "{k}: {}", r.header_value(k, v));
        }
    }
    if let Some(b) = &out.body {
        let _ = write!(req, "\n{}\n", r.redact(&String::from_utf8_lossy(b)));
    }
    let resp = inc.map(|i| {
        let mut s = format!("{:?} {}\n", i.version, i.status);
        for (k, v) in &i.headers {
            let _ = writeln!(
                s,
                "{k}: {}",
                r.header_value(k.as_str(), v.to_str().unwrap_or("<binary>"))
            );
        }
        if !i.body.is_empty() {
            let _ = write!(
                s,
                "\n{}\n",
                r.redact(&excerpt(&String::from_utf8_lossy(&i.body), 4000))
            );
        }
        s
    });
    (req, resp)
}

/// How long until the next attempt of a retried request.
pub fn retry_delay(req: &RequestPlan) -> Duration {
    req.retry.map(|r| r.delay).unwrap_or_default()
}
