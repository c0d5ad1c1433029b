//! Secret values, where they come from, and their redaction from output.

pub mod source;
