//! One request file: its requests in order, captures in scope for later
//! ones; a failure stops the file and the rest are reported as skipped.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::cookie::Jar;
use serde_json::Value;

use crate::http::Origin;
use crate::plan::{FilePlan, ProfileRef, RequestPlan, WhenPlan};
use crate::report::event::{Event, Exchange, Failure, FileEnd, FileStart, Outcome, RequestResult};
use crate::runner::exchange::{self, Body, failure};
use crate::runner::runtime::Runtime;
use crate::template::{Layer, Scope, from_json};

#[derive(Clone, Copy, Debug, Default)]
pub struct FileStats {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// Runs `file`; `inputs` are its resolved inputs.
pub async fn run_file(
    rt: Arc<Runtime>,
    index: usize,
    file: &FilePlan,
    inputs: HashMap<String, Value>,
) -> FileStats {
    let started = Instant::now();
    rt.emit(Event::FileStart(FileStart {
        index,
        path: file.display.clone(),
        name: file.name.clone(),
        requests: file.requests.len(),
    }));
    let mut stats = FileStats::default();
    let mut stop: Option<String> = None;
    let file_scope = match file_scope(&rt, file, inputs) {
        Ok(s) => s,
        Err(f) => {
            stop = Some("the file's vars could not be rendered".into());
            emit_failed(&rt, index, file, 0, &file.requests[0], vec![f]);
            stats.failed += 1;
            Scope::new()
        }
    };
    let mut captures: Layer = Arc::new(HashMap::new());
    let jar = Jar::default();
    let start_at = stats.failed;
    for (i, req) in file.requests.iter().enumerate().skip(start_at) {
        if let Some(reason) = &stop {
            emit_skipped(&rt, index, file, i, req, reason.clone());
            stats.skipped += 1;
            continue;
        }
        let scope = file_scope.with(captures.clone());
        match run_request(&rt, index, file, i, req, &scope, &jar).await {
            Step::Passed(caught) => {
                stats.passed += 1;
                if !caught.is_empty() {
                    let map = Arc::make_mut(&mut captures);
                    for (k, v) in caught {
                        map.insert(k, from_json(&v));
                    }
                }
            }
            Step::Skipped => stats.skipped += 1,
            Step::Failed => {
                stats.failed += 1;
                stop = Some(format!("`{}` failed", req.name));
            }
        }
    }
    rt.emit(Event::FileEnd(FileEnd {
        index,
        path: file.display.clone(),
        name: file.name.clone(),
        passed: stats.passed,
        failed: stats.failed,
        skipped: stats.skipped,
        duration: started.elapsed(),
    }));
    stats
}

/// `env` and the environment, then the file's vars and inputs, then `--var`.
fn file_scope(
    rt: &Runtime,
    file: &FilePlan,
    inputs: HashMap<String, Value>,
) -> Result<Scope, Failure> {
    let mut vars: HashMap<String, minijinja::Value> = inputs
        .iter()
        .map(|(k, v)| (k.clone(), from_json(v)))
        .collect();
    for (name, tv) in &file.vars {
        let scope = rt
            .base
            .with(Arc::new(vars.clone()))
            .with(rt.cli_vars.clone());
        let v = tv.render(&scope).map_err(|e| {
            failure(
                "template",
                format!("var `{name}`: {} ", e.message)
                    .trim_end()
                    .to_string(),
                Some(&file.display),
            )
        })?;
        vars.insert(name.clone(), from_json(&v));
    }
    Ok(rt.base.with(Arc::new(vars)).with(rt.cli_vars.clone()))
}

enum Step {
    Passed(Vec<(String, Value)>),
    Skipped,
    Failed,
}

fn result(index: usize, file: &FilePlan, i: usize, req: &RequestPlan) -> RequestResult {
    RequestResult {
        file_index: index,
        file: file.display.clone(),
        file_name: file.name.clone(),
        index: i,
        name: req.name.clone(),
        method: req.method.to_string(),
        url: req.url.source().to_string(),
        status: None,
        duration: Duration::ZERO,
        attempts: 0,
        outcome: Outcome::Passed,
        failures: Vec::new(),
        body_excerpt: None,
    }
}

fn emit_skipped(
    rt: &Runtime,
    index: usize,
    file: &FilePlan,
    i: usize,
    req: &RequestPlan,
    reason: String,
) {
    let mut r = result(index, file, i, req);
    r.outcome = Outcome::Skipped { reason };
    rt.emit_result(r);
}

fn emit_failed(
    rt: &Runtime,
    index: usize,
    file: &FilePlan,
    i: usize,
    req: &RequestPlan,
    failures: Vec<Failure>,
) {
    fail(rt, result(index, file, i, req), failures);
}

/// Dry-run stand-ins for values only a real run has.
fn placeholder_layer(
    file: &FilePlan,
    req: &RequestPlan,
    profile: Option<&str>,
    rt: &Runtime,
) -> Layer {
    let mut map: HashMap<String, minijinja::Value> = HashMap::new();
    for r in &file.requests {
        for c in &r.captures {
            map.insert(
                c.name.clone(),
                minijinja::Value::from(format!("<capture {}>", c.name)),
            );
        }
        if std::ptr::eq(r, req) {
            break;
        }
    }
    if let Some(p) = profile.and_then(|p| rt.auth.plan(p)) {
        map.extend(p.placeholders(|n| format!("<auth.{n} from profile {}>", p.name)));
    }
    Arc::new(map)
}

#[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
async fn run_request(
    rt: &Runtime,
    index: usize,
    file: &FilePlan,
    i: usize,
    req: &RequestPlan,
    scope: &Scope,
    jar: &Jar,
) -> Step {
    let mut res = result(index, file, i, req);
    let profile = match &req.profile {
        Some(ProfileRef::Named(p)) => Some(p.as_str()),
        _ => None,
    };
    if rt.flags.dry_run {
        let scope = scope.with(placeholder_layer(file, req, profile, rt));
        return dry_run(rt, res, req, &scope, profile);
    }
    if let Some(when) = &req.when {
        let go = match when {
            WhenPlan::Fixed(b) => *b,
            WhenPlan::Template(t) => match t.eval(scope).map(|v| truthy(&v)) {
                Ok(Ok(b)) => b,
                Ok(Err(e)) | Err(crate::template::TemplateError { message: e, .. }) => {
                    return fail(rt, res, vec![failure("when", e, Some(&req.location))]);
                }
            },
        };
        if !go {
            res.outcome = Outcome::Skipped {
                reason: "`when` is false".into(),
            };
            rt.emit_result(res);
            return Step::Skipped;
        }
    }
    if let Some(p) = profile
        && let Some(refusal) = refuse_before_login(rt, req, scope, p)
    {
        return fail(rt, res, vec![refusal]);
    }
    let mut creds = None;
    let mut scope = scope.clone();
    if let Some(p) = profile {
        match rt.auth.get(rt, p).await {
            Ok(c) => {
                scope = scope.with(c.request_layer());
                creds = Some(c);
            }
            Err(e) => {
                return fail(
                    rt,
                    res,
                    vec![failure(&format!("login {p}"), e, Some(&req.location))],
                );
            }
        }
    }
    if let Some(q) = &req.confirm {
        let question = q.render(&scope).unwrap_or_else(|_| q.source().to_string());
        if let Err(msg) = confirm(rt, &question) {
            return fail(rt, res, vec![failure("confirm", msg, Some(&req.location))]);
        }
    }
    let mut out = match exchange::render(rt, req, &scope) {
        Ok(o) => o,
        Err(f) => {
            return fail(rt, res, vec![f]);
        }
    };
    res.url = out.url.to_string();
    if let Some(c) = &creds
        && let Some(hosts) = &c.hosts
        && !hosts.iter().any(|h| h.matches(&out.url))
    {
        return fail(
            rt,
            res,
            vec![hosts_refusal(req, &out.url, &c.profile, hosts)],
        );
    }
    let attempts = 1 + req.retry.map(|r| r.count).unwrap_or(0);
    let mut reauthed = false;
    let mut attempt = 0;
    loop {
        attempt += 1;
        res.attempts += 1;
        let creds_view = creds.as_ref().map(|c| c.credentials());
        let inc = match exchange::send(rt, &out, creds_view.as_ref(), jar).await {
            Ok(inc) => inc,
            Err(mut f) => {
                f.location = Some(req.location.clone());
                if rt.flags.verbose {
                    let (request, response) = exchange::exchange_text(rt, &out, None);
                    rt.emit(Event::Exchange(Exchange {
                        file_index: index,
                        request,
                        response,
                    }));
                }
                if attempt < attempts {
                    tokio::time::sleep(exchange::retry_delay(req)).await;
                    continue;
                }
                return fail(rt, res, vec![f]);
            }
        };
        if rt.flags.verbose {
            let (request, response) = exchange::exchange_text(rt, &out, Some(&inc));
            rt.emit(Event::Exchange(Exchange {
                file_index: index,
                request,
                response,
            }));
        }
        res.status = Some(inc.status.as_u16());
        res.duration = inc.duration;
        if inc.status == reqwest::StatusCode::UNAUTHORIZED
            && !reauthed
            && let (Some(p), Some(c)) = (profile, &creds)
            && c.hosts
                .as_ref()
                .is_none_or(|h| h.iter().any(|o| o.matches(&out.url)))
            && !(c.headers.is_empty() && c.query.is_empty() && c.jar.is_none())
            && rt.auth.plan(p).is_some_and(|plan| !plan.login.is_empty())
            && !req
                .expect
                .status
                .as_ref()
                .is_some_and(|(s, _)| s.accepts(401))
        {
            reauthed = true;
            match rt.auth.refresh(rt, p, c.generation).await {
                Ok(fresh) => {
                    scope = scope.with(fresh.request_layer());
                    creds = Some(fresh);
                    if let Ok(o) = exchange::render(rt, req, &scope) {
                        out = o;
                    }
                    continue;
                }
                Err(e) => {
                    return fail(
                        rt,
                        res,
                        vec![failure(&format!("login {p}"), e, Some(&req.location))],
                    );
                }
            }
        }
        let body = Body::new(&inc.body);
        let failures = exchange::evaluate(req, &inc, &body, &scope);
        if failures.is_empty() {
            match exchange::capture(req, &inc, &body) {
                Ok(caught) => {
                    rt.emit_result(res);
                    return Step::Passed(caught);
                }
                Err(f) => {
                    res.body_excerpt = Some(exchange::excerpt(&body.text, 800));
                    return fail(rt, res, vec![f]);
                }
            }
        }
        if attempt < attempts {
            tokio::time::sleep(exchange::retry_delay(req)).await;
            continue;
        }
        res.body_excerpt = Some(exchange::excerpt(&body.text, 800));
        return fail(rt, res, failures);
    }
}

fn dry_run(
    rt: &Runtime,
    mut res: RequestResult,
    req: &RequestPlan,
    scope: &Scope,
    profile: Option<&str>,
) -> Step {
    match exchange::render(rt, req, scope) {
        Ok(mut out) => {
            if let Some(p) = profile.and_then(|p| rt.auth.plan(p)) {
                for (k, _) in &p.apply_headers {
                    out.headers
                        .push((k.clone(), format!("<credentials of profile {}>", p.name)));
                }
                if p.apply_basic.is_some() {
                    out.headers.push((
                        "Authorization".into(),
                        format!("<credentials of profile {}>", p.name),
                    ));
                }
                for (k, _) in &p.apply_query {
                    out.url
                        .query_pairs_mut()
                        .append_pair(k, &format!("<credentials of profile {}>", p.name));
                }
            }
            res.url = out.url.to_string();
            if rt.flags.verbose {
                let (request, _) = exchange::exchange_text(rt, &out, None);
                rt.emit(Event::Exchange(Exchange {
                    file_index: res.file_index,
                    request,
                    response: None,
                }));
            }
            rt.emit_result(res);
            Step::Passed(vec![])
        }
        Err(f) => fail(rt, res, vec![f]),
    }
}

fn confirm(rt: &Runtime, question: &str) -> Result<(), String> {
    if rt.flags.yes {
        return Ok(());
    }
    if !rt.flags.interactive {
        return Err(format!(
            "this request asks \"{question}\" and there is no terminal to answer it: pass --yes to confirm"
        ));
    }
    let _guard = rt.prompt_lock.lock();
    let term = console::Term::stderr();
    let _ = term.write_str(&format!("{question} [y/N] "));
    let answer = crate::runner::blocking(|| term.read_line())
        .map_err(|e| format!("could not read the answer: {e}"))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(format!("not confirmed: \"{question}\""))
    }
}

