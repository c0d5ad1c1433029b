//! `sesame curl`: a request file as curl command lines, runnable as printed.
//! Each command formats the request `run` would send (rendered by
//! `exchange::render`, the same code), with each credential of the profile
//! fetched by its own placeholder (`$(sesame token P --header NAME)`,
//! `--query NAME`), so nothing secret is printed and the command still
//! authenticates; what only a login can give shows as unknown.

use std::collections::HashMap;
use std::sync::Arc;

use crate::auth::totp_provider::NoTotp;
use crate::cli::args::CurlArgs;
use crate::cli::output::{Output, print_diagnostics};
use crate::cli::session::Session;
use crate::exchange::Exchange;
use crate::exit;
use crate::plan::{BodyPlan, Compiler, FilePlan, PartPlan, ProfilePlan, ProfileRef, RequestPlan};
use crate::secret::Redactor;
use crate::template::unknown::Unknown;
use crate::template::{Engine, Scope, from_json};

pub(crate) fn print(args: &CurlArgs, out: &Output) -> i32 {
    let engine = Engine::new(Arc::new(NoTotp));
    let mut session = match Session::new(&args.scope, None, engine) {
        Ok(s) => s,
        Err(d) => return print_diagnostics(out, &d),
    };
    let mut compiler = Compiler::new(engine, session.inputs.clone());
    compiler.add_file(&args.file);
    let plan = match compiler.finish() {
        Ok(p) => p,
        Err(d) => return print_diagnostics(out, &d),
    };
    let Some(file) = plan.files.first() else {
        return exit::INVALID;
    };
    let redactor = Arc::new(Redactor::new(args.show_secrets));
    crate::cli::run_cmd::register_env_secrets(&plan.profiles, &session.env_map, &redactor);
    // Nothing is sent: the exchange only renders, as `run` does.
    let (events, _) = std::sync::mpsc::channel();
    let ex = Exchange::new(
        reqwest::Client::new(),
        redactor,
        std::mem::take(&mut session.default_headers),
        session.default_timeout,
        false,
        events,
    );
    match commands(args, file, &plan, &session, &ex, out) {
        Ok(0) => {
            out.error(&format!(
                "no request named `{}` in {}",
                args.request.as_deref().unwrap_or(""),
                file.display
            ));
            exit::INVALID
        }
        Ok(_) => exit::OK,
        Err(e) => {
            out.error(&ex.redactor.redact(&e));
            exit::INVALID
        }
    }
}

