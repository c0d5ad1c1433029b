//! Origins (scheme, host, port) for `hosts:` scoping.

use url::Url;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Origin(String);

/// Whether two URLs share scheme, host and port, without allocating: this
/// runs for every request that carries credentials.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

impl Origin {
    pub(crate) fn of(url: &Url) -> Origin {
        Origin(url.origin().ascii_serialization())
    }

    /// Whether `url` is of this origin.
    pub(crate) fn matches(&self, url: &Url) -> bool {
        let text = self.0.as_str();
        let Some(rest) = text
            .strip_prefix(url.scheme())
            .and_then(|r| r.strip_prefix("://"))
        else {
            return false;
        };
        let Some(host) = url.host_str() else {
            return false;
        };
        let Some(after_host) = rest.strip_prefix(host) else {
            return false;
        };
        let default = match url.scheme() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        };
        match (after_host.strip_prefix(':'), url.port()) {
            (None, None) => after_host.is_empty(),
            (Some(p), Some(port)) => p.parse::<u16>().ok() == Some(port),
            (None, Some(port)) => after_host.is_empty() && Some(port) == default,
            (Some(_), None) => false,
        }
    }

    /// Parses `https://host[:port]`, a URL, or a bare `host[:port]` (https).
    pub(crate) fn parse(text: &str) -> Result<Origin, String> {
        let raw = text.trim();
        // Look for the scheme before trimming slashes: `https://` is not `https:`.
        let with_scheme = if raw.contains("://") {
            raw.to_string()
        } else {
            format!("https://{raw}")
        };
        let text = raw.trim_end_matches('/');
        let url =
            Url::parse(&with_scheme).map_err(|e| format!("`{text}` is not an origin: {e}"))?;
        if url.host().is_none() {
            return Err(format!("`{text}` has no host"));
        }
        Ok(Origin::of(&url))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_without_serialising() {
        let o = Origin::parse("http://127.0.0.1:8080").unwrap();
        assert!(o.matches(&Url::parse("http://127.0.0.1:8080/x?y").unwrap()));
        assert!(!o.matches(&Url::parse("http://127.0.0.1:8081/x").unwrap()));
        assert!(!o.matches(&Url::parse("https://127.0.0.1:8080/x").unwrap()));
        assert!(!o.matches(&Url::parse("http://localhost:8080/x").unwrap()));
        let s = Origin::parse("https://api.example.com").unwrap();
        assert!(s.matches(&Url::parse("https://api.example.com/v1").unwrap()));
        assert!(s.matches(&Url::parse("https://API.example.com:443/v1").unwrap()));
        assert!(!s.matches(&Url::parse("https://api.example.com.evil.net/v1").unwrap()));
        let v6 = Origin::parse("http://[::1]:9000").unwrap();
        assert!(v6.matches(&Url::parse("http://[::1]:9000/").unwrap()));
        assert!(same_origin(
            &Url::parse("http://a:80/x").unwrap(),
            &Url::parse("http://a/y").unwrap()
        ));
        assert!(!same_origin(
            &Url::parse("http://a/x").unwrap(),
            &Url::parse("http://b/x").unwrap()
        ));
    }

    #[test]
    fn default_ports_and_bare_hosts() {
        assert_eq!(
            Origin::parse("https://a.example.com:443/x")
                .unwrap()
                .as_str(),
            "https://a.example.com"
        );
        assert_eq!(
            Origin::parse("a.example.com").unwrap().as_str(),
            "https://a.example.com"
        );
        assert_eq!(
            Origin::parse("http://127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080"
        );
        assert!(Origin::parse("https://").is_err());
    }
}
