//! `oauth2:` profiles: the standard grants of RFC 6749 (client credentials
//! §4.4, resource owner password §4.3, refresh token §6) and the device
//! authorization grant of RFC 8628, instead of hand-written login steps.
//!
//! The token response's fields ([`TOKEN_FIELDS`]) become the profile's
//! captures; an error answer (§5.2 `error`, `error_description`) becomes the
//! login's error, shown in the exit-3 message.

use std::collections::HashMap;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::exchange::Exchange;
use crate::http::{Jar, Outgoing};
use crate::plan::oauth2::{OAuth2Plan, TOKEN_FIELDS, grant_type};
use crate::report::event::Level;
use crate::source::model::{ClientAuth, Grant};
use crate::template::{Scope, Tpl};

/// Captures of one token response: `access_token`, `token_type`, ...
pub(crate) type TokenFields = HashMap<String, Value>;

/// Why a token request gave no token.
#[derive(Debug)]
enum TokenError {
    /// An RFC 6749 §5.2 error answer: `error` and its description.
    Refused { error: String, text: String },
    /// Anything else: transport, status without an error object, no token.
    Failed(String),
}

impl TokenError {
    fn into_message(self) -> String {
        match self {
            TokenError::Refused { text, .. } | TokenError::Failed(text) => text,
        }
    }
}

/// The client's identity, rendered: id, secret, and how they are sent.
struct Client<'a> {
    id: Option<String>,
    secret: Option<String>,
    auth: ClientAuth,
    http: &'a reqwest::Client,
}

/// Obtains a token for `plan`: first with the `refresh_token` of `previous`
/// (the captures of the credentials being replaced) when there is one, then
/// with the profile's grant if the refresh is refused.
///
/// Errors: the token endpoint's RFC 6749 §5.2 answer (`error: description`),
/// or what went wrong on the way, as one sentence.
pub(crate) async fn obtain(
    ex: &Exchange,
    profile: &str,
    plan: &OAuth2Plan,
    scope: &Scope,
    previous: Option<&TokenFields>,
) -> Result<TokenFields, String> {
    let render = |t: &Tpl, what: &str| t.render(scope).map_err(|e| format!("oauth2 {what}: {e}"));
    let opt = |t: &Option<Tpl>, what: &str| t.as_ref().map(|t| render(t, what)).transpose();
    let client = Client {
        id: opt(&plan.client_id, "client_id")?,
        secret: opt(&plan.client_secret, "client_secret")?,
        auth: plan.client_auth,
        http: &ex.client,
    };
    let url = render(&plan.token_url, "token_url")?;
    let mut common: Vec<(String, String)> = Vec::new();
    if let Some(s) = opt(&plan.scope, "scope")? {
        common.push(("scope".into(), s));
    }
    for (k, t) in &plan.params {
        common.push((k.clone(), render(t, k)?));
    }
    let jar = Jar::default();
    let refresh = previous.and_then(|p| p.get("refresh_token")?.as_str().map(str::to_string));
    if let Some(rt) = refresh {
        let form = with(
            &common,
            [("grant_type", "refresh_token"), ("refresh_token", &rt)],
        );
        match token_request(ex, &client, &url, &form, &jar).await {
            Ok(mut fields) => {
                // RFC 6749 §6: the server MAY issue a new refresh token.
                fields
                    .entry("refresh_token".into())
                    .or_insert(Value::String(rt));
                return Ok(fields);
            }
            Err(TokenError::Refused { text, .. }) => ex.message(
                Level::Info,
                format!("profile {profile}: refresh token refused ({text}), logging in again"),
            ),
            Err(e) => return Err(e.into_message()),
        }
    }
    let grant = grant_type(plan.grant);
    let mut form = with(&common, [("grant_type", grant)]);
    match plan.grant {
        Grant::ClientCredentials => {}
        Grant::Password => {
            form.push((
                "username".into(),
                opt(&plan.username, "username")?.unwrap_or_default(),
            ));
            form.push((
                "password".into(),
                opt(&plan.password, "password")?.unwrap_or_default(),
            ));
        }
        Grant::RefreshToken => {
            let rt = opt(&plan.refresh_token, "refresh_token")?.unwrap_or_default();
            form.push(("refresh_token".into(), rt));
        }
        Grant::DeviceCode => {
            let device_url = opt(&plan.device_authorization_url, "device_authorization_url")?;
            let device_url = device_url.unwrap_or_default();
            return device_flow(ex, profile, &client, &device_url, &url, &common, &jar).await;
        }
    }
    token_request(ex, &client, &url, &form, &jar)
        .await
        .map_err(TokenError::into_message)
}

