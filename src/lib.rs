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
pub mod assertion;
pub mod auth;
pub mod blocking;
pub mod cli;
pub mod clock;
pub mod diagnostic;
pub mod duration;
pub mod exchange;
pub mod exit;
pub mod http;
pub mod plan;
pub mod private_file;
pub mod prompt;
pub mod report;
pub mod runner;
pub mod secret;
pub mod signal;
pub mod source;
pub mod template;
pub mod text;

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
