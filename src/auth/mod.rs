//! Auth profiles resolved into credentials once per run: secrets, login
//! steps, TOTP codes never reused, the disk cache, and logout.

pub mod cache;
pub mod context;
pub mod creds;
pub mod ledger;
pub mod login;
pub mod manager;
pub mod oauth2;
pub mod saved;
pub mod totp;
pub mod totp_provider;
