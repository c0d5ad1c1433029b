//! The ways a run can be told to stop, on every platform: Ctrl-C (SIGINT)
//! everywhere, SIGTERM (a CI job cancelled, `kill`) and SIGHUP (the
//! terminal closed) on Unix, and Ctrl-Break on Windows, where CI agents and
//! consoles send it to stop a job. Each ends a run the same careful way
//! (logout, complete reports) with its own exit code.

use crate::exit;

/// Why a run was told to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    Interrupt,
    // SIGTERM and SIGHUP exist on Unix only; Windows stops with Interrupt.
    #[cfg_attr(not(unix), allow(dead_code))]
    Terminate,
    #[cfg_attr(not(unix), allow(dead_code))]
    Hangup,
}

impl Stop {
    /// 130, 143 or 129: 128 plus the signal's number, as shells report it.
    pub(crate) fn exit_code(self) -> i32 {
        match self {
            Stop::Interrupt => exit::INTERRUPTED,
            Stop::Terminate => exit::TERMINATED,
            Stop::Hangup => exit::HANGUP,
        }
    }

    /// How the console names it: `interrupted`, `terminated`, `hung up`.
    pub(crate) fn said(self) -> &'static str {
        match self {
            Stop::Interrupt => "interrupted",
            Stop::Terminate => "terminated",
            Stop::Hangup => "hung up",
        }
    }
}

/// The stop signals, listened to from the moment this is built.
pub(crate) struct Signals {
    #[cfg(unix)]
    streams: Option<[tokio::signal::unix::Signal; 3]>,
}

impl Signals {
    /// Starts listening (within a tokio runtime). Where a handler cannot be
    /// installed, only Ctrl-C is listened to. A watcher thread of its own
    /// also ends blocking waits ([`crate::clock::stop`]) the moment a stop
    /// signal comes, even when the run's only thread is inside one.
    pub(crate) fn listen() -> Signals {
        watch_for_blocking_waits();
        Signals::listen_only()
    }

    /// The signal streams alone, without the watcher thread.
    fn listen_only() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = (|| {
                Some([
                    signal(SignalKind::interrupt()).ok()?,
                    signal(SignalKind::terminate()).ok()?,
                    signal(SignalKind::hangup()).ok()?,
                ])
            })();
            Signals { streams }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    /// Waits for the next stop signal.
    pub(crate) async fn next(&mut self) -> Stop {
        #[cfg(unix)]
        if let Some([int, term, hup]) = &mut self.streams {
            return tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
                _ = hup.recv() => Stop::Hangup,
            };
        }
        interrupted().await;
        Stop::Interrupt
    }
}

/// Starts, once per process, a thread that waits for a stop signal and
/// ends blocking waits (the TOTP wait, a retry's pause) at once.
fn watch_for_blocking_waits() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        std::thread::spawn(move || {
            rt.block_on(async {
                let mut signals = Signals::listen_only();
                signals.next().await;
                crate::clock::stop();
            });
        });
    });
}

/// Completes when the user interrupts: Ctrl-C, or Ctrl-Break on Windows.
/// If a handler cannot be installed, that signal is simply not awaited.
pub(crate) async fn interrupted() {
    #[cfg(windows)]
    {
        let ctrl_break = async {
            match tokio::signal::windows::ctrl_break() {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c() => {}
            _ = ctrl_break => {}
        }
    }
    #[cfg(not(windows))]
    ctrl_c().await;
}

async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
