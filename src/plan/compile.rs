//! Turns the typed model into a [`Plan`], collecting every problem of every
//! file as a located [`Diagnostic`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::assertion::jsonpath::JsonPath;
use crate::assertion::matcher::{Matcher, OperandKind};
use crate::diagnostic::{Diagnostic, did_you_mean, display_path};
use crate::duration::{self, BareUnit};
use crate::plan::scope_check::{Known, undefined};
use crate::plan::*;
use crate::source::load::{SourceFile, parse};
use crate::source::model::{
    BasicSpec, ExpectSpec, Loc, Node, ProfileFile, RequestCount, RequestFile, RequestSpec,
};
use crate::template::{Engine, Tpl, TplValue};

/// Operators a matcher map may hold.
pub const OPERATORS: &[&str] = &[
    "eq", "ne", "gt", "gte", "lt", "lte", "contains", "matches", "exists", "type", "length",
    "one_of",
];

/// Where inputs to a run come from; static while compiling.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Names defined before any file: `env`, the environment's keys, `--var` keys.
    pub base_names: BTreeSet<String>,
    /// Variable → environments of sesame.yaml that define it (for hints).
    pub env_vars: BTreeMap<String, Vec<String>>,
    pub profiles_dir: PathBuf,
    /// `--profile NAME`: replaces the files' default profile.
    pub profile_override: Option<String>,
}

pub struct Compiler {
    engine: Engine,
    inputs: Inputs,
    errors: Vec<Diagnostic>,
    profiles: BTreeMap<String, Option<Arc<ProfilePlan>>>,
    files: Vec<FilePlan>,
}

/// Where in which file a node sits.
struct At<'a> {
    file: &'a SourceFile,
    display: &'a str,
}

impl At<'_> {
    fn loc(&self, l: &serde_saphyr::Location) -> String {
        if l.line() == 0 {
            return self.display.to_string();
        }
        format!("{}:{}:{}", self.display, l.line(), l.column())
    }

    fn err(&self, title: impl Into<String>, l: &serde_saphyr::Location) -> Diagnostic {
        if l.line() == 0 {
            return Diagnostic::in_file(title, &self.file.path);
        }
        self.file.error_at(title, l)
    }
}

