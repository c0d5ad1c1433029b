//! assertion
