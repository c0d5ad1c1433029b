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
use crate::auth::creds::Creds;
use crate::auth::login::{self, LoggedIn};
use crate::exchange::Exchange;
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
    /// The profile's exchange, built on first use (see [`AuthManager::exchange_of`]).
    exchange: Option<Arc<Exchange>>,
}

/// Every profile of a command, and the credentials each has resolved to.
pub(crate) struct AuthManager {
    slots: BTreeMap<String, Slot>,
    ctx: AuthContext,
    login_failed: AtomicBool,
}

impl AuthManager {
    pub(crate) fn new(
        profiles: &BTreeMap<String, Arc<ProfilePlan>>,
        ctx: AuthContext,
    ) -> AuthManager {
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
    pub(crate) fn context(&self) -> &AuthContext {
        &self.ctx
    }

    /// Some profile could not log in during this run (exit 3).
    pub(crate) fn login_failed(&self) -> bool {
        self.login_failed.load(Ordering::Relaxed)
    }

    /// The profile's hosts as far as they can be known before logging in
    /// (rendered without secrets or captures); `None` when unrestricted or
    /// when they depend on values only a login gives.
    pub(crate) fn hosts_before_login(&self, name: &str) -> Option<&[Origin]> {
        let slot = self.slots.get(name)?;
        if slot.resolved.load(Ordering::Acquire) {
            // Logged in: the check after rendering, with the real hosts, applies.
            return None;
        }
        slot.hosts_before_login
            .get_or_init(|| login::hosts(&slot.plan, &self.ctx.base).ok().flatten())
            .as_deref()
    }

    pub(crate) fn plan(&self, name: &str) -> Option<&Arc<ProfilePlan>> {
        self.slots.get(name).map(|s| &s.plan)
    }

    /// Credentials of `name`, logging in if there are none or they expire soon.
    pub(crate) async fn get(&self, name: &str) -> Result<Arc<Creds>, String> {
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
        let stale = state.creds.clone();
        self.login(slot, &mut state, stale.as_deref()).await
    }

    /// Logs in again after a 401, unless another worker already did since
    /// `seen_generation`.
    pub(crate) async fn refresh(
        &self,
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
        self.ctx.exchange.message(
            Level::Info,
            format!("profile {name}: credentials refused (401), logging in again"),
        );
        let stale = state.creds.clone();
        self.login(slot, &mut state, stale.as_deref()).await
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
        stale: Option<&Creds>,
    ) -> Result<Arc<Creds>, String> {
        let plan = &slot.plan;
        match self.obtain(plan, state, stale).await {
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
    /// a login (stored in the cache when allowed). `stale`: the credentials
    /// being replaced (expired or refused), never taken back from the cache.
    ///
    /// Processes sharing the cache folder log in once between them: the
    /// login runs under the entry's lock, and the cache is read again once
    /// the lock is ours (another process may have logged in meanwhile).
    async fn obtain(
        &self,
        plan: &ProfilePlan,
        state: &mut State,
        stale: Option<&Creds>,
    ) -> Result<Arc<Creds>, String> {
        if let Some(saved) = self.saved_creds(plan, state, stale) {
            return Ok(saved);
        }
        if state.secrets.is_none() {
            let secrets = self
                .resolve_secrets(plan)
                .map_err(|e| self.saved_note(plan, e))?;
            state.secrets = Some(secrets);
        }
        let secrets = state.secrets.clone().unwrap_or_default();
        let key = self.cache_key(plan, &secrets);
        let cache = self.ctx.cache.as_ref().filter(|_| cacheable(plan));
        let Some(cache) = cache else {
            let previous = stale.map(|c| &c.captures);
            return self.log_in(plan, state, secrets, None, previous).await;
        };
        if let Some(c) = self.cached_creds(cache, &key, plan, state, &secrets, stale) {
            return Ok(c);
        }
        let lock = crate::blocking::blocking(|| {
            cache.lock(&key, || {
                self.ctx.exchange.message(
                    Level::Info,
                    format!(
                        "profile {}: waiting for another sesame process to log in",
                        plan.name
                    ),
                );
            })
        });
        let _lock = match lock {
            Ok(l) => Some(l),
            Err(e) => {
                let text = format!("could not lock the credential cache: {e}");
                self.ctx.exchange.message(Level::Warning, text);
                None
            }
        };
        if let Some(c) = self.cached_creds(cache, &key, plan, state, &secrets, stale) {
            return Ok(c);
        }
        // An entry past its refresh point may still hold a refresh token.
        let expired = match stale {
            None if plan.oauth2.is_some() => cache.load(&key).ok().flatten().map(|e| e.captures),
            _ => None,
        };
        let previous = stale.map(|c| &c.captures).or(expired.as_ref());
        self.log_in(plan, state, secrets, Some((cache, &key)), previous)
            .await
    }

    /// The profile's credentials from `--credentials FILE`, unless they are
    /// `stale` (expired or refused) or past their refresh point.
    fn saved_creds(
        &self,
        plan: &ProfilePlan,
        state: &mut State,
        stale: Option<&Creds>,
    ) -> Option<Arc<Creds>> {
        let saved = self.ctx.saved.as_ref()?;
        let entry = saved.file.profiles.get(&plan.name)?;
        let now = crate::clock::unix_now();
        if stale.is_some() || entry.refresh_at.is_some_and(|t| t <= now) {
            return None;
        }
        state.generation += 1;
        let note = format!(
            "profile {}: credentials from {}",
            plan.name,
            saved.path.display()
        );
        let far = u64::MAX;
        let cached = CachedCreds {
            format: crate::auth::cache::FORMAT.to_string(),
            profile: plan.name.clone(),
            expires_at: entry.expires_at.unwrap_or(far),
            refresh_at: entry.refresh_at.unwrap_or(far),
            headers: entry.headers.clone(),
            query: entry.query.clone(),
            captures: entry.captures.clone(),
        };
        let restored = self.exchange_of(plan, state).and_then(|ex| {
            self.restore(plan, cached, HashMap::new(), (state.generation, ex), &note)
        });
        match restored {
            Ok(c) => Some(c),
            Err(e) => {
                let text = format!("profile {}: saved credentials unusable: {e}", plan.name);
                self.ctx.exchange.message(Level::Warning, text);
                None
            }
        }
    }

    /// A secret that cannot be resolved, said in terms of `--credentials`
    /// when the profile's saved credentials were there and are used up.
    fn saved_note(&self, plan: &ProfilePlan, e: String) -> String {
        match &self.ctx.saved {
            Some(s) if s.file.profiles.contains_key(&plan.name) => format!(
                "its credentials from {} expired or were refused, and logging in again needs its secrets: {e}",
                s.path.display()
            ),
            _ => e,
        }
    }

    /// A login by this process, stored under `cache_at` when given.
    async fn log_in(
        &self,
        plan: &ProfilePlan,
        state: &mut State,
        secrets: HashMap<String, String>,
        cache_at: Option<(&CredCache, &str)>,
        previous: Option<&HashMap<String, serde_json::Value>>,
    ) -> Result<Arc<Creds>, String> {
        let started = crate::clock::Stopwatch::start();
        let ex = self.exchange_of(plan, state)?;
        let got = login::log_in(&self.ctx, &ex, plan, &secrets, previous).await?;
        state.generation += 1;
        state.logged_in = true;
        if let Some(o) = &plan.oauth2 {
            let grant = crate::plan::oauth2::grant_name(o.grant);
            let took = crate::text::duration(started.elapsed());
            self.ctx.exchange.message(
                Level::Info,
                format!("profile {}: logged in (oauth2 {grant}, {took})", plan.name),
            );
        } else if !plan.login.is_empty() {
            let steps = crate::text::count(plan.login.len(), "step");
            let took = crate::text::duration(started.elapsed());
            self.ctx.exchange.message(
                Level::Info,
                format!("profile {}: logged in ({steps}, {took})", plan.name),
            );
        }
        if let Some((cache, key)) = cache_at {
            self.store(plan, cache, key, &got, &secrets);
        }
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
            refresh_at: got.refresh_at,
            exchange: ex,
            layer: std::sync::OnceLock::new(),
        }))
    }

