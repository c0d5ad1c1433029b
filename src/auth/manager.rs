//! Resolves each profile into credentials at most once per run, however
//! many files and workers use it: every waiter shares one login (single
//! flight, by a per-profile async lock). A refresh after expiry or a 401 is
//! a new login; a failed login is remembered so it is not retried.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::cookie::Jar;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::auth::cache::{CachedCreds, CredCache};
use crate::auth::creds::{Creds, REFRESH_MARGIN};
use crate::duration::{self, BareUnit};
use crate::http::Origin;
use crate::plan::ProfilePlan;
use crate::report::event::{Event, Exchange, Level};
use crate::runner::exchange;
use crate::runner::runtime::Runtime;
use crate::template::{Scope, from_json, functions::jwt_exp, layer};

struct Slot {
    plan: Arc<ProfilePlan>,
    state: Mutex<State>,
    hosts_before_login: std::sync::OnceLock<Option<Vec<Origin>>>,
    /// Set once credentials exist, so hot paths can skip pre-login checks.
    resolved: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct State {
    creds: Option<Arc<Creds>>,
    error: Option<String>,
    generation: u64,
    secrets: Option<HashMap<String, String>>,
    /// Logged in by this run (not from the disk cache): logout is due.
    logged_in: bool,
}

pub struct AuthManager {
    slots: BTreeMap<String, Slot>,
    cache: Option<CredCache>,
    env_name: Option<String>,
    /// The process environment and `.env`, for `env:` secret sources.
    env: Arc<BTreeMap<String, String>>,
    /// Text of the chosen environment's variables, part of the cache key.
    env_fingerprint: String,
}

impl AuthManager {
    pub fn new(
        profiles: &BTreeMap<String, Arc<ProfilePlan>>,
        cache: Option<CredCache>,
        env_name: Option<String>,
        env: Arc<BTreeMap<String, String>>,
        env_fingerprint: String,
    ) -> AuthManager {
        AuthManager {
            slots: profiles
                .iter()
                .map(|(k, p)| {
                    (
                        k.clone(),
                        Slot {
                            plan: p.clone(),
                            state: Mutex::new(State::default()),
                            hosts_before_login: std::sync::OnceLock::new(),
                            resolved: std::sync::atomic::AtomicBool::new(false),
                        },
                    )
                })
                .collect(),
            cache,
            env_name,
            env,
            env_fingerprint,
        }
    }

    /// The profile's hosts as far as they can be known before logging in
    /// (rendered without secrets or captures); `None` when unrestricted or
    /// when they depend on values only a login gives.
    pub fn hosts_before_login(&self, rt: &Runtime, name: &str) -> Option<&[Origin]> {
        let slot = self.slots.get(name)?;
        if slot.resolved.load(std::sync::atomic::Ordering::Acquire) {
            // Logged in: the check after rendering, with the real hosts, applies.
            return None;
        }
        slot.hosts_before_login
            .get_or_init(|| Self::render_hosts_before_login(rt, &slot.plan))
            .as_deref()
    }

    fn render_hosts_before_login(rt: &Runtime, plan: &ProfilePlan) -> Option<Vec<Origin>> {
        // Without secrets or captures in scope, hosts that need them do not
        // render: then only the check after login applies.
        hosts(plan, &rt.base.with(rt.cli_vars.clone()))
            .ok()
            .flatten()
    }

    pub fn plan(&self, name: &str) -> Option<&Arc<ProfilePlan>> {
        self.slots.get(name).map(|s| &s.plan)
    }

    /// Credentials of `name`, logging in if there are none or they expire soon.
    pub async fn get(&self, rt: &Runtime, name: &str) -> Result<Arc<Creds>, String> {
        let slot = self.slot(name)?;
        let mut state = slot.state.lock().await;
        if let Some(e) = &state.error {
            return Err(e.clone());
        }
        if let Some(c) = &state.creds
            && c.fresh(SystemTime::now())
        {
            return Ok(c.clone());
        }
        let refresh = state.creds.is_some();
        self.login(rt, slot, &mut state, !refresh).await
    }

    /// Logs in again after a 401, unless another worker already did since
    /// `seen_generation`.
    pub async fn refresh(
        &self,
        rt: &Runtime,
        name: &str,
        seen_generation: u64,
    ) -> Result<Arc<Creds>, String> {
        let slot = self.slot(name)?;
        let mut state = slot.state.lock().await;
        if let Some(e) = &state.error {
            return Err(e.clone());
        }
        if let Some(c) = &state.creds
            && c.generation != seen_generation
        {
            return Ok(c.clone());
        }
        rt.message(
            Level::Info,
            format!("profile {name}: credentials refused (401), logging in again"),
        );
        self.login(rt, slot, &mut state, false).await
    }

