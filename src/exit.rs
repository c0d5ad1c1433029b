//! The exit codes of DESIGN.md, in one table.

/// Every request and expectation passed.
pub(crate) const OK: i32 = 0;
/// A request or an expectation failed.
pub(crate) const FAILED: i32 = 1;
/// Invalid input (files, flags, templates), found before anything is sent.
pub(crate) const INVALID: i32 = 2;
/// A profile could not log in; wins over [`FAILED`].
pub(crate) const LOGIN_FAILED: i32 = 3;
/// Interrupted by Ctrl-C.
pub(crate) const INTERRUPTED: i32 = 130;
/// Ended by SIGTERM (128 + 15), after logging out and writing reports.
pub(crate) const TERMINATED: i32 = 143;
/// Ended by SIGHUP (128 + 1): the terminal went away.
pub(crate) const HANGUP: i32 = 129;
