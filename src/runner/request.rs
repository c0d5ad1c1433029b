//! One request of a file, from its plan to its result: `when:`, the
//! profile's credentials, `confirm:`, the hosts check, the attempt loop,
//! and one re-login on a 401. Returns the result as data; the file loop
//! emits it once.

use std::sync::Arc;

use crate::http::Jar;
use serde_json::Value;

use crate::assertion::Failure;
use crate::auth::creds::Creds;
use crate::exchange::{self, Attempted, Options, Verdict};
use crate::http::{Origin, Outgoing};
use crate::plan::{FilePlan, ProfileRef, RequestPlan, WhenPlan};
use crate::report::event::{Outcome, RequestResult};
use crate::runner::runtime::Runtime;
use crate::template::Scope;

/// A request's result, and what it captured for later requests.
pub(crate) struct Ran {
    pub result: RequestResult,
    pub captures: Vec<(String, Value)>,
}

impl Ran {
    fn new(result: RequestResult) -> Ran {
        Ran {
            result,
            captures: Vec::new(),
        }
    }

    fn failed(mut self, failures: Vec<Failure>) -> Ran {
        self.result.outcome = Outcome::Failed;
        self.result.failures = failures;
        self
    }

    fn skipped(mut self, reason: impl Into<String>) -> Ran {
        self.result.outcome = Outcome::Skipped {
            reason: reason.into(),
        };
        self
    }
}

/// Where a request stands in the run.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub file_index: usize,
    pub file: &'a FilePlan,
}

/// The result of a request that has not run yet.
pub(crate) fn pending(at: At<'_>, req: &RequestPlan) -> RequestResult {
    RequestResult {
        file_index: at.file_index,
        file: at.file.display.clone(),
        file_name: at.file.name.clone(),
        name: req.name.clone(),
        method: req.method.to_string(),
        url: req.url.source().to_string(),
        status: None,
        duration: std::time::Duration::ZERO,
        attempts: 0,
        outcome: Outcome::Passed,
        failures: Vec::new(),
        body_excerpt: None,
    }
}

/// Runs `req` in `scope`; `jar` holds the file's cookies, for a request
/// without a profile (a profile's requests use the profile's jar).
pub(crate) async fn run_request(
    rt: &Runtime,
    at: At<'_>,
    req: &RequestPlan,
    scope: &Scope,
    jar: &Jar,
) -> Ran {
    let ran = Ran::new(pending(at, req));
    let profile = match &req.profile {
        Some(ProfileRef::Named(p)) => Some(p.as_str()),
        _ => None,
    };
    if rt.flags.dry_run {
        return crate::runner::dry_run::dry_run(rt, ran.result, req, scope, profile)
            .map_or_else(|(r, f)| Ran::new(r).failed(vec![f]), Ran::new);
    }
    match when(req, scope) {
        Ok(true) => {}
        Ok(false) => return ran.skipped("`when` is false"),
        Err(f) => return ran.failed(vec![f]),
    }
    if let Some(p) = profile
        && let Some(refusal) = refuse_before_login(rt, req, scope, p)
    {
        return ran.failed(vec![refusal]);
    }
    let (creds, scope) = match profile {
        None => (None, scope.clone()),
        Some(p) => match rt.auth.get(p).await {
            Ok(c) => {
                let s = scope.with(c.request_layer());
                (Some(c), s)
            }
            Err(e) => return ran.failed(vec![login_failure(p, e, req)]),
        },
    };
    if let Some(q) = &req.confirm {
        let question = q.render(&scope).unwrap_or_else(|_| q.source().to_string());
        if let Err(msg) = crate::runner::confirm::confirm(rt, &question) {
            return ran.failed(vec![Failure::new("confirm", msg, Some(&req.location))]);
        }
    }
    send(rt, at, req, ran, scope, creds, jar).await
}