    /// The cache's entry under `key` when it is before its refresh point and
    /// is not `stale`; a damaged or foreign file is ignored with a warning.
    fn cached_creds(
        &self,
        cache: &CredCache,
        key: &str,
        plan: &ProfilePlan,
        state: &mut State,
        secrets: &HashMap<String, String>,
        stale: Option<&Creds>,
    ) -> Option<Arc<Creds>> {
        let entry = match cache.load(key) {
            Ok(e) => e?,
            Err(e) => {
                self.ctx.exchange.message(Level::Warning, e);
                return None;
            }
        };
        let usable = entry.refresh_at > crate::clock::unix_now()
            && stale.is_none_or(|s| s.headers != entry.headers || s.query != entry.query);
        if !usable {
            return None;
        }
        state.generation += 1;
        let note = format!("profile {}: credentials from cache", plan.name);
        let restored = self.exchange_of(plan, state).and_then(|ex| {
            self.restore(plan, entry, secrets.clone(), (state.generation, ex), &note)
        });
        match restored {
            Ok(c) => Some(c),
            Err(e) => {
                let text = format!("profile {}: cached credentials unusable: {e}", plan.name);
                self.ctx.exchange.message(Level::Warning, text);
                None
            }
        }
    }

    /// Credentials obtained earlier (the cache, a `--credentials` file),
    /// announced with `note`.
    fn restore(
        &self,
        plan: &ProfilePlan,
        cached: CachedCreds,
        secrets: HashMap<String, String>,
        (generation, exchange): (u64, Arc<Exchange>),
        note: &str,
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
        for (_, v) in cached.headers.iter().chain(cached.query.iter()) {
            if let Some(token) = v.split_whitespace().last() {
                self.ctx.exchange.redactor.add(token);
            }
        }
        let scope = self.ctx.profile_scope(&secrets, &cached.captures);
        let hosts = login::hosts(plan, &scope)?;
        self.ctx.exchange.message(Level::Info, note);
        // An instant past what the platform can hold (a saved credential
        // without expiry) is no expiry.
        let at = |secs: u64| UNIX_EPOCH.checked_add(Duration::from_secs(secs));
        Ok(Arc::new(Creds {
            profile: plan.name.clone(),
            generation,
            headers: cached.headers,
            query: cached.query,
            jar: Arc::default(),
            hosts,
            captures: cached.captures,
            secrets,
            expires_at: at(cached.expires_at),
            refresh_at: at(cached.refresh_at),
            exchange,
            layer: std::sync::OnceLock::new(),
        }))
    }

