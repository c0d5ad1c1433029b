//! Secret values, where they come from, and their redaction from output.
//!
//! Three parts: [`Secret`] keeps a value out of `Debug`/`Display`;
//! [`source`] resolves a profile's secret from env, file, command or prompt;
//! [`redact`] masks every secret value seen in the run at the output
//! boundary, so reporters, error messages and `curl` export never need to
//! know which strings are secret.

mod command;
pub mod redact;
pub mod source;
pub mod value;

pub use redact::{MASK, Redactor};
pub use source::SecretSource;
pub use value::Secret;
