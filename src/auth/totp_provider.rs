//! `totp()` in templates: a fresh code per call, never one already sent for
//! the same secret (this run or a recent one), the wait announced, and the
//! code masked like the secret itself.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use crate::auth::totp::{Ledger, TotpSpec};
use crate::report::event::{Event, Level};
use crate::secret::Redactor;
use crate::template::TotpProvider;

pub(crate) struct RunTotp {
    ledger: Ledger,
    redactor: Arc<Redactor>,
    events: Mutex<Option<Sender<Event>>>,
}

impl RunTotp {
    pub(crate) fn new(ledger: Ledger, redactor: Arc<Redactor>) -> RunTotp {
        RunTotp {
            ledger,
            redactor,
            events: Mutex::new(None),
        }
    }

    /// Drops the event sender so the stream can close at the end of the run.
    pub(crate) fn clear_events(&self) {
        if let Ok(mut e) = self.events.lock() {
            *e = None;
        }
    }

    /// Where waits are announced, once the run's event stream exists.
    pub(crate) fn set_events(&self, events: Sender<Event>) {
        if let Ok(mut e) = self.events.lock() {
            *e = Some(events);
        }
    }
}

impl RunTotp {
    fn say(&self, level: Level, text: String) {
        if let Ok(guard) = self.events.lock()
            && let Some(events) = guard.as_ref()
        {
            let _ = events.send(Event::Message { level, text });
        }
    }
}

impl TotpProvider for RunTotp {
    fn code(
        &self,
        secret: &str,
        digits: Option<u32>,
        period: Option<u64>,
        algorithm: Option<&str>,
    ) -> Result<String, String> {
        let spec = TotpSpec::parse(secret, digits, period, algorithm)
            .map_err(|e| format!("totp(): {e}"))?;
        let claim = self.ledger.claim(&spec, crate::clock::now());
        self.redactor.add(&claim.code);
        if let Some(why) = &claim.damaged {
            self.say(
                Level::Warning,
                format!("{why}: it will be rewritten; waiting for the next TOTP step to be safe"),
            );
        }
        if !claim.wait.is_zero() {
            let secs = claim.wait.as_secs_f64().ceil();
            self.say(
                Level::Info,
                format!(
                    "waiting {secs:.0}s for a fresh TOTP code (this step's code was already used)"
                ),
            );
            crate::blocking::blocking(|| crate::clock::sleep_blocking(claim.wait));
            if crate::clock::stopped() {
                return Err("interrupted while waiting for a fresh TOTP code".into());
            }
        }
        Ok(claim.code)
    }
}

/// For `validate`, `curl` and `--dry-run`: a placeholder, nothing claimed.
pub(crate) struct NoTotp;

impl TotpProvider for NoTotp {
    fn code(
        &self,
        secret: &str,
        digits: Option<u32>,
        period: Option<u64>,
        algorithm: Option<&str>,
    ) -> Result<String, String> {
        TotpSpec::parse(secret, digits, period, algorithm).map_err(|e| format!("totp(): {e}"))?;
        Ok("<totp>".into())
    }
}