impl Compiler {
    pub fn new(engine: Engine, inputs: Inputs) -> Compiler {
        Compiler {
            engine,
            inputs,
            errors: Vec::new(),
            profiles: BTreeMap::new(),
            files: Vec::new(),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Compiles one request file and the profiles it names.
    pub fn add_file(&mut self, path: &Path) {
        let file = match SourceFile::read(path) {
            Ok(f) => f,
            Err(d) => return self.errors.push(d),
        };
        // When `requests:` comes last, the file's head is read without it;
        // the requests are then streamed one at a time (see file_plan).
        let (model, capacity) = match crate::source::load::trailing_list(&file.text, "requests") {
            Some((at, items)) => {
                let head = SourceFile {
                    path: file.path.clone(),
                    text: format!("{}requests: []\n", &file.text[..at]).into(),
                };
                (
                    parse::<RequestFile<RequestCount>>(&head, "a request file"),
                    items,
                )
            }
            None => {
                let parsed = parse::<RequestFile<RequestCount>>(&file, "a request file");
                let n = parsed.as_ref().map(|m| m.requests.0).unwrap_or(0);
                (parsed, n)
            }
        };
        let model = match model {
            Ok(m) => m,
            Err(d) => return self.errors.push(d),
        };
        if let Some(plan) = self.file_plan(file, model, capacity) {
            self.files.push(plan);
        }
    }

    /// Compiles every profile in the profiles folder (for `validate`).
    pub fn add_all_profiles(&mut self) {
        for name in list_profiles(&self.inputs.profiles_dir) {
            self.profile(&name, None);
        }
    }

    /// Compiles one profile by name (for `token`).
    pub fn add_profile(&mut self, name: &str) -> Option<Arc<ProfilePlan>> {
        self.profile(name, None)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn finish(self) -> Result<Plan, Vec<Diagnostic>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(Plan {
            files: self.files,
            profiles: self
                .profiles
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect(),
        })
    }

    fn file_plan(
        &mut self,
        file: SourceFile,
        model: RequestFile<RequestCount>,
        capacity: usize,
    ) -> Option<FilePlan> {
        let display = display_path(&file.path);
        let at = At {
            file: &file,
            display: &display,
        };
        let before = self.errors.len();
        let mut known = Known {
            names: self.inputs.base_names.clone(),
            ..Known::default()
        };
        let mut vars = Vec::new();
        for (name, node) in &model.vars {
            if let Some(v) = self.value(&at, node, &known) {
                vars.push((name.clone(), v));
            }
            known.names.insert(name.clone());
        }
        let mut inputs = Vec::new();
        for (name, spec) in &model.inputs {
            let default = spec
                .default
                .as_ref()
                .and_then(|node| self.value(&at, node, &known));
            inputs.push(InputPlan {
                name: name.clone(),
                description: spec.description.clone(),
                default,
            });
        }
        for input in &inputs {
            known.names.insert(input.name.clone());
        }
        let default_profile = match (&self.inputs.profile_override, &model.profile) {
            (Some(p), _) => Some(profile_ref(p)),
            (None, Some(p)) => {
                self.check_profile_exists(&at, p);
                Some(profile_ref(&p.value))
            }
            (None, None) => None,
        };
        let mut requests = Vec::with_capacity(capacity);
        // Read again, one request at a time: each is compiled and dropped
        // before the next is parsed, so a big collection never holds its
        // whole parsed form.
        let mut i = 0;
        let streamed = crate::source::load::stream_list(
            &file,
            "a request file",
            "requests",
            |spec: Loc<Box<RequestSpec>>| {
                self.compile_request(&at, &spec, i, &default_profile, &mut known, &mut requests);
                i += 1;
            },
        );
        let no_requests = i == 0 && streamed.is_ok();
        if let Err(d) = streamed {
            self.errors.push(d);
        }
        if no_requests {
            self.errors.push(
                Diagnostic::in_file("a request file needs at least one request", &file.path)
                    .with_hint("add `requests:` with a list of requests"),
            );
        }
        if self.errors.len() > before {
            return None;
        }
        let name = model.name.clone().unwrap_or_else(|| stem(&file.path));
        Some(FilePlan {
            display,
            name,
            tags: model.tags,
            vars,
            inputs,
            requests,
            source: file,
        })
    }

    /// Compiles the `i`-th request of a file; its captures join `known`.
    fn compile_request(
        &mut self,
        at: &At,
        spec: &Loc<Box<RequestSpec>>,
        i: usize,
        default_profile: &Option<ProfileRef>,
        known: &mut Known,
        requests: &mut Vec<RequestPlan>,
    ) {
        let profile = match &spec.value.profile {
            Some(p) => {
                self.check_profile_exists(at, p);
                Some(profile_ref(&p.value))
            }
            None => default_profile.clone(),
        };
        let mut req_known = known.clone();
        if let Some(ProfileRef::Named(name)) = &profile
            && let Some(p) = self.profile(name, None)
        {
            req_known.secrets = Some(p.secrets.iter().map(|(n, _)| n.clone()).collect());
            req_known.auth = Some(p.capture_names().into_iter().collect());
            req_known.names.insert("secrets".into());
            req_known.names.insert("auth".into());
        }
        if let Some(mut plan) = self.request(at, spec, i, &mut req_known) {
            plan.profile = profile;
            for c in &plan.captures {
                known.names.insert(c.name.clone());
            }
            requests.push(plan);
        } else {
            for (name, _) in &spec.value.capture {
                known.names.insert(name.clone());
            }
        }
    }

    fn check_profile_exists(&mut self, at: &At, p: &Loc<String>) {
        if p.value == "none" || self.profiles.contains_key(&p.value) {
            return;
        }
        if profile_path(&self.inputs.profiles_dir, &p.value).is_none() {
            let names = list_profiles(&self.inputs.profiles_dir);
            let hint = match did_you_mean(&p.value, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if names.is_empty() => format!(
                    "no profiles found in {}; create {}/{}.yaml",
                    display_path(&self.inputs.profiles_dir),
                    display_path(&self.inputs.profiles_dir),
                    p.value
                ),
                None => format!("profiles: {}", names.join(", ")),
            };
            self.errors.push(
                at.err(format!("unknown profile `{}`", p.value), &p.referenced)
                    .with_hint(hint),
            );
            self.profiles.insert(p.value.clone(), None);
        }
    }

    /// The compiled profile `name`, loading it on first use.
    fn profile(&mut self, name: &str, _from: Option<&At>) -> Option<Arc<ProfilePlan>> {
        if let Some(p) = self.profiles.get(name) {
            return p.clone();
        }
        self.profiles.insert(name.to_string(), None);
        let path = profile_path(&self.inputs.profiles_dir, name)?;
        let file = match SourceFile::read(&path) {
            Ok(f) => f,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let model: ProfileFile = match parse(&file, "a profile") {
            Ok(m) => m,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let plan = self.profile_plan(name, file, model).map(Arc::new);
        self.profiles.insert(name.to_string(), plan.clone());
        plan
    }

    fn profile_plan(
        &mut self,
        name: &str,
        file: SourceFile,
        model: ProfileFile,
    ) -> Option<ProfilePlan> {
        let display = display_path(&file.path);
        let at = At {
            file: &file,
            display: &display,
        };
        let before = self.errors.len();
        let secrets: Vec<(String, crate::secret::source::SecretSource)> = model
            .secrets
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        for (k, v) in &model.secrets {
            if let Err(e) = crate::secret::source::check(&v.value) {
                self.errors.push(
                    at.err(format!("secret `{k}`: {e}"), &v.referenced)
                        .with_hint("give at least one of env, file, command, prompt"),
                );
            }
        }
        let mut known = Known {
            names: self.inputs.base_names.clone(),
            secrets: Some(secrets.iter().map(|(n, _)| n.clone()).collect()),
            auth: None,
        };
        known.names.insert("secrets".into());
        let mut login = Vec::new();
        for (i, step) in model.login.iter().enumerate() {
            if step.value.profile.is_some() {
                self.errors
                    .push(at.err("a login step cannot name a profile", &step.referenced));
            }
            if let Some(plan) = self.request(&at, step, i, &mut known) {
                login.push(plan);
            }
            for (c, _) in &step.value.capture {
                known.names.insert(c.clone());
            }
        }
        let mut apply_headers = Vec::new();
        for (k, node) in &model.apply.headers {
            if let Some(t) = self.scalar_tpl(&at, node, &known, "a header value") {
                apply_headers.push((k.clone(), t));
            }
        }
        let mut apply_query = Vec::new();
        for (k, node) in &model.apply.query {
            if let Some(v) = self.value(&at, node, &known) {
                apply_query.push((k.clone(), v));
            }
        }
        let apply_basic = model
            .apply
            .basic
            .as_ref()
            .and_then(|b| self.basic(&at, b, &known));
        let mut logout = Vec::new();
        let mut logout_known = known.clone();
        for (i, step) in model.logout.iter().enumerate() {
            if let Some(plan) = self.request(&at, step, i, &mut logout_known) {
                logout.push(plan);
            }
        }
        let hosts = model
            .hosts
            .iter()
            .filter_map(|h| self.tpl(&at, h, &known))
            .collect();
        let expires_in = model
            .expires_in
            .as_ref()
            .and_then(|node| match &node.value {
                Value::String(_) | Value::Number(_) => {
                    let text = match &node.value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let loc = Loc {
                        value: text,
                        referenced: node.referenced,
                        defined: node.defined,
                    };
                    self.tpl(&at, &loc, &known)
                }
                _ => {
                    self.errors.push(at.err(
                        "`expires_in` must be a number of seconds or a template",
                        &node.referenced,
                    ));
                    None
                }
            });
        let ttl = model
            .ttl
            .as_ref()
            .and_then(|n| self.duration(&at, n, BareUnit::Seconds));
        if self.errors.len() > before {
            return None;
        }
        Some(ProfilePlan {
            name: name.to_string(),
            description: model.description,
            secrets,
            login,
            logout,
            apply_headers,
            apply_query,
            apply_cookies: model.apply.cookies,
            apply_basic,
            hosts,
            expires_in,
            ttl,
            cache: model.cache.unwrap_or(true),
            source: file,
        })
    }

    fn request(
        &mut self,
        at: &At,
        spec: &Loc<Box<RequestSpec>>,
        index: usize,
        known: &mut Known,
    ) -> Option<RequestPlan> {
        let before = self.errors.len();
        let r = &spec.value;
        let location = at.loc(&spec.referenced);
        let method = match &r.method {
            None => reqwest::Method::GET,
            Some(m) => match reqwest::Method::from_bytes(m.value.to_uppercase().as_bytes()) {
                Ok(m) => m,
                Err(_) => {
                    self.errors.push(
                        at.err(format!("invalid method `{}`", m.value), &m.referenced)
                            .with_hint("use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS"),
                    );
                    reqwest::Method::GET
                }
            },
        };
        let url = self.tpl(at, &r.url, known);
        let query = r
            .query
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), self.value(at, v, known)?)))
            .collect();
        let headers = r
            .headers
            .iter()
            .filter_map(|(k, v)| {
                Some((k.clone(), self.scalar_tpl(at, v, known, "a header value")?))
            })
            .collect();
        let basic = r.basic.as_ref().and_then(|b| self.basic(at, b, known));
        let bodies = [r.json.is_some(), r.form.is_some(), r.body.is_some()];
        if bodies.iter().filter(|b| **b).count() > 1 {
            self.errors.push(
                at.err("a request has at most one body", &spec.referenced)
                    .with_hint("keep one of `json:`, `form:`, `body:`"),
            );
        }
        let body = if let Some(j) = &r.json {
            self.value(at, j, known)
                .map(BodyPlan::Json)
                .unwrap_or(BodyPlan::None)
        } else if let Some(f) = &r.form {
            BodyPlan::Form(
                f.iter()
                    .filter_map(|(k, v)| Some((k.clone(), self.value(at, v, known)?)))
                    .collect(),
            )
        } else if let Some(b) = &r.body {
            self.tpl(at, b, known)
                .map(BodyPlan::Raw)
                .unwrap_or(BodyPlan::None)
        } else {
            BodyPlan::None
        };
        let timeout = r
            .timeout
            .as_ref()
            .and_then(|n| self.duration(at, n, BareUnit::Seconds));
        let retry = r.retry.as_ref().map(|rs| RetryPlan {
            count: rs.count,
            delay: rs
                .delay
                .as_ref()
                .and_then(|n| self.duration(at, n, BareUnit::Seconds))
                .unwrap_or(Duration::from_secs(1)),
        });
        let when = r.when.as_ref().and_then(|n| match &n.value {
            Value::Bool(b) => Some(WhenPlan::Fixed(*b)),
            Value::String(s) => {
                let loc = Loc {
                    value: s.clone(),
                    referenced: n.referenced,
                    defined: n.defined,
                };
                self.tpl(at, &loc, known).map(WhenPlan::Template)
            }
            _ => {
                self.errors.push(
                    at.err("`when` must be a boolean or a template", &n.referenced)
                        .with_hint("e.g. when: \"{{ env.CI is defined }}\""),
                );
                None
            }
        });
        let confirm = r.confirm.as_ref().and_then(|c| self.tpl(at, c, known));
        // Expectations may read this request's own captures? No: they run first.
        let expect = r
            .expect
            .as_ref()
            .map(|e| self.expect(at, e, known))
            .unwrap_or_default();
        let expect = Box::new(expect);
        let captures = r
            .capture
            .iter()
            .filter_map(|(name, node)| self.capture(at, name, node))
            .collect::<Vec<_>>();
        for c in &captures {
            known.names.insert(c.name.clone());
        }
        if self.errors.len() > before {
            return None;
        }
        Some(RequestPlan {
            name: r
                .name
                .clone()
                .unwrap_or_else(|| format!("request {}", index + 1)),
            location,
            method,
            static_url: url
                .as_ref()
                .filter(|t| t.is_literal())
                .and_then(|t| url::Url::parse(t.source().trim()).ok()),
            url: url?,
            query,
            headers,
            basic,
            body,
            profile: None,
            expect,
            captures,
            timeout,
            retry,
            follow_redirects: r.follow_redirects.unwrap_or(true),
            when,
            confirm,
        })
    }

