//! Sends one request, following redirects in our own loop: reqwest strips
//! only a fixed set of standard headers on a cross-host redirect, while a
//! profile's credentials (custom headers, query parameters, cookies) must
//! reach nothing outside its hosts.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::http::content::{self, Coding};
use crate::http::{Jar, Origin, same_origin};

/// Redirects followed at most, as DESIGN.md says.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Headers never carried to another origin on a redirect.
const CROSS_ORIGIN_STRIPPED: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// A rendered request, ready to send.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    pub method: Method,
    pub url: Url,
    /// Defaults and the request's own headers, the request's last.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// `body: { file: }`: the body is this file, streamed (re-read on a
    /// redirect that keeps the body).
    pub body_file: Option<std::path::PathBuf>,
    pub timeout: Duration,
    pub follow_redirects: bool,
}

/// What a profile adds to each request it covers.
pub(crate) struct Credentials<'a> {
    pub headers: &'a [(String, String)],
    pub query: &'a [(String, String)],
    /// Origins that may receive the credentials; `None` = any.
    pub hosts: Option<&'a [Origin]>,
}

impl Credentials<'_> {
    pub(crate) fn allowed(&self, url: &Url) -> bool {
        self.hosts.is_none_or(|h| h.iter().any(|o| o.matches(url)))
    }
}

/// A response, read to the end.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub status: StatusCode,
    pub version: reqwest::Version,
    pub headers: HeaderMap,
    /// The body with its content codings undone (see [`Incoming::coding`]).
    pub body: Vec<u8>,
    /// How the body came over the wire.
    pub coding: Coding,
    /// The body as text, decoded once on first use (see [`Incoming::text`]).
    pub text: std::sync::OnceLock<String>,
    /// The body's whole size when it was larger than `--max-body`: `body`
    /// then holds only its first bytes.
    pub body_cut: Option<u64>,
    pub duration: Duration,
    /// The last request sent (after redirects), as sent.
    pub method: Method,
    pub url: Url,
    pub request_headers: Vec<(String, String)>,
    /// Every `Set-Cookie` of every hop.
    pub set_cookies: Vec<String>,
}

impl Incoming {
    /// The body as text, in the charset of its `Content-Type`, decoded
    /// once for every reader. A body whose coding could not be undone is
    /// described, never shown as text.
    pub(crate) fn text(&self) -> &str {
        self.text.get_or_init(|| match &self.coding {
            Coding::Undecodable { coding, .. } => {
                format!("<{} bytes, {coding}-encoded, not decoded>", self.body.len())
            }
            _ => content::text(&self.headers, &self.body),
        })
    }

    /// Every value of the header `name`, in the order received.
    pub(crate) fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| content::header_text(v.as_bytes()))
            .collect()
    }
}

