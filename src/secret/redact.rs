//! Masking every secret value seen in the run, at the output boundary.
//!
//! Secrets reach output in forms other than the one the user typed: inside a
//! form body or query string (URL-encoded), inside a JSON body
//! (string-escaped), inside an `Authorization: Basic` header (base64 of
//! `user:password`). [`Redactor::add`] registers each value with its derived
//! forms, and [`Redactor::redact`] replaces all of them, so console lines,
//! verbose dumps, reports, error messages and `curl` export can pass any
//! text through one call without knowing what was secret.
//!
//! Matching uses one Aho-Corasick automaton over all registered forms, rebuilt
//! lazily on the first `redact` after new values arrive. The common case
//! (thousands of calls, no new secret) costs a read lock, an `Arc` clone and
//! one linear scan. Matches may overlap (two secrets sharing a substring); the
//! union of all matched ranges is masked, so no part of any secret is left
//! visible between two masks.
//!
//! Trade-off on short values: a secret of one or two characters is still
//! masked everywhere it occurs, even inside unrelated words. That can mangle
//! output, but a redactor that silently skips some secrets would leak them;
//! mangled output is the visible, safe failure.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Arc, PoisonError, RwLock};

use aho_corasick::AhoCorasick;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// What every masked value is replaced with.
pub const MASK: &str = "***";

/// Header names whose values are always masked, lowercase. DESIGN.md lists
/// the first five; `proxy-authorization` carries the same credentials as
/// `authorization`, and the API-key names are the common places a static
/// key travels.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "set-cookie",
    "totp-auth",
    "ps-auth",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "x-auth-token",
];

/// Holds every secret value seen in the run; thread-safe (all methods take
/// `&self`; share it in an `Arc`).
pub struct Redactor {
    show_secrets: bool,
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    /// Every registered form, deduplicated.
    patterns: BTreeSet<String>,
    /// The automaton for `patterns`; `None` when a value was added since the
    /// last build (or nothing was ever added).
    matcher: Option<Arc<Matcher>>,
}

/// The compiled patterns. Building an automaton fails only past its size
/// limits; then the plain substring search still masks every pattern.
enum Matcher {
    Automaton(AhoCorasick),
    Plain(Vec<String>),
}

impl Redactor {
    pub fn new(show_secrets: bool) -> Self {
        Redactor {
            show_secrets,
            state: RwLock::new(State::default()),
        }
    }

    /// True when `--show-secrets` turned masking off.
    pub fn show_secrets(&self) -> bool {
        self.show_secrets
    }

    /// Registers a value to mask, with its URL-encoded forms (form encoding
    /// with `+` or `%20` for spaces, and what a URL parser leaves of a raw
    /// value in a query or path) and its JSON-string-escaped form. Empty strings are ignored;
    /// short values are still masked (see the module docs).
    pub fn add(&self, value: &str) {
        if value.is_empty() {
            return;
        }
        let forms = derived_forms(value);
        {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            if forms.iter().all(|form| state.patterns.contains(form)) {
                return;
            }
        }
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        for form in forms {
            if state.patterns.insert(form) {
                state.matcher = None;
            }
        }
    }

    /// Registers every string and number inside `value` (a captured JSON
    /// value: a token, or an object holding tokens).
    pub fn add_value(&self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.add(s),
            Value::Number(n) => self.add(&n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| self.add_value(i)),
            Value::Object(m) => m.values().for_each(|i| self.add_value(i)),
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Registers `password` and the base64 of `user:password`, the form
    /// that travels in an `Authorization: Basic` header. The user name alone
    /// is not registered: it is usually not secret (add it when it is).
    pub fn add_basic_pair(&self, user: &str, password: &str) {
        self.add(password);
        self.add(&STANDARD.encode(format!("{user}:{password}")));
    }

    /// Replaces every registered value in `text` with [`MASK`]. Overlapping
    /// and adjacent matches become one mask. Borrows when nothing matched.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.show_secrets || text.is_empty() {
            return Cow::Borrowed(text);
        }
        let Some(matcher) = self.matcher() else {
            return Cow::Borrowed(text);
        };
        let spans = merge(matcher.spans(text));
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in spans {
            out.push_str(&text[last..start]);
            out.push_str(MASK);
            last = end;
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    /// True for headers whose value is always masked, whatever it is:
    /// `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`,
    /// `totp-auth`, `PS-Auth`, `X-Api-Key`, `Api-Key`, `X-Auth-Token`.
    /// Case-insensitive.
    pub fn is_sensitive_header(name: &str) -> bool {
        SENSITIVE_HEADERS
            .iter()
            .any(|sensitive| name.eq_ignore_ascii_case(sensitive))
    }

    /// A header value fit for output. Sensitive headers are masked while
    /// keeping what helps debugging and is not secret: the scheme of an
    /// authorization header (`Bearer ***`), cookie names (`sid=***`) and
    /// `Set-Cookie` attributes. Other headers go through [`Self::redact`].
    pub fn header_value<'a>(&self, name: &str, value: &'a str) -> Cow<'a, str> {
        if self.show_secrets {
            return Cow::Borrowed(value);
        }
        if !Self::is_sensitive_header(name) {
            return self.redact(value);
        }
        let lower = name.to_ascii_lowercase();
        let masked = match lower.as_str() {
            "authorization" | "proxy-authorization" => mask_credentials(value),
            "cookie" => mask_cookie_pairs(value),
            "set-cookie" => mask_set_cookie(value),
            _ => None,
        };
        match masked {
            // The kept parts (scheme, names, attributes) could still hold a
            // registered value: mask those too.
            Some(text) => Cow::Owned(self.redact(&text).into_owned()),
            None => Cow::Borrowed(MASK),
        }
    }

    /// The automaton for the current patterns, built if stale; `None` when
    /// nothing is registered.
    fn matcher(&self) -> Option<Arc<Matcher>> {
        {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            if state.patterns.is_empty() {
                return None;
            }
            if let Some(matcher) = &state.matcher {
                return Some(Arc::clone(matcher));
            }
        }
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(matcher) = &state.matcher {
            return Some(Arc::clone(matcher));
        }
        let matcher = Arc::new(Matcher::build(&state.patterns));
        state.matcher = Some(Arc::clone(&matcher));
        Some(matcher)
    }
}