    fn slot(&self, name: &str) -> Result<&Slot, String> {
        self.slots
            .get(name)
            .ok_or_else(|| format!("unknown profile `{name}`"))
    }

    async fn login(
        &self,
        rt: &Runtime,
        slot: &Slot,
        state: &mut State,
        use_cache: bool,
    ) -> Result<Arc<Creds>, String> {
        let plan = &slot.plan;
        let result = self.login_inner(rt, plan, state, use_cache).await;
        match result {
            Ok(creds) => {
                state.creds = Some(creds.clone());
                slot.resolved
                    .store(true, std::sync::atomic::Ordering::Release);
                Ok(creds)
            }
            Err(e) => {
                let e = format!("profile {} could not log in: {e}", plan.name);
                state.error = Some(e.clone());
                rt.note_login_failed();
                Err(e)
            }
        }
    }

    #[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
    async fn login_inner(
        &self,
        rt: &Runtime,
        plan: &ProfilePlan,
        state: &mut State,
        use_cache: bool,
    ) -> Result<Arc<Creds>, String> {
        if state.secrets.is_none() {
            state.secrets = Some(self.resolve_secrets(rt, plan)?);
        }
        let secrets = state.secrets.clone().unwrap_or_default();
        let cacheable =
            plan.cache && plan.logout.is_empty() && !plan.apply_cookies && !plan.login.is_empty();
        let key = self.cache_key(rt, plan, &secrets);
        if use_cache
            && cacheable
            && let Some(cache) = &self.cache
            && let Some(cached) = cache.load(&key, REFRESH_MARGIN)
        {
            for v in cached.captures.values() {
                register_value(rt, v);
            }
            state.generation += 1;
            let scope = profile_scope(rt, &secrets, &cached.captures);
            let hosts = hosts(plan, &scope)?;
            rt.message(
                Level::Info,
                format!("profile {}: credentials from cache", plan.name),
            );
            return Ok(Arc::new(Creds {
                profile: plan.name.clone(),
                generation: state.generation,
                headers: cached.headers,
                query: cached.query,
                jar: None,
                hosts,
                captures: cached.captures,
                secrets,
                expires_at: Some(UNIX_EPOCH + Duration::from_secs(cached.expires_at)),
                from_cache: true,
                layer: std::sync::OnceLock::new(),
            }));
        }
        let started = Instant::now();
        let login_time = SystemTime::now();
        let jar = Arc::new(Jar::default());
        let mut captures: HashMap<String, Value> = HashMap::new();
        for step in &plan.login {
            let scope = profile_scope(rt, &secrets, &captures);
            let got = run_step(rt, step, &scope, &jar, None)
                .await
                .map_err(|e| format!("login step `{}`: {e}", step.name))?;
            for (k, v) in got {
                register_value(rt, &v);
                captures.insert(k, v);
            }
        }
        let scope = profile_scope(rt, &secrets, &captures);
        let mut headers = Vec::new();
        for (k, t) in &plan.apply_headers {
            let v = t
                .render(&scope)
                .map_err(|e| format!("apply header {k}: {e}"))?;
            headers.push((k.clone(), v));
        }
        if let Some(b) = &plan.apply_basic {
            let user = b
                .username
                .render(&scope)
                .map_err(|e| format!("apply basic: {e}"))?;
            let pass = b
                .password
                .render(&scope)
                .map_err(|e| format!("apply basic: {e}"))?;
            rt.redactor.add_basic_pair(&user, &pass);
            headers.push(("Authorization".into(), exchange::basic_header(&user, &pass)));
        }
        let mut query = Vec::new();
        for (k, t) in &plan.apply_query {
            let v = t
                .render(&scope)
                .map_err(|e| format!("apply query {k}: {e}"))?;
            let v = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            query.push((k.clone(), v));
        }
        for (_, v) in headers.iter().chain(query.iter()) {
            if let Some(token) = v.split_whitespace().last() {
                rt.redactor.add(token);
            }
        }
        let expires_at = expiry(plan, &scope, login_time, &headers, &captures)?;
        let hosts = hosts(plan, &scope)?;
        state.generation += 1;
        state.logged_in = true;
        if !plan.login.is_empty() {
            rt.message(
                Level::Info,
                format!(
                    "profile {}: logged in ({} step{}, {})",
                    plan.name,
                    plan.login.len(),
                    if plan.login.len() == 1 { "" } else { "s" },
                    crate::http::send::fmt_duration(started.elapsed())
                ),
            );
        }
        // Secrets never go to disk: credentials that carry one (e.g. a
        // password in an applied header) are not cached.
        let carries_secret = plan.apply_basic.is_some()
            || headers.iter().chain(query.iter()).any(|(_, v)| {
                secrets
                    .values()
                    .any(|s| !s.is_empty() && v.contains(s.as_str()))
            });
        if cacheable
            && !carries_secret
            && let (Some(cache), Some(exp)) = (&self.cache, expires_at)
        {
            let stored = CachedCreds {
                expires_at: exp
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
                headers: headers.clone(),
                query: query.clone(),
                captures: captures.clone(),
            };
            if let Err(e) = cache.store(&key, &stored) {
                rt.message(
                    Level::Warning,
                    format!("could not write the credential cache: {e}"),
                );
            }
        }
        Ok(Arc::new(Creds {
            profile: plan.name.clone(),
            generation: state.generation,
            headers,
            query,
            jar: plan.apply_cookies.then_some(jar),
            hosts,
            captures,
            secrets,
            expires_at,
            from_cache: false,
            layer: std::sync::OnceLock::new(),
        }))
    }

