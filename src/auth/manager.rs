//! Resolves each profile into credentials at most once per run, however
//! many files and workers use it: every waiter shares one login (single
//! flight, by a per-profile async lock). A refresh after expiry or a 401 is
//! a new login; a failed login is remembered so it is not retried.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use tokio::sync::Mutex;

use crate::auth::cache::{CachedCreds, CredCache};
use crate::auth::context::AuthContext;
use crate::auth::creds::{Creds, REFRESH_MARGIN};
use crate::auth::login::{self, LoggedIn};
use crate::http::Origin;
use crate::plan::ProfilePlan;
use crate::report::event::Level;

struct Slot {
    plan: Arc<ProfilePlan>,
    state: Mutex<State>,
    hosts_before_login: std::sync::OnceLock<Option<Vec<Origin>>>,
    /// Set once credentials exist, so hot paths can skip pre-login checks.
    resolved: AtomicBool,
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

/// Every profile of a command, and the credentials each has resolved to.
pub struct AuthManager {
    slots: BTreeMap<String, Slot>,
    ctx: AuthContext,
    login_failed: AtomicBool,
}

impl AuthManager {
    pub fn new(profiles: &BTreeMap<String, Arc<ProfilePlan>>, ctx: AuthContext) -> AuthManager {
        let slots = profiles
            .iter()
            .map(|(k, p)| {
                let slot = Slot {
                    plan: p.clone(),
                    state: Mutex::new(State::default()),
                    hosts_before_login: std::sync::OnceLock::new(),
                    resolved: AtomicBool::new(false),
                };
                (k.clone(), slot)
            })
            .collect();
        AuthManager {
            slots,
            ctx,
            login_failed: AtomicBool::new(false),
        }
    }

    /// The context the manager was built with.
    pub fn context(&self) -> &AuthContext {
        &self.ctx
    }

    /// Some profile could not log in during this run (exit 3).
    pub fn login_failed(&self) -> bool {
        self.login_failed.load(Ordering::Relaxed)
    }

    /// The profile's hosts as far as they can be known before logging in
    /// (rendered without secrets or captures); `None` when unrestricted or
    /// when they depend on values only a login gives.
    pub fn hosts_before_login(&self, name: &str) -> Option<&[Origin]> {
        let slot = self.slots.get(name)?;
        if slot.resolved.load(Ordering::Acquire) {
            // Logged in: the check after rendering, with the real hosts, applies.
            return None;
        }
        slot.hosts_before_login
            .get_or_init(|| login::hosts(&slot.plan, &self.ctx.base).ok().flatten())
            .as_deref()
    }

    pub fn plan(&self, name: &str) -> Option<&Arc<ProfilePlan>> {
        self.slots.get(name).map(|s| &s.plan)
    }

    /// Credentials of `name`, logging in if there are none or they expire soon.
    pub async fn get(&self, name: &str) -> Result<Arc<Creds>, String> {
        let slot = self.slot(name)?;
        let mut state = slot.state.lock().await;
        if let Some(e) = &state.error {
            return Err(e.clone());
        }
        if let Some(c) = &state.creds
            && c.fresh(crate::clock::now())
        {
            return Ok(c.clone());
        }
        let refresh = state.creds.is_some();
        self.login(slot, &mut state, !refresh).await
    }

    /// Logs in again after a 401, unless another worker already did since
    /// `seen_generation`.
    pub async fn refresh(&self, name: &str, seen_generation: u64) -> Result<Arc<Creds>, String> {
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
        self.ctx.exchange.message(
            Level::Info,
            format!("profile {name}: credentials refused (401), logging in again"),
        );
        self.login(slot, &mut state, false).await
    }

    fn slot(&self, name: &str) -> Result<&Slot, String> {
        self.slots
            .get(name)
            .ok_or_else(|| format!("unknown profile `{name}`"))
    }

    async fn login(
        &self,
        slot: &Slot,
        state: &mut State,
        use_cache: bool,
    ) -> Result<Arc<Creds>, String> {
        let plan = &slot.plan;
        match self.obtain(plan, state, use_cache).await {
            Ok(creds) => {
                state.creds = Some(creds.clone());
                slot.resolved.store(true, Ordering::Release);
                Ok(creds)
            }
            Err(e) => {
                let e = format!("profile {} could not log in: {e}", plan.name);
                state.error = Some(e.clone());
                self.login_failed.store(true, Ordering::Relaxed);
                Err(e)
            }
        }
    }

    /// Credentials from the disk cache when allowed and present, else from
    /// a login (stored in the cache when allowed).
    async fn obtain(
        &self,
        plan: &ProfilePlan,
        state: &mut State,
        use_cache: bool,
    ) -> Result<Arc<Creds>, String> {
        if state.secrets.is_none() {
            state.secrets = Some(self.resolve_secrets(plan)?);
        }
        let secrets = state.secrets.clone().unwrap_or_default();
        let key = self.cache_key(plan, &secrets);
        if use_cache
            && cacheable(plan)
            && let Some(cache) = &self.ctx.cache
            && let Some(cached) = cache.load(&key, REFRESH_MARGIN)
        {
            state.generation += 1;
            return self.cached(plan, cached, secrets, state.generation);
        }
        let started = crate::clock::Stopwatch::start();
        let got = login::log_in(&self.ctx, plan, &secrets).await?;
        state.generation += 1;
        state.logged_in = true;
        if !plan.login.is_empty() {
            let steps = crate::text::count(plan.login.len(), "step");
            let took = crate::text::duration(started.elapsed());
            self.ctx.exchange.message(
                Level::Info,
                format!("profile {}: logged in ({steps}, {took})", plan.name),
            );
        }
        self.store(plan, &key, &got, &secrets);
        Ok(Arc::new(Creds {
            profile: plan.name.clone(),
            generation: state.generation,
            headers: got.headers,
            query: got.query,
            jar: if plan.apply_cookies {
                got.jar
            } else {
                Arc::default()
            },
            hosts: got.hosts,
            captures: got.captures,
            secrets,
            expires_at: got.expires_at,
            from_cache: false,
            layer: std::sync::OnceLock::new(),
        }))
    }

