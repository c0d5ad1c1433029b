//! `sesame curl`: a request file as curl command lines, runnable as printed.
//! A profile's credentials become `$(sesame token PROFILE)`, so nothing
//! secret is printed and the command still authenticates.

use std::collections::HashMap;
use std::sync::Arc;

use crate::auth::totp_provider::NoTotp;
use crate::cli::args::CurlArgs;
use crate::cli::output::{Output, print_diagnostics};
use crate::cli::session::Session;
use crate::exit;
use crate::plan::{BodyPlan, Compiler, FilePlan, ProfilePlan, ProfileRef, RequestPlan};
use crate::secret::Redactor;
use crate::template::{Engine, Scope, from_json};

pub fn print(args: &CurlArgs, out: &Output) -> i32 {
    let engine = Engine::new(Arc::new(NoTotp));
    let session = match Session::new(&args.scope, None, engine) {
        Ok(s) => s,
        Err(d) => return print_diagnostics(out, &d),
    };
    let mut compiler = Compiler::new(engine, session.inputs.clone());
    compiler.add_file(&args.file);
    let plan = match compiler.finish() {
        Ok(p) => p,
        Err(d) => return print_diagnostics(out, &d),
    };
    let redactor = Redactor::new(args.show_secrets);
    let Some(file) = plan.files.first() else {
        return exit::INVALID;
    };
    let mut placeholders = match placeholders(file, &session) {
        Ok(p) => p,
        Err(message) => {
            out.error(&message);
            return exit::INVALID;
        }
    };
    let mut printed = 0;
    for req in &file.requests {
        let base = session.base.with(Arc::new(placeholders.clone()));
        let mut scope_map = placeholders.clone();
        let profile = match &req.profile {
            Some(ProfileRef::Named(p)) => plan.profiles.get(p).cloned(),
            _ => None,
        };
        if let Some(p) = &profile {
            scope_map.extend(p.placeholders(|_| TOKEN.to_string()));
        }
        let scope = base
            .with(Arc::new(scope_map))
            .with(session.cli_vars.clone());
        let selected = args.request.as_deref().is_none_or(|n| n == req.name);
        if selected {
            match render_curl(req, &scope, profile.as_deref(), &session, &redactor) {
                Ok(cmd) => {
                    let mut text = format!("# {}\n", req.name);
                    for name in captured_names(&cmd) {
                        text.push_str(&format!(
                            "# set {name} to a value captured by an earlier request first\n"
                        ));
                    }
                    out.say(&format!("{text}{cmd}"));
                    printed += 1;
                }
                Err(e) => {
                    out.error(&format!("{}: {e}", req.name));
                    return exit::INVALID;
                }
            }
        }
        for c in &req.captures {
            placeholders.insert(
                c.name.clone(),
                minijinja::Value::from(format!("__CAPTURE_{}__", shell_name(&c.name))),
            );
        }
    }
    if printed == 0 {
        out.error(&format!(
            "no request named `{}` in {}",
            args.request.as_deref().unwrap_or(""),
            file.display
        ));
        return exit::INVALID;
    }
    exit::OK
}

/// Inputs and vars as a run sees them: `--var`, else an input's default,
/// else a placeholder naming the input; vars rendered in order.
fn placeholders(
    file: &FilePlan,
    session: &Session,
) -> Result<HashMap<String, minijinja::Value>, String> {
    let mut placeholders: HashMap<String, minijinja::Value> = HashMap::new();
    for input in &file.inputs {
        let scope = session.base.with(session.cli_vars.clone());
        let value = match input.default.as_ref().map(|d| d.render(&scope)) {
            Some(Ok(v)) => from_json(&v),
            _ => minijinja::Value::from(format!("<input {}>", input.name)),
        };
        placeholders.insert(input.name.clone(), value);
    }
    for (name, tv) in &file.vars {
        let scope = session
            .base
            .with(Arc::new(placeholders.clone()))
            .with(session.cli_vars.clone());
        let v = tv
            .render(&scope)
            .map_err(|e| format!("var `{name}`: {}", e.message))?;
        placeholders.insert(name.clone(), from_json(&v));
    }
    Ok(placeholders)
}

