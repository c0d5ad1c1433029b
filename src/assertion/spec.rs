//! What a request expects of its response and what it captures from it,
//! compiled from `expect:` and `capture:`. The plan builds these; the
//! assertion layer reads them, so they live here, below both.

use regex::Regex;

use crate::assertion::jsonpath::JsonPath;
use crate::assertion::matcher::{Matcher, OperandKind};
use crate::diagnostic::Location;
use crate::template::TplValue;

/// Expected status codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusPlan {
    Codes(Vec<u16>),
    /// `2xx` is 2.
    Class(u16),
}

impl StatusPlan {
    pub fn accepts(&self, status: u16) -> bool {
        match self {
            StatusPlan::Codes(c) => c.contains(&status),
            StatusPlan::Class(c) => status / 100 == *c,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            StatusPlan::Codes(c) if c.len() == 1 => c[0].to_string(),
            StatusPlan::Codes(c) => {
                let list: Vec<String> = c.iter().map(u16::to_string).collect();
                format!("one of {}", list.join(", "))
            }
            StatusPlan::Class(c) => format!("{c}xx"),
        }
    }
}

/// A matcher built at load when its operands are plain values, else at run
/// time once its templates are rendered.
#[derive(Debug)]
pub enum MatcherPlan {
    Static(Matcher),
    Dynamic(TplValue, OperandKind),
}

/// One expectation with the place it was written.
#[derive(Debug)]
pub struct Check<T> {
    pub target: T,
    pub matcher: MatcherPlan,
    pub location: Location,
}

#[derive(Debug, Default)]
pub struct ExpectPlan {
    pub status: Option<(StatusPlan, Location)>,
    pub headers: Vec<Check<String>>,
    pub json: Vec<Check<JsonPath>>,
    pub body: Option<Check<()>>,
    pub duration: Option<Check<()>>,
}

impl ExpectPlan {
    /// The templates among the expected values (matchers whose operands
    /// are rendered at run time).
    pub fn templates(&self) -> Vec<&crate::template::Tpl> {
        fn dynamic(m: &MatcherPlan) -> Vec<&crate::template::Tpl> {
            match m {
                MatcherPlan::Dynamic(v, _) => v.templates(),
                MatcherPlan::Static(_) => Vec::new(),
            }
        }
        let mut out = Vec::new();
        for c in &self.headers {
            out.extend(dynamic(&c.matcher));
        }
        for c in &self.json {
            out.extend(dynamic(&c.matcher));
        }
        for c in self.body.iter().chain(self.duration.iter()) {
            out.extend(dynamic(&c.matcher));
        }
        out
    }

    pub fn needs_json(&self) -> bool {
        !self.json.is_empty()
    }
}

#[derive(Debug)]
pub struct CapturePlan {
    pub name: String,
    pub source: CaptureSource,
    pub location: Location,
}

#[derive(Debug)]
pub enum CaptureSource {
    JsonPath(JsonPath),
    Header(String),
    Cookie(String),
    Regex { regex: Regex, from: RegexFrom },
    Status,
}

#[derive(Debug)]
pub enum RegexFrom {
    Body,
    Header(String),
}
