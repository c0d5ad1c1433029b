//! The one HTTP client of a run, and sending one request through it with
//! sesame's own redirect loop, so credentials never follow a redirect to an
//! origin outside their profile's hosts.

pub mod origin;
pub mod send;

pub use origin::{Origin, same_origin};
pub use send::{Credentials, Incoming, Outgoing, send};

use std::time::Duration;

/// Builds the client shared by every request of a run: connections are kept
/// alive and reused; redirects are ours to follow.
pub fn client(insecure: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(insecure)
        .pool_idle_timeout(Duration::from_secs(30))
        .tcp_nodelay(true)
        .user_agent(concat!("sesame/", env!("CARGO_PKG_VERSION")))
        .build()
}
