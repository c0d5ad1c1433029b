//! Queries and matchers.

pub mod jsonpath;
pub mod matcher;
