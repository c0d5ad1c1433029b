//! Temporary stand-in until the redaction module lands.
use std::borrow::Cow;
use std::sync::RwLock;
pub const MASK: &str = "***";
#[derive(Default)]
pub struct Redactor {
    show: bool,
    values: RwLock<Vec<String>>,
}
impl Redactor {
    pub fn new(show_secrets: bool) -> Self {
        Redactor { show: show_secrets, values: RwLock::default() }
    }
    pub fn add(&self, value: &str) {
        if !value.is_empty() {
            self.values.write().unwrap().push(value.to_string());
        }
    }
    pub fn add_basic_pair(&self, user: &str, password: &str) {
        use base64::Engine as _;
        self.add(&base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")));
    }
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.show {
            return Cow::Borrowed(text);
        }
        let values = self.values.read().unwrap();
        let mut out = Cow::Borrowed(text);
        for v in values.iter() {
            if out.contains(v.as_str()) {
                out = Cow::Owned(out.replace(v.as_str(), MASK));
            }
        }
        out
    }
    pub fn is_sensitive_header(name: &str) -> bool {
        ["authorization", "proxy-authorization", "cookie", "set-cookie", "totp-auth", "ps-auth"]
            .contains(&name.to_ascii_lowercase().as_str())
    }
    pub fn header_value<'a>(&self, name: &str, value: &'a str) -> Cow<'a, str> {
        if !self.show && Self::is_sensitive_header(name) {
            return Cow::Borrowed(MASK);
        }
        self.redact(value)
    }
    pub fn show_secrets(&self) -> bool {
        self.show
    }
}
