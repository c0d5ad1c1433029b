//! The typed model of request files, profiles and `sesame.yaml`, exactly as
//! written on disk. Values that can take several shapes (a status that is an
//! int, a list or "2xx"; a matcher; a capture) stay [`Node`]s here and are
//! interpreted by the compiler, which can then point at them precisely.
//!
//! The JSON Schema that `sesame schema` prints is derived from these types.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::secret::source::SecretSource;

/// A value with the place it was written.
pub(crate) type Loc<T> = serde_saphyr::Spanned<T>;
/// Any YAML value with the place it was written.
pub(crate) type Node = Loc<Value>;

/// A collection: `requests/*.yaml`. The loader reads it in two passes: the
/// file's head with `requests` only counted ([`RequestCount`]; when
/// `requests:` is the last key, the head is the text before it), then the
/// requests one at a time, each compiled and dropped before the next is read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestFile<R = Vec<Loc<Box<RequestSpec>>>> {
    /// Shown in reports; default: the file stem.
    pub name: Option<String>,
    /// What the file is for; shown nowhere yet, accepted so files can say it.
    #[allow(dead_code)]
    pub description: Option<String>,
    /// Default profile of every request in the file; `none` for no credentials.
    #[schemars(with = "Option<String>")]
    pub profile: Option<Loc<String>>,
    /// Labels selected with `--tag`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Variables, rendered in order; each sees the ones before it.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Value>")]
    pub vars: IndexMap<String, Node>,
    /// Values the person running the playbook provides: `--var`, a prompt, or the default.
    #[serde(default)]
    pub inputs: IndexMap<String, InputSpec>,
    #[schemars(with = "Vec<RequestSpec>")]
    pub requests: R,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InputSpec {
    pub description: Option<String>,
    #[schemars(with = "Option<Value>")]
    pub default: Option<Node>,
}

/// The number of items of a YAML list, read without keeping them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RequestCount(pub usize);

impl<'de> Deserialize<'de> for RequestCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Counter;
        impl<'de> serde::de::Visitor<'de> for Counter {
            type Value = RequestCount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of requests")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RequestCount, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(RequestCount(n))
            }
        }
        d.deserialize_seq(Counter)
    }
}

impl JsonSchema for RequestCount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RequestCount".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<RequestSpec>>::json_schema(generator)
    }
}

/// One HTTP request; also one login or logout step of a profile. Rarely
/// used fields are boxed: a collection holds thousands of these while it
/// compiles, and most requests use only `url` and `expect`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestSpec {
    pub name: Option<String>,
    /// GET (default), POST, PUT, PATCH, DELETE, HEAD, OPTIONS, or any token.
    #[schemars(with = "Option<String>")]
    pub method: Option<Box<Loc<String>>>,
    #[schemars(with = "String")]
    pub url: Loc<String>,
    /// Query parameters; a list value repeats the parameter.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Value>")]
    pub query: IndexMap<String, Node>,
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Value>")]
    pub headers: IndexMap<String, Node>,
    /// HTTP basic authentication for this request.
    pub basic: Option<Box<BasicSpec>>,
    /// A JSON body: any YAML value.
    #[schemars(with = "Option<Value>")]
    pub json: Option<Box<Node>>,
    /// A form body, sent urlencoded.
    #[schemars(with = "Option<IndexMap<String, Value>>")]
    pub form: Option<IndexMap<String, Node>>,
    /// A raw body: text, or `{ file: PATH }` to send a file's bytes
    /// (relative to the request file's folder), streamed.
    #[schemars(with = "Option<BodySpec>")]
    pub body: Option<Box<Loc<BodySpec>>>,
    /// A `multipart/form-data` body: each field a text value or
    /// `{ file: PATH, content_type: TYPE, filename: NAME }`.
    #[schemars(with = "Option<IndexMap<String, PartSpec>>")]
    pub multipart: Option<IndexMap<String, Node>>,
    /// The profile whose credentials this request carries; `none` for none.
    #[schemars(with = "Option<String>")]
    pub profile: Option<Box<Loc<String>>>,
    pub expect: Option<Box<ExpectSpec>>,
    /// Values taken from the response for later requests of the file.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, CaptureShape>")]
    pub capture: IndexMap<String, Node>,
    /// `250ms`, `30s`, `2m`; a bare number is seconds.
    #[schemars(with = "Option<DurationShape>")]
    pub timeout: Option<Box<Node>>,
    /// Re-send while `expect` fails: how a playbook polls.
    pub retry: Option<Box<RetrySpec>>,
    /// Follow redirects (at most 10); default true.
    pub follow_redirects: Option<bool>,
    /// A boolean or a template rendering to one; false skips the request.
    #[schemars(with = "Option<WhenShape>")]
    pub when: Option<Box<Node>>,
    /// A question asked in a terminal before sending; `--yes` answers it.
    #[schemars(with = "Option<String>")]
    pub confirm: Option<Box<Loc<String>>>,
}

