//! A cookie jar with one owner (RFC 6265 storage model, via `cookie_store`).
//!
//! Who owns a jar is the caller's business: each profile has one (its login
//! steps' and its requests' cookies), each file one for its requests without
//! a profile. This type guarantees what a single jar must: a `Cookie`
//! header holds one value per name, and a cookie the server sets again
//! replaces the one it rotates, whatever `Path` or `Domain` either carried.

use std::sync::Mutex;

use cookie_store::{CookieStore, RawCookie};
use url::Url;

/// One owner's cookies.
#[derive(Debug, Default)]
pub(crate) struct Jar {
    store: Mutex<CookieStore>,
}

impl Jar {
    /// Stores the `Set-Cookie` values a response to `url` carried. A cookie
    /// replaces every stored cookie of the same name that `url` would have
    /// received: the server rotated it.
    pub(crate) fn store<'a>(&self, set_cookies: impl IntoIterator<Item = &'a str>, url: &Url) {
        let mut store = self.lock();
        for text in set_cookies {
            let Ok(raw) = RawCookie::parse(text.to_string()) else {
                continue;
            };
            let stale: Vec<(String, String)> = store
                .matches(url)
                .into_iter()
                .filter(|c| c.name() == raw.name())
                .map(|c| (String::from(&c.domain), String::from(&c.path)))
                .collect();
            for (domain, path) in stale {
                store.remove(&domain, &path, raw.name());
            }
            // A cookie the store refuses (a foreign `Domain`, say) is
            // dropped, as a browser would.
            let _ = store.insert_raw(&raw, url);
        }
    }

    /// Holds no cookie at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.lock().iter_any().next().is_none()
    }

    /// The `Cookie` header for a request to `url`: one `name=value` per
    /// name, the most specific (longest path) first as RFC 6265 orders
    /// them, then by name, so the header is the same on every run.
    pub(crate) fn header(&self, url: &Url) -> Option<String> {
        let store = self.lock();
        let mut cookies = store.matches(url);
        cookies.sort_by(|a, b| {
            let len = |c: &cookie_store::Cookie<'_>| String::from(&c.path).len();
            len(b).cmp(&len(a)).then_with(|| a.name().cmp(b.name()))
        });
        let mut seen: Vec<&str> = Vec::new();
        let mut pairs = Vec::new();
        for c in cookies {
            if seen.contains(&c.name()) {
                continue;
            }
            seen.push(c.name());
            pairs.push(format!("{}={}", c.name(), c.value()));
        }
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CookieStore> {
        // A panic while holding the lock leaves the store as it was between
        // two complete operations.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_rotated_cookie_replaces_the_old_one_whatever_its_path() {
        let jar = Jar::default();
        let u = url("http://127.0.0.1:1/api/items");
        jar.store(["sid=s1; Path=/"], &u);
        jar.store(["sid=s2; Path=/api"], &u);
        jar.store(["other=o"], &u);
        assert_eq!(jar.header(&u).as_deref(), Some("other=o; sid=s2"));
        jar.store(["sid=s3"], &u);
        assert_eq!(jar.header(&u).as_deref(), Some("other=o; sid=s3"));
    }

    #[test]
    fn a_deleted_cookie_is_no_longer_sent() {
        let jar = Jar::default();
        let u = url("http://127.0.0.1:1/");
        jar.store(["sid=s1", "keep=k"], &u);
        jar.store(["sid=; Max-Age=0"], &u);
        assert_eq!(jar.header(&u).as_deref(), Some("keep=k"));
    }

    #[test]
    fn values_are_sent_as_received() {
        let jar = Jar::default();
        let u = url("http://127.0.0.1:1/");
        jar.store(["q=\"a b\"", "eq=a=b==", "empty="], &u);
        let header = jar.header(&u).unwrap();
        let mut parts: Vec<&str> = header.split("; ").collect();
        parts.sort_unstable();
        assert_eq!(parts, ["empty=", "eq=a=b==", "q=\"a b\""]);
    }
}
