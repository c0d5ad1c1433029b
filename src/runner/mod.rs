//! Runs a compiled plan: files in parallel, requests in order. The runner
//! sits on top: it uses `auth` for credentials and `exchange` to send;
//! neither calls back into it.

pub mod confirm;
pub mod dry_run;
pub mod file;
pub mod masked;
pub mod request;
pub mod run;
pub mod runtime;
