//! The interrupt a user sends from the terminal, on every platform: Ctrl-C
//! (SIGINT) everywhere, and Ctrl-Break on Windows, where CI agents and
//! consoles send it to stop a job. Either ends a run with exit code 130.

/// Completes when the user interrupts: Ctrl-C, or Ctrl-Break on Windows.
/// If a handler cannot be installed, that signal is simply not awaited.
pub async fn interrupted() {
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
