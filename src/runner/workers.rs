//! `--jobs N` (N > 1): N threads, each with a single-threaded async runtime
//! and its own HTTP client, take the files in path order. A file's
//! request, its connection and the task that drives the connection then
//! stay on one thread: on a work-stealing runtime they were spread over
//! threads and every request paid cross-thread wake-ups (issue 11: 20 files
//! ran 1.24x to 1.5x faster with `--jobs 2`, not 2x).
//!
//! Logins are shared (one per profile for the whole run, as before); a
//! login's connection belongs to the thread that made it, so every worker's
//! runtime is kept alive until the run has logged out.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::plan::FilePlan;
use crate::report::event::Level;
use crate::runner::file::{FileStats, run_file};
use crate::runner::runtime::Runtime;

/// A file waiting for a worker: its index, plan and inputs.
pub(crate) type Waiting = (usize, Arc<FilePlan>, HashMap<String, Value>);

/// The running workers.
pub(crate) struct Workers {
    /// Each file's stats as it ends.
    done: mpsc::UnboundedReceiver<FileStats>,
    /// Set: workers stop their files (a signal).
    cancel: watch::Sender<bool>,
    /// Set: workers end their runtimes (the run has logged out).
    release: watch::Sender<bool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// Starts `count` workers on `files`; the files back when no worker can
/// be started (the caller then runs them itself).
pub(crate) fn start(
    rt: &Runtime,
    client: &crate::http::ClientOptions,
    files: Vec<Waiting>,
    count: usize,
) -> Result<Workers, Vec<Waiting>> {
    let mut runtimes = Vec::new();
    for _ in 0..count {
        let built = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        match (built, crate::http::client(client)) {
            (Ok(runtime), Ok(client)) => runtimes.push((runtime, Arc::new(rt.with_client(client)))),
            _ => return Err(files),
        }
    }
    let queue = Arc::new(Mutex::new(VecDeque::from(files)));
    let (done_tx, done) = mpsc::unbounded_channel();
    let (cancel, cancel_rx) = watch::channel(false);
    let (release, release_rx) = watch::channel(false);
    let mut threads = Vec::new();
    for (i, (runtime, wrt)) in runtimes.into_iter().enumerate() {
        let shared = queue.clone();
        let done_tx = done_tx.clone();
        let mut cancel_rx = cancel_rx.clone();
        let mut release_rx = release_rx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("sesame-worker-{i}"))
            .spawn(move || {
                runtime.block_on(async move {
                    work(wrt, &shared, &done_tx, &mut cancel_rx).await;
                    drop(done_tx);
                    let _ = release_rx.wait_for(|r| *r).await;
                });
            });
        match spawned {
            Ok(t) => threads.push(t),
            // The threads started take every file all the same.
            Err(_) if !threads.is_empty() => break,
            Err(_) => {
                let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
                return Err(std::mem::take(&mut *queue).into());
            }
        }
    }
    Ok(Workers {
        done,
        cancel,
        release,
        threads,
    })
}

/// Runs files from `queue` until it is empty or the run is cancelled.
async fn work(
    rt: Arc<Runtime>,
    queue: &Mutex<VecDeque<Waiting>>,
    done: &mpsc::UnboundedSender<FileStats>,
    cancel: &mut watch::Receiver<bool>,
) {
    loop {
        let next = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front();
        let Some((index, file, inputs)) = next else {
            return;
        };
        let path = file.display.clone();
        let file_rt = rt.clone();
        let mut task = tokio::spawn(async move { run_file(file_rt, index, &file, inputs).await });
        let stats = tokio::select! {
            joined = &mut task => match joined {
                Ok(stats) => stats,
                // A file that did not finish fails the run: a CI job must
                // never go green with a file's requests counted nowhere.
                Err(_) => {
                    rt.message(
                        Level::Error,
                        format!("{path} did not finish: an internal error stopped it (please report this)"),
                    );
                    FileStats { failed: 1, ..FileStats::default() }
                }
            },
            _ = cancel.wait_for(|c| *c) => {
                task.abort();
                return;
            }
        };
        let _ = done.send(stats);
    }
}

impl Workers {
    /// The next file's stats; `None` once every file has ended.
    pub(crate) async fn next(&mut self) -> Option<FileStats> {
        self.done.recv().await
    }

    /// Stops the files still running.
    pub(crate) fn cancel(&self) {
        let _ = self.cancel.send(true);
    }

    /// Ends the workers, once the run has logged out.
    pub(crate) fn release(self) {
        let _ = self.release.send(true);
        for t in self.threads {
            let _ = t.join();
        }
    }
}
