//! Secret values, where they come from, and their redaction from output.
//!
//! Three parts: [`Secret`] keeps a value out of `Debug`/`Display`;
//! [`source`] resolves a profile's secret from env, file, command or prompt;
//! [`redact`] masks every secret value seen in the run at the output
//! boundary, so reporters, error messages and `curl` export never need to
//! know which strings are secret.

mod command;
pub(crate) mod redact;
pub(crate) mod source;
pub(crate) mod value;

pub(crate) use redact::Redactor;
