//! One request exchange: render a request plan, send it through `http`,
//! judge the response with `assertion`, retry as the plan says. Shared by
//! request files (`runner`) and by profiles' login and logout steps
//! (`auth`), so the send → check → retry loop exists once.
//!
//! [`Exchange`] is what every exchange of a command needs: the HTTP client,
//! the redactor, the default headers and timeout, and where `--verbose`
//! output goes. It knows nothing of files or profiles.

pub(crate) mod attempt;
pub(crate) mod multipart;
pub(crate) mod render;
pub(crate) mod target;
pub(crate) mod verbose;

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::report::event::{Event, Level};
use crate::secret::Redactor;
use crate::template::Tpl;

pub(crate) use attempt::{Attempted, Options, Verdict, attempt, attempt_rendered};
pub(crate) use render::{basic_header, render};

/// The context of every exchange of one command.
pub(crate) struct Exchange {
    pub client: reqwest::Client,
    pub redactor: Arc<Redactor>,
    /// `defaults.headers` of `sesame.yaml`, sent with every request.
    pub default_headers: Arc<Vec<(String, Tpl)>>,
    /// `defaults.timeout`, for requests without their own `timeout:`.
    pub default_timeout: Duration,
    /// `--verbose`: every exchange is written out as text.
    pub verbose: bool,
    events: Sender<Event>,
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("verbose", &self.verbose)
            .finish_non_exhaustive()
    }
}

impl Exchange {
    pub(crate) fn new(
        client: reqwest::Client,
        redactor: Arc<Redactor>,
        default_headers: Vec<(String, Tpl)>,
        default_timeout: Duration,
        verbose: bool,
        events: Sender<Event>,
    ) -> Exchange {
        Exchange {
            client,
            redactor,
            default_headers: Arc::new(default_headers),
            default_timeout,
            verbose,
            events,
        }
    }

    /// The same context with another client: a profile's, carrying its
    /// client certificate (`tls:`).
    pub(crate) fn with_client(&self, client: reqwest::Client) -> Exchange {
        Exchange {
            client,
            redactor: self.redactor.clone(),
            default_headers: self.default_headers.clone(),
            default_timeout: self.default_timeout,
            verbose: self.verbose,
            events: self.events.clone(),
        }
    }

    /// Sends `event` to the reporters.
    pub(crate) fn emit(&self, event: Event) {
        // The reporter thread outlives every task; a closed channel means the
        // run is being torn down and the event has nowhere to go.
        let _ = self.events.send(event);
    }

    /// A note outside any request, masked and safe for a terminal.
    pub(crate) fn message(&self, level: Level, text: impl AsRef<str>) {
        let masked = self.redactor.redact(text.as_ref());
        let text = crate::text::printable(&masked).into_owned();
        self.emit(Event::Message { level, text });
    }
}
