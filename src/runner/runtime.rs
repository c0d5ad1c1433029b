//! What every task of a run shares: the client, the redactor, the template
//! engine, the base scope, the profiles, and the event stream.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::auth::manager::AuthManager;
use crate::report::event::{Event, Level, RequestResult};
use crate::secret::Redactor;
use crate::template::{Engine, Layer, Scope, Tpl};

pub struct Runtime {
    pub client: reqwest::Client,
    pub redactor: Arc<Redactor>,
    pub engine: Engine,
    /// `env` and the chosen environment's variables.
    pub base: Scope,
    /// `--var`: wins over a file's vars and inputs.
    pub cli_vars: Layer,
    pub default_headers: Vec<(String, Tpl)>,
    pub default_timeout: Duration,
    pub auth: AuthManager,
    pub flags: Flags,
    events: Sender<Event>,
    login_failed: AtomicBool,
    /// Serialises questions asked on the terminal.
    pub prompt_lock: std::sync::Mutex<()>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    pub dry_run: bool,
    pub verbose: bool,
    pub yes: bool,
    /// stdin and stderr are terminals: questions may be asked.
    pub interactive: bool,
}

impl Runtime {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: reqwest::Client,
        redactor: Arc<Redactor>,
        engine: Engine,
        base: Scope,
        cli_vars: Layer,
        default_headers: Vec<(String, Tpl)>,
        default_timeout: Duration,
        auth: AuthManager,
        flags: Flags,
        events: Sender<Event>,
    ) -> Runtime {
        Runtime {
            client,
            redactor,
            engine,
            base,
            cli_vars,
            default_headers,
            default_timeout,
            auth,
            flags,
            events,
            login_failed: AtomicBool::new(false),
            prompt_lock: std::sync::Mutex::new(()),
        }
    }

    pub fn emit(&self, event: Event) {
        // The reporter thread outlives every task; a closed channel means the
        // run is being torn down and the event has nowhere to go.
        let _ = self.events.send(event);
    }

    pub fn message(&self, level: Level, text: impl AsRef<str>) {
        let text = self.redactor.redact(text.as_ref()).into_owned();
        self.emit(Event::Message { level, text });
    }

    /// Emits a result after masking every secret in it.
    pub fn emit_result(&self, mut r: RequestResult) {
        let red = &self.redactor;
        let mask = |s: &mut String| {
            if let std::borrow::Cow::Owned(o) = red.redact(s) {
                *s = o;
            }
        };
        mask(&mut r.url);
        mask(&mut r.name);
        for f in &mut r.failures {
            mask(&mut f.message);
            if let Some(e) = &mut f.expected {
                mask(e);
            }
            if let Some(a) = &mut f.actual {
                mask(a);
            }
        }
        if let Some(b) = &mut r.body_excerpt {
            mask(b);
        }
        self.emit(Event::Request(r));
    }

    pub fn note_login_failed(&self) {
        self.login_failed.store(true, Ordering::Relaxed);
    }

    pub fn login_failed(&self) -> bool {
        self.login_failed.load(Ordering::Relaxed)
    }
}
