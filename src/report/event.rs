//! What the runner tells reporters, as plain data. Every string in these
//! types has already been through the run's redactor: reporters never mask.

use std::time::Duration;

/// The run as a whole begins.
#[derive(Clone, Debug)]
pub(crate) struct RunStart {
    /// Total requests across those files.
    pub requests: usize,
    pub env: Option<String>,
    pub dry_run: bool,
}

/// One request file begins.
#[derive(Clone, Debug)]
pub(crate) struct FileStart {
    /// Position of the file in the run, from 0, in path order.
    pub index: usize,
    /// Path as shown to the user (relative to the current folder when possible).
    pub path: String,
    /// The file's `name:` or its stem.
    pub name: String,
    pub requests: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Passed,
    Failed,
    /// Not run: `when:` was false, or an earlier request of the file failed.
    Skipped {
        reason: String,
    },
}

pub(crate) use crate::assertion::Failure;

/// A request that ran (or was skipped), with its verdict.
#[derive(Clone, Debug)]
pub(crate) struct RequestResult {
    pub file_index: usize,
    pub file: String,
    pub file_name: String,
    pub name: String,
    pub method: String,
    /// Rendered URL including query string.
    pub url: String,
    pub status: Option<u16>,
    /// Time of the last attempt, from sending to the end of the body.
    pub duration: Duration,
    /// How many times it was sent (retries and 401 re-sends count).
    pub attempts: u32,
    pub outcome: Outcome,
    pub failures: Vec<Failure>,
    /// The start of the response body, for failure reports.
    pub body_excerpt: Option<String>,
}

/// A request and its response as text, for `--verbose`.
#[derive(Clone, Debug)]
pub(crate) struct Exchange {
    pub file_index: usize,
    /// `POST https://host/path` then `Name: value` lines, a blank line, the body.
    pub request: String,
    /// `HTTP/1.1 200 OK` then headers, a blank line, the body; `None` when no response came.
    pub response: Option<String>,
}

/// One request file ended.
#[derive(Clone, Debug)]
pub(crate) struct FileEnd {
    pub index: usize,
    pub path: String,
    pub name: String,
    pub duration: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    Info,
    Warning,
    Error,
}

/// The run ended.
#[derive(Clone, Debug)]
pub(crate) struct RunEnd {
    pub files: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub duration: Duration,
    pub exit_code: i32,
}

/// Everything a reporter can be told, in the order it happens. Events of
/// different files may interleave when files run in parallel; events of one
/// file are always in order.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    RunStart(RunStart),
    FileStart(FileStart),
    Exchange(Exchange),
    Request(RequestResult),
    FileEnd(FileEnd),
    /// A note outside any request: a login, a logout, a TOTP wait, a warning.
    Message {
        level: Level,
        text: String,
    },
    RunEnd(RunEnd),
}

/// A destination for events: the console, or a report file.
pub(crate) trait Reporter: Send {
    fn event(&mut self, event: &Event) -> std::io::Result<()>;
    /// Called when no event is waiting: push buffered output to its destination.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    /// Called once after [`Event::RunEnd`]: write files, flush.
    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
