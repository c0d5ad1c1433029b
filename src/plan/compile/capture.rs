//! `capture:`: which part of a response becomes a variable for the requests
//! after it.

use serde_json::Value;

use super::{At, Compiler};
use crate::assertion::jsonpath::JsonPath;
use crate::plan::{CapturePlan, CaptureSource, RegexFrom};
use crate::source::model::Node;

impl Compiler {
    pub(super) fn capture(&mut self, at: &At, name: &str, node: &Node) -> Option<CapturePlan> {
        let location = at.loc(&node.referenced);
        let bad = |msg: String| {
            at.err(msg, &node.referenced).with_hint(
                "write a JSONPath ($.token), or {header: NAME}, {cookie: NAME}, {regex: PATTERN, from: body}, {status: true}",
            )
        };
        let source = match &node.value {
            Value::String(path) => match JsonPath::parse(path) {
                Ok(jp) => CaptureSource::JsonPath(jp),
                Err(e) => {
                    self.errors.push(bad(format!(
                        "capture `{name}`: invalid JSONPath `{path}`: {}",
                        e.message
                    )));
                    return None;
                }
            },
            Value::Object(map) => {
                let str_of = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
                if let Some(h) = str_of("header") {
                    CaptureSource::Header(h)
                } else if let Some(c) = str_of("cookie") {
                    CaptureSource::Cookie(c)
                } else if let Some(p) = str_of("json") {
                    match JsonPath::parse(&p) {
                        Ok(jp) => CaptureSource::JsonPath(jp),
                        Err(e) => {
                            self.errors.push(bad(format!(
                                "capture `{name}`: invalid JSONPath `{p}`: {}",
                                e.message
                            )));
                            return None;
                        }
                    }
                } else if let Some(pattern) = str_of("regex") {
                    let regex = match regex::Regex::new(&pattern) {
                        Ok(r) => r,
                        Err(e) => {
                            self.errors
                                .push(bad(format!("capture `{name}`: invalid regex: {e}")));
                            return None;
                        }
                    };
                    let from = match str_of("from").as_deref() {
                        None | Some("body") => RegexFrom::Body,
                        Some(other) => match other.strip_prefix("header:") {
                            Some(h) => RegexFrom::Header(h.trim().to_string()),
                            None => {
                                self.errors.push(bad(format!(
                                    "capture `{name}`: `from` is `body` or `header:NAME`, not `{other}`"
                                )));
                                return None;
                            }
                        },
                    };
                    CaptureSource::Regex { regex, from }
                } else if map.get("status") == Some(&Value::Bool(true)) {
                    CaptureSource::Status
                } else {
                    self.errors
                        .push(bad(format!("capture `{name}`: unknown capture kind")));
                    return None;
                }
            }
            _ => {
                self.errors
                    .push(bad(format!("capture `{name}`: unknown capture kind")));
                return None;
            }
        };
        Some(CapturePlan {
            name: name.to_string(),
            source,
            location,
        })
    }
}
