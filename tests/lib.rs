//! One integration binary: every test runs the real `sesame` binary against
//! a real server on 127.0.0.1, through the [`test::Test`] builder, which
//! compares stdout, stderr and the exit code exactly. `error_messages` pins
//! every kind of diagnostic. When output changes on purpose, paste the new
//! text with `cargo test --test lib 2>&1 | python3 tests/support/bless.py`
//! and review the diff.

// The harness is one crate: its `pub` items are for its own modules.
#![allow(unreachable_pub)]

#[allow(dead_code, unused_imports)]
mod support;

mod auth_apply;
mod auth_cache;
mod auth_flow;
mod auth_mask;
mod auth_secrets;
mod auth_totp;
mod bad_input;
mod cli_surface;
mod core_captures;
mod core_commands;
mod core_errors;
mod core_files;
mod core_matchers;
mod core_requests;
mod credentials;
mod curl_sends;
mod docs;
mod e2e_failures;
mod e2e_flows;
mod error_messages;
mod junit_report;
mod leaks;
mod malformed;
mod mtls;
mod oauth2;
mod path_order;
mod regressions;
mod request_bodies;
mod request_options;
mod schema;
mod schema_document;
mod server_input;
mod signals;
mod smoke;
mod streamed_files;
#[allow(dead_code)]
mod test;
mod wire_charsets;
mod wire_compression;
mod wire_cookies;
mod wire_headers;
mod wire_jsonpath;
mod wire_numbers;
#[allow(dead_code)]
mod wire_server;
mod wire_terminal;
mod wire_urls;