/// Sends the request as its profile; on a 401 the profile logs in again
/// once and the request goes once more.
async fn send(
    rt: &Runtime,
    at: At<'_>,
    req: &RequestPlan,
    mut ran: Ran,
    scope: Scope,
    creds: Option<Arc<Creds>>,
    jar: &Jar,
) -> Ran {
    let out = match prepare(rt, req, &scope, creds.as_deref()) {
        Ok(o) => o,
        Err(f) => return ran.failed(vec![f]),
    };
    ran.result.url = out.url.to_string();
    let opts = Options {
        file_index: at.file_index,
        secret_captures: false,
        stop_on_unauthorized: creds
            .as_deref()
            .is_some_and(|c| may_log_in_again(rt, req, c)),
    };
    let view = creds.as_deref().map(Creds::credentials);
    // A profile's requests use its cookie jar, and a `tls:` profile's go
    // through its own client.
    let owner = creds.as_deref().map_or(jar, |c| &*c.jar);
    let ex = creds.as_deref().map_or(&*rt.exchange, |c| &*c.exchange);
    let mut done =
        exchange::attempt_rendered(ex, req, out, &scope, owner, view.as_ref(), opts).await;
    if let (Verdict::Unauthorized, Some(c)) = (&done.verdict, &creds) {
        let fresh = match rt.auth.refresh(&c.profile, c.generation).await {
            Ok(f) => f,
            Err(e) => return ran.failed(vec![login_failure(&c.profile, e, req)]),
        };
        let scope = scope.with(fresh.request_layer());
        let out = match prepare(rt, req, &scope, Some(&fresh)) {
            Ok(o) => o,
            Err(f) => return ran.failed(vec![f]),
        };
        let view = fresh.credentials();
        let opts = Options {
            stop_on_unauthorized: false,
            ..opts
        };
        let sent_before = done.attempts;
        done = exchange::attempt_rendered(
            &fresh.exchange,
            req,
            out,
            &scope,
            &fresh.jar,
            Some(&view),
            opts,
        )
        .await;
        done.attempts += sent_before;
    }
    finish(ran, done)
}

/// Renders the request and refuses it when its URL is outside the hosts
/// of the credentials it would carry.
fn prepare(
    rt: &Runtime,
    req: &RequestPlan,
    scope: &Scope,
    creds: Option<&Creds>,
) -> Result<Outgoing, Failure> {
    let out = exchange::render(&rt.exchange, req, scope)?;
    if let Some(c) = creds
        && let Some(hosts) = &c.hosts
        && !hosts.iter().any(|h| h.matches(&out.url))
    {
        return Err(hosts_refusal(req, &out.url, &c.profile, hosts));
    }
    Ok(out)
}

fn finish(mut ran: Ran, done: Attempted) -> Ran {
    ran.result.attempts = done.attempts;
    ran.result.status = done.status;
    ran.result.duration = done.duration;
    if let Some(out) = &done.out {
        ran.result.url = out.url.to_string();
    }
    match done.verdict {
        Verdict::Passed(caught) => {
            ran.captures = caught;
            ran
        }
        Verdict::Failed { failures, body } => {
            ran.result.body_excerpt = body;
            ran.failed(failures)
        }
        // Only asked for when a re-login is possible, and answered above.
        Verdict::Unauthorized => ran.failed(vec![Failure::new(
            "status",
            "refused (401) after logging in again",
            None,
        )]),
    }
}

/// A 401 makes the profile log in again when that can help: the request
/// carried credentials from login steps and did not expect the 401.
fn may_log_in_again(rt: &Runtime, req: &RequestPlan, c: &Creds) -> bool {
    rt.auth.plan(&c.profile).is_some_and(|p| {
        !p.login.is_empty() && (p.apply_cookies || !(c.headers.is_empty() && c.query.is_empty()))
    }) && !req
        .expect
        .status
        .as_ref()
        .is_some_and(|(s, _)| s.accepts(401))
}

fn login_failure(profile: &str, e: String, req: &RequestPlan) -> Failure {
    Failure::new(&format!("login {profile}"), e, Some(&req.location))
}

/// `when:` decides whether the request runs.
fn when(req: &RequestPlan, scope: &Scope) -> Result<bool, Failure> {
    let fail = |e: String| Failure::new("when", e, Some(&req.location));
    match &req.when {
        None => Ok(true),
        Some(WhenPlan::Fixed(b)) => Ok(*b),
        Some(WhenPlan::Template(t)) => {
            let v = t.eval(scope).map_err(|e| fail(e.message))?;
            truthy(&v).map_err(fail)
        }
    }
}

/// A `when:` value: a boolean, or text that says `true` or `false`.
fn truthy(v: &minijinja::Value) -> Result<bool, String> {
    match v.as_str() {
        Some(s) => WhenPlan::truth(s).ok_or_else(|| {
            format!(
                "`when` rendered to `{}`, not true or false",
                s.trim().to_ascii_lowercase()
            )
        }),
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
    let hosts = rt.auth.hosts_before_login(profile)?;
    let url = url::Url::parse(req.url.render(scope).ok()?.trim()).ok()?;
    (!hosts.iter().any(|h| h.matches(&url))).then(|| hosts_refusal(req, &url, profile, hosts))
}

fn hosts_refusal(req: &RequestPlan, url: &url::Url, profile: &str, hosts: &[Origin]) -> Failure {
    let list: Vec<&str> = hosts.iter().map(Origin::as_str).collect();
    Failure::new(
        "hosts",
        format!(
            "refused before sending: {} is not among the hosts of profile {profile} ({}); add it to the profile's `hosts:` if it should receive these credentials",
            Origin::of(url),
            list.join(", ")
        ),
        Some(&req.location),
    )
}
