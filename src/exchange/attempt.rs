//! The one attempt loop: render → send → check → capture → retry, in that
//! order, for request files, login steps and logout steps alike. The
//! result is data ([`Attempted`]); the caller decides what it means.

use std::time::Duration;

use crate::http::Jar;
use serde_json::Value;

use crate::assertion::{Body, Failure, capture, evaluate};
use crate::exchange::{Exchange, render, verbose};
use crate::http::{Credentials, Incoming, Outgoing};
use crate::plan::RequestPlan;
use crate::report::event::Event;
use crate::template::Scope;

/// The most of a response body kept for a failure's excerpt, before it is
/// masked and cut: enough to hold any secret that starts within the excerpt.
const BODY_KEPT: usize = 64 * 1024;

/// How one call of [`attempt`] behaves.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// Where `--verbose` output belongs: the file's index, or `usize::MAX`
    /// for a profile's steps.
    pub file_index: usize,
    /// Captured values are secret material (a login step's): the redactor
    /// learns them before the response that carries them is shown.
    pub secret_captures: bool,
    /// A 401 answer ends the loop with [`Verdict::Unauthorized`] unjudged,
    /// so the caller can log in again and call once more.
    pub stop_on_unauthorized: bool,
}

/// What became of a request after every attempt.
#[derive(Debug)]
pub(crate) struct Attempted {
    /// The request as rendered; `None` when it could not be rendered.
    pub out: Option<Outgoing>,
    /// Times it was sent.
    pub attempts: u32,
    /// Status and time of the last response.
    pub status: Option<u16>,
    pub duration: Duration,
    pub verdict: Verdict,
}

#[derive(Debug)]
pub(crate) enum Verdict {
    /// Every expectation held: the captured values, in plan order.
    Passed(Vec<(String, Value)>),
    /// The last attempt failed; `body` is the start of its response body
    /// (unmasked, uncut: the caller masks, then cuts).
    Failed {
        failures: Vec<Failure>,
        body: Option<String>,
    },
    /// Answered 401 with [`Options::stop_on_unauthorized`] set.
    Unauthorized,
}

/// Renders `req` in `scope` and sends it (with `creds`, cookies in `jar`)
/// until its expectations hold or its `retry:` is spent.
pub(crate) async fn attempt(
    ex: &Exchange,
    req: &RequestPlan,
    scope: &Scope,
    jar: &Jar,
    creds: Option<&Credentials<'_>>,
    opts: Options,
) -> Attempted {
    match render(ex, req, scope) {
        Ok(out) => attempt_rendered(ex, req, out, scope, jar, creds, opts).await,
        Err(f) => Attempted {
            out: None,
            attempts: 0,
            status: None,
            duration: Duration::ZERO,
            verdict: Verdict::Failed {
                failures: vec![f],
                body: None,
            },
        },
    }
}

/// Sends `out`, already rendered from `req`, until its expectations hold
/// or its `retry:` is spent.
pub(crate) async fn attempt_rendered(
    ex: &Exchange,
    req: &RequestPlan,
    out: Outgoing,
    scope: &Scope,
    jar: &Jar,
    creds: Option<&Credentials<'_>>,
    opts: Options,
) -> Attempted {
    let tries = 1 + req.retry.map(|r| r.count).unwrap_or(0);
    // With a profile's credentials, cookies go to the profile's own jar:
    // its session, as much as a login step's.
    let secret_cookies = opts.secret_captures || creds.is_some();
    let mut done = Attempted {
        out: None,
        attempts: 0,
        status: None,
        duration: Duration::ZERO,
        verdict: Verdict::Passed(Vec::new()),
    };
    loop {
        done.attempts += 1;
        let sent = crate::clock::Stopwatch::start();
        let verdict = match send(ex, req, &out, creds, jar).await {
            Err(f) => {
                // A timeout or refused connection still took time: show it.
                done.duration = sent.elapsed();
                show(ex, opts, &out, None);
                Verdict::Failed {
                    failures: vec![f],
                    body: None,
                }
            }
            Ok(inc) => {
                if secret_cookies {
                    // Cookies of a login step, or rotated into a profile's
                    // jar, are learned before anything shows them.
                    for line in &inc.set_cookies {
                        ex.redactor.add_set_cookie(line);
                    }
                }
                done.status = Some(inc.status.as_u16());
                done.duration = inc.duration;
                judge(ex, req, scope, &out, &inc, opts)
            }
        };
        if matches!(verdict, Verdict::Failed { .. }) && done.attempts < tries {
            crate::clock::sleep(req.retry.map(|r| r.delay).unwrap_or_default()).await;
            continue;
        }
        done.verdict = verdict;
        done.out = Some(out);
        return done;
    }
}

async fn send(
    ex: &Exchange,
    req: &RequestPlan,
    out: &Outgoing,
    creds: Option<&Credentials<'_>>,
    jar: &Jar,
) -> Result<Incoming, Failure> {
    crate::http::send(&ex.client, out, creds, jar)
        .await
        .map_err(|e| {
            Failure::new(
                "transport",
                format!("{} {}: {e}", out.method, out.url),
                Some(&req.location),
            )
        })
}

/// Checks one response: expectations, then captures.
fn judge(
    ex: &Exchange,
    req: &RequestPlan,
    scope: &Scope,
    out: &Outgoing,
    inc: &Incoming,
    opts: Options,
) -> Verdict {
    if opts.stop_on_unauthorized && inc.status == reqwest::StatusCode::UNAUTHORIZED {
        show(ex, opts, out, Some(inc));
        return Verdict::Unauthorized;
    }
    let body = Body::new(inc);
    let failures = evaluate(&req.expect, inc, &body, scope);
    if opts.secret_captures && !failures.is_empty() {
        // A login step that failed may still have been handed a token: what
        // its captures would have taken is secret before the failure shows.
        for c in &req.captures {
            if let Ok(caught) = capture(std::slice::from_ref(c), inc, &body) {
                caught.iter().for_each(|(_, v)| ex.redactor.add_value(v));
            }
        }
    }
    let verdict = if failures.is_empty() {
        match capture(&req.captures, inc, &body) {
            Ok(caught) => {
                if opts.secret_captures {
                    caught.iter().for_each(|(_, v)| ex.redactor.add_value(v));
                }
                Verdict::Passed(caught)
            }
            Err(f) => Verdict::Failed {
                failures: vec![f],
                body: Some(kept(&body.text)),
            },
        }
    } else {
        Verdict::Failed {
            failures,
            body: Some(kept(&body.text)),
        }
    };
    show(ex, opts, out, Some(inc));
    verdict
}

fn kept(text: &str) -> String {
    match text.char_indices().nth(BODY_KEPT) {
        Some((at, _)) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// Writes the exchange out for `--verbose` (also a profile's token
/// requests, `opts.file_index` being `usize::MAX` then).
pub(crate) fn show(ex: &Exchange, opts: Options, out: &Outgoing, inc: Option<&Incoming>) {
    if ex.verbose {
        let (request, response) = verbose::exchange_text(&ex.redactor, out, inc);
        ex.emit(Event::Exchange(crate::report::event::Exchange {
            file_index: opts.file_index,
            request,
            response,
        }));
    }
}
