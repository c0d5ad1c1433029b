//! Sends one request, following redirects in our own loop: reqwest strips
//! only a fixed set of standard headers on a cross-host redirect, while a
//! profile's credentials (custom headers, query parameters, cookies) must
//! reach nothing outside its hosts.

use std::time::{Duration, Instant};

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::http::{Origin, same_origin};

/// Redirects followed at most, as DESIGN.md says.
pub const MAX_REDIRECTS: usize = 10;

/// Headers never carried to another origin on a redirect.
const CROSS_ORIGIN_STRIPPED: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// A rendered request, ready to send.
#[derive(Clone, Debug)]
pub struct Outgoing {
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
pub struct Credentials<'a> {
    pub headers: &'a [(String, String)],
    pub query: &'a [(String, String)],
    /// The cookies the login steps received, when `apply: cookies: true`.
    pub cookies: Option<&'a Jar>,
    /// Origins that may receive the credentials; `None` = any.
    pub hosts: Option<&'a [Origin]>,
}

impl Credentials<'_> {
    pub fn allowed(&self, url: &Url) -> bool {
        self.hosts.is_none_or(|h| h.iter().any(|o| o.matches(url)))
    }
}

/// A response, read to the end.
#[derive(Debug)]
pub struct Incoming {
    pub status: StatusCode,
    pub version: reqwest::Version,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub duration: Duration,
    /// The last request sent (after redirects), as sent.
    pub method: Method,
    pub url: Url,
    pub request_headers: Vec<(String, String)>,
    /// Every `Set-Cookie` of every hop.
    pub set_cookies: Vec<String>,
}

/// Sends `out`, adding `creds` where allowed; cookies go to and come from `jar`.
#[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
pub async fn send(
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
        // A profile without `hosts` may be sent to any origin the request
        // names, but a redirect the server chooses must not carry it elsewhere.
        let allowed = creds.filter(|c| c.allowed(&url) && (c.hosts.is_some() || !cross_origin));
        let mut hop_url = url.clone();
        if let Some(c) = allowed
            && !c.query.is_empty()
        {
            let mut pairs = hop_url.query_pairs_mut();
            for (k, v) in c.query {
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
        if let Some(c) = allowed {
            for (k, v) in c.headers {
                if !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
                    headers.push((k.clone(), v.clone()));
                }
            }
        }
        let mut cookie = jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_string));
        if let Some(profile_jar) = allowed.and_then(|c| c.cookies)
            && let Some(pc) = profile_jar.cookies(&url)
            && let Ok(pc) = pc.to_str()
        {
            cookie = Some(match cookie {
                Some(c) => format!("{c}; {pc}"),
                None => pc.to_string(),
            });
        }
        if let Some(c) = cookie
            && !headers
                .iter()
                .any(|(h, _)| h.eq_ignore_ascii_case("cookie"))
        {
            headers.push(("Cookie".into(), c));
        }
        let remaining = out.timeout.saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(format!(
                "timed out after {}",
                crate::text::duration(out.timeout)
            ));
        }
        let mut builder = client
            .request(method.clone(), hop_url.clone())
            .timeout(remaining)
            .headers(header_map(&headers)?);
        if let Some(b) = &body {
            builder = builder.body(b.clone());
        } else if let Some(path) = &body_file {
            // A known length, not chunked: many upload endpoints refuse
            // chunked bodies.
            let (file, len) = file_body(path).await?;
            builder = builder
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(file);
        }
        let resp = builder
            .send()
            .await
            .map_err(|e| transport_error(&e, out.timeout))?;
        let status = resp.status();
        let version = resp.version();
        let resp_headers = resp.headers().clone();
        let hop_cookies: Vec<&HeaderValue> = resp_headers.get_all("set-cookie").iter().collect();
        if !hop_cookies.is_empty() {
            jar.set_cookies(&mut hop_cookies.iter().copied(), &url);
            if let Some(profile_jar) = allowed.and_then(|c| c.cookies) {
                profile_jar.set_cookies(&mut hop_cookies.iter().copied(), &url);
            }
            set_cookies.extend(
                hop_cookies
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_string)),
            );
        }
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
                let bytes = resp
                    .bytes()
                    .await
                    .map_err(|e| transport_error(&e, out.timeout))?;
                return Ok(Incoming {
                    status,
                    version,
                    headers: resp_headers,
                    body: bytes.to_vec(),
                    duration: stopwatch.elapsed(),
                    method,
                    url: hop_url,
                    request_headers: headers,
                    set_cookies,
                });
            }
        }
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// The bytes of `path` as a streamed body, and their length.
async fn file_body(path: &std::path::Path) -> Result<(reqwest::Body, u64), String> {
    let cannot = |e: std::io::Error| format!("cannot read `{}`: {e}", path.display());
    let file = tokio::fs::File::open(path).await.map_err(cannot)?;
    let len = file.metadata().await.map_err(cannot)?.len();
    Ok((reqwest::Body::from(file), len))
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