    fn expect(&mut self, at: &At, e: &ExpectSpec, known: &Known) -> ExpectPlan {
        let mut plan = ExpectPlan {
            headers: Vec::with_capacity(e.headers.len()),
            json: Vec::with_capacity(e.json.len()),
            ..ExpectPlan::default()
        };
        if let Some(s) = &e.status {
            match status(&s.value) {
                Ok(p) => plan.status = Some((p, at.loc(&s.referenced))),
                Err(msg) => self.errors.push(
                    at.err(msg, &s.referenced)
                        .with_hint("write 200, [200, 201] or \"2xx\""),
                ),
            }
        }
        for (name, node) in &e.headers {
            if let Some(m) = self.matcher(at, node, OperandKind::Json, known) {
                plan.headers.push(Check {
                    target: name.clone(),
                    matcher: m,
                    location: at.loc(&node.referenced),
                });
            }
        }
        for (path, node) in &e.json {
            let jp = match JsonPath::parse(path) {
                Ok(jp) => jp,
                Err(err) => {
                    self.errors.push(
                        at.err(
                            format!("invalid JSONPath `{path}`: {}", err.message),
                            &node.referenced,
                        )
                        .with_hint("JSONPath as in RFC 9535, e.g. $.data.users[0].name"),
                    );
                    continue;
                }
            };
            if let Some(m) = self.matcher(at, node, OperandKind::Json, known) {
                plan.json.push(Check {
                    target: jp,
                    matcher: m,
                    location: at.loc(&node.referenced),
                });
            }
        }
        if let Some(node) = &e.body
            && let Some(m) = self.matcher(at, node, OperandKind::Json, known)
        {
            plan.body = Some(Check {
                target: (),
                matcher: m,
                location: at.loc(&node.referenced),
            });
        }
        if let Some(node) = &e.duration
            && let Some(m) = self.matcher(at, node, OperandKind::Duration, known)
        {
            plan.duration = Some(Check {
                target: (),
                matcher: m,
                location: at.loc(&node.referenced),
            });
        }
        plan
    }