/// `common` followed by `pairs`.
fn with<const N: usize>(
    common: &[(String, String)],
    pairs: [(&str, &str); N],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    out.extend(common.iter().cloned());
    out
}

/// One token request (RFC 6749 §3.2): a form POST with the client
/// authenticated; a JSON answer with `access_token` (§5.1), else an error.
async fn token_request(
    ex: &Exchange,
    client: &Client<'_>,
    url: &str,
    form: &[(String, String)],
    jar: &Jar,
) -> Result<TokenFields, TokenError> {
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map_or("", |(_, v)| v.as_str());
    let (status, doc) = post_form(ex, client, url, form, jar)
        .await
        .map_err(TokenError::Failed)?;
    let access = doc.get("access_token").and_then(Value::as_str);
    if (200..300).contains(&status) && access.is_some() {
        let fields: TokenFields = TOKEN_FIELDS
            .iter()
            .filter_map(|f| doc.get(*f).map(|v| ((*f).to_string(), v.clone())))
            .collect();
        return Ok(fields);
    }
    Err(refusal(
        status,
        &doc,
        &format!("token request (grant_type={grant})"),
    ))
}

/// An answer without what was asked for: an RFC 6749 §5.2 error object when
/// there is one, else the status.
fn refusal(status: u16, doc: &Value, what: &str) -> TokenError {
    match doc.get("error").and_then(Value::as_str) {
        Some(error) => {
            let text = match doc.get("error_description").and_then(Value::as_str) {
                Some(d) => format!("oauth2 {what} refused ({status}): {error}: {d}"),
                None => format!("oauth2 {what} refused ({status}): {error}"),
            };
            TokenError::Refused {
                error: error.to_string(),
                text,
            }
        }
        None => TokenError::Failed(format!(
            "oauth2 {what}: the server answered {status} without an access token"
        )),
    }
}

/// POSTs `form` to `url` as `application/x-www-form-urlencoded`, the client
/// authenticated as RFC 6749 §2.3.1 says: HTTP Basic over the form-encoded
/// id and secret (`basic`, when there is a secret), else `client_id` (and
/// `client_secret` with `body`) as form parameters. Returns the status and
/// the JSON answer (`null` when the body is not JSON).
async fn post_form(
    ex: &Exchange,
    client: &Client<'_>,
    url: &str,
    form: &[(String, String)],
    jar: &Jar,
) -> Result<(u16, Value), String> {
    let (headers, body) = encode(ex, client, form);
    let url = url::Url::parse(url.trim()).map_err(|e| format!("oauth2 url `{url}`: {e}"))?;
    let out = Outgoing {
        method: Method::POST,
        url,
        headers,
        body: Some(body.into_bytes()),
        body_file: None,
        timeout: ex.default_timeout,
        follow_redirects: false,
    };
    let got = crate::http::send(client.http, &out, None, jar).await;
    let doc: Value = got
        .as_ref()
        .ok()
        .and_then(|g| serde_json::from_slice(&g.body).ok())
        .unwrap_or(Value::Null);
    // Secret material is learnt before the response is shown (`--verbose`).
    for secret in ["access_token", "refresh_token", "id_token", "device_code"] {
        if let Some(v) = doc.get(secret) {
            ex.redactor.add_value(v);
        }
    }
    let opts = crate::exchange::Options {
        file_index: usize::MAX,
        ..Default::default()
    };
    crate::exchange::attempt::show(ex, opts, &out, got.as_ref().ok());
    let got = got.map_err(|e| format!("oauth2 request to {}: {e}", out.url))?;
    Ok((got.status.as_u16(), doc))
}

