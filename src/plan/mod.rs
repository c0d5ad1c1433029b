//! The compiled form of the user's files: templates, JSONPaths, regexes and
//! matchers built once at load, so running a request does no parsing.
//! Compiling collects every problem in every file before anything is sent.

pub(crate) mod compile;
pub(crate) mod oauth2;
pub(crate) mod scope_check;

use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::Location;
use crate::secret::source::SecretSource;
use crate::source::load::SourceFile;
use crate::template::{Tpl, TplValue};

pub(crate) use crate::assertion::spec::{
    CapturePlan, CaptureSource, Check, ExpectPlan, MatcherPlan, RegexFrom, StatusPlan,
};
pub use compile::{Compiler, Inputs};

/// Which profile a request carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileRef {
    /// No credentials.
    None,
    Named(String),
}

/// A compiled request file.
#[derive(Debug)]
pub struct FilePlan {
    pub source: SourceFile,
    /// Path as shown to the user.
    pub display: String,
    pub name: String,
    pub tags: Vec<String>,
    pub vars: Vec<(String, TplValue)>,
    pub inputs: Vec<InputPlan>,
    pub requests: Requests,
}

/// A file's requests: compiled and held, or read from disk and compiled
/// one at a time while the file runs (big files in the usual layout; see
/// `source::segments`), so a run's memory does not grow with their number.
#[derive(Debug)]
pub enum Requests {
    Held(Vec<RequestPlan>),
    Streamed(Box<compile::Streamed>),
}

impl Requests {
    pub fn len(&self) -> usize {
        match self {
            Requests::Held(v) => v.len(),
            Requests::Streamed(s) => s.count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The requests in order. A streamed file yields an error when it can no
    /// longer be read as it was checked (changed or removed since).
    pub fn iter(&self) -> RequestIter<'_> {
        match self {
            Requests::Held(v) => RequestIter::Held(v.iter()),
            Requests::Streamed(s) => RequestIter::Streamed(s.open()),
        }
    }

    /// Keeps the requests whose name contains `text` (`--filter`); a
    /// streamed file keeps only those, compiled as they are read.
    pub fn retain_named(&mut self, text: &str) {
        let kept = match self {
            Requests::Held(v) => std::mem::take(v)
                .into_iter()
                .filter(|r| r.name.contains(text))
                .collect(),
            // Errors were reported by the check; a file changed since then
            // keeps what still reads.
            Requests::Streamed(_) => self
                .iter()
                .filter_map(|r| match r {
                    Ok(Req::Owned(r)) if r.name.contains(text) => Some(*r),
                    _ => None,
                })
                .collect(),
        };
        *self = Requests::Held(kept);
    }
}

/// A request of a [`Requests`], borrowed or compiled for the occasion.
pub enum Req<'a> {
    Held(&'a RequestPlan),
    Owned(Box<RequestPlan>),
}

impl std::ops::Deref for Req<'_> {
    type Target = RequestPlan;
    fn deref(&self) -> &RequestPlan {
        match self {
            Req::Held(r) => r,
            Req::Owned(r) => r,
        }
    }
}

pub enum RequestIter<'a> {
    Held(std::slice::Iter<'a, RequestPlan>),
    Streamed(compile::RequestStream),
}

impl<'a> Iterator for RequestIter<'a> {
    type Item = Result<Req<'a>, crate::diagnostic::Diagnostic>;
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            RequestIter::Held(it) => it.next().map(|r| Ok(Req::Held(r))),
            RequestIter::Streamed(s) => s.next().map(|r| r.map(|r| Req::Owned(Box::new(r)))),
        }
    }
}

#[derive(Debug)]
pub struct InputPlan {
    pub name: String,
    pub description: Option<String>,
    pub default: Option<TplValue>,
}

/// A compiled request, login step or logout step.
#[derive(Debug)]
pub struct RequestPlan {
    pub name: String,
    /// `file:line:col` of the request.
    pub location: Location,
    pub method: reqwest::Method,
    pub url: Tpl,
    /// The URL parsed at load, when it is not a template.
    pub static_url: Option<url::Url>,
    pub query: Vec<(String, TplValue)>,
    pub headers: Vec<(String, Tpl)>,
    pub basic: Option<BasicPlan>,
    pub body: BodyPlan,
    pub profile: Option<ProfileRef>,
    pub expect: Box<ExpectPlan>,
    pub captures: Vec<CapturePlan>,
    pub timeout: Option<Duration>,
    pub retry: Option<RetryPlan>,
    pub follow_redirects: bool,
    pub when: Option<WhenPlan>,
    pub confirm: Option<Tpl>,
}