fn render_curl(
    req: &RequestPlan,
    scope: &Scope,
    profile: Option<&ProfilePlan>,
    session: &Session,
    redactor: &Redactor,
) -> Result<String, String> {
    let mut url = request_url(req, scope)?;
    let token_cmd = profile.map(|p| match &session.env_name {
        Some(e) => format!("$(sesame token {} --env {e})", p.name),
        None => format!("$(sesame token {})", p.name),
    });
    let q = |s: &str| quote_live(s, token_cmd.as_deref());
    if let Some(p) = profile {
        // The request's own parameter replaces the profile's of that name.
        let own: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        for (k, _) in p.apply_query.iter().filter(|(k, _)| !own.contains(k)) {
            url.query_pairs_mut().append_pair(k, TOKEN);
        }
    }
    let mut parts = vec!["curl".to_string()];
    // curl turns a request with a body into a POST unless told otherwise.
    if req.method != reqwest::Method::GET || !matches!(req.body, BodyPlan::None) {
        parts.push(format!("-X {}", req.method));
    }
    let url_text = redactor.redact(url.as_str()).into_owned();
    parts.push(q(&url_text));
    for (k, t) in session.default_headers.iter().chain(&req.headers) {
        let v = t.render(scope).map_err(|e| e.message)?;
        parts.push(format!(
            "-H {}",
            q(&format!("{k}: {}", redactor.header_value(k, &v)))
        ));
    }
    if let Some(b) = &req.basic {
        let u = b.username.render(scope).map_err(|e| e.message)?;
        parts.push(format!(
            "-u {}",
            q(&format!(
                "{}:{}",
                redactor.redact(&u),
                crate::secret::redact::MASK
            ))
        ));
    }
    if let (Some(p), Some(cmd)) = (profile, &token_cmd) {
        profile_parts(p, cmd, scope, redactor, &mut parts);
    }
    body_parts(&req.body, scope, redactor, token_cmd.as_deref(), &mut parts)?;
    Ok(parts.join(" \\\n  "))
}

/// The request's URL with its `query:` appended.
fn request_url(req: &RequestPlan, scope: &Scope) -> Result<url::Url, String> {
    let mut url = url::Url::parse(req.url.render(scope).map_err(|e| e.message)?.trim())
        .map_err(|e| e.to_string())?;
    if !req.query.is_empty() {
        let mut pairs = Vec::new();
        for (k, v) in &req.query {
            let v = v.render(scope).map_err(|e| e.message)?;
            for item in crate::exchange::flatten(&v) {
                pairs.push((k.clone(), item));
            }
        }
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(&k, &v);
        }
    }
    Ok(url)
}

/// The profile's headers: the first carries `cmd`, the credential command.
fn profile_parts(
    p: &ProfilePlan,
    cmd: &str,
    scope: &Scope,
    redactor: &Redactor,
    parts: &mut Vec<String>,
) {
    let q = |s: &str| quote_live(s, Some(cmd));
    if let Some((k, _)) = p.apply_headers.first() {
        let value = p.apply_headers[0].1.source();
        let scheme = value
            .split_whitespace()
            .next()
            .filter(|w| value.trim_start().len() > w.len() && !w.contains("{{"))
            .map(|w| format!("{w} "))
            .unwrap_or_default();
        parts.push(format!("-H \"{}: {scheme}{cmd}\"", k));
    }
    for (k, t) in p.apply_headers.iter().skip(1) {
        match t.render(scope) {
            Ok(v) => parts.push(format!(
                "-H {}",
                q(&format!("{k}: {}", redactor.header_value(k, &v)))
            )),
            Err(_) => parts.push(format!(
                "-H {}",
                q(&format!("{k}: <from profile {}>", p.name))
            )),
        }
    }
    if p.apply_cookies {
        parts.push(format!(
            "# profile {} uses a cookie session: log in with its steps first",
            p.name
        ));
    }
}

