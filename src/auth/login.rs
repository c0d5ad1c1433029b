//! One login of one profile: run its steps in order (each step's captures in
//! scope for the next), build what `apply:` attaches, work out when the
//! credentials expire and which hosts may receive them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::http::Jar;
use serde_json::Value;

use crate::auth::context::AuthContext;
use crate::auth::creds::refresh_point;
use crate::duration::{self, BareUnit};
use crate::exchange::{self, Exchange, Options, Verdict};
use crate::http::{Credentials, Origin};
use crate::plan::{ProfilePlan, RequestPlan};
use crate::template::{Scope, functions::jwt_exp};

/// Name and value pairs, in order: applied headers or query parameters.
pub(crate) type Pairs = Vec<(String, String)>;

/// What a login produced, before it becomes [`crate::auth::creds::Creds`].
pub(crate) struct LoggedIn {
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub jar: Arc<Jar>,
    pub captures: HashMap<String, Value>,
    pub expires_at: Option<SystemTime>,
    /// From [`crate::auth::creds::refresh_point`], computed at login.
    pub refresh_at: Option<SystemTime>,
    pub hosts: Option<Vec<Origin>>,
}

/// Runs the login steps (or the `oauth2:` token request) of `plan` with
/// `secrets`. `previous`: the captures of the credentials being replaced,
/// whose `refresh_token` an `oauth2:` profile tries first.
///
/// Errors: the first step that fails, as `login step `NAME`: WHY`, the
/// token endpoint's refusal, or an `apply`, `expires_in` or `hosts`
/// template that does not render.
pub(crate) async fn log_in(
    ctx: &AuthContext,
    ex: &Exchange,
    plan: &ProfilePlan,
    secrets: &HashMap<String, String>,
    previous: Option<&HashMap<String, Value>>,
) -> Result<LoggedIn, String> {
    let login_time = crate::clock::now();
    let jar = Arc::new(Jar::default());
    let mut captures: HashMap<String, Value> = HashMap::new();
    if let Some(o) = &plan.oauth2 {
        let scope = ctx.profile_scope(secrets, &captures);
        captures = crate::auth::oauth2::obtain(ex, &plan.name, o, &scope, previous).await?;
    }
    for step in &plan.login {
        let scope = ctx.profile_scope(secrets, &captures);
        let got = run_step(ex, step, &scope, &jar, None)
            .await
            .map_err(|e| format!("login step `{}`: {e}", step.name))?;
        captures.extend(got);
    }
    let scope = ctx.profile_scope(secrets, &captures);
    let (headers, query) = applied(ctx, plan, &scope)?;
    let expires_at = expiry(plan, &scope, login_time, &headers, &captures)?;
    let hosts = hosts(plan, &scope)?;
    let refresh_at = expires_at.map(|e| refresh_point(login_time, e));
    Ok(LoggedIn {
        headers,
        query,
        jar,
        captures,
        expires_at,
        refresh_at,
        hosts,
    })
}

/// The headers and query parameters `apply:` attaches, rendered.
pub(crate) fn applied(
    ctx: &AuthContext,
    plan: &ProfilePlan,
    scope: &Scope,
) -> Result<(Pairs, Pairs), String> {
    let redactor = &ctx.exchange.redactor;
    let mut headers = Vec::new();
    for (k, t) in &plan.apply_headers {
        let v = t
            .render(scope)
            .map_err(|e| format!("apply header {k}: {e}"))?;
        headers.push((k.clone(), v));
    }
    if let Some(b) = &plan.apply_basic {
        let render =
            |t: &crate::template::Tpl| t.render(scope).map_err(|e| format!("apply basic: {e}"));
        let (user, pass) = (render(&b.username)?, render(&b.password)?);
        redactor.add_basic_pair(&user, &pass);
        headers.push(("Authorization".into(), exchange::basic_header(&user, &pass)));
    }
    let mut query = Vec::new();
    for (k, t) in &plan.apply_query {
        let v = t
            .render(scope)
            .map_err(|e| format!("apply query {k}: {e}"))?;
        let v = match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        query.push((k.clone(), v));
    }
    // A credential header, and any value built from secrets or captures
    // (`Basic {{ (u ~ ':' ~ p) | b64encode }}`), is secret material of its
    // own; a value that is not (`X-Site: training`) is never registered.
    let derived = derived_from_secrets(plan);
    for ((k, v), t) in headers.iter().zip(&plan.apply_headers) {
        if crate::secret::Redactor::is_sensitive_header(k) || derived(&[&t.1]) {
            redactor.add_credential(v);
        }
    }
    for ((_, v), (_, t)) in query.iter().zip(&plan.apply_query) {
        if derived(&t.templates()) {
            redactor.add(v);
        }
    }
    Ok((headers, query))
}

