//! Runs a compiled plan: files in parallel, requests in order.

pub mod exchange;
pub mod runtime;
pub mod file;
pub mod run;
