//! Checks of values written literally, made at load so `validate` and `run`
//! both refuse them before anything is sent: URLs, header names and values,
//! query values, a profile's `expires_in` and `hosts`, `--profile`, and the
//! `file:` of a secret. Values that come from templates are checked when
//! they render, and fail only their request.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use super::{At, Compiler};
use crate::diagnostic::{Diagnostic, did_you_mean, display_path};
use crate::duration::{self, BareUnit};
use crate::source::file_kind::not_a_regular_file;
use crate::source::model::{Loc, Node};
use crate::template::Tpl;
use crate::text::excerpt;

/// How much of a user's value a message quotes.
const QUOTE: usize = 80;

impl Compiler {
    /// `--profile NAME` must name a profile, like `profile: NAME` in a file.
    pub(super) fn check_profile_override(&mut self) {
        let Some(name) = self.inputs.profile_override.clone() else {
            return;
        };
        if name == "none" || super::profile_path(&self.inputs.profiles_dir, &name).is_some() {
            return;
        }
        let names = super::list_profiles(&self.inputs.profiles_dir);
        let hint = match did_you_mean(&name, names.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if names.is_empty() => format!(
                "no profiles found in {}",
                display_path(&self.inputs.profiles_dir)
            ),
            None => format!("profiles: {}", names.join(", ")),
        };
        self.errors.push(
            Diagnostic::new(format!(
                "unknown profile `{}` (given with --profile)",
                excerpt(&name, QUOTE)
            ))
            .with_hint(hint),
        );
        self.profiles.insert(name, None);
    }

    /// A URL written without templates must be an absolute http(s) URL; a
    /// template's literal start (`ftp://{{ host }}`) must not name another scheme.
    pub(super) fn check_url(&mut self, at: &At, url: &Tpl, l: &serde_saphyr::Location) {
        if let Some((title, hint)) = url_problem(url, "URL") {
            self.errors.push(at.err(title, l).with_hint(hint));
        }
    }

    /// Header names are tokens; literal values hold no line breaks or
    /// control characters.
    pub(super) fn check_headers(&mut self, at: &At, map: &IndexMap<String, Node>) {
        for (name, node) in map {
            if let Some((title, hint)) = header_problem(name, &node.value) {
                self.errors
                    .push(at.err(title, &node.referenced).with_hint(hint));
            }
        }
    }

    /// Query values are scalars or lists of scalars; a map has no one way
    /// to be written in a URL, so it is refused instead of guessed.
    pub(super) fn check_query(&mut self, at: &At, map: &IndexMap<String, Node>) {
        for (name, node) in map {
            let nested = match &node.value {
                Value::Object(_) => true,
                Value::Array(items) => items
                    .iter()
                    .any(|i| matches!(i, Value::Object(_) | Value::Array(_))),
                _ => false,
            };
            if nested {
                self.errors.push(
                    at.err(
                        format!("query parameter `{}` is a nested map or list", shown(name)),
                        &node.referenced,
                    )
                    .with_hint(format!(
                        "a query value is a string, number, boolean or a list of them; \
                         write each key yourself (e.g. `{0}[key]: value`) or send JSON text \
                         with `{{{{ value | tojson }}}}`",
                        shown(name)
                    )),
                );
            }
        }
    }

    /// A profile's literal `expires_in` must read as seconds or a duration.
    pub(super) fn check_expires_in(&mut self, at: &At, tpl: &Tpl, node: &Node) {
        if let Tpl::Literal(text) = tpl
            && let Err(e) = duration::parse(text, BareUnit::Seconds)
        {
            self.errors.push(
                at.err(format!("`expires_in`: {e}"), &node.referenced)
                    .with_hint("write seconds (3600), a duration (1h), or a template"),
            );
        }
    }

    /// A profile's literal `hosts` entries are origins: http(s) URLs.
    pub(super) fn check_host(&mut self, at: &At, tpl: &Tpl, h: &Loc<String>) {
        if let Some((title, hint)) = url_problem(tpl, "host") {
            self.errors
                .push(at.err(title, &h.referenced).with_hint(hint));
        }
    }

    /// A secret's `file:` must exist and be a regular file, unless an
    /// earlier source (a set variable) or a later one (command, prompt)
    /// can stand in for it.
    pub(super) fn check_secret_file(
        &mut self,
        at: &At,
        name: &str,
        src: &Loc<crate::secret::source::SecretSource>,
    ) {
        let s = &src.value;
        let Some(file) = &s.file else { return };
        let env_set = s.env.as_ref().is_some_and(|v| {
            self.inputs
                .env_names
                .as_ref()
                .is_none_or(|names| names.contains(v))
        });
        if env_set || s.command.is_some() || s.prompt.is_some() {
            return;
        }
        let base = at.file.path.parent().unwrap_or(Path::new("."));
        // The very path `run` will read (`~/`, relative, made absolute).
        let path = crate::secret::source::resolve_path(file, base);
        if let Some(why) = not_a_regular_file(&path) {
            self.errors.push(
                at.err(
                    format!("secret `{}`: file `{}` {why}", shown(name), shown(file)),
                    &src.referenced,
                )
                .with_hint(format!(
                    "a relative path is read from {}; or give `env:`, `command:` or `prompt:`",
                    display_path(base)
                )),
            );
        }
    }
}