/// Prints the command of each selected request; returns how many.
///
/// Errors: the first request that does not render, or a var that does not.
fn commands(
    args: &CurlArgs,
    file: &FilePlan,
    plan: &crate::plan::Plan,
    session: &Session,
    ex: &Exchange,
    out: &Output,
) -> Result<usize, String> {
    let mut placeholders = placeholders(file, session)?;
    let mut printed = 0;
    for req in file.requests.iter() {
        let req = req.map_err(|d| d.title.clone())?;
        let req = &*req;
        let mut scope_map = placeholders.clone();
        let profile = match &req.profile {
            Some(ProfileRef::Named(p)) => plan.profiles.get(p).cloned(),
            _ => None,
        };
        if let Some(p) = &profile {
            scope_map.extend(p.placeholders(|_| TOKEN.to_string()));
        }
        let scope = session
            .base
            .with(Arc::new(scope_map))
            .with(session.cli_vars.clone());
        if args.request.as_deref().is_none_or(|n| n == req.name) {
            let env = session.env_name.as_deref();
            let cmd = render_curl(ex, req, &scope, profile.as_deref(), env)
                .map_err(|e| format!("{}: {e}", req.name))?;
            let mut text = format!("# {}\n", req.name);
            for name in captured_names(&cmd) {
                text.push_str(&format!(
                    "# set {name} to a value captured by an earlier request first\n"
                ));
            }
            out.say(&format!("{text}{cmd}"));
            printed += 1;
        }
        for c in &req.captures {
            let shown = format!("__CAPTURE_{}__", shell_name(&c.name));
            placeholders.insert(c.name.clone(), Unknown::value(shown));
        }
    }
    Ok(printed)
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

/// The request `run` would send, as `exchange::render` makes it, with each
/// credential of the profile as its own live `$(sesame token ...)`.
fn render_curl(
    ex: &Exchange,
    req: &RequestPlan,
    scope: &Scope,
    profile: Option<&ProfilePlan>,
    env_name: Option<&str>,
) -> Result<String, String> {
    let mut out = crate::exchange::render(ex, req, scope).map_err(|f| f.message)?;
    let mut live = Live::new(profile.map(|p| token_command(p, "", env_name)));
    let mut notes = Vec::new();
    let basic = match &req.basic {
        Some(b) => {
            out.headers
                .retain(|(h, _)| !h.eq_ignore_ascii_case("authorization"));
            Some(basic_part(b, scope, &ex.redactor, &mut live, &mut notes)?)
        }
        None => None,
    };
    if let Some(p) = profile {
        apply_profile(p, scope, env_name, &mut out, &mut live, &mut notes);
    }
    let q = |s: &str| live.quote(s);
    let mut parts = vec!["curl".to_string()];
    let multipart = matches!(req.body, BodyPlan::Multipart(_));
    if multipart {
        // curl writes the parts, and the Content-Type with its own boundary.
        out.headers
            .retain(|(h, _)| !h.eq_ignore_ascii_case("content-type"));
    }
    let has_body = out.body.is_some() || out.body_file.is_some();
    match (&out.method, has_body) {
        (&reqwest::Method::HEAD, _) => parts.push("--head".into()),
        (&reqwest::Method::GET, false) => {}
        (m, _) => parts.push(format!("-X {m}")),
    }
    parts.push(q(&ex.redactor.redact(out.url.as_str())));
    if !out
        .headers
        .iter()
        .any(|(h, _)| h.eq_ignore_ascii_case("user-agent"))
    {
        parts.push(format!(
            "-H {}",
            quote(concat!("User-Agent: sesame/", env!("CARGO_PKG_VERSION")))
        ));
    }
    for (k, v) in &out.headers {
        let v = if live.holds(v) {
            ex.redactor.redact(v)
        } else {
            ex.redactor.header_value(k, v)
        };
        parts.push(format!("-H {}", q(&format!("{k}: {v}"))));
    }
    parts.extend(basic);
    parts.extend(body_parts(req, &out, scope, &ex.redactor, &live)?);
    if out.follow_redirects {
        parts.push("-L".into());
    }
    parts.push(format!("--max-time {}", seconds(out.timeout)));
    notes.push(parts.join(" \\\n  "));
    Ok(notes.join("\n"))
}

/// The body as `run` sends it: `--data-raw` (without curl's form
/// Content-Type when `run` sends none), `--data-binary @FILE`, or one `-F`
/// per `multipart:` field.
fn body_parts(
    req: &RequestPlan,
    out: &crate::http::Outgoing,
    scope: &Scope,
    redactor: &Redactor,
    live: &Live,
) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    if let BodyPlan::Multipart(fields) = &req.body {
        for (name, part) in fields {
            parts.push(match part {
                PartPlan::Text(t) => {
                    let v = t.render(scope).map_err(|e| e.message)?;
                    let field = format!("{name}={}", redactor.redact(&v));
                    format!("--form-string {}", live.quote(&field))
                }
                PartPlan::File {
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
                    format!("-F {}", quote(&spec))
                }
            });
        }
    } else if let Some(path) = &out.body_file {
        parts.push(format!(
            "--data-binary {}",
            quote(&format!("@{}", path.display()))
        ));
    } else if let Some(body) = &out.body {
        let typed = out
            .headers
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case("content-type"));
        if !typed {
            // curl would add a form Content-Type that `run` does not send.
            parts.push(format!("-H {}", quote("Content-Type:")));
        }
        let text = String::from_utf8_lossy(body);
        parts.push(format!(
            "--data-raw {}",
            live.quote(&redactor.redact(&text))
        ));
    }
    Ok(parts)
}

/// `-u USER:PASSWORD` for a request's `basic:` (a secret pair): each part
/// live from its environment variable when it is `{{ env.NAME }}`, else
/// from `$BASIC_USER` / `$BASIC_PASSWORD`; as written with `--show-secrets`.
fn basic_part(
    b: &crate::plan::BasicPlan,
    scope: &Scope,
    redactor: &Redactor,
    live: &mut Live,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let mut part = |t: &crate::template::Tpl, fallback: &str, what: &str| {
        if redactor.show_secrets() {
            return t.render(scope).map_err(|e| e.message);
        }
        let var = env_variable(t.source()).unwrap_or_else(|| {
            notes.push(format!(
                "# set {fallback} to the request's basic: {what} first"
            ));
            fallback.into()
        });
        Ok(live.marker(format!("${var}")))
    };
    let user = part(&b.username, "BASIC_USER", "user name")?;
    let password = part(&b.password, "BASIC_PASSWORD", "password")?;
    Ok(format!("-u {}", live.quote(&format!("{user}:{password}"))))
}

/// `NAME` when `source` is exactly `{{ env.NAME }}`.
fn env_variable(source: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$").expect("valid regex")
    });
    re.captures(source.trim()).map(|c| c[1].to_string())
}

