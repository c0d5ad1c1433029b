//! Checking responses: JSONPath queries over bodies and the matchers that
//! `expect:` is written with. Synchronous and free of I/O, so every rule can
//! be tested with plain values.
pub(crate) mod failure;
pub(crate) mod jsonpath;
pub(crate) mod matcher;
pub(crate) mod response;
pub(crate) mod spec;

pub(crate) use failure::Failure;
pub(crate) use response::{Body, capture, evaluate};
