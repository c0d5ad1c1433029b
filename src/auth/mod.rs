//! auth

pub mod ledger;
pub mod totp;
