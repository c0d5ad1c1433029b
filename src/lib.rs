//! sesame: run declarative HTTP request collections against real API tenants.
//!
//! Pipeline: `cli` parses flags → `source` loads and validates YAML into the
//! typed model → `template` compiles every string once → `runner` runs files in
//! parallel, requests in order, through `http` with credentials from `auth` →
//! `assertion` checks each response → `report` streams results to writers.
//!
//! Dependency rules: `source`, `template`, `assertion`, `secret` and `report`
//! are synchronous and do no network I/O; only `http`, `auth` and `runner` are
//! async. `report` sees results and redaction, never `http`.

pub mod assertion;
pub mod auth;
pub mod cli;
pub mod diagnostic;
pub mod duration;
pub mod exit;
pub mod http;
pub mod plan;
pub mod report;
pub mod runner;
pub mod secret;
pub mod signal;
pub mod source;
pub mod template;

/// Runs the command line and returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::run(args)
}
