//! A request and its response as text, for `--verbose`, masked by the
//! run's redactor before anything is cut.

use crate::http::{Incoming, Outgoing};
use crate::secret::Redactor;

/// `request` and `response` as text, for `--verbose`.
pub fn exchange_text(
    redactor: &Redactor,
    out: &Outgoing,
    inc: Option<&Incoming>,
) -> (String, Option<String>) {
    use std::fmt::Write as _;
    let r = redactor;
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
                crate::text::excerpt(&r.redact(&String::from_utf8_lossy(&i.body)), 4000)
            );
        }
        s
    });
    (req, resp)
}
