//! A request's URL, rendered and checked so that no part of it is lost
//! silently: URL parsers drop a fragment (`#…`, never sent), tabs and line
//! breaks, and resolve `.`/`..` segments away. When a rendered value would
//! make any of that happen, the request fails naming the value, instead of
//! going to a shorter URL than the one written.

use url::Url;

use crate::assertion::Failure;
use crate::plan::RequestPlan;
use crate::template::Scope;

/// The URL of `req` in `scope`, parsed and checked.
pub(crate) fn render_url(req: &RequestPlan, scope: &Scope) -> Result<Url, Failure> {
    let fail = |message: String| Failure::new("url", message, Some(&req.location));
    if let Some(u) = &req.static_url {
        return match u.fragment() {
            Some(f) => Err(fail(format!(
                "`{u}` has a fragment `#{f}`, which is never sent"
            ))),
            None => Ok(u.clone()),
        };
    }
    let text = req.url.render(scope).map_err(|e| {
        let message = match &e.hint {
            Some(h) => format!("url: {} ({h})", e.message),
            None => format!("url: {}", e.message),
        };
        Failure::new("template", message, Some(&req.location))
    })?;
    let text = text.trim();
    if let Some(loss) = lost_part(text) {
        let culprit = culprit(req, scope, loss.needle)
            .map(|(name, value)| format!("; `{name}` is `{}`", visible(&value)))
            .unwrap_or_default();
        return Err(fail(format!(
            "`{}` would not be sent as written: {}{culprit}; encode a value placed in a path with `urlencode_component`",
            visible(text),
            loss.what
        )));
    }
    Url::parse(text).map_err(|e| fail(format!("`{text}` is not a valid URL: {e}")))
}

/// `text` on one line: tabs and line breaks written as `\t`, `\n`, `\r`.
fn visible(text: &str) -> String {
    text.replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// A part of a URL the parser would drop.
struct Loss {
    what: String,
    /// What to look for in the values the URL reads.
    needle: fn(&str) -> bool,
}

/// What parsing `text` would lose, if anything.
fn lost_part(text: &str) -> Option<Loss> {
    if let Some(at) = text.find('#') {
        return Some(Loss {
            what: format!("`{}` is a fragment, never sent", &text[at..]),
            needle: |v| v.contains('#'),
        });
    }
    if text.contains(['\t', '\n', '\r']) {
        return Some(Loss {
            what: "tabs and line breaks are removed from a URL".into(),
            needle: |v| v.contains(['\t', '\n', '\r']),
        });
    }
    let path = text
        .split_once("://")
        .map_or(text, |(_, rest)| rest)
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    if path.split('/').skip(1).any(is_dot_segment) {
        return Some(Loss {
            what: "a `.` or `..` segment is resolved away with the segment before it".into(),
            needle: |v| v.split('/').any(is_dot_segment),
        });
    }
    None
}

/// `.` and `..`, also percent-encoded, as URL parsers read them.
fn is_dot_segment(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase().replace("%2e", ".");
    s == "." || s == ".."
}

/// The first variable the URL reads (by dotted name) whose text matches.
fn culprit(req: &RequestPlan, scope: &Scope, needle: fn(&str) -> bool) -> Option<(String, String)> {
    req.url.nested_names().into_iter().find_map(|name| {
        let mut parts = name.split('.');
        let mut value = scope.get(parts.next()?)?.clone();
        for part in parts {
            value = value.get_attr(part).ok()?;
        }
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        needle(&text).then_some((name, text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(text: &str) -> Option<String> {
        lost_part(text).map(|l| l.what)
    }

    #[test]
    fn every_lost_part_is_found() {
        assert_eq!(
            what("http://h/items/aaa/bbb#ccc").as_deref(),
            Some("`#ccc` is a fragment, never sent")
        );
        assert!(what("http://h/a#").is_some());
        assert!(what("http://h/a\tb").is_some());
        assert!(what("http://h/items/../admin").is_some());
        assert!(what("http://h/items/%2E%2e/admin").is_some());
        assert!(what("http://h/items/./x").is_some());
        assert_eq!(what("http://h/items/a.b/..c?x=../y"), None);
        assert_eq!(what("http://h/"), None);
    }
}
