//! Secret values, where they come from, and their redaction from output.

pub mod redact;
pub mod source;
pub mod value;

pub use redact::Redactor;
pub use value::Secret;