    fn matcher(
        &mut self,
        at: &At,
        node: &Node,
        kind: OperandKind,
        known: &Known,
    ) -> Option<MatcherPlan> {
        if let Value::Object(map) = &node.value {
            for key in map.keys() {
                if !OPERATORS.contains(&key.as_str()) {
                    let hint = match did_you_mean(key, OPERATORS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("operators: {}", OPERATORS.join(", ")),
                    };
                    self.errors.push(
                        at.err(
                            format!("unknown matcher operator `{key}`"),
                            &node.referenced,
                        )
                        .with_hint(hint),
                    );
                    return None;
                }
            }
        }
        let compiled = self.value(at, node, known)?;
        if let TplValue::Literal(v) = &compiled {
            return match Matcher::parse(v, kind) {
                Ok(m) => Some(MatcherPlan::Static(m)),
                Err(e) => {
                    let mut d = at.err(format!("invalid matcher: {e}"), &node.referenced);
                    if let Some((_, hint)) = e.split_once("did you mean ") {
                        let hint = hint.strip_suffix(')').unwrap_or(hint);
                        d = d.with_hint(format!("did you mean {hint}"));
                    }
                    self.errors.push(d);
                    None
                }
            };
        }
        Some(MatcherPlan::Dynamic(compiled, kind))
    }