impl Matcher {
    fn build(patterns: &BTreeSet<String>) -> Matcher {
        match AhoCorasick::new(patterns) {
            Ok(automaton) => Matcher::Automaton(automaton),
            Err(_) => Matcher::Plain(patterns.iter().cloned().collect()),
        }
    }

    /// Every match as a byte range, overlapping ones included, unsorted.
    fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        match self {
            Matcher::Automaton(automaton) => automaton
                .find_overlapping_iter(text)
                .map(|found| (found.start(), found.end()))
                .collect(),
            Matcher::Plain(patterns) => {
                let mut spans = Vec::new();
                for pattern in patterns {
                    let mut from = 0;
                    while let Some(at) = text.get(from..).and_then(|rest| rest.find(pattern)) {
                        let start = from + at;
                        spans.push((start, start + pattern.len()));
                        // Step one char, not one match: overlapping matches count.
                        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
                    }
                }
                spans
            }
        }
    }
}

/// Sorts ranges and joins those that overlap or touch.
fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The value and the forms it takes inside URLs, form bodies and JSON.
fn derived_forms(value: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    // `byte_serialize` writes a space as `+` and a literal `+` as `%2B`, so
    // swapping `+` yields the percent-encoding used in paths and by curl.
    let percent = form.replace('+', "%20");
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or_default()
        .to_string();
    let mut forms = vec![
        value.to_string(),
        form,
        percent,
        json,
        // What `Url::parse` leaves of a value pasted raw into a URL template.
        percent_encode_some(value, b" \"<>'"),
        percent_encode_some(value, b" \"<>`{}?"),
    ];
    forms.retain(|form| !form.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

/// Percent-encodes controls, non-ASCII bytes and `extra`, as a URL parser
/// does to a query (`extra` = space `"` `<` `>` `'`) or a path (space `"`
/// `<` `>` `` ` `` `{` `}` `?`) written without encoding.
fn percent_encode_some(value: &str, extra: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if !(0x20..0x7f).contains(&byte) || extra.contains(&byte) {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(char::from(byte));
        }
    }
    out
}

/// `Bearer abc` → `Bearer ***`; `None` (mask all) when there is no scheme word.
fn mask_credentials(value: &str) -> Option<String> {
    let (scheme, rest) = value.trim_start().split_once(' ')?;
    let is_scheme = !scheme.is_empty()
        && scheme.len() <= 32
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (is_scheme && !rest.trim().is_empty()).then(|| format!("{scheme} {MASK}"))
}

/// `a=1; b=2` → `a=***; b=***`.
fn mask_cookie_pairs(value: &str) -> Option<String> {
    let pairs: Vec<String> = value
        .split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => format!("{}={MASK}", name.trim()),
            None => MASK.to_string(),
        })
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

/// `sid=abc; Path=/; HttpOnly` → `sid=***; Path=/; HttpOnly`: only the first
/// pair is the cookie, the rest are attributes.
fn mask_set_cookie(value: &str) -> Option<String> {
    let (cookie, attributes) = match value.split_once(';') {
        Some((cookie, attributes)) => (cookie, Some(attributes)),
        None => (value, None),
    };
    let (name, _) = cookie.split_once('=')?;
    let mut out = format!("{}={MASK}", name.trim());
    if let Some(attributes) = attributes {
        out.push(';');
        out.push_str(attributes);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
