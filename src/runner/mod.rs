//! Runs a compiled plan: files in parallel, requests in order.

pub mod exchange;
pub mod file;
pub mod run;
pub mod runtime;
