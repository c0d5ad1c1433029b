//! Reading YAML files into the typed model, with located errors and limits
//! against alias bombs and runaway nesting.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, Options};

use crate::diagnostic::{Diagnostic, Span, did_you_mean};

/// A file's path and text, kept so diagnostics can quote the offending line.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
        if let Some(why) = super::file_kind::not_a_regular_file(path) {
            return Err(Diagnostic::in_file(format!("the path {why}"), path));
        }
        let bytes = std::fs::read(path).map_err(|e| cannot_read(path, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            Diagnostic::in_file(
                format!("the file is not UTF-8 text (an invalid byte on line {line})"),
                path,
            )
            .with_hint("save the file as UTF-8")
        })?;
        Ok(SourceFile {
            path: path.to_path_buf(),
            text: text.into(),
        })
    }

    /// A diagnostic at `span` of this file.
    pub fn error(&self, title: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::at(title, &self.path, &self.text, span)
    }

    /// A diagnostic at the node `loc` of this file.
    pub fn error_at(&self, title: impl Into<String>, loc: &serde_saphyr::Location) -> Diagnostic {
        self.error(title, Span::from_location(loc))
    }
}

/// `cannot read file: <why>`, located in `path`.
pub(crate) fn cannot_read(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::in_file(
        format!("cannot read file: {}", super::file_kind::io_reason(e)),
        path,
    )
}

/// Limits that stop alias bombs and absurd nesting, not big honest files:
/// a collection of 100,000 requests is a few million nodes, while what
/// aliases may expand to stays bounded by the alias limits (200,000
/// replayed events in all).
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 200_000_000;
    budget.max_nodes = 100_000_000;
    budget.max_total_scalar_bytes = 1 << 30;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 200_000;
    // YAML 1.2 booleans only: `y`, `no`, `on`, `off` stay strings, so
    // `query: { country: NO }` does not send `false`.
    options.strict_booleans = true;
    options
}

/// Parses `file` as `T`; a syntax or shape error becomes one located diagnostic.
pub(crate) fn parse<T: DeserializeOwned>(file: &SourceFile, what: &str) -> Result<T, Diagnostic> {
    if file.text.trim().is_empty() {
        return Err(Diagnostic::in_file(
            format!("the file is empty: {what} needs content"),
            &file.path,
        )
        .with_hint("see docs/format.md for the file format"));
    }
    serde_saphyr::from_str_with_options::<T>(&file.text, options())
        .map_err(|e| yaml_error(file, &e, what))
}

/// Reads the list under the top-level key `field` of `file` one item at a
/// time, handing each to `each`: only one item is alive at once. Every other
/// key is skipped (the caller has already read and checked them).
pub(crate) fn stream_list<T: DeserializeOwned>(
    file: &SourceFile,
    what: &str,
    field: &str,
    each: impl FnMut(T),
) -> Result<(), Diagnostic> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::marker::PhantomData;

    struct Items<'f, T, F>(&'f mut F, PhantomData<T>);
    impl<'de, T: DeserializeOwned, F: FnMut(T)> DeserializeSeed<'de> for Items<'_, T, F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de, T: DeserializeOwned, F: FnMut(T)> Visitor<'de> for Items<'_, T, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(item) = seq.next_element::<T>()? {
                (self.0)(item);
            }
            Ok(())
        }
    }
    struct Top<'f, 'k, T, F>(&'f mut F, &'k str, PhantomData<T>);
    impl<'de, T: DeserializeOwned, F: FnMut(T)> DeserializeSeed<'de> for Top<'_, '_, T, F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de, T: DeserializeOwned, F: FnMut(T)> Visitor<'de> for Top<'_, '_, T, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == self.1 {
                    map.next_value_seed(Items::<T, F>(&mut *self.0, PhantomData))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }
    let mut each = each;
    serde_saphyr::with_deserializer_from_str_with_options(&file.text, options(), |de| {
        Top::<T, _>(&mut each, field, PhantomData).deserialize(de)
    })
    .map_err(|e| yaml_error(file, &e, what))
}

fn yaml_error(file: &SourceFile, err: &serde_saphyr::Error, what: &str) -> Diagnostic {
    let plain = err.without_snippet().to_string();
    // The crate appends " at line N, column M"; we show the position ourselves.
    let message = match plain.rfind(" at line ") {
        Some(i) => plain[..i].to_string(),
        None => plain,
    };
    let (title, hint) = explain(&message, what);
    let title = our_title(err.without_snippet(), &message, what).unwrap_or(title);
    let hint = shape_hint(err.without_snippet()).or(hint);
    let diag = match err.location() {
        Some(loc) if loc.line() > 0 => file.error_at(title, &loc),
        _ => Diagnostic::in_file(title, &file.path),
    };
    match hint {
        Some(h) => diag.with_hint(h),
        None => diag,
    }
}

/// What to write instead, for errors serde's wording gives no advice on:
/// a value of the wrong shape, or broken YAML syntax.
fn shape_hint(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error as E;
    let hint = match err {
        E::Unexpected { expected, .. } => match *expected {
            "sequence start" => "write a list: `[a, b]`, or one `- item` per line".to_string(),
            "mapping start" => "write `key: value` pairs indented under this key".to_string(),
            "string scalar" => {
                "write a single value; quote it if it starts with `[` or `{`".to_string()
            }
            other => format!("write {other} here"),
        },
        E::InvalidBooleanStrict { .. } => "write true or false".to_string(),
        E::InvalidScalar { ty, .. } if ty.starts_with('u') || ty.starts_with('i') => {
            "write a whole number, e.g. 3".to_string()
        }
        E::InvalidScalar { ty, .. } => format!("write a value of type {ty}"),
        E::DuplicateMappingKey { .. } => "each key may appear once in a map".to_string(),
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => "aliases (`*name`) may expand to at most 200,000 YAML events, with 1,000 anchors and aliases per file; nesting is at most 64 deep".to_string(),
        E::ExternalMessage { .. } | E::Eof { .. } => {
            "check the indentation and the quotes on this line and the one before".to_string()
        }
        _ => return None,
    };
    Some(hint)
}