/// The headers and form body of a request to an OAuth endpoint (see [`post_form`]).
fn encode(
    ex: &Exchange,
    client: &Client<'_>,
    form: &[(String, String)],
) -> (Vec<(String, String)>, String) {
    let mut headers = vec![
        (
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ),
        ("Accept".to_string(), "application/json".to_string()),
    ];
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    match (&client.id, &client.secret, client.auth) {
        (Some(id), Some(secret), ClientAuth::Basic) => {
            let value = basic_credentials(id, secret);
            ex.redactor.add(&value);
            headers.push(("Authorization".into(), format!("Basic {value}")));
        }
        (id, secret, _) => {
            if let Some(id) = id {
                body.append_pair("client_id", id);
            }
            if let (Some(s), ClientAuth::Body) = (secret, client.auth) {
                body.append_pair("client_secret", s);
            }
        }
    }
    for (k, v) in form {
        body.append_pair(k, v);
    }
    (headers, body.finish())
}

/// The HTTP Basic credentials of RFC 6749 §2.3.1: the client id and secret
/// each encoded with `application/x-www-form-urlencoded`, joined by `:`,
/// then base64.
pub(crate) fn basic_credentials(id: &str, secret: &str) -> String {
    use base64::Engine as _;
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
}

/// RFC 8628: asks for a device code, tells the user where to enter the user
/// code, then polls the token endpoint every `interval` seconds (5 more
/// after each `slow_down`, §3.5) until a token, a refusal, or the device
/// code's expiry.
async fn device_flow(
    ex: &Exchange,
    profile: &str,
    client: &Client<'_>,
    device_url: &str,
    token_url: &str,
    common: &[(String, String)],
    jar: &Jar,
) -> Result<TokenFields, String> {
    let (status, doc) = post_form(ex, client, device_url, common, jar).await?;
    let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
    let (Some(device_code), Some(user_code), Some(uri)) = (
        text("device_code"),
        text("user_code"),
        text("verification_uri"),
    ) else {
        return Err(refusal(status, &doc, "device authorization request").into_message());
    };
    let secs = |k: &str, default: u64| doc.get(k).and_then(Value::as_u64).unwrap_or(default);
    let mut interval = Duration::from_secs(secs("interval", 5));
    let lifetime = Duration::from_secs(secs("expires_in", 600));
    ex.message(
        Level::Warning,
        format!("profile {profile}: to sign in, open {uri} and enter the code {user_code}"),
    );
    let form = with(
        common,
        [
            ("grant_type", grant_type(Grant::DeviceCode)),
            ("device_code", &device_code),
        ],
    );
    let started = crate::clock::Stopwatch::start();
    while started.elapsed() + interval <= lifetime {
        crate::clock::sleep(interval).await;
        match token_request(ex, client, token_url, &form, jar).await {
            Ok(fields) => return Ok(fields),
            Err(TokenError::Refused { error, .. }) if error == "authorization_pending" => {}
            Err(TokenError::Refused { error, .. }) if error == "slow_down" => {
                interval += Duration::from_secs(5);
            }
            Err(e) => return Err(e.into_message()),
        }
    }
    Err(format!(
        "oauth2 device code: nobody signed in at {uri} before the code expired"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_form_encode_id_and_secret_first() {
        // RFC 6749 §2.3.1 with a secret full of form-reserved characters.
        let got = basic_credentials("s6Bh dRkqt3", "p+s/w=r%d:x&y z");
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(got)
            .unwrap();
        assert_eq!(
            String::from_utf8(decoded).unwrap(),
            "s6Bh+dRkqt3:p%2Bs%2Fw%3Dr%25d%3Ax%26y+z"
        );
    }
}
