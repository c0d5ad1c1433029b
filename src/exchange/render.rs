//! Rendering a request plan into the bytes to send: URL, query, headers
//! (defaults, then the request's own), `basic:` and the body.

use serde_json::Value;

use crate::assertion::Failure;
use crate::exchange::Exchange;
use crate::exchange::multipart::Part;
use crate::http::Outgoing;
use crate::plan::{BodyPlan, PartPlan, RequestPlan};
use crate::template::{Scope, TemplateError};

fn template_failure(req: &RequestPlan, what: &str, e: TemplateError) -> Failure {
    let message = match &e.hint {
        Some(h) => format!("{what}: {} ({h})", e.message),
        None => format!("{what}: {}", e.message),
    };
    Failure::new("template", message, Some(&req.location))
}

/// Renders `req` into a request ready to send.
///
/// Errors: a template that does not render, a URL that is not an http(s)
/// URL.
pub(crate) fn render(ex: &Exchange, req: &RequestPlan, scope: &Scope) -> Result<Outgoing, Failure> {
    let url = url(req, scope)?;
    let mut headers = headers(ex, req, scope)?;
    let body = body(req, scope, &mut headers)?;
    Ok(Outgoing {
        method: req.method.clone(),
        url,
        headers,
        body,
        body_file: match &req.body {
            BodyPlan::File(path) => Some(path.clone()),
            _ => None,
        },
        timeout: req.timeout.unwrap_or(ex.default_timeout),
        follow_redirects: req.follow_redirects,
    })
}

/// The URL with the request's `query:` appended.
fn url(req: &RequestPlan, scope: &Scope) -> Result<url::Url, Failure> {
    let mut url = crate::exchange::target::render_url(req, scope)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Failure::new(
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
    Ok(url)
}

/// Default headers, then the request's own (replacing by name), then `basic:`.
fn headers(
    ex: &Exchange,
    req: &RequestPlan,
    scope: &Scope,
) -> Result<Vec<(String, String)>, Failure> {
    let mut headers: Vec<(String, String)> =
        Vec::with_capacity(ex.default_headers.len() + req.headers.len() + 2);
    for (k, t) in ex.default_headers.iter().chain(&req.headers) {
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
        ex.redactor.add_basic_pair(&user, &pass);
        headers.retain(|(h, _)| !h.eq_ignore_ascii_case("authorization"));
        headers.push(("Authorization".into(), basic_header(&user, &pass)));
    }
    Ok(headers)
}

/// The body, adding its `Content-Type` unless the request set one.
fn body(
    req: &RequestPlan,
    scope: &Scope,
    headers: &mut Vec<(String, String)>,
) -> Result<Option<Vec<u8>>, Failure> {
    let mut content_type = |t: &str| {
        if !headers
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".into(), t.into()));
        }
    };
    let body = match &req.body {
        BodyPlan::None => None,
        BodyPlan::Json(v) => {
            let v = v
                .render(scope)
                .map_err(|e| template_failure(req, "json", e))?;
            content_type("application/json");
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
            content_type("application/x-www-form-urlencoded");
            Some(ser.finish().into_bytes())
        }
        BodyPlan::Raw(t) => Some(
            t.render(scope)
                .map_err(|e| template_failure(req, "body", e))?
                .into_bytes(),
        ),
        // Streamed from the file when sent (see `Outgoing::body_file`).
        BodyPlan::File(_) => {
            content_type("application/octet-stream");
            None
        }
        BodyPlan::Multipart(fields) => {
            let (ct, bytes) = multipart(req, fields, scope)?;
            headers.retain(|(h, _)| !h.eq_ignore_ascii_case("content-type"));
            headers.push(("Content-Type".into(), ct));
            Some(bytes)
        }
    };
    Ok(body)
}

/// A `multipart:` body: text fields rendered, files read.
fn multipart(
    req: &RequestPlan,
    fields: &[(String, PartPlan)],
    scope: &Scope,
) -> Result<(String, Vec<u8>), Failure> {
    let mut parts = Vec::with_capacity(fields.len());
    for (name, p) in fields {
        let part = match p {
            PartPlan::Text(t) => Part::Text(
                t.render(scope)
                    .map_err(|e| template_failure(req, &format!("multipart {name}"), e))?,
            ),
            PartPlan::File {
                path,
                content_type,
                filename,
            } => Part::File {
                path,
                content_type: content_type.as_deref(),
                filename: filename.as_deref(),
            },
        };
        parts.push((name.clone(), part));
    }
    super::multipart::encode(&parts).map_err(|e| Failure::new("multipart", e, Some(&req.location)))
}

/// `Basic base64(user:pass)`, RFC 7617.
pub(crate) fn basic_header(user: &str, pass: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// Query and form values: scalars as text, lists repeat the key.
pub(crate) fn flatten(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(flatten).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Null => vec![String::new()],
        other => vec![other.to_string()],
    }
}
