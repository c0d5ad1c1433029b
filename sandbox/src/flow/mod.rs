//! One module per emulated vendor, each a router mounted under its prefix,
//! plus the sandbox's own control routes.

pub mod basicapp;
pub mod beyondtrust;
pub mod code42;
pub mod control;
pub mod crisisworks;
