//! A whole run: files in parallel (at most `jobs` at a time), logout at the
//! end whatever happened, Ctrl-C handled, results streamed to reporters.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::exit;
use crate::plan::FilePlan;
use crate::report::event::{Event, RunEnd, RunStart};
use crate::runner::file::{FileStats, run_file};
use crate::runner::runtime::Runtime;
use crate::signal::{Signals, Stop};

pub(crate) struct RunInput {
    pub files: Vec<Arc<FilePlan>>,
    /// Resolved inputs of each file, by position.
    pub inputs: Vec<HashMap<String, Value>>,
    pub jobs: usize,
    pub env: Option<String>,
}

/// Runs the logout steps of every profile that logged in; a stop signal
/// during them abandons them (a hanging logout must not hold the run).
/// Returns the first stop signal seen, before or during logout.
async fn log_out(rt: &Runtime, signals: &mut Signals, stopped: Option<Stop>) -> Option<Stop> {
    if rt.flags.dry_run {
        return stopped;
    }
    tokio::select! {
        () = rt.auth.logout_all() => stopped,
        stop = signals.next() => {
            rt.message(
                crate::report::event::Level::Warning,
                format!("{}: logout abandoned", stop.said()),
            );
            stopped.or(Some(stop))
        }
    }
}

/// Runs every file and returns the exit code.
pub(crate) async fn execute(rt: Arc<Runtime>, input: RunInput) -> i32 {
    let started = crate::clock::Stopwatch::start();
    let requests = input.files.iter().map(|f| f.requests.len()).sum();
    rt.emit(Event::RunStart(RunStart {
        requests,
        env: input.env.clone(),
        dry_run: rt.flags.dry_run,
    }));
    let permits = Arc::new(Semaphore::new(input.jobs.max(1)));
    let mut tasks = JoinSet::new();
    let mut total = FileStats::default();
    let mut signals = Signals::listen();
    let stopped = tokio::select! {
        _ = async {
            // Files start in path order: each takes its permit before it is
            // spawned, so `--jobs 1` runs them one after the other in order.
            let mut names = HashMap::new();
            for (index, (file, inputs)) in input.files.iter().cloned().zip(input.inputs).enumerate() {
                let Ok(permit) = permits.clone().acquire_owned().await else { break };
                let rt = rt.clone();
                let path = file.display.clone();
                let task = tasks.spawn(async move {
                    let _permit = permit;
                    run_file(rt, index, &file, inputs).await
                });
                names.insert(task.id(), path);
            }
            while let Some(done) = tasks.join_next_with_id().await {
                match done {
                    Ok((_, s)) => {
                        total.passed += s.passed;
                        total.failed += s.failed;
                        total.skipped += s.skipped;
                    }
                    // A file that did not finish fails the run: a CI job
                    // must never go green with a file's requests counted nowhere.
                    Err(e) => {
                        total.failed += 1;
                        let path = names.get(&e.id()).map_or("a file", String::as_str);
                        rt.message(
                            crate::report::event::Level::Error,
                            format!("{path} did not finish: an internal error stopped it (please report this)"),
                        );
                    }
                }
            }
        } => None,
        stop = signals.next() => Some(stop),
    };
    if let Some(stop) = stopped {
        tasks.abort_all();
        rt.message(
            crate::report::event::Level::Warning,
            format!("{}: logging out", stop.said()),
        );
    }
    let stopped = log_out(&rt, &mut signals, stopped).await;
    let (passed, failed, skipped) = rt.tally.counts();
    let code = if let Some(stop) = stopped {
        stop.exit_code()
    } else if rt.login_failed() {
        exit::LOGIN_FAILED
    } else if failed > 0 || total.failed > 0 {
        exit::FAILED
    } else {
        exit::OK
    };
    rt.emit(Event::RunEnd(RunEnd {
        files: input.files.len(),
        passed,
        failed,
        skipped,
        duration: started.elapsed(),
        exit_code: code,
    }));
    code
}