/// What is wrong with a header `name: value`, as far as it is known before
/// rendering: the name, and a value written without templates.
pub(crate) fn header_problem(name: &str, value: &Value) -> Option<(String, String)> {
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Some((
            format!("invalid header name `{}`", shown(name)),
            "a header name is letters, digits and !#$%&'*+-.^_`|~, without spaces or colons".into(),
        ));
    }
    let Value::String(v) = value else {
        return None;
    };
    if v.contains("{{") || v.contains("{%") {
        return None;
    }
    header_value_problem(v).map(|why| {
        (
            format!("header `{}` {why}", shown(name)),
            "a header value is one line of printable text; remove the character".into(),
        )
    })
}

/// A user's value as quoted in a message: cut, and with control
/// characters escaped so a line break in a key cannot break the message.
fn shown(s: &str) -> String {
    let cut = excerpt(s, QUOTE);
    if !cut.chars().any(char::is_control) {
        return cut;
    }
    cut.chars()
        .map(|c| match c {
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn header_value_problem(v: &str) -> Option<&'static str> {
    if v.contains(['\r', '\n']) {
        Some("has a line break in its value")
    } else if v.chars().any(|c| c.is_control() && c != '\t') {
        Some("has a control character in its value")
    } else {
        None
    }
}

/// Why a URL (or a `hosts` entry) cannot be sent to, when that is known
/// before rendering.
fn url_problem(url: &Tpl, what: &str) -> Option<(String, String)> {
    let hint_scheme = format!(
        "sesame sends HTTP: write an absolute http:// or https:// {what}, e.g. \
         https://api.example.com/v1 or {{{{ base_url }}}}/v1"
    );
    let source = url.source();
    if !url.is_literal() {
        let start = source.split(['{']).next().unwrap_or_default();
        let scheme = start.split_once("://")?.0;
        return bad_scheme(scheme).then(|| {
            (
                format!("`{}` is not an http or https {what}", shown(source)),
                hint_scheme,
            )
        });
    }
    let text = source.trim();
    if text.is_empty() {
        return Some((format!("the {what} is empty"), hint_scheme));
    }
    match url::Url::parse(text) {
        Ok(u) if bad_scheme(u.scheme()) => Some((
            format!("`{}` is not an http or https {what}", shown(text)),
            hint_scheme,
        )),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => {
            Some((format!("`{}` has no host", shown(text)), hint_scheme))
        }
        Ok(_) => None,
        Err(e) => Some((
            format!("`{}` is not a valid {what}: {}", shown(text), url_error(e)),
            match e {
                url::ParseError::InvalidPort => "a port is a number from 1 to 65535".into(),
                _ => hint_scheme,
            },
        )),
    }
}

fn bad_scheme(scheme: &str) -> bool {
    !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https")
}

fn url_error(e: url::ParseError) -> &'static str {
    use url::ParseError as P;
    match e {
        P::EmptyHost => "the host is empty",
        P::IdnaError | P::InvalidDomainCharacter => "the host has characters a host cannot have",
        P::InvalidPort => "the port is not a number from 1 to 65535",
        P::InvalidIpv4Address => "the IPv4 address is invalid",
        P::InvalidIpv6Address => "the IPv6 address is invalid",
        P::RelativeUrlWithoutBase => "it has no scheme (http:// or https://)",
        P::RelativeUrlWithCannotBeABaseBase | P::SetHostOnCannotBeABaseUrl => {
            "it is not an absolute URL"
        }
        P::Overflow => "it is too long",
        _ => "it cannot be parsed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Tpl {
        Tpl::Literal(s.to_string())
    }

    #[test]
    fn urls_known_before_sending() {
        assert!(url_problem(&lit("http://h/x"), "URL").is_none());
        assert!(url_problem(&lit(" HTTPS://h:443/x "), "URL").is_none());
        for bad in [
            "ftp://h/",
            "not a url",
            "http://h:99999/",
            "file:///etc/passwd",
            "mailto:a@b",
            "http://",
            "//h/x",
            "http://[::1/",
            "€",
        ] {
            assert!(url_problem(&lit(bad), "URL").is_some(), "{bad}");
        }
    }

    #[test]
    fn header_values() {
        assert!(header_value_problem("a\tb").is_none());
        assert!(header_value_problem("a\nb").is_some());
        assert!(header_value_problem("a\rb").is_some());
        assert!(header_value_problem("a\u{7}b").is_some());
    }
}
