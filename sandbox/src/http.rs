//! Small request-parsing helpers shared by the vendor flows.
//!
//! Parsing is strict on purpose: a malformed `Authorization` header is a
//! missing one, so a client bug shows up as the vendor's 401 instead of
//! being papered over.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// What an `Authorization` header carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Basic base64(user:password)`.
    Basic { user: String, password: String },
    /// `Bearer TOKEN`.
    Bearer(String),
    /// Any other value, kept verbatim (e.g. Crisisworks' bare token, PS-Auth).
    Other(String),
}

/// Reads a header as UTF-8 text, `None` when absent or not text.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Parses the `Authorization` header; `None` when absent or empty.
pub fn credentials(headers: &HeaderMap) -> Option<Credentials> {
    let raw = header_str(headers, header::AUTHORIZATION.as_str())?.trim();
    if raw.is_empty() {
        return None;
    }
    let (scheme, rest) = raw.split_once(' ').unwrap_or((raw, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        return match decoded.as_deref().and_then(|d| d.split_once(':')) {
            Some((user, password)) => Some(Credentials::Basic {
                user: user.to_string(),
                password: password.to_string(),
            }),
            None => Some(Credentials::Other(raw.to_string())),
        };
    }
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        return Some(Credentials::Bearer(rest.to_string()));
    }
    Some(Credentials::Other(raw.to_string()))
}

/// Value of cookie `name` from the `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// True when there is exactly one `Content-Type` and its media type is
/// `expected` (parameters such as `charset` allowed).
pub fn content_type_is(headers: &HeaderMap, expected: &str) -> bool {
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(expected))
}

/// A JSON response with `status`.
pub fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A plain-text response with `status`.
pub fn text(status: StatusCode, body: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// Adds a header to a response.
pub fn with_header(mut response: Response, name: header::HeaderName, value: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().append(name, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn parses_authorization() {
        let h = headers(&[("authorization", "Basic YTpiOmM=")]);
        assert_eq!(
            credentials(&h),
            Some(Credentials::Basic {
                user: "a".into(),
                password: "b:c".into()
            })
        );
        let h = headers(&[("authorization", "Bearer  t0k ")]);
        assert_eq!(credentials(&h), Some(Credentials::Bearer("t0k".into())));
        let h = headers(&[("authorization", "t0k")]);
        assert_eq!(credentials(&h), Some(Credentials::Other("t0k".into())));
        assert_eq!(credentials(&HeaderMap::new()), None);
    }

    #[test]
    fn parses_cookies_and_content_type() {
        let h = headers(&[
            ("cookie", "a=1; ASP.NET_SessionId=xyz"),
            ("content-type", "application/json;charset=UTF-8"),
        ]);
        assert_eq!(cookie(&h, "ASP.NET_SessionId").as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, "b"), None);
        assert!(content_type_is(&h, "application/json"));
        assert!(!content_type_is(&h, "text/plain"));
    }
}
