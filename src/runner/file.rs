//! One request file: its requests in order, captures in scope for later
//! ones; a failure stops the file and the rest are reported as skipped.

use std::collections::HashMap;
use std::sync::Arc;

use crate::http::Jar;
use serde_json::Value;

use crate::assertion::Failure;
use crate::plan::{FilePlan, RequestPlan};
use crate::report::event::{Event, FileEnd, FileStart, Outcome};
use crate::runner::request::{At, Ran, pending, run_request};
use crate::runner::runtime::Runtime;
use crate::template::{Layer, Scope, from_json};

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FileStats {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl FileStats {
    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
        }
    }
}

/// Runs `file`; `inputs` are its resolved inputs.
pub(crate) async fn run_file(
    rt: Arc<Runtime>,
    index: usize,
    file: &FilePlan,
    inputs: HashMap<String, Value>,
) -> FileStats {
    let started = crate::clock::Stopwatch::start();
    rt.emit(Event::FileStart(FileStart {
        index,
        path: file.display.clone(),
        name: file.name.clone(),
        requests: file.requests.len(),
    }));
    let mut stats = FileStats::default();
    let mut stop: Option<String> = None;
    let mut requests = file.requests.iter().peekable();
    let file_scope = file_scope(&rt, file, inputs).unwrap_or_else(|f| {
        stop = Some("the file's vars could not be rendered".into());
        stats.failed += 1;
        // The first request carries the failure.
        if let Some(Ok(first)) = requests.next() {
            fail_first(
                &rt,
                At {
                    file_index: index,
                    file,
                },
                &first,
                f,
            );
        }
        Scope::new()
    });
    let mut captures: Layer = Arc::new(HashMap::new());
    // With --continue-on-error: captures a failed request did not produce,
    // and which request that was.
    let mut missing: HashMap<String, String> = HashMap::new();
    let jar = Jar::default();
    for req in requests {
        let req = match req {
            Ok(r) => r,
            // A streamed file that no longer reads as it was checked.
            Err(d) => {
                rt.message(crate::report::event::Level::Error, d.render(false));
                stats.failed += 1;
                break;
            }
        };
        let req = &*req;
        let at = At {
            file_index: index,
            file,
        };
        let reason = stop.clone().or_else(|| needs_missing(req, &missing));
        let ran = match reason {
            Some(reason) => skipped(at, req, reason),
            None => {
                if rt.flags.dry_run {
                    crate::runner::dry_run::capture_placeholders(req, &mut captures);
                }
                let scope = file_scope.with(captures.clone());
                run_request(&rt, at, req, &scope, &jar).await
            }
        };
        let result = record(
            &rt,
            req,
            ran,
            &mut stats,
            &mut stop,
            &mut missing,
            &mut captures,
        );
        rt.emit_result(result);
    }
    rt.emit(Event::FileEnd(FileEnd {
        index,
        path: file.display.clone(),
        name: file.name.clone(),
        duration: started.elapsed(),
    }));
    stats
}

/// Counts `ran` and keeps what later requests need of it: its captures,
/// or why they will be skipped.
fn record(
    rt: &Runtime,
    req: &RequestPlan,
    ran: Ran,
    stats: &mut FileStats,
    stop: &mut Option<String>,
    missing: &mut HashMap<String, String>,
    captures: &mut Layer,
) -> crate::report::event::RequestResult {
    stats.count(&ran.result.outcome);
    if ran.result.outcome == Outcome::Failed {
        if rt.flags.continue_on_error {
            for c in &req.captures {
                missing.insert(c.name.clone(), req.name.clone());
            }
        } else {
            *stop = Some(format!("`{}` failed", req.name));
        }
    }
    if !ran.captures.is_empty() {
        let map = Arc::make_mut(captures);
        for (k, v) in ran.captures {
            missing.remove(&k);
            map.insert(k, from_json(&v));
        }
    }
    ran.result
}

fn skipped(at: At<'_>, req: &RequestPlan, reason: String) -> Ran {
    let mut result = pending(at, req);
    result.outcome = Outcome::Skipped { reason };
    Ran {
        result,
        captures: Vec::new(),
    }
}

fn fail_first(rt: &Runtime, at: At<'_>, first: &RequestPlan, failure: Failure) {
    let mut r = pending(at, first);
    r.outcome = Outcome::Failed;
    r.failures = vec![failure];
    rt.emit_result(r);
}

/// Why `req` cannot run: it reads a capture that a failed request did not
/// produce (`--continue-on-error`).
fn needs_missing(req: &RequestPlan, missing: &HashMap<String, String>) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    req.reads().into_iter().find_map(|name| {
        missing
            .get(&name)
            .map(|by| format!("needs `{name}`, which the failed `{by}` did not capture"))
    })
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
            Failure::new(
                "template",
                format!("var `{name}`: {} ", e.message)
                    .trim_end()
                    .to_string(),
                Some(&crate::diagnostic::Location::from(file.display.as_str())),
            )
        })?;
        vars.insert(name.clone(), from_json(&v));
    }
    Ok(rt.base.with(Arc::new(vars)).with(rt.cli_vars.clone()))
}
