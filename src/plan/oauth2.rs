//! The compiled form of a profile's `oauth2:` and `tls:` blocks.

use crate::secret::source::SecretSource;
use crate::source::model::{ClientAuth, Grant, Node, OAuth2Spec, TlsSpec};
use crate::template::Tpl;

/// The token response fields that become the profile's captures (RFC 6749
/// §5.1, and `id_token` of OpenID Connect): `auth.access_token`, ...
pub(crate) const TOKEN_FIELDS: [&str; 6] = [
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
    "id_token",
];

/// `oauth2:` compiled: every value a template seeing the profile's scope.
#[derive(Debug)]
pub struct OAuth2Plan {
    pub token_url: Tpl,
    pub grant: Grant,
    pub client_id: Option<Tpl>,
    pub client_secret: Option<Tpl>,
    pub client_auth: ClientAuth,
    pub scope: Option<Tpl>,
    pub params: Vec<(String, Tpl)>,
    pub username: Option<Tpl>,
    pub password: Option<Tpl>,
    pub refresh_token: Option<Tpl>,
    pub device_authorization_url: Option<Tpl>,
}

/// `tls:` compiled: sources of the PEM certificate and key, and the path of
/// an extra root (resolved from the profile's folder).
#[derive(Debug)]
pub struct TlsPlan {
    pub cert: SecretSource,
    pub key: SecretSource,
    pub ca: Option<std::path::PathBuf>,
}

/// Compiles `spec`; `tpl` compiles one value (reporting its own errors),
/// `missing` collects what the grant needs and the block lacks.
pub(crate) fn compile(
    spec: &OAuth2Spec,
    mut tpl: impl FnMut(&Node, &str) -> Option<Tpl>,
    missing: &mut Vec<String>,
) -> Option<OAuth2Plan> {
    let mut opt = |n: &Option<Node>, what: &str| n.as_ref().and_then(|n| tpl(n, what));
    let needs: &[(&str, bool)] = match spec.grant {
        Grant::ClientCredentials => &[("client_id", spec.client_id.is_some())],
        Grant::Password => &[
            ("username", spec.username.is_some()),
            ("password", spec.password.is_some()),
        ],
        Grant::RefreshToken => &[("refresh_token", spec.refresh_token.is_some())],
        Grant::DeviceCode => &[
            ("client_id", spec.client_id.is_some()),
            (
                "device_authorization_url",
                spec.device_authorization_url.is_some(),
            ),
        ],
    };
    for (name, given) in needs {
        if !given {
            missing.push(format!(
                "oauth2: grant `{}` needs `{name}`",
                grant_name(spec.grant)
            ));
        }
    }
    let plan = OAuth2Plan {
        token_url: opt(&Some(spec.token_url.clone()), "token_url")?,
        grant: spec.grant,
        client_id: opt(&spec.client_id, "client_id"),
        client_secret: opt(&spec.client_secret, "client_secret"),
        client_auth: spec.client_auth.unwrap_or_default(),
        scope: opt(&spec.scope, "scope"),
        params: Vec::new(),
        username: opt(&spec.username, "username"),
        password: opt(&spec.password, "password"),
        refresh_token: opt(&spec.refresh_token, "refresh_token"),
        device_authorization_url: opt(&spec.device_authorization_url, "device_authorization_url"),
    };
    let mut params = Vec::new();
    for (k, n) in &spec.params {
        params.push((k.clone(), tpl(n, "a params value")?));
    }
    Some(OAuth2Plan { params, ..plan })
}

/// An `oauth2:` profile without `apply:` applies [`default_apply`].
pub(crate) fn applies_default(model: &crate::source::model::ProfileFile) -> bool {
    let a = &model.apply;
    model.oauth2.is_some()
        && a.headers.is_empty()
        && a.query.is_empty()
        && a.basic.is_none()
        && !a.cookies
}

/// `Authorization: Bearer {{ access_token }}` (RFC 6750 §2.1).
pub(crate) fn default_apply(engine: crate::template::Engine) -> (String, Tpl) {
    let tpl = engine
        .compile("Bearer {{ access_token }}")
        .expect("a constant template compiles");
    ("Authorization".to_string(), tpl)
}

/// `tls:` with `ca` resolved from `profile_dir`.
pub(crate) fn tls(spec: &TlsSpec, profile_dir: &std::path::Path) -> TlsPlan {
    TlsPlan {
        cert: spec.cert.clone(),
        key: spec.key.clone(),
        ca: spec.ca.as_ref().map(|c| profile_dir.join(c)),
    }
}

/// The `grant_type` value of a grant (RFC 6749 §4.3.2, §4.4.2, §6; RFC 8628 §3.4).
pub(crate) fn grant_type(grant: Grant) -> &'static str {
    match grant {
        Grant::ClientCredentials => "client_credentials",
        Grant::Password => "password",
        Grant::RefreshToken => "refresh_token",
        Grant::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
    }
}

/// The grant as written in a profile.
pub(crate) fn grant_name(grant: Grant) -> &'static str {
    match grant {
        Grant::DeviceCode => "device_code",
        other => grant_type(other),
    }
}