/// Adds what the profile applies, as `run` does (a request's own header
/// wins; nothing for an origin outside `hosts:`): values built from
/// credentials as `$(sesame token P --header NAME)` / `--query NAME`, the
/// others as rendered.
fn apply_profile(
    p: &ProfilePlan,
    scope: &Scope,
    env_name: Option<&str>,
    out: &mut crate::http::Outgoing,
    live: &mut Live,
    notes: &mut Vec<String>,
) {
    if let Ok(Some(hosts)) = crate::auth::login::hosts(p, scope)
        && !hosts.iter().any(|o| o.matches(&out.url))
    {
        return;
    }
    for (k, t) in &p.apply_headers {
        if !out.headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
            let flag = format!(" --header {k}");
            let v = applied_value(p, &[t], t.render(scope), &flag, env_name, live);
            out.headers.push((k.clone(), v));
        }
    }
    if p.apply_basic.is_some()
        && !out
            .headers
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case("authorization"))
    {
        let v = live.marker(token_command(p, " --header Authorization", env_name));
        out.headers.push(("Authorization".into(), v));
    }
    // The request's own parameter replaces the profile's of that name.
    let own: Vec<String> = out.url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    let query: Vec<(String, String)> = p
        .apply_query
        .iter()
        .filter(|(k, _)| !own.contains(k))
        .map(|(k, t)| {
            let rendered = t.render(scope).map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            });
            let flag = format!(" --query {k}");
            let v = applied_value(p, &t.templates(), rendered, &flag, env_name, live);
            (k.clone(), v)
        })
        .collect();
    if !query.is_empty() {
        out.url.query_pairs_mut().extend_pairs(query);
    }
    if p.apply_cookies {
        notes.push(format!(
            "# profile {} uses a cookie session: log in with its steps first",
            p.name
        ));
    }
}

/// An applied value: as rendered when it does not depend on the login,
/// else a live `$(sesame token P FLAG)`.
fn applied_value(
    p: &ProfilePlan,
    templates: &[&crate::template::Tpl],
    rendered: Result<String, crate::template::TemplateError>,
    flag: &str,
    env_name: Option<&str>,
    live: &mut Live,
) -> String {
    let derived = crate::auth::login::derived_from_secrets(p)(templates);
    match (derived, rendered) {
        (false, Ok(v)) => v,
        _ => live.marker(token_command(p, flag, env_name)),
    }
}

/// `$(sesame token P[ FLAGS][ --env E])`.
fn token_command(p: &ProfilePlan, flags: &str, env_name: Option<&str>) -> String {
    match env_name {
        Some(e) => format!("$(sesame token {}{flags} --env {e})", p.name),
        None => format!("$(sesame token {}{flags})", p.name),
    }
}

/// `30`, `2.5`: seconds for `--max-time`.
fn seconds(d: std::time::Duration) -> String {
    if d.subsec_millis() == 0 {
        d.as_secs().to_string()
    } else {
        format!("{:.3}", d.as_secs_f64())
    }
}

/// Shell expressions left live in the printed command: each stands in the
/// request as a marker until quoting puts it back.
struct Live {
    commands: Vec<String>,
    /// `$(sesame token P)` for `auth.NAME` used in the request itself.
    default_token: Option<String>,
}

impl Live {
    fn new(default_token: Option<String>) -> Live {
        Live {
            commands: Vec::new(),
            default_token,
        }
    }

    /// A marker for `expr`, kept as is by URL and form encoding.
    fn marker(&mut self, expr: String) -> String {
        self.commands.push(expr);
        format!("__SESAME_LIVE_{}__", self.commands.len() - 1)
    }

    fn holds(&self, s: &str) -> bool {
        live_parts().is_match(s)
    }

    /// Quotes `s` for a POSIX shell, leaving markers live in double quotes.
    fn quote(&self, s: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for m in live_parts().captures_iter(s) {
            let whole = m.get(0).expect("match");
            if whole.start() > last {
                out.push_str(&quote(&s[last..whole.start()]));
            }
            let expr = if let Some(name) = m.get(1) {
                format!("$CAPTURE_{}", name.as_str())
            } else if let Some(i) = m.get(2).and_then(|i| i.as_str().parse::<usize>().ok()) {
                self.commands.get(i).cloned().unwrap_or_default()
            } else {
                self.default_token
                    .clone()
                    .unwrap_or_else(|| "$(sesame token)".into())
            };
            out.push_str(&format!("\"{expr}\""));
            last = whole.end();
        }
        if last < s.len() || out.is_empty() {
            out.push_str(&quote(&s[last..]));
        }
        out
    }
}

/// Single-quotes `s` for a POSIX shell.
pub(crate) fn quote(s: &str) -> String {
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
        regex::Regex::new(r"__SESAME_TOKEN__|__CAPTURE_([A-Z0-9_]+?)__|__SESAME_LIVE_([0-9]+)__")
            .expect("valid regex")
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
