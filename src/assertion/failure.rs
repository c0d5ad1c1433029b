//! A failed expectation, or the reason a request could not run, as data:
//! results carry failures; nothing is thrown.

use crate::diagnostic::Location;

/// One expectation that did not hold, or the reason a request could not run.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    /// What was checked: `status`, `headers content-type`, `json $.data.total`,
    /// `body`, `duration`, `capture token`, `transport`, `login code42`, ...
    pub key: String,
    /// One-line explanation.
    pub message: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Where the expectation (or the request) was written.
    pub location: Option<Location>,
}

impl Failure {
    /// A failure not tied to one expectation's expected/actual pair.
    pub(crate) fn new(
        key: &str,
        message: impl Into<String>,
        location: Option<&Location>,
    ) -> Failure {
        Failure {
            key: key.to_string(),
            message: message.into(),
            expected: None,
            actual: None,
            location: location.cloned(),
        }
    }
}
