//! One integration binary: every test runs the real `sesame` binary against
//! a real server on 127.0.0.1.

#[allow(dead_code, unused_imports)]
mod support;

mod auth_apply;
mod auth_cache;
mod auth_flow;
mod auth_mask;
mod auth_secrets;
mod auth_totp;
mod core_captures;
mod core_commands;
mod core_errors;
mod core_files;
mod core_matchers;
mod core_requests;
mod docs;
mod e2e_failures;
mod e2e_flows;
mod error_messages;
mod regressions;
mod schema;
mod smoke;
#[allow(dead_code)]
mod test;