    fn resolve_secrets(
        &self,
        rt: &Runtime,
        plan: &ProfilePlan,
    ) -> Result<HashMap<String, String>, String> {
        let base_dir = plan.source.path.parent().unwrap_or(Path::new("."));
        let env = self.env.clone();
        let lookup = move |k: &str| env.get(k).cloned();
        let mut out = HashMap::new();
        for (name, src) in &plan.secrets {
            let value = crate::runner::blocking(|| {
                let _guard = rt.prompt_lock.lock();
                crate::secret::source::resolve(&plan.name, name, src, base_dir, &lookup)
            })?;
            rt.redactor.add(value.expose());
            out.insert(name.clone(), value.expose().to_string());
        }
        Ok(out)
    }

    /// Everything the login can depend on: the profile file, the environment,
    /// `--var` values, the `env` variables the profile reads, secret values.
    fn cache_key(
        &self,
        rt: &Runtime,
        plan: &ProfilePlan,
        secrets: &HashMap<String, String>,
    ) -> String {
        let mut parts: Vec<String> =
            vec![plan.source.text.to_string(), self.env_fingerprint.clone()];
        let mut vars: Vec<(&String, String)> = rt
            .cli_vars
            .iter()
            .map(|(k, v)| (k, format!("{v:?}")))
            .collect();
        vars.sort();
        for (k, v) in vars {
            parts.push(format!("var {k}"));
            parts.push(v);
        }
        for name in env_names_read(&plan.source.text) {
            parts.push(format!("env {name}"));
            parts.push(self.env.get(&name).cloned().unwrap_or_default());
        }
        let mut names: Vec<&String> = secrets.keys().collect();
        names.sort();
        for n in names {
            parts.push(n.clone());
            parts.push(secrets[n].clone());
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        CredCache::key(&plan.name, self.env_name.as_deref(), &parts)
    }

    /// Runs the `logout` steps of every profile this run logged in to.
    pub async fn logout_all(&self, rt: &Runtime) {
        for slot in self.slots.values() {
            let state = slot.state.lock().await;
            let (Some(creds), true) = (&state.creds, state.logged_in) else {
                continue;
            };
            if slot.plan.logout.is_empty() {
                continue;
            }
            let creds = creds.clone();
            drop(state);
            let scope = profile_scope(rt, &creds.secrets, &creds.captures);
            let jar = creds.jar.clone().unwrap_or_default();
            let mut ok = true;
            for step in &slot.plan.logout {
                let c = creds.credentials();
                if let Err(e) = run_step(rt, step, &scope, &jar, Some(&c)).await {
                    rt.message(
                        Level::Warning,
                        format!(
                            "profile {}: logout step `{}` failed: {e}",
                            slot.plan.name, step.name
                        ),
                    );
                    ok = false;
                    break;
                }
            }
            if ok {
                rt.message(
                    Level::Info,
                    format!("profile {}: logged out", slot.plan.name),
                );
            }
        }
    }
}

/// Names of the `env` variables a profile's text reads (`env.X`, `env["X"]`), sorted.
fn env_names_read(text: &str) -> std::collections::BTreeSet<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r#"\benv\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']+)["']\s*\])"#)
            .expect("valid regex")
    });
    re.captures_iter(text)
        .filter_map(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().to_string())
        })
        .collect()
}

