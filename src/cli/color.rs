//! `--color auto|always|never`, decided once per command.
//!
//! `always` and `never` are final. `auto` follows the environment, in this
//! order: `NO_COLOR` (non-empty) turns colour off; `CLICOLOR_FORCE` or
//! `FORCE_COLOR` (non-empty, not `0`) turn it on, for CI logs that render
//! escape codes; otherwise colour only on a terminal. `SESAME_TEST_MODE`
//! counts as "not a terminal", so test output is plain unless forced.

use clap::ValueEnum;

/// The value of `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour on a terminal; `NO_COLOR` turns it off, `CLICOLOR_FORCE` or `FORCE_COLOR` on
    #[default]
    Auto,
    /// Always colour, even in a pipe or a file
    Always,
    /// Never colour
    Never,
}

impl ColorChoice {
    /// Whether a stream that is (`terminal`) or is not a terminal gets
    /// colour, reading the environment through `var` (name → value).
    pub(crate) fn resolve(self, terminal: bool, var: impl Fn(&str) -> Option<String>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
                let forced = |name: &str| var(name).is_some_and(|v| !v.is_empty() && v != "0");
                if set("NO_COLOR") {
                    false
                } else if forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") {
                    true
                } else {
                    terminal
                }
            }
        }
    }

    /// [`ColorChoice::resolve`] against the process environment.
    pub(crate) fn resolve_env(self, terminal: bool) -> bool {
        self.resolve(terminal, |name| std::env::var(name).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::ColorChoice::{self, Always, Auto, Never};

    fn with(choice: ColorChoice, terminal: bool, vars: &[(&str, &str)]) -> bool {
        choice.resolve(terminal, |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn auto_follows_the_terminal_and_the_environment() {
        assert!(with(Auto, true, &[]));
        assert!(!with(Auto, false, &[]));
        assert!(!with(Auto, true, &[("NO_COLOR", "1")]));
        assert!(with(Auto, true, &[("NO_COLOR", "")]));
        assert!(with(Auto, false, &[("FORCE_COLOR", "1")]));
        assert!(with(Auto, false, &[("CLICOLOR_FORCE", "1")]));
        assert!(!with(Auto, false, &[("FORCE_COLOR", "0")]));
        assert!(!with(
            Auto,
            false,
            &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]
        ));
    }

    #[test]
    fn always_and_never_ignore_the_environment() {
        assert!(with(Always, false, &[("NO_COLOR", "1")]));
        assert!(!with(Never, true, &[("FORCE_COLOR", "1")]));
    }
}
