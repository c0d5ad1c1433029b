//! Runs a compiled plan: files in parallel, requests in order.

pub mod exchange;
pub mod file;
pub mod run;
pub mod runtime;

/// Runs blocking work (a prompt, a TOTP wait) from async code: on a
/// multi-threaded runtime the worker hands its other tasks over first; on a
/// single-threaded one (`--jobs 1`) there are no other tasks to starve.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
