//! Auth profiles resolved into credentials once per run: secrets, login
//! steps, TOTP codes never reused, the disk cache, and logout.

pub(crate) mod cache;
pub(crate) mod context;
pub(crate) mod creds;
pub(crate) mod ledger;
pub(crate) mod login;
pub(crate) mod manager;
pub(crate) mod oauth2;
pub(crate) mod saved;
pub(crate) mod totp;
pub(crate) mod totp_provider;
