//! `--dry-run`: render each request as it would be sent, with stand-ins for
//! what only a real run has (captures, a profile's credentials), and send
//! nothing.

use std::collections::HashMap;
use std::sync::Arc;

use crate::assertion::Failure;
use crate::exchange;
use crate::plan::RequestPlan;
use crate::report::event::{Event, Exchange, RequestResult};
use crate::runner::runtime::Runtime;
use crate::template::{Layer, Scope};

/// The request rendered with stand-ins, shown with `--verbose`.
///
/// Errors: the result and the failure when the request does not render.
pub(crate) fn dry_run(
    rt: &Runtime,
    mut res: RequestResult,
    req: &RequestPlan,
    scope: &Scope,
    profile: Option<&str>,
) -> Result<RequestResult, (RequestResult, Failure)> {
    let scope = scope.with(placeholder_layer(profile, rt));
    let mut out = match exchange::render(&rt.exchange, req, &scope) {
        Ok(o) => o,
        Err(f) => return Err((res, f)),
    };
    if let Some(p) = profile.and_then(|p| rt.auth.plan(p)) {
        // As when sent: the request's own header or query parameter
        // replaces the profile's of the same name.
        let stand_in = format!("<credentials of profile {}>", p.name);
        let mut applied: Vec<&str> = p.apply_headers.iter().map(|(k, _)| k.as_str()).collect();
        if p.apply_basic.is_some() {
            applied.push("Authorization");
        }
        for k in applied {
            if !out.headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
                out.headers.push((k.to_string(), stand_in.clone()));
            }
        }
        let own: Vec<String> = out.url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        for (k, _) in p.apply_query.iter().filter(|(k, _)| !own.contains(k)) {
            out.url.query_pairs_mut().append_pair(k, &stand_in);
        }
    }
    res.url = out.url.to_string();
    if rt.flags.verbose {
        let (request, _) = exchange::verbose::exchange_text(&rt.exchange.redactor, &out, None);
        rt.emit(Event::Exchange(Exchange {
            file_index: res.file_index,
            request,
            response: None,
        }));
    }
    Ok(res)
}

/// Dry-run stand-ins for what a real run's login gives; the file loop
/// stands in for captures ([`capture_placeholders`]).
fn placeholder_layer(profile: Option<&str>, rt: &Runtime) -> Layer {
    let mut map: HashMap<String, minijinja::Value> = HashMap::new();
    if let Some(p) = profile.and_then(|p| rt.auth.plan(p)) {
        map.extend(p.placeholders(|n| format!("<auth.{n} from profile {}>", p.name)));
    }
    Arc::new(map)
}

/// Dry-run stand-ins for the values `req` captures, added to `captures`
/// before it runs: a dry run has no responses to capture from.
pub(crate) fn capture_placeholders(req: &RequestPlan, captures: &mut Layer) {
    if req.captures.is_empty() {
        return;
    }
    let map = Arc::make_mut(captures);
    for c in &req.captures {
        map.insert(
            c.name.clone(),
            crate::template::unknown::Unknown::value(format!("<capture {}>", c.name)),
        );
    }
}
