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
//! Only secret material is registered (secret values, login captures,
//! cookies received by login steps, TOTP codes, `basic:` pairs and their
//! base64, the credential after a known scheme in an applied
//! `Authorization`): never an ordinary applied value such as `X-Site`.
//! Each value becomes one regular expression matching every form it travels
//! in (see `pattern`), so a server that percent-encodes some reserved
//! characters and not others, or escapes `/` in JSON, still gets masked.
//! A value shorter than [`MIN_FREE_TEXT`] characters is masked only where it
//! is a whole field: a header value, a query value.
//!
//! Finding them: each value's longest run of letters and digits travels
//! unchanged in every encoding, so one Aho-Corasick automaton over those
//! anchors says which values may occur in a text; only their expressions
//! run (each compiled once, on first sight). Overlapping matches count; the
//! union of all matched ranges is masked, so no part of any secret is left
//! visible between two masks. The automaton is rebuilt lazily on the first
//! `redact` after new values arrive.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

mod matcher;
mod pattern;

use matcher::Matcher;

/// What every masked value is replaced with.
pub(crate) const MASK: &str = "***";

/// The fewest characters a secret needs to be masked inside free text;
/// shorter ones are masked only as a whole field.
pub(crate) const MIN_FREE_TEXT: usize = 4;

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
pub(crate) struct Redactor {
    show_secrets: bool,
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    /// Values masked wherever they occur.
    free: BTreeSet<String>,
    /// Values shorter than [`MIN_FREE_TEXT`]: masked only as a whole field.
    short: BTreeSet<String>,
    /// The matcher for both sets; `None` when a value was added since the
    /// last build.
    matcher: Option<Arc<Matcher>>,
    /// Each value's compiled expression, kept across rebuilds.
    compiled: matcher::Cache,
}

impl Redactor {
    pub(crate) fn new(show_secrets: bool) -> Self {
        Redactor {
            show_secrets,
            state: RwLock::new(State::default()),
        }
    }

    /// True when `--show-secrets` turned masking off.
    pub(crate) fn show_secrets(&self) -> bool {
        self.show_secrets
    }

    /// Registers one piece of secret material, matched in every form it
    /// travels in. Empty strings are ignored; values shorter than
    /// [`MIN_FREE_TEXT`] characters are masked only as whole fields.
    pub(crate) fn add(&self, value: &str) {
        if value.is_empty() {
            return;
        }
        let short = value.chars().count() < MIN_FREE_TEXT;
        {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            let set = if short { &state.short } else { &state.free };
            if set.contains(value) {
                return;
            }
        }
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let set = if short {
            &mut state.short
        } else {
            &mut state.free
        };
        if set.insert(value.to_string()) {
            state.matcher = None;
        }
        // A value read with surrounding blanks travels trimmed as often.
        let trimmed = value.trim();
        if trimmed != value {
            drop(state);
            self.add(trimmed);
        }
    }

    /// Registers a secret value: the value, and its base64 (standard and
    /// URL-safe), the form a template's `b64encode` gives it.
    pub(crate) fn add_secret(&self, value: &str) {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        self.add(value);
        if value.chars().count() >= MIN_FREE_TEXT {
            self.add(&STANDARD.encode(value));
            self.add(&URL_SAFE_NO_PAD.encode(value));
        }
    }

