//! The one HTTP client of a run, and sending one request through it with
//! sesame's own redirect loop, so credentials never follow a redirect to an
//! origin outside their profile's hosts.

pub(crate) mod body;
pub(crate) mod content;
pub(crate) mod jar;
pub(crate) mod origin;
pub(crate) mod send;

pub(crate) use jar::Jar;
pub(crate) use origin::{Origin, same_origin};
pub(crate) use send::{Credentials, Incoming, Outgoing, send};

use std::time::Duration;

/// How the client of a run connects.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientOptions {
    /// `--insecure`: accept any certificate.
    pub insecure: bool,
    /// `--connect-timeout`: give up connecting after this long.
    pub connect_timeout: Option<Duration>,
    /// `--proxy`: every request goes through it (`NO_PROXY` still applies);
    /// `None`: the environment's `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
    pub proxy: Option<reqwest::Proxy>,
    /// PEM root certificates trusted besides the system's (`--cacert`, a
    /// profile's `tls: ca`).
    pub roots: Vec<Vec<u8>>,
    /// PEM private key and certificate chain the client presents (a
    /// profile's `tls: cert` and `key`).
    pub identity: Option<Vec<u8>>,
}

/// Builds the client shared by every request of a run: connections are kept
/// alive and reused; redirects are ours to follow.
pub(crate) fn client(options: &ClientOptions) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(options.insecure)
        .pool_idle_timeout(Duration::from_secs(30))
        .tcp_nodelay(true)
        .user_agent(concat!("sesame/", env!("CARGO_PKG_VERSION")));
    if let Some(t) = options.connect_timeout {
        builder = builder.connect_timeout(t);
    }
    if let Some(p) = &options.proxy {
        builder = builder.proxy(p.clone());
    }
    for pem in &options.roots {
        for cert in reqwest::Certificate::from_pem_bundle(pem)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    if let Some(pem) = &options.identity {
        builder = builder.identity(reqwest::Identity::from_pem(pem)?);
    }
    builder.build()
}

/// The proxy the environment names for `scheme` (`https` or `http`), as
/// reqwest will use it: `(variable, value)`, for `--verbose`.
pub(crate) fn proxy_from_env(scheme: &str) -> Option<(String, String)> {
    let names: &[&str] = if scheme == "https" {
        &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    };
    names.iter().find_map(|n| {
        std::env::var(n)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| (n.to_string(), v))
    })
}
