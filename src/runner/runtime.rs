//! What every task of a run shares: the exchange context, the base scope,
//! the profiles, and the flags of the command.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::auth::manager::AuthManager;
use crate::exchange::Exchange;
use crate::report::event::{Event, Level, Outcome, RequestResult};
use crate::template::{Layer, Scope};

pub(crate) struct Runtime {
    pub exchange: Arc<Exchange>,
    /// `env` and the chosen environment's variables.
    pub base: Scope,
    /// `--var`: wins over a file's vars and inputs.
    pub cli_vars: Layer,
    pub auth: AuthManager,
    pub flags: Flags,
    /// Results emitted so far: the summary counts them, also when a signal
    /// ends the run with files unfinished.
    pub tally: Tally,
}

/// Passed, failed and skipped results, counted as they are emitted.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    passed: AtomicUsize,
    failed: AtomicUsize,
    skipped: AtomicUsize,
}

impl Tally {
    fn count(&self, outcome: &Outcome) {
        let n = match outcome {
            Outcome::Passed => &self.passed,
            Outcome::Failed => &self.failed,
            Outcome::Skipped { .. } => &self.skipped,
        };
        n.fetch_add(1, Ordering::Relaxed);
    }

    /// `(passed, failed, skipped)` so far.
    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        (
            self.passed.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
            self.skipped.load(Ordering::Relaxed),
        )
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Flags {
    pub dry_run: bool,
    pub verbose: bool,
    pub yes: bool,
    /// stdin and stderr are terminals: questions may be asked.
    pub interactive: bool,
    /// `--continue-on-error`: a failed request does not stop its file.
    pub continue_on_error: bool,
}

impl Runtime {
    pub(crate) fn emit(&self, event: Event) {
        self.exchange.emit(event);
    }

    pub(crate) fn message(&self, level: Level, text: impl AsRef<str>) {
        self.exchange.message(level, text);
    }

    /// Emits a result after masking every secret in it and escaping what
    /// could drive a terminal; the body is masked whole, then cut to an
    /// excerpt, so a secret cannot straddle the cut.
    pub(crate) fn emit_result(&self, mut r: RequestResult) {
        // The reporter thread masks every event with every secret known
        // by then (`runner::masked`); here only what is about to be cut is
        // masked first, so a secret cannot straddle the cut.
        let red = &self.exchange.redactor;
        let mask_and_cut = |s: &mut String, max: usize, cut: fn(&str, usize) -> String| {
            if s.len() <= max || s.chars().nth(max).is_none() {
                return;
            }
            if let std::borrow::Cow::Owned(o) = red.redact(s) {
                *s = o;
            }
            *s = cut(s, max);
        };
        let escape = |s: &mut String| {
            if let std::borrow::Cow::Owned(o) = crate::text::printable(s) {
                *s = o;
            }
        };
        let field = |s: &mut String| {
            escape(s);
            mask_and_cut(s, FIELD_CHARS, crate::text::capped);
        };
        field(&mut r.url);
        field(&mut r.name);
        if let Outcome::Skipped { reason } = &mut r.outcome {
            field(reason);
        }
        for f in &mut r.failures {
            field(&mut f.message);
            f.expected.iter_mut().for_each(field);
            f.actual.iter_mut().for_each(field);
        }
        if let Some(b) = &mut r.body_excerpt {
            escape(b);
            mask_and_cut(b, BODY_EXCERPT_CHARS, crate::text::excerpt);
        }
        self.tally.count(&r.outcome);
        self.emit(Event::Request(r));
    }

    pub(crate) fn login_failed(&self) -> bool {
        self.auth.login_failed()
    }
}

/// The most of any one text field of a result (a message, an expected or
/// actual value) that reaches the console and the reports.
const FIELD_CHARS: usize = 2000;

/// The most of a failed response's body a result carries.
const BODY_EXCERPT_CHARS: usize = 800;
