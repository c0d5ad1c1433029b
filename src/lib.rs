//! sesame: run declarative HTTP request collections against real API tenants.
//!
//! Pipeline: `cli` parses flags → `source` loads and validates YAML into the
//! typed model → `template` compiles every string once → `runner` runs files in
//! parallel, requests in order, through `http` with credentials from `auth` →
//! `assertion` checks each response → `report` streams results to writers.
//!
//! Dependencies run one way, top to bottom: `cli` → `runner` → `auth` →
//! `exchange` → `http`. `exchange` is one request exchange (render → send →
//! check → retry) shared by request files and login/logout steps; `auth`
//! gets everything it needs at construction ([`auth::context::AuthContext`])
//! and never imports `runner`. Below them, `plan` (compiled files),
//! `assertion` (response checks, failures as data), `template`, `secret`,
//! `source` and `report` are synchronous and do no network I/O; `report`
//! sees results and redaction, never `http`. Leaf helpers (`clock`, `text`,
//! `blocking`, `duration`, `diagnostic`, `exit`, `prompt`, `private_file`, `signal`) import no layer. The rules
//! are checked by the tests in `architecture.rs`.

/// A line on stderr, like `eprintln!`, except that a closed stderr
/// (`sesame run 2>&1 | head`) ends the output quietly instead of panicking.
macro_rules! err_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

#[cfg(test)]
mod architecture;
pub(crate) mod assertion;
pub(crate) mod auth;
pub(crate) mod blocking;
pub(crate) mod cli;
pub(crate) mod clock;
pub(crate) mod diagnostic;
pub(crate) mod duration;
pub(crate) mod exchange;
pub(crate) mod exit;
pub(crate) mod http;
pub(crate) mod memo;
pub(crate) mod plan;
pub(crate) mod private_file;
pub(crate) mod prompt;
pub(crate) mod report;
pub(crate) mod runner;
pub(crate) mod secret;
pub(crate) mod signal;
pub(crate) mod source;
pub(crate) mod template;
pub(crate) mod text;

/// What the integration tests (`tests/`) and the fuzz target (`fuzz/`)
/// reach into, and nothing more: everything else is crate-private, so the
/// compiler finds dead code.
#[doc(hidden)]
pub mod testing {
    pub use crate::auth::totp::TotpSpec;
    pub use crate::cli::demo::write_example;
    pub use crate::plan::{Compiler, Inputs};
    pub use crate::source::schema::schema;
    pub use crate::template::{Engine, TotpProvider};
}

/// Runs the command line and returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // A bug must still end in one clear line, never a stack trace; the run
    // then fails (see `runner::run`), it never passes.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        err_line!(
            "error: internal error{place} (please report this at the project's issue tracker)"
        );
    }));
    cli::run(args)
}