/// `body:`: a text template, or a file to send as it is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum BodySpec {
    /// The body text (a template).
    Text(String),
    /// The bytes of a file, streamed; relative to the request file's folder.
    File(FileBody),
}

/// `body: { file: PATH }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileBody {
    /// Path of the file to send, relative to the request file's folder.
    pub file: String,
}

/// One field of `multipart:`: a text value, or a file. Only the schema
/// reads this type: the values are read as YAML nodes, with their places
/// (`plan/compile/file_body.rs`).
#[allow(dead_code)]
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum PartSpec {
    /// A text field (a template).
    Text(String),
    /// A file field.
    File(FilePart),
}

/// `{ file: PATH, content_type: TYPE, filename: NAME }` in `multipart:`
/// (schema only, like [`PartSpec`]).
#[allow(dead_code)]
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FilePart {
    /// Path of the file, relative to the request file's folder.
    pub file: String,
    /// The part's `Content-Type`; default `application/octet-stream`.
    pub content_type: Option<String>,
    /// The file name sent; default the file's own name.
    pub filename: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BasicSpec {
    #[schemars(with = "String")]
    pub username: Loc<String>,
    #[schemars(with = "String")]
    pub password: Loc<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetrySpec {
    /// Sent at most this many more times after the first.
    pub count: u32,
    /// Pause between attempts; default 1s.
    #[schemars(with = "Option<DurationShape>")]
    pub delay: Option<Node>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectSpec {
    /// An int, a list of ints, or a class like "2xx".
    #[schemars(with = "Option<StatusShape>")]
    pub status: Option<Box<Node>>,
    /// Header name → matcher.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, MatcherShape>")]
    pub headers: IndexMap<String, Node>,
    /// JSONPath (RFC 9535) → matcher.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, MatcherShape>")]
    pub json: IndexMap<String, Node>,
    /// Matcher on the body text.
    #[schemars(with = "Option<MatcherShape>")]
    pub body: Option<Box<Node>>,
    /// Matcher on the response time in milliseconds.
    #[schemars(with = "Option<MatcherShape>")]
    pub duration: Option<Box<Node>>,
}

/// An auth profile: `profiles/NAME.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProfileFile {
    pub description: Option<String>,
    #[serde(default)]
    #[schemars(with = "IndexMap<String, SecretSource>")]
    pub secrets: IndexMap<String, Loc<SecretSource>>,
    /// Steps in the request syntax; captures of one are in scope for the next.
    #[serde(default)]
    #[schemars(with = "Vec<RequestSpec>")]
    pub login: Vec<Loc<Box<RequestSpec>>>,
    #[serde(default)]
    pub apply: ApplySpec,
    /// Steps run once at the end of the run, also after failures and on Ctrl-C.
    #[serde(default)]
    #[schemars(with = "Vec<RequestSpec>")]
    pub logout: Vec<Loc<Box<RequestSpec>>>,
    /// Origins that may receive the credentials; default: the login steps' origins.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub hosts: Vec<Loc<String>>,
    /// Lifetime of the credentials in seconds (a template, e.g. `{{ expires_in }}`).
    #[schemars(with = "Option<DurationShape>")]
    pub expires_in: Option<Node>,
    /// Lifetime as a duration, e.g. `15m`.
    #[schemars(with = "Option<DurationShape>")]
    pub ttl: Option<Node>,
    /// `false` keeps these credentials out of the disk cache.
    pub cache: Option<bool>,
    /// The standard OAuth 2.0 grants, instead of `login:` steps.
    #[schemars(with = "Option<OAuth2Spec>")]
    pub oauth2: Option<Loc<OAuth2Spec>>,
    /// A client certificate for the login steps and the requests.
    #[schemars(with = "Option<TlsSpec>")]
    pub tls: Option<Loc<TlsSpec>>,
}

/// `oauth2:` in a profile: a token request of one of the standard grants
/// (RFC 6749 §4.3, §4.4, §6; RFC 8628 for `device_code`). Values are templates.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OAuth2Spec {
    /// The token endpoint (RFC 6749 §3.2).
    #[schemars(with = "String")]
    pub token_url: Node,
    pub grant: Grant,
    #[schemars(with = "Option<String>")]
    pub client_id: Option<Node>,
    #[schemars(with = "Option<String>")]
    pub client_secret: Option<Node>,
    /// How the client authenticates (RFC 6749 §2.3.1); default `basic`.
    pub client_auth: Option<ClientAuth>,
    /// Space-separated scopes (RFC 6749 §3.3).
    #[schemars(with = "Option<String>")]
    pub scope: Option<Node>,
    /// Extra form parameters of every token request (e.g. `audience`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub params: IndexMap<String, Node>,
    /// `grant: password`: the resource owner's name and password.
    #[schemars(with = "Option<String>")]
    pub username: Option<Node>,
    #[schemars(with = "Option<String>")]
    pub password: Option<Node>,
    /// `grant: refresh_token`: the refresh token (a secret).
    #[schemars(with = "Option<String>")]
    pub refresh_token: Option<Node>,
    /// `grant: device_code`: the device authorization endpoint (RFC 8628 §3.1).
    #[schemars(with = "Option<String>")]
    pub device_authorization_url: Option<Node>,
}

/// The grant of an `oauth2:` profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    ClientCredentials,
    Password,
    RefreshToken,
    DeviceCode,
}