    /// Registers every string and number inside `value` (a captured JSON
    /// value: a token, or an object holding tokens).
    pub(crate) fn add_value(&self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.add(s),
            Value::Number(n) => self.add(&n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| self.add_value(i)),
            Value::Object(m) => m.values().for_each(|i| self.add_value(i)),
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Registers a `basic:` pair: the user, the password and the base64 of
    /// `user:password`, as sent in an `Authorization: Basic` header (also
    /// with both parts form-encoded first, as OAuth 2.0 client
    /// authentication does).
    pub(crate) fn add_basic_pair(&self, user: &str, password: &str) {
        self.add(user);
        self.add(password);
        self.add(&STANDARD.encode(format!("{user}:{password}")));
        let form = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        self.add(&STANDARD.encode(format!("{}:{}", form(user), form(password))));
    }

    /// Registers the credential in an applied credential header's value,
    /// split only at a known scheme: `Bearer T` → `T`; `Basic B` → `B` and
    /// the password inside it; `PS-Auth key=K; runas=U; pwd=[P];` → `K` and
    /// `P`; any other value whole.
    pub(crate) fn add_credential(&self, value: &str) {
        let value = value.trim();
        let (scheme, rest) = value.split_once(' ').unwrap_or(("", value));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            self.add(rest);
        } else if scheme.eq_ignore_ascii_case("basic") {
            self.add(rest);
            let decoded = STANDARD.decode(rest).ok();
            let pair = decoded.as_deref().and_then(|d| std::str::from_utf8(d).ok());
            if let Some((user, password)) = pair.and_then(|p| p.split_once(':')) {
                self.add_basic_pair(user, password);
            }
        } else if scheme.eq_ignore_ascii_case("ps-auth") {
            for part in rest.split(';').map(str::trim) {
                match part.split_once('=') {
                    Some(("key", v)) => self.add(v.trim()),
                    Some(("pwd", v)) => {
                        self.add(v.trim().trim_start_matches('[').trim_end_matches(']'))
                    }
                    _ => {}
                }
            }
        } else {
            self.add(value);
        }
    }

    /// Registers the value of a cookie received in a `Set-Cookie` line.
    pub(crate) fn add_set_cookie(&self, line: &str) {
        let pair = line.split(';').next().unwrap_or_default();
        if let Some((_, value)) = pair.split_once('=') {
            let value = value.trim();
            self.add(value.trim_matches('"'));
        }
    }

    /// Replaces every registered value in `text` with [`MASK`]: values of
    /// [`MIN_FREE_TEXT`] characters or more wherever they occur, shorter ones
    /// where they are a whole query value. Overlapping and adjacent matches
    /// become one mask. Borrows when nothing matched.
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
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

    /// A whole field (a header value, a query or form value): [`MASK`] when
    /// it is a registered value, however short, else [`Self::redact`].
    pub(crate) fn field<'a>(&self, value: &'a str) -> Cow<'a, str> {
        if self.show_secrets {
            return Cow::Borrowed(value);
        }
        match self.matcher() {
            Some(m) if m.is_whole(value) => Cow::Borrowed(MASK),
            _ => self.redact(value),
        }
    }

    /// True for headers whose value is always masked, whatever it is:
    /// `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`,
    /// `totp-auth`, `PS-Auth`, `X-Api-Key`, `Api-Key`, `X-Auth-Token`.
    /// Case-insensitive.
    pub(crate) fn is_sensitive_header(name: &str) -> bool {
        SENSITIVE_HEADERS
            .iter()
            .any(|sensitive| name.eq_ignore_ascii_case(sensitive))
    }

    /// A header value fit for output. Sensitive headers are masked while
    /// keeping what helps debugging and is not secret: the scheme of an
    /// authorization header (`Bearer ***`), cookie names (`sid=***`) and
    /// `Set-Cookie` attributes. Other headers go through [`Self::field`].
    pub(crate) fn header_value<'a>(&self, name: &str, value: &'a str) -> Cow<'a, str> {
        if self.show_secrets {
            return Cow::Borrowed(value);
        }
        if !Self::is_sensitive_header(name) {
            return self.field(value);
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

    /// The matcher for the current values, built if stale; `None` when
    /// nothing is registered.
    fn matcher(&self) -> Option<Arc<Matcher>> {
        {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            if state.free.is_empty() && state.short.is_empty() {
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
        let State {
            free,
            short,
            compiled,
            ..
        } = &mut *state;
        let matcher = Arc::new(Matcher::build(free, short, compiled));
        state.matcher = Some(Arc::clone(&matcher));
        Some(matcher)
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