    fn capture(&mut self, at: &At, name: &str, node: &Node) -> Option<CapturePlan> {
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

    fn basic(&mut self, at: &At, b: &BasicSpec, known: &Known) -> Option<BasicPlan> {
        Some(BasicPlan {
            username: self.tpl(at, &b.username, known)?,
            password: self.tpl(at, &b.password, known)?,
        })
    }

    fn duration(&mut self, at: &At, node: &Node, bare: BareUnit) -> Option<Duration> {
        match duration::from_json(&node.value, bare) {
            Ok(d) => Some(d),
            Err(e) => {
                self.errors.push(at.err(e, &node.referenced));
                None
            }
        }
    }

    fn tpl(&mut self, at: &At, s: &Loc<String>, known: &Known) -> Option<Tpl> {
        match self.engine.compile(&s.value) {
            Ok(t) => {
                self.check_names(at, &t, &s.referenced, known);
                Some(t)
            }
            Err(e) => {
                let mut d = at.err(e.message, &s.referenced);
                if let Some(h) = e.hint {
                    d = d.with_hint(h);
                }
                self.errors.push(d);
                None
            }
        }
    }

    fn scalar_tpl(&mut self, at: &At, node: &Node, known: &Known, what: &str) -> Option<Tpl> {
        let text = match &node.value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                self.errors
                    .push(at.err(format!("{what} must be a string"), &node.referenced));
                return None;
            }
        };
        let loc = Loc {
            value: text,
            referenced: node.referenced,
            defined: node.defined,
        };
        self.tpl(at, &loc, known)
    }

    fn value(&mut self, at: &At, node: &Node, known: &Known) -> Option<TplValue> {
        match self.engine.compile_value(&node.value) {
            Ok(v) => {
                for t in v.templates() {
                    self.check_names(at, t, &node.referenced, known);
                }
                Some(v)
            }
            Err(e) => {
                let mut d = at.err(e.message, &node.referenced);
                if let Some(h) = e.hint {
                    d = d.with_hint(h);
                }
                self.errors.push(d);
                None
            }
        }
    }

    fn check_names(&mut self, at: &At, t: &Tpl, l: &serde_saphyr::Location, known: &Known) {
        if let Some((title, hint)) = undefined(t, known, &self.inputs.env_vars) {
            self.errors.push(at.err(title, l).with_hint(hint));
        }
    }
}