    /// Writes a fresh login to the disk cache. Secrets never go to disk:
    /// credentials that carry one (e.g. a password in an applied header)
    /// are not cached, nor are credentials without an expiry.
    fn store(
        &self,
        plan: &ProfilePlan,
        cache: &CredCache,
        key: &str,
        got: &LoggedIn,
        secrets: &HashMap<String, String>,
    ) {
        let Some(stored) = to_cached(plan, got, secrets) else {
            return;
        };
        if let Err(e) = cache.store(key, &stored) {
            self.ctx.exchange.message(
                Level::Warning,
                format!("could not write the credential cache: {e}"),
            );
        }
    }

    /// The exchange of `plan`'s login steps and requests: the run's, or for
    /// a `tls:` profile one whose client presents its certificate (and
    /// trusts its `ca`), built once.
    ///
    /// Errors: a certificate source that yields nothing, or PEM the TLS
    /// library refuses.
    fn exchange_of(&self, plan: &ProfilePlan, state: &mut State) -> Result<Arc<Exchange>, String> {
        if let Some(ex) = &state.exchange {
            return Ok(ex.clone());
        }
        let ex = match &plan.tls {
            None => self.ctx.exchange.clone(),
            Some(tls) => {
                let options = self.tls_options(plan, tls)?;
                let client = crate::http::client(&options)
                    .map_err(|e| format!("tls: the certificate or key is not usable: {e}"))?;
                Arc::new(self.ctx.exchange.with_client(client))
            }
        };
        state.exchange = Some(ex.clone());
        Ok(ex)
    }

    /// The run's TLS options with `tls`'s identity (key, then certificate
    /// chain, PEM) and extra root.
    fn tls_options(
        &self,
        plan: &ProfilePlan,
        tls: &crate::plan::oauth2::TlsPlan,
    ) -> Result<crate::http::ClientOptions, String> {
        let base_dir = plan.source.path.parent().unwrap_or(Path::new("."));
        let env = self.ctx.env.clone();
        let lookup = move |k: &str| env.get(k).cloned();
        let read = |name: &str, src| {
            crate::blocking::blocking(|| {
                let _guard = self.ctx.prompts.lock();
                crate::secret::source::resolve(&plan.name, name, src, base_dir, &lookup)
            })
            .map(|v| v.expose().to_string())
        };
        let cert = read("tls.cert", &tls.cert)?;
        let key = read("tls.key", &tls.key)?;
        self.ctx.exchange.redactor.add(key.trim());
        let mut options = self.ctx.tls.clone();
        if let Some(ca) = &tls.ca {
            let pem = std::fs::read(ca).map_err(|e| format!("tls: ca {}: {e}", ca.display()))?;
            options.roots.push(pem);
        }
        options.identity = Some(format!("{key}\n{cert}\n").into_bytes());
        Ok(options)
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
            self.ctx.project_root.display().to_string(),
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
    pub(crate) async fn logout_all(&self) {
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
            if let Err(e) =
                login::run_step(&creds.exchange, step, &scope, &creds.jar, Some(&c)).await
            {
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

/// What a login leaves in a cache entry or a credentials file; `None` when
/// it must not be written: it carries a secret (e.g. a password in an
/// applied header, or `apply: basic`) or has no expiry.
pub(crate) fn to_cached(
    plan: &ProfilePlan,
    got: &LoggedIn,
    secrets: &HashMap<String, String>,
) -> Option<CachedCreds> {
    let carries_secret = plan.apply_basic.is_some()
        || got.headers.iter().chain(got.query.iter()).any(|(_, v)| {
            secrets
                .values()
                .any(|s| !s.is_empty() && v.contains(s.as_str()))
        });
    let (Some(exp), Some(refresh), false) = (got.expires_at, got.refresh_at, carries_secret) else {
        return None;
    };
    let secs = |t: std::time::SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Some(CachedCreds {
        format: crate::auth::cache::FORMAT.to_string(),
        profile: plan.name.clone(),
        expires_at: secs(exp),
        refresh_at: secs(refresh),
        headers: got.headers.clone(),
        query: got.query.clone(),
        captures: got.captures.clone(),
    })
}

/// Credentials that may go to the disk cache: a profile with login steps,
/// no logout, no cookies and `cache:` not false.
fn cacheable(plan: &ProfilePlan) -> bool {
    plan.cache
        && plan.logout.is_empty()
        && !plan.apply_cookies
        && (!plan.login.is_empty() || plan.oauth2.is_some())
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