/// A `when:` value: a boolean, or text that says `true` or `false`.
fn truthy(v: &minijinja::Value) -> Result<bool, String> {
    match v.as_str() {
        Some(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(true),
            "false" | "no" | "0" | "" => Ok(false),
            other => Err(format!("`when` rendered to `{other}`, not true or false")),
        },
        None => Ok(v.is_true()),
    }
}

/// A request whose URL is outside its profile's hosts is refused before the
/// profile logs in, when both can be known without logging in.
fn refuse_before_login(
    rt: &Runtime,
    req: &RequestPlan,
    scope: &Scope,
    profile: &str,
) -> Option<Failure> {
    let hosts = rt.auth.hosts_before_login(rt, profile)?;
    let url = url::Url::parse(req.url.render(scope).ok()?.trim()).ok()?;
    (!hosts.iter().any(|h| h.matches(&url))).then(|| hosts_refusal(req, &url, profile, hosts))
}

fn hosts_refusal(req: &RequestPlan, url: &url::Url, profile: &str, hosts: &[Origin]) -> Failure {
    let list: Vec<&str> = hosts.iter().map(Origin::as_str).collect();
    failure(
        "hosts",
        format!(
            "refused before sending: {} is not among the hosts of profile {profile} ({}); add it to the profile's `hosts:` if it should receive these credentials",
            Origin::of(url),
            list.join(", ")
        ),
        Some(&req.location),
    )
}

/// Reports `res` as failed with `failures`; the file stops here.
fn fail(rt: &Runtime, mut res: RequestResult, failures: Vec<Failure>) -> Step {
    res.outcome = Outcome::Failed;
    res.failures = failures;
    rt.emit_result(res);
    Step::Failed
}