    fn cached(
        &self,
        plan: &ProfilePlan,
        cached: CachedCreds,
        secrets: HashMap<String, String>,
        generation: u64,
    ) -> Result<Arc<Creds>, String> {
        let redactor = &self.ctx.exchange.redactor;
        for v in cached.captures.values() {
            redactor.add_value(v);
        }
        for (k, v) in &cached.headers {
            if crate::secret::Redactor::is_sensitive_header(k) {
                redactor.add_credential(v);
            }
        }
        let scope = self.ctx.profile_scope(&secrets, &cached.captures);
        let hosts = login::hosts(plan, &scope)?;
        self.ctx.exchange.message(
            Level::Info,
            format!("profile {}: credentials from cache", plan.name),
        );
        Ok(Arc::new(Creds {
            profile: plan.name.clone(),
            generation,
            headers: cached.headers,
            query: cached.query,
            jar: Arc::default(),
            hosts,
            captures: cached.captures,
            secrets,
            expires_at: UNIX_EPOCH.checked_add(Duration::from_secs(cached.expires_at)),
            from_cache: true,
            layer: std::sync::OnceLock::new(),
        }))
    }

    /// Writes a fresh login to the disk cache when the profile allows it.
    /// Secrets never go to disk: credentials that carry one (e.g. a password
    /// in an applied header) are not cached.
    fn store(
        &self,
        plan: &ProfilePlan,
        key: &str,
        got: &LoggedIn,
        secrets: &HashMap<String, String>,
    ) {
        let carries_secret = plan.apply_basic.is_some()
            || got.headers.iter().chain(got.query.iter()).any(|(_, v)| {
                secrets
                    .values()
                    .any(|s| !s.is_empty() && v.contains(s.as_str()))
            });
        let (Some(cache), Some(exp), true, false) = (
            &self.ctx.cache,
            got.expires_at,
            cacheable(plan),
            carries_secret,
        ) else {
            return;
        };
        let stored = CachedCreds {
            expires_at: exp
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            headers: got.headers.clone(),
            query: got.query.clone(),
            captures: got.captures.clone(),
        };
        if let Err(e) = cache.store(key, &stored) {
            self.ctx.exchange.message(
                Level::Warning,
                format!("could not write the credential cache: {e}"),
            );
        }
    }

    fn resolve_secrets(&self, plan: &ProfilePlan) -> Result<HashMap<String, String>, String> {
        let base_dir = plan.source.path.parent().unwrap_or(Path::new("."));
        let env = self.ctx.env.clone();
        let lookup = move |k: &str| env.get(k).cloned();
        let mut out = HashMap::new();
        for (name, src) in &plan.secrets {
            let value = crate::blocking::blocking(|| {
                let _guard = self.ctx.prompts.lock();
                crate::secret::source::resolve(&plan.name, name, src, base_dir, &lookup)
            })?;
            self.ctx.exchange.redactor.add_secret(value.expose());
            out.insert(name.clone(), value.expose().to_string());
        }
        Ok(out)
    }

    /// Everything the login can depend on: the profile file, the environment,
    /// `--var` values, the `env` variables the profile reads, secret values.
    fn cache_key(&self, plan: &ProfilePlan, secrets: &HashMap<String, String>) -> String {
        let mut parts: Vec<String> = vec![
            plan.source.text.to_string(),
            self.ctx.env_fingerprint.clone(),
        ];
        let mut vars: Vec<(&String, String)> = self
            .ctx
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
            parts.push(self.ctx.env.get(&name).cloned().unwrap_or_default());
        }
        let mut names: Vec<&String> = secrets.keys().collect();
        names.sort();
        for n in names {
            parts.push(n.clone());
            parts.push(secrets[n].clone());
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        CredCache::key(&plan.name, self.ctx.env_name.as_deref(), &parts)
    }

    /// Runs the `logout` steps of every profile this run logged in to.
    pub async fn logout_all(&self) {
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
            self.log_out(&slot.plan, &creds).await;
        }
    }

    async fn log_out(&self, plan: &ProfilePlan, creds: &Creds) {
        let scope = self.ctx.profile_scope(&creds.secrets, &creds.captures);
        for step in &plan.logout {
            let c = creds.credentials();
            if let Err(e) = login::run_step(&self.ctx, step, &scope, &creds.jar, Some(&c)).await {
                self.ctx.exchange.message(
                    Level::Warning,
                    format!(
                        "profile {}: logout step `{}` failed: {e}",
                        plan.name, step.name
                    ),
                );
                return;
            }
        }
        self.ctx
            .exchange
            .message(Level::Info, format!("profile {}: logged out", plan.name));
    }
}

/// Credentials that may go to the disk cache: a profile with login steps,
/// no logout, no cookies and `cache:` not false.
fn cacheable(plan: &ProfilePlan) -> bool {
    plan.cache && plan.logout.is_empty() && !plan.apply_cookies && !plan.login.is_empty()
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