/// True for templates that read the profile's secrets, its captures or a
/// TOTP code: their values are known only after a login, and secret.
pub(crate) fn derived_from_secrets(
    plan: &ProfilePlan,
) -> impl Fn(&[&crate::template::Tpl]) -> bool {
    let mut names = plan.capture_names();
    names.extend(["secrets".to_string(), "auth".to_string()]);
    move |templates| {
        templates.iter().any(|t| {
            t.variables().iter().any(|v| names.contains(v)) || t.source().contains("totp(")
        })
    }
}

/// When credentials obtained at `login_time` expire: `expires_in`, else
/// `ttl`, else the `exp` of a JWT among the applied values and captures.
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
        return Ok(login_time.checked_add(d));
    }
    if let Some(ttl) = plan.ttl {
        return Ok(login_time.checked_add(ttl));
    }
    // An `oauth2:` token's lifetime is its `expires_in` (RFC 6749 §5.1).
    let oauth_lifetime = captures.get("expires_in").and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    if let (Some(_), Some(secs)) = (&plan.oauth2, oauth_lifetime) {
        return Ok(Some(login_time + Duration::from_secs(secs)));
    }
    let jwt = headers
        .iter()
        .filter_map(|(_, v)| v.split_whitespace().last())
        .chain(captures.values().filter_map(Value::as_str))
        .find_map(jwt_exp);
    // An `exp` past what the clock can hold is a lifetime without end.
    Ok(jwt.and_then(|exp| UNIX_EPOCH.checked_add(Duration::from_secs(exp))))
}

/// Origins that may receive the profile's credentials: `hosts:`, else the
/// origins of its login steps; `None` (any) for a profile with neither.
pub(crate) fn hosts(plan: &ProfilePlan, scope: &Scope) -> Result<Option<Vec<Origin>>, String> {
    let mut out = Vec::new();
    if !plan.hosts.is_empty() {
        for h in &plan.hosts {
            let text = h.render(scope).map_err(|e| format!("hosts: {e}"))?;
            out.push(Origin::parse(&text).map_err(|e| format!("hosts: {e}"))?);
        }
    } else if let Some(o) = &plan.oauth2 {
        // The token endpoint is where the credentials come from.
        let text = o
            .token_url
            .render(scope)
            .map_err(|e| format!("oauth2 token_url: {e}"))?;
        let url = url::Url::parse(text.trim())
            .map_err(|e| format!("oauth2 token_url `{}`: {e}", text.trim()))?;
        out.push(Origin::of(&url));
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

/// Runs one login or logout step through the shared attempt loop, with the
/// profile's exchange `ex` (its client carries the `tls:` certificate).
///
/// Errors: the failed expectations and the start of the response body,
/// masked before it is cut.
pub(crate) async fn run_step(
    ex: &Exchange,
    step: &RequestPlan,
    scope: &Scope,
    jar: &Jar,
    creds: Option<&Credentials<'_>>,
) -> Result<Vec<(String, Value)>, String> {
    let opts = Options {
        file_index: usize::MAX,
        secret_captures: true,
        stop_on_unauthorized: false,
    };
    let done = exchange::attempt(ex, step, scope, jar, creds, opts).await;
    match done.verdict {
        Verdict::Passed(caught) => Ok(caught),
        Verdict::Unauthorized => Err("refused (401)".into()),
        Verdict::Failed { failures, body } => {
            let detail: Vec<String> = failures.into_iter().map(|f| f.message).collect();
            let mut text = detail.join("; ");
            if let Some(body) = body {
                let masked = ex.redactor.redact(&body).into_owned();
                text = format!("{text}; response: {}", crate::text::excerpt(&masked, 200));
            }
            Err(text)
        }
    }
}
