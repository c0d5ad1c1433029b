//! Runs a compiled plan: files in parallel, requests in order. The runner
//! sits on top: it uses `auth` for credentials and `exchange` to send;
//! neither calls back into it.

pub(crate) mod confirm;
pub(crate) mod dry_run;
pub(crate) mod file;
pub(crate) mod masked;
pub(crate) mod request;
pub(crate) mod run;
pub(crate) mod runtime;
