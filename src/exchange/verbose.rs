//! A request and its response as text, for `--verbose`, masked by the
//! run's redactor before anything is cut, and escaped for the terminal.

use std::fmt::Write as _;

use crate::http::{Incoming, Outgoing};
use crate::secret::Redactor;
use crate::text::printable;

/// The most of a response body `--verbose` shows, in characters.
const BODY_SHOWN: usize = 4000;

/// `request` and `response` as text, for `--verbose`.
pub(crate) fn exchange_text(
    redactor: &Redactor,
    out: &Outgoing,
    inc: Option<&Incoming>,
) -> (String, Option<String>) {
    let req = request_text(redactor, out, inc);
    let resp = inc.map(|i| response_text(redactor, i));
    (
        printable(&req).into_owned(),
        resp.map(|r| printable(&r).into_owned()),
    )
}

fn request_text(r: &Redactor, out: &Outgoing, inc: Option<&Incoming>) -> String {
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
    req
}

/// Status line, headers, a note when the body was compressed, the body as
/// text in its charset.
fn response_text(r: &Redactor, i: &Incoming) -> String {
    let mut s = format!("{:?} {}\n", i.version, i.status);
    for (k, v) in &i.headers {
        let v = crate::http::content::header_text(v.as_bytes());
        let _ = writeln!(s, "{k}: {}", r.header_value(k.as_str(), &v));
    }
    if let Some(note) = i.coding.note() {
        let _ = writeln!(s, "{note}");
    }
    if !i.body.is_empty() {
        let _ = write!(
            s,
            "\n{}\n",
            crate::text::excerpt(&r.redact(i.text()), BODY_SHOWN)
        );
    }
    s
}