/// Templates of a profile see `env`, the environment, `--var`, its secrets and its captures.
fn profile_scope(
    rt: &Runtime,
    secrets: &HashMap<String, String>,
    captures: &HashMap<String, Value>,
) -> Scope {
    let secrets_value = from_json(&serde_json::to_value(secrets).unwrap_or_default());
    rt.base
        .with(rt.cli_vars.clone())
        .with(layer([("secrets", secrets_value)]))
        .with(Arc::new(
            captures
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ))
}

fn register_value(rt: &Runtime, v: &Value) {
    match v {
        Value::String(s) => rt.redactor.add(s),
        Value::Number(n) => rt.redactor.add(&n.to_string()),
        Value::Array(items) => items.iter().for_each(|i| register_value(rt, i)),
        Value::Object(m) => m.values().for_each(|i| register_value(rt, i)),
        _ => {}
    }
}

fn expiry(
    plan: &ProfilePlan,
    scope: &Scope,
    login_time: SystemTime,
    headers: &[(String, String)],
    captures: &HashMap<String, Value>,
) -> Result<Option<SystemTime>, String> {
    if let Some(t) = &plan.expires_in {
        let text = t.render(scope).map_err(|e| format!("expires_in: {e}"))?;
        let d =
            duration::parse(&text, BareUnit::Seconds).map_err(|e| format!("expires_in: {e}"))?;
        return Ok(Some(login_time + d));
    }
    if let Some(ttl) = plan.ttl {
        return Ok(Some(login_time + ttl));
    }
    let jwt = headers
        .iter()
        .filter_map(|(_, v)| v.split_whitespace().last())
        .chain(captures.values().filter_map(Value::as_str))
        .find_map(jwt_exp);
    Ok(jwt.map(|exp| UNIX_EPOCH + Duration::from_secs(exp)))
}

/// Origins that may receive the profile's credentials.
fn hosts(plan: &ProfilePlan, scope: &Scope) -> Result<Option<Vec<Origin>>, String> {
    let mut out = Vec::new();
    if !plan.hosts.is_empty() {
        for h in &plan.hosts {
            let text = h.render(scope).map_err(|e| format!("hosts: {e}"))?;
            out.push(Origin::parse(&text).map_err(|e| format!("hosts: {e}"))?);
        }
    } else if plan.login.is_empty() {
        return Ok(None);
    } else {
        for step in &plan.login {
            let text = step
                .url
                .render(scope)
                .map_err(|e| format!("login url: {e}"))?;
            let url = url::Url::parse(text.trim())
                .map_err(|e| format!("login url `{}`: {e}", text.trim()))?;
            out.push(Origin::of(&url));
        }
    }
    out.dedup();
    Ok(Some(out))
}

/// Runs one login or logout step: render, send (with retries), check, capture.
async fn run_step(
    rt: &Runtime,
    step: &crate::plan::RequestPlan,
    scope: &Scope,
    jar: &Jar,
    creds: Option<&crate::http::Credentials<'_>>,
) -> Result<Vec<(String, Value)>, String> {
    let out = exchange::render(rt, step, scope).map_err(|f| f.message)?;
    let attempts = 1 + step.retry.map(|r| r.count).unwrap_or(0);
    let mut last = String::new();
    for attempt in 0..attempts {
        if attempt > 0 {
            tokio::time::sleep(exchange::retry_delay(step)).await;
        }
        let inc = exchange::send(rt, &out, creds, jar)
            .await
            .map_err(|f| f.message)?;
        let body = exchange::Body::new(&inc.body);
        let failures = exchange::evaluate(step, &inc, &body, scope);
        let caught = failures
            .is_empty()
            .then(|| exchange::capture(step, &inc, &body));
        // Captured values (tokens) are secret: known to the redactor before
        // the response that carries them is shown.
        if let Some(Ok(values)) = &caught {
            values.iter().for_each(|(_, v)| register_value(rt, v));
        }
        if rt.flags.verbose {
            let (request, response) = exchange::exchange_text(rt, &out, Some(&inc));
            rt.emit(Event::Exchange(Exchange {
                file_index: usize::MAX,
                request,
                response,
            }));
        }
        if let Some(result) = caught {
            return result.map_err(|f| f.message);
        }
        let detail: Vec<String> = failures.iter().map(|f| f.message.clone()).collect();
        last = format!(
            "{}; response: {}",
            detail.join("; "),
            exchange::excerpt(&body.text, 200)
        );
    }
    Err(last)
}
