//! Checking responses: JSONPath queries over bodies and the matchers that
//! `expect:` is written with. Synchronous and free of I/O, so every rule can
//! be tested with plain values.
pub mod failure;
pub mod jsonpath;
pub mod matcher;
pub mod response;
pub mod spec;

pub use failure::Failure;
pub use response::{Body, capture, evaluate};