/// Sends `out`, adding `creds` where allowed. Cookies go to and come from
/// `jar`, the jar of whoever the request runs as (its profile, or its file
/// for a request without one): its `Cookie` header comes from that jar only.
pub(crate) async fn send(
    client: &reqwest::Client,
    out: &Outgoing,
    creds: Option<&Credentials<'_>>,
    jar: &Jar,
) -> Result<Incoming, String> {
    let start = Instant::now();
    let stopwatch = crate::clock::Stopwatch::start();
    let mut method = out.method.clone();
    let mut url = out.url.clone();
    let mut body = out.body.clone();
    let mut body_file = out.body_file.clone();
    let mut set_cookies = Vec::new();
    for hop in 0..=MAX_REDIRECTS {
        let cross_origin = hop > 0 && !same_origin(&url, &out.url);
        let (hop_url, headers) = hop_request(out, &url, cross_origin, creds, jar);
        let remaining = out.timeout.saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(format!(
                "timed out after {}",
                crate::text::duration(out.timeout)
            ));
        }
        let builder = client
            .request(method.clone(), hop_url.clone())
            .timeout(remaining)
            .headers(header_map(&headers)?);
        let builder = with_body(builder, body.as_ref(), body_file.as_deref()).await?;
        let resp = builder
            .send()
            .await
            .map_err(|e| transport_error(&e, out.timeout))?;
        let status = resp.status();
        let version = resp.version();
        let resp_headers = resp.headers().clone();
        let hop_cookies: Vec<String> = resp_headers
            .get_all("set-cookie")
            .iter()
            .map(|v| content::header_text(v.as_bytes()))
            .collect();
        jar.store(hop_cookies.iter().map(String::as_str), &url);
        set_cookies.extend(hop_cookies);
        let location = resp_headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .and_then(|l| url.join(l).ok());
        match location {
            Some(next) if out.follow_redirects && status.is_redirection() => {
                drop(resp);
                let to_get = status == StatusCode::SEE_OTHER && method != Method::HEAD
                    || matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                        && method == Method::POST;
                if to_get {
                    method = Method::GET;
                    body = None;
                    body_file = None;
                }
                url = next;
            }
            _ => {
                let capped = super::body::read_capped(resp, super::body::max_body())
                    .await
                    .map_err(|e| transport_error(&e, out.timeout))?;
                let (body, coding) = content::decode(&resp_headers, capped.bytes);
                let sent = Sent {
                    method,
                    url: hop_url,
                    headers,
                    set_cookies,
                };
                let mut inc =
                    incoming(status, version, resp_headers, body, coding, stopwatch, sent);
                inc.body_cut = capped.cut_from;
                return Ok(inc);
            }
        }
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// `builder` with the request's body: bytes, or a file streamed with its
/// length (not chunked: many upload endpoints refuse chunked bodies).
async fn with_body(
    builder: reqwest::RequestBuilder,
    body: Option<&Vec<u8>>,
    body_file: Option<&std::path::Path>,
) -> Result<reqwest::RequestBuilder, String> {
    Ok(match (body, body_file) {
        (Some(b), _) => builder.body(b.clone()),
        (None, Some(path)) => {
            let (file, len) = file_body(path).await?;
            builder
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(file)
        }
        (None, None) => builder,
    })
}

/// What went out on the last hop, for the response's record.
struct Sent {
    method: Method,
    url: Url,
    headers: Vec<(String, String)>,
    set_cookies: Vec<String>,
}

fn incoming(
    status: StatusCode,
    version: reqwest::Version,
    headers: HeaderMap,
    body: Vec<u8>,
    coding: Coding,
    stopwatch: crate::clock::Stopwatch,
    sent: Sent,
) -> Incoming {
    Incoming {
        status,
        version,
        headers,
        body,
        coding,
        text: std::sync::OnceLock::new(),
        body_cut: None,
        duration: stopwatch.elapsed(),
        method: sent.method,
        url: sent.url,
        request_headers: sent.headers,
        set_cookies: sent.set_cookies,
    }
}

/// The bytes of `path` as a streamed body, and their length.
async fn file_body(path: &std::path::Path) -> Result<(reqwest::Body, u64), String> {
    let cannot = |e: std::io::Error| format!("cannot read `{}`: {e}", path.display());
    let file = tokio::fs::File::open(path).await.map_err(cannot)?;
    let len = file.metadata().await.map_err(cannot)?.len();
    Ok((reqwest::Body::from(file), len))
}

/// The URL and headers of one hop: the profile's query parameters and
/// headers where allowed (a request's own of the same name win), the
/// cookies of `jar`, and `Accept-Encoding` unless the request set its own.
fn hop_request(
    out: &Outgoing,
    url: &Url,
    cross_origin: bool,
    creds: Option<&Credentials<'_>>,
    jar: &Jar,
) -> (Url, Vec<(String, String)>) {
    // A profile without `hosts` may be sent to any origin the request
    // names, but a redirect the server chooses must not carry it elsewhere.
    let allowed = creds.filter(|c| c.allowed(url) && (c.hosts.is_some() || !cross_origin));
    let mut hop_url = url.clone();
    if let Some(c) = allowed
        && !c.query.is_empty()
    {
        let own: Vec<String> = hop_url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        let mut pairs = hop_url.query_pairs_mut();
        for (k, v) in c.query.iter().filter(|(k, _)| !own.contains(k)) {
            pairs.append_pair(k, v);
        }
    }
    let mut headers: Vec<(String, String)> = out
        .headers
        .iter()
        .filter(|(k, _)| {
            !(cross_origin && CROSS_ORIGIN_STRIPPED.contains(&k.to_ascii_lowercase().as_str()))
        })
        .cloned()
        .collect();
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name))
    };
    if let Some(c) = allowed {
        for (k, v) in c.headers {
            if !has(&headers, k) {
                headers.push((k.clone(), v.clone()));
            }
        }
    }
    // A profile's jar holds its credentials: never sent outside its hosts.
    let cookie = (creds.is_none() || allowed.is_some())
        .then(|| jar.header(url))
        .flatten();
    if let Some(c) = cookie
        && !has(&headers, "cookie")
    {
        headers.push(("Cookie".into(), c));
    }
    if !has(&headers, "accept-encoding") {
        headers.push(("Accept-Encoding".into(), content::ACCEPT_ENCODING.into()));
    }
    (hop_url, headers)
}

fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (k, v) in headers {
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| format!("invalid header name `{k}`"))?;
        let value = HeaderValue::from_str(v).map_err(|_| {
            format!("invalid value for header `{k}` (control characters or non-ASCII)")
        })?;
        map.append(name, value);
    }
    Ok(map)
}

fn transport_error(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("timed out after {}", crate::text::duration(timeout));
    }
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg = format!("{msg}: {text}");
        }
        source = s.source();
    }
    msg
}