fn body_parts(
    body: &BodyPlan,
    scope: &Scope,
    redactor: &Redactor,
    token_cmd: Option<&str>,
    parts: &mut Vec<String>,
) -> Result<(), String> {
    let q = |s: &str| quote_live(s, token_cmd);
    match body {
        BodyPlan::None => {}
        BodyPlan::Json(v) => {
            let v = v.render(scope).map_err(|e| e.message)?;
            parts.push(format!("-H {}", q("Content-Type: application/json")));
            parts.push(format!(
                "--data-raw {}",
                q(&redactor.redact(&v.to_string()))
            ));
        }
        BodyPlan::Form(fields) => {
            for (k, v) in fields {
                let v = v.render(scope).map_err(|e| e.message)?;
                for text in crate::exchange::flatten(&v) {
                    parts.push(format!(
                        "--data-urlencode {}",
                        q(&format!("{k}={}", redactor.redact(&text)))
                    ));
                }
            }
        }
        BodyPlan::Raw(t) => {
            let v = t.render(scope).map_err(|e| e.message)?;
            parts.push(format!("--data-raw {}", q(&redactor.redact(&v))));
        }
        BodyPlan::File(path) => {
            parts.push(format!(
                "-H {}",
                q("Content-Type: application/octet-stream")
            ));
            parts.push(format!(
                "--data-binary {}",
                q(&format!("@{}", path.display()))
            ));
        }
        BodyPlan::Multipart(fields) => {
            for (name, part) in fields {
                let field = match part {
                    crate::plan::PartPlan::Text(t) => {
                        let v = t.render(scope).map_err(|e| e.message)?;
                        format!(
                            "--form-string {}",
                            q(&format!("{name}={}", redactor.redact(&v)))
                        )
                    }
                    crate::plan::PartPlan::File {
                        path,
                        content_type,
                        filename,
                    } => {
                        let mut spec = format!("{name}=@{}", path.display());
                        if let Some(t) = content_type {
                            spec.push_str(&format!(";type={t}"));
                        }
                        if let Some(f) = filename {
                            spec.push_str(&format!(";filename={f}"));
                        }
                        format!("-F {}", q(&spec))
                    }
                };
                parts.push(field);
            }
        }
    }
    Ok(())
}

/// Single-quotes `s` for a POSIX shell.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Stand-in for the profile's credential, replaced by `$(sesame token ...)`.
const TOKEN: &str = "__SESAME_TOKEN__";

/// `uid` → `CAPTURE_UID`-ready name: letters, digits and `_`, upper case.
fn shell_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn live_parts() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"__SESAME_TOKEN__|__CAPTURE_([A-Z0-9_]+?)__").expect("valid regex")
    })
}

/// Shell variables the printed command expects to be set.
fn captured_names(cmd: &str) -> Vec<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"\$CAPTURE_[A-Z0-9_]+").expect("valid regex"));
    let mut names: Vec<String> = re
        .find_iter(cmd)
        .map(|m| m.as_str()[1..].to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Quotes `s` for a POSIX shell, leaving the credential command and
/// captured values live (`"$(sesame token p)"`, `"$CAPTURE_UID"`).
fn quote_live(s: &str, token_cmd: Option<&str>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for m in live_parts().captures_iter(s) {
        let whole = m.get(0).expect("match");
        if whole.start() > last {
            out.push_str(&quote(&s[last..whole.start()]));
        }
        match m.get(1) {
            Some(name) => out.push_str(&format!("\"$CAPTURE_{}\"", name.as_str())),
            None => out.push_str(&format!("\"{}\"", token_cmd.unwrap_or("$(sesame token)"))),
        }
        last = whole.end();
    }
    if last < s.len() || out.is_empty() {
        out.push_str(&quote(&s[last..]));
    }
    out
}
