//! `capture:`: which part of a response becomes a variable for the requests
//! after it.

use serde_json::{Map, Value};

use super::{At, Compiler};
use crate::assertion::jsonpath::JsonPath;
use crate::plan::{CapturePlan, CaptureSource, RegexFrom};
use crate::source::model::Node;

const HINT: &str = "write a JSONPath ($.token), or {header: NAME}, {cookie: NAME}, {regex: PATTERN, from: body}, {status: true}";

impl Compiler {
    pub(super) fn capture(&mut self, at: &At, name: &str, node: &Node) -> Option<CapturePlan> {
        match source(name, &node.value) {
            Ok(source) => Some(CapturePlan {
                name: name.to_string(),
                source,
                location: at.loc(&node.referenced),
            }),
            Err(message) => {
                self.errors
                    .push(at.err(message, &node.referenced).with_hint(HINT));
                None
            }
        }
    }
}

/// A JSONPath as a string, else a map naming one kind of source.
fn source(name: &str, value: &Value) -> Result<CaptureSource, String> {
    match value {
        Value::String(path) => json_path(name, path),
        Value::Object(map) => from_map(name, map),
        _ => Err(format!("capture `{name}`: unknown capture kind")),
    }
}

fn from_map(name: &str, map: &Map<String, Value>) -> Result<CaptureSource, String> {
    let str_of = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(h) = str_of("header") {
        Ok(CaptureSource::Header(h))
    } else if let Some(c) = str_of("cookie") {
        Ok(CaptureSource::Cookie(c))
    } else if let Some(p) = str_of("json") {
        json_path(name, &p)
    } else if let Some(pattern) = str_of("regex") {
        regex(name, &pattern, str_of("from").as_deref())
    } else if map.get("status") == Some(&Value::Bool(true)) {
        Ok(CaptureSource::Status)
    } else {
        Err(format!("capture `{name}`: unknown capture kind"))
    }
}

fn json_path(name: &str, path: &str) -> Result<CaptureSource, String> {
    JsonPath::parse(path)
        .map(CaptureSource::JsonPath)
        .map_err(|e| format!("capture `{name}`: invalid JSONPath `{path}`: {}", e.message))
}

/// `{regex: PATTERN, from: body | header:NAME}`; the first group (else the
/// whole match) is what is captured.
fn regex(name: &str, pattern: &str, from: Option<&str>) -> Result<CaptureSource, String> {
    let regex = regex::Regex::new(pattern).map_err(|e| {
        // The crate's message spans lines (the pattern, a caret, the
        // reason): the reason is its last line.
        let text = e.to_string();
        let reason = text.lines().last().unwrap_or_default().trim();
        let reason = reason.strip_prefix("error: ").unwrap_or(reason);
        format!("capture `{name}`: invalid regex: {reason}")
    })?;
    let from = match from {
        None | Some("body") => RegexFrom::Body,
        Some(other) => match other.strip_prefix("header:") {
            Some(h) => RegexFrom::Header(h.trim().to_string()),
            None => {
                return Err(format!(
                    "capture `{name}`: `from` is `body` or `header:NAME`, not `{other}`"
                ));
            }
        },
    };
    Ok(CaptureSource::Regex { regex, from })
}