fn profile_ref(name: &str) -> ProfileRef {
    if name == "none" {
        ProfileRef::None
    } else {
        ProfileRef::Named(name.to_string())
    }
}

fn status(v: &Value) -> Result<StatusPlan, String> {
    let code = |v: &Value| -> Option<u16> {
        match v {
            Value::Number(n) => n.as_u64().and_then(|c| u16::try_from(c).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .filter(|c| (100..=599).contains(c))
    };
    if let Some(c) = code(v) {
        return Ok(StatusPlan::Codes(vec![c]));
    }
    match v {
        Value::String(s) if s.len() == 3 && s[1..].eq_ignore_ascii_case("xx") => s[..1]
            .parse::<u16>()
            .ok()
            .filter(|c| (1..=5).contains(c))
            .map(StatusPlan::Class)
            .ok_or_else(|| format!("invalid status class `{s}`")),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|i| code(i).ok_or_else(|| format!("invalid status code {i}")))
            .collect::<Result<Vec<_>, _>>()
            .map(StatusPlan::Codes),
        other => Err(format!("invalid status {other}")),
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `DIR/NAME.yaml` or `DIR/NAME.yml`, if present.
pub fn profile_path(dir: &Path, name: &str) -> Option<PathBuf> {
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    ["yaml", "yml"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// Names of the profiles in `dir`, sorted.
pub fn list_profiles(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| crate::source::project::is_yaml(p))
        .map(|p| stem(&p))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_forms() {
        assert_eq!(
            status(&serde_json::json!(200)),
            Ok(StatusPlan::Codes(vec![200]))
        );
        assert_eq!(
            status(&serde_json::json!([200, 201])),
            Ok(StatusPlan::Codes(vec![200, 201]))
        );
        assert_eq!(status(&serde_json::json!("2xx")), Ok(StatusPlan::Class(2)));
        assert_eq!(
            status(&serde_json::json!("404")),
            Ok(StatusPlan::Codes(vec![404]))
        );
        assert!(status(&serde_json::json!("9xx")).is_err());
        assert!(status(&serde_json::json!(42)).is_err());
        assert!(StatusPlan::Class(2).accepts(204));
    }
}
