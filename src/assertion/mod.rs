//! Checking responses: JSONPath queries over bodies and the matchers that
//! `expect:` is written with. Synchronous and free of I/O, so every rule can
//! be tested with plain values.
pub mod jsonpath;
pub mod matcher;
