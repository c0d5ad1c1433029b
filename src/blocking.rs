//! Blocking work (a prompt, a TOTP wait, a secret command) called from async
//! code, without starving the other tasks of the run.

/// Runs `f` on the current thread: on a multi-threaded runtime the worker
/// hands its other tasks over first; on a single-threaded one (`--jobs 1`)
/// there are no other tasks to starve.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
