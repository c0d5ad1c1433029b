//! The ways a run can be told to stop: Ctrl-C (SIGINT), SIGTERM (a CI job
//! cancelled, `kill`), SIGHUP (the terminal closed), and on Windows Ctrl-C
//! and Ctrl-Break. Each ends the run the same careful way (logout, complete
//! reports) with its own exit code.

use crate::exit;

/// Why a run was told to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Interrupt,
    Terminate,
    Hangup,
}

impl Stop {
    /// 130, 143 or 129: 128 plus the signal's number, as shells report it.
    pub fn exit_code(self) -> i32 {
        match self {
            Stop::Interrupt => exit::INTERRUPTED,
            Stop::Terminate => exit::TERMINATED,
            Stop::Hangup => exit::HANGUP,
        }
    }

    /// How the console names it: `interrupted`, `terminated`, `hung up`.
    pub fn said(self) -> &'static str {
        match self {
            Stop::Interrupt => "interrupted",
            Stop::Terminate => "terminated",
            Stop::Hangup => "hung up",
        }
    }
}

/// The stop signals, listened to from the moment this is built.
pub struct Signals {
    #[cfg(unix)]
    streams: Option<[tokio::signal::unix::Signal; 3]>,
}

impl Signals {
    /// Starts listening (within a tokio runtime). Where a handler cannot be
    /// installed, only Ctrl-C is listened to.
    pub fn listen() -> Signals {
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
    pub async fn next(&mut self) -> Stop {
        #[cfg(unix)]
        if let Some([int, term, hup]) = &mut self.streams {
            return tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
                _ = hup.recv() => Stop::Hangup,
            };
        }
        #[cfg(windows)]
        {
            let Ok(mut brk) = tokio::signal::windows::ctrl_break() else {
                let _ = tokio::signal::ctrl_c().await;
                return Stop::Interrupt;
            };
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => Stop::Interrupt,
                _ = brk.recv() => Stop::Interrupt,
            };
        }
        #[allow(unreachable_code)]
        {
            let _ = tokio::signal::ctrl_c().await;
            Stop::Interrupt
        }
    }
}