impl RequestPlan {
    /// Every template of the request (URL, query, headers, `basic:`, body,
    /// `when:`, `confirm:`, expected values), for what it reads.
    pub fn templates(&self) -> Vec<&Tpl> {
        let mut out = vec![&self.url];
        out.extend(self.query.iter().flat_map(|(_, v)| v.templates()));
        out.extend(self.headers.iter().map(|(_, t)| t));
        if let Some(b) = &self.basic {
            out.extend([&b.username, &b.password]);
        }
        match &self.body {
            BodyPlan::None => {}
            BodyPlan::Json(v) => out.extend(v.templates()),
            BodyPlan::Form(fields) => out.extend(fields.iter().flat_map(|(_, v)| v.templates())),
            BodyPlan::Raw(t) => out.push(t),
            BodyPlan::File(_) => {}
            BodyPlan::Multipart(parts) => out.extend(parts.iter().filter_map(|(_, p)| match p {
                PartPlan::Text(t) => Some(t),
                PartPlan::File { .. } => None,
            })),
        }
        if let Some(WhenPlan::Template(t)) = &self.when {
            out.push(t);
        }
        out.extend(self.confirm.iter());
        out.extend(self.expect.templates());
        out
    }

    /// The top-level variable names the request reads.
    pub fn reads(&self) -> std::collections::BTreeSet<String> {
        self.templates()
            .into_iter()
            .flat_map(Tpl::variables)
            .collect()
    }
}

#[derive(Debug)]
pub struct BasicPlan {
    pub username: Tpl,
    pub password: Tpl,
}

#[derive(Debug)]
pub enum BodyPlan {
    None,
    Json(TplValue),
    Form(Vec<(String, TplValue)>),
    Raw(Tpl),
    /// `body: { file: }`: the file's bytes, streamed.
    File(std::path::PathBuf),
    /// `multipart:`: `multipart/form-data` fields in order.
    Multipart(Vec<(String, PartPlan)>),
}

/// One field of a `multipart:` body.
#[derive(Debug)]
pub enum PartPlan {
    Text(Tpl),
    File {
        path: std::path::PathBuf,
        content_type: Option<String>,
        filename: Option<String>,
    },
}

#[derive(Clone, Copy, Debug)]
pub struct RetryPlan {
    pub count: u32,
    pub delay: Duration,
}

impl WhenPlan {
    /// What a `when:` text means: `true`/`yes`/`1` or `false`/`no`/`0`/
    /// empty, in any case; `None` for anything else.
    pub(crate) fn truth(text: &str) -> Option<bool> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" | "" => Some(false),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub enum WhenPlan {
    Fixed(bool),
    Template(Tpl),
}

/// A compiled auth profile.
#[derive(Debug)]
pub struct ProfilePlan {
    pub name: String,
    pub source: SourceFile,
    pub description: Option<String>,
    pub secrets: Vec<(String, SecretSource)>,
    pub login: Vec<RequestPlan>,
    pub logout: Vec<RequestPlan>,
    pub apply_headers: Vec<(String, Tpl)>,
    pub apply_query: Vec<(String, TplValue)>,
    pub apply_cookies: bool,
    pub apply_basic: Option<BasicPlan>,
    /// Explicit `hosts:`; when empty, the login steps' origins.
    pub hosts: Vec<Tpl>,
    pub expires_in: Option<Tpl>,
    pub ttl: Option<Duration>,
    pub cache: bool,
    /// `oauth2:`: the token request that replaces `login:` steps.
    pub oauth2: Option<oauth2::OAuth2Plan>,
    /// `tls:`: the client certificate of the profile's exchanges.
    pub tls: Option<oauth2::TlsPlan>,
}

impl ProfilePlan {
    /// `secrets` and `auth` with stand-in values, for output made without
    /// logging in (dry run, curl): each secret shows as `<secret NAME>`,
    /// each capture as `auth_value(NAME)`.
    pub fn placeholders(
        &self,
        auth_value: impl Fn(&str) -> String,
    ) -> [(String, minijinja::Value); 2] {
        use crate::template::unknown::Unknown;
        let secrets: std::collections::BTreeMap<String, minijinja::Value> = self
            .secrets
            .iter()
            .map(|(n, _)| (n.clone(), Unknown::value(format!("<secret {n}>"))))
            .collect();
        let auth: std::collections::BTreeMap<String, minijinja::Value> = self
            .capture_names()
            .into_iter()
            .map(|n| {
                let v = Unknown::value(auth_value(&n));
                (n, v)
            })
            .collect();
        [
            ("secrets".into(), minijinja::Value::from(secrets)),
            ("auth".into(), minijinja::Value::from(auth)),
        ]
    }

    /// Names the profile's captures define, in step order.
    pub fn capture_names(&self) -> Vec<String> {
        let oauth2 = self
            .oauth2
            .iter()
            .flat_map(|_| oauth2::TOKEN_FIELDS.map(String::from));
        self.login
            .iter()
            .flat_map(|s| s.captures.iter().map(|c| c.name.clone()))
            .chain(oauth2)
            .collect()
    }
}

/// Everything a run needs, compiled.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FilePlan>,
    pub profiles: std::collections::BTreeMap<String, Arc<ProfilePlan>>,
}
