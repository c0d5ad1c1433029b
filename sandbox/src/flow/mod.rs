//! One module per emulated vendor, each a router mounted under its prefix,
//! plus the sandbox's own control routes.
//!
//! Helpers return `Result<_, Response>` so a refusal is the vendor's exact
//! answer, returned early; the `Response` is large, but boxing it would only
//! add noise to a loopback test server.
#![allow(clippy::result_large_err)]

pub mod basicapp;
pub mod beyondtrust;
pub mod code42;
pub mod code42_gateway;
pub mod control;
pub mod crisisworks;
