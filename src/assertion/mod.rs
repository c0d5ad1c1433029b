//! assertion
pub mod jsonpath;
