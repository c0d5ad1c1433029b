//! Where messages go and whether they are coloured (`--color`, see
//! [`ColorChoice`]); `SESAME_TEST_MODE` freezes times.

use std::io::IsTerminal;

use crate::cli::color::ColorChoice;
use crate::diagnostic::Diagnostic;
use crate::exit;

pub(crate) struct Output {
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr.
    pub err_color: bool,
    pub stderr_terminal: bool,
    /// Durations print as 0 so tests can compare output exactly.
    pub frozen_time: bool,
}

impl Output {
    /// Reads the terminals and the environment once, for `--color choice`.
    pub(crate) fn detect(choice: ColorChoice) -> Output {
        let test_mode = std::env::var_os("SESAME_TEST_MODE").is_some();
        let stderr_terminal = std::io::stderr().is_terminal();
        Output {
            color: choice.resolve_env(!test_mode && std::io::stdout().is_terminal()),
            err_color: choice.resolve_env(!test_mode && stderr_terminal),
            stderr_terminal: stderr_terminal && !test_mode,
            frozen_time: test_mode,
        }
    }

    /// Prints a line on stdout, control characters escaped (a token or a
    /// body a server sent never drives the terminal); a closed pipe
    /// (`sesame schema | head`) ends the output quietly instead of panicking.
    pub(crate) fn say(&self, text: &str) {
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), "{}", crate::text::printable(text));
    }

    pub(crate) fn warn(&self, text: &str) {
        let label = if self.err_color {
            console::style("warning")
                .yellow()
                .bold()
                .force_styling(true)
                .to_string()
        } else {
            "warning".into()
        };
        err_line!("{label}: {}", crate::text::printable(text));
    }

    pub(crate) fn error(&self, text: &str) {
        let label = if self.err_color {
            console::style("error")
                .red()
                .bold()
                .force_styling(true)
                .to_string()
        } else {
            "error".into()
        };
        err_line!("{label}: {}", crate::text::printable(text));
    }
}

/// Prints every diagnostic to stderr and returns the invalid-input exit code.
pub(crate) fn print_diagnostics(out: &Output, diags: &[Diagnostic]) -> i32 {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.file.clone(), d.span.as_ref().map(|s| (s.line, s.column))));
    for d in sorted {
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), "{}", d.render(out.err_color));
    }
    if diags.len() > 1 {
        err_line!("{} problems found; nothing was sent", diags.len());
    } else {
        err_line!("nothing was sent");
    }
    exit::INVALID
}