/// Client authentication at the token endpoint (RFC 6749 §2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// HTTP Basic with the form-encoded id and secret.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as form parameters.
    Body,
}

/// `tls:` in a profile: a client certificate and key (PEM, from secret
/// sources) and an extra trusted root.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TlsSpec {
    pub cert: SecretSource,
    pub key: SecretSource,
    /// A PEM file of a root certificate to trust, relative to the profile.
    pub ca: Option<String>,
}

/// How credentials attach to each request using the profile.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApplySpec {
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Value>")]
    pub headers: IndexMap<String, Node>,
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Value>")]
    pub query: IndexMap<String, Node>,
    /// Send the cookies the login steps received.
    #[serde(default)]
    pub cookies: bool,
    /// HTTP basic credentials, e.g. straight from `secrets`.
    pub basic: Option<BasicSpec>,
}

/// `sesame.yaml` at the project root.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectConfig {
    /// Named sets of template variables, picked with `--env NAME`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, IndexMap<String, Value>>")]
    pub environments: IndexMap<String, IndexMap<String, Node>>,
    #[serde(default)]
    pub defaults: Defaults,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Defaults {
    /// Per-request timeout; default 30s.
    #[schemars(with = "Option<DurationShape>")]
    pub timeout: Option<Node>,
    /// Headers sent with every request (a request's own headers win).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Value>")]
    pub headers: IndexMap<String, Node>,
}

// Shapes for the JSON Schema of the values kept as `Node`s above.

/// `250ms`, `2s`, `5m`, `1h`, or a number.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum DurationShape {
    Number(f64),
    Text(String),
}

/// `200`, `[200, 201]`, or `"2xx"`.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum StatusShape {
    Code(u16),
    Codes(Vec<u16>),
    Class(String),
}

/// `true`, `false`, or a template rendering to one.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum WhenShape {
    Bool(bool),
    Template(String),
}

/// A scalar or list means equality; a map means operators, all of which must hold.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)] // only describes the schema; never built
pub(crate) enum MatcherShape {
    Operators(Operators),
    Equals(Value),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct Operators {
    eq: Option<Value>,
    ne: Option<Value>,
    gt: Option<Value>,
    gte: Option<Value>,
    lt: Option<Value>,
    lte: Option<Value>,
    /// Substring of a string, member of an array.
    contains: Option<Value>,
    /// A regular expression.
    matches: Option<String>,
    exists: Option<bool>,
    #[serde(rename = "type")]
    type_: Option<TypeName>,
    /// A number or a matcher.
    length: Option<Value>,
    one_of: Option<Vec<Value>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum TypeName {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    Null,
}

/// A JSONPath string, or one of `{header}`, `{cookie}`, `{regex, from}`, `{status: true}`, `{json}`.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum CaptureShape {
    JsonPath(String),
    Header {
        header: String,
    },
    Cookie {
        cookie: String,
    },
    Regex {
        regex: String,
        /// `body` (default) or `header:NAME`.
        from: Option<String>,
    },
    Status {
        status: bool,
    },
    Json {
        json: String,
    },
}