/// Our words for what the YAML library says in its own (`set
/// DuplicateKeyPolicy in Options`, `use from_str_multiple`, `invalid u32`).
fn our_title(err: &serde_saphyr::Error, message: &str, what: &str) -> Option<String> {
    use serde_saphyr::Error as E;
    let title = match err {
        E::DuplicateMappingKey { key: Some(k), .. } => {
            format!(
                "the key `{}` appears twice in this map",
                crate::text::excerpt(k, 80)
            )
        }
        E::DuplicateMappingKey { .. } => "a key appears twice in this map".into(),
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => {
            "a value is missing here (the key has nothing after it)".into()
        }
        E::InvalidBooleanStrict { .. } => "invalid boolean: expected true or false".into(),
        E::InvalidScalar { ty, .. } => match *ty {
            "u32" => "invalid number: expected a whole number from 0 to 4294967295".into(),
            "u8" | "u16" | "u64" | "usize" => {
                "invalid number: expected a whole number, 0 or more".into()
            }
            "i8" | "i16" | "i32" | "i64" | "isize" => {
                "invalid number: expected a whole number".into()
            }
            "f32" | "f64" => "invalid number".into(),
            _ => "wrong type for this value".into(),
        },
        E::Unexpected { expected, .. } => match *expected {
            "sequence start" => "wrong type: expected a list here".into(),
            "mapping start" => "wrong type: expected `key: value` pairs here".into(),
            "string scalar" => "wrong type: expected a single value (text) here".into(),
            other => format!("wrong type: expected {other} here"),
        },
        _ if message.contains("multiple YAML documents") => {
            format!("{what} holds one YAML document, and this one has several (`---`)")
        }
        _ if message.contains("recursion limit") => "the YAML is nested too deeply".into(),
        _ if message.contains("simple key expected") => {
            "a key longer than 1024 characters (YAML's limit for a plain key), or a key without `:`"
                .into()
        }
        _ if message.starts_with("empty ") => format!("{what} is empty"),
        _ if message.contains("found a tab") => {
            "a tab character: YAML indents with spaces only".into()
        }
        _ => return None,
    };
    Some(title)
}

/// Turns serde's wording into ours, with a hint where one helps.
fn explain(message: &str, what: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = tail
            .split_once("expected one of ")
            .map(|(_, list)| list.split(", ").map(|s| s.trim_matches('`')).collect())
            .or_else(|| {
                tail.split_once("expected ")
                    .map(|(_, one)| vec![one.trim_matches('`')])
            })
            .unwrap_or_default();
        let hint = match did_you_mean(field, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if !expected.is_empty() => format!("allowed keys here: {}", expected.join(", ")),
            None => "remove it".to_string(),
        };
        return (format!("unknown key `{field}` in {what}"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("missing key `{field}` in {what}"),
            Some(format!("add `{field}:`")),
        );
    }
    if message.starts_with("budget breached") || message.contains("replay") {
        return (
            "the YAML expands too much: too many aliases, anchors or nesting levels".into(),
            None,
        );
    }
    if message.starts_with("invalid type") || message.starts_with("expected") {
        return (
            format!("wrong type: {message}"),
            Some("`sesame schema` prints the shape every key expects".into()),
        );
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::model::RequestFile;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("t.yaml"),
            text: text.into(),
        }
    }

    #[test]
    fn unknown_key_is_located_with_hint() {
        let err = parse::<RequestFile>(
            &file("requests:\n  - url: http://x\n    metod: GET\n"),
            "a request file",
        )
        .unwrap_err();
        assert_eq!(err.title, "unknown key `metod` in a request file");
        assert_eq!(err.span.as_ref().map(|s| (s.line, s.column)), Some((3, 5)));
        assert_eq!(err.hint.as_deref(), Some("did you mean `method`?"));
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let v: serde_json::Value = parse(
            &file("a: [y, n, yes, no, on, off, true, false]\n"),
            "a file",
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": ["y", "n", "yes", "no", "on", "off", true, false]})
        );
    }

    #[test]
    fn wrong_shapes_and_syntax_errors_have_hints() {
        for text in [
            "tags: smoke\nrequests:\n  - url: http://x\n",
            "requests:\n  - url: http://x\n    follow_redirects: maybe\n",
            "requests:\n  - url: http://x\n    retry: { count: many }\n",
            "requests:\n  - url: http://x\n   method: GET\n",
            "requests:\n  - url: \"http://x\n    method: GET\n",
        ] {
            let err = parse::<RequestFile>(&file(text), "a request file").unwrap_err();
            assert!(err.hint.is_some(), "no hint for {text:?}: {}", err.title);
            assert!(err.span.is_some(), "no position for {text:?}");
        }
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        text.push_str("requests: []\n");
        assert!(parse::<serde_json::Value>(&file(&text), "a request file").is_err());
    }

    #[test]
    fn stream_list_hands_over_items_in_order() {
        let f = file("name: x\nrequests:\n  - 1\n  - 2\n  - 3\n");
        let mut seen = Vec::new();
        stream_list(&f, "a file", "requests", |n: u32| seen.push(n)).unwrap();
        assert_eq!(seen, [1, 2, 3]);
        let bad = file("requests:\n  - 1\n  - x\n");
        let err = stream_list(&bad, "a file", "requests", |_: u32| {}).unwrap_err();
        assert_eq!(err.span.map(|s| s.line), Some(3));
    }
}
