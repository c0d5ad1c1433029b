//! Origins (scheme, host, port) for `hosts:` scoping.

use url::Url;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    pub fn of(url: &Url) -> Origin {
        Origin(url.origin().ascii_serialization())
    }

    /// Parses `https://host[:port]`, a URL, or a bare `host[:port]` (https).
    pub fn parse(text: &str) -> Result<Origin, String> {
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

    pub fn as_str(&self) -> &str {
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
