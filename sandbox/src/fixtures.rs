//! Fixed, public fixture credentials of the sandbox.
//!
//! They are constants (not random) so that example profiles, `.env` files,
//! docs and integration tests can name them. Nothing here is a real secret:
//! the sandbox listens on loopback only. Only the JWT signing key is random
//! (per [`crate::Sandbox`] instance), so a token never outlives its sandbox.
//!
//! | vendor | who | secret | what it triggers |
//! |---|---|---|---|
//! | Code42 | API client `sandbox-client` | `sandbox-secret` | `/v1/oauth` token, 900 s |
//! | Code42 | API client `sandbox-short-client` | `sandbox-short-secret` | token with `expires_in: 2` |
//! | Code42 | user `alice@example.com` | `alice-password` | basic auth, JWT without 2FA |
//! | Code42 | user `bob@example.com` | `bob-password` + TOTP [`CODE42_TOTP_SECRET`] | 2FA: `totp-auth` required |
//! | CrashPlan | user `carol@example.com` | `carol-password` + TOTP [`CRASHPLAN_TOTP_SECRET`] | 2FA: `totp-auth` required |
//! | Crisisworks | user `api.user`, site `sandbox` (or `training`) | `api-password` | token without MFA |
//! | Crisisworks | user `api.mfa`, site `sandbox` | `mfa-password` + TOTP [`CRISISWORKS_TOTP_SECRET`] | `mfaCode` required |
//! | basicapp | `alice@example.com` | `alice-password` | API access |
//! | basicapp | `bob@example.com` | `bob-password` | no API access: 403 |
//! | BeyondTrust | client `sandbox-client` | `sandbox-secret` | token 3600 s, SignAppIn ok |
//! | BeyondTrust | client `sandbox-short-client` | `sandbox-short-secret` | token with `expires_in: 2` |
//! | BeyondTrust | client `sandbox-unlicensed-client` | `sandbox-unlicensed-secret` | token ok, SignAppIn 403 |
//! | BeyondTrust | PS-Auth key `sandbox-ps-key`, runas `api-user` | optional `pwd=[api-user-password]` | SignAppIn ok |
//! | BeyondTrust | PS-Auth key `sandbox-unlicensed-key` | any runas | SignAppIn 403 |

/// Code42 API client (flow 1).
pub const CODE42_CLIENT_ID: &str = "sandbox-client";
/// Secret of [`CODE42_CLIENT_ID`].
pub const CODE42_CLIENT_SECRET: &str = "sandbox-secret";
/// Code42 API client whose tokens live [`SHORT_TOKEN_SECONDS`] seconds.
pub const CODE42_SHORT_CLIENT_ID: &str = "sandbox-short-client";
/// Secret of [`CODE42_SHORT_CLIENT_ID`].
pub const CODE42_SHORT_CLIENT_SECRET: &str = "sandbox-short-secret";
/// Code42 user without two-factor authentication (flow 2, and flow 3 without TOTP).
pub const CODE42_USER: &str = "alice@example.com";
/// Password of [`CODE42_USER`].
pub const CODE42_PASSWORD: &str = "alice-password";
/// Code42 user with two-factor authentication (flow 3).
pub const CODE42_TOTP_USER: &str = "bob@example.com";
/// Password of [`CODE42_TOTP_USER`].
pub const CODE42_TOTP_PASSWORD: &str = "bob-password";
/// 160-bit base32 TOTP secret of [`CODE42_TOTP_USER`].
pub const CODE42_TOTP_SECRET: &str = "DKY7UORJZT5MST3LUQ4ETRZ2YRH76WCT";
/// CrashPlan user with two-factor authentication (flow 4).
pub const CRASHPLAN_USER: &str = "carol@example.com";
/// Password of [`CRASHPLAN_USER`].
pub const CRASHPLAN_PASSWORD: &str = "carol-password";
/// 160-bit base32 TOTP secret of [`CRASHPLAN_USER`].
pub const CRASHPLAN_TOTP_SECRET: &str = "CO5CCI6MOKPLXW7WXXCRYSEW25GRXZEL";
/// Code42 organisation id with users (`/api/v3/org/{orgId}/user`).
pub const CODE42_ORG_ID: &str = "1";

/// Crisisworks site, sent as `X-Site`.
pub const CRISISWORKS_SITE: &str = "sandbox";
/// A second Crisisworks site: tokens from [`CRISISWORKS_SITE`] are refused there.
pub const CRISISWORKS_OTHER_SITE: &str = "training";
/// Crisisworks API user without MFA.
pub const CRISISWORKS_USER: &str = "api.user";
/// Password of [`CRISISWORKS_USER`].
pub const CRISISWORKS_PASSWORD: &str = "api-password";
/// Crisisworks API user with TOTP MFA.
pub const CRISISWORKS_MFA_USER: &str = "api.mfa";
/// Password of [`CRISISWORKS_MFA_USER`].
pub const CRISISWORKS_MFA_PASSWORD: &str = "mfa-password";
/// 160-bit base32 TOTP secret of [`CRISISWORKS_MFA_USER`].
pub const CRISISWORKS_TOTP_SECRET: &str = "RER6BJNQOSXPSFZE5M2DC6G3RXJYWBD4";

/// basicapp user with API access.
pub const BASICAPP_USER: &str = "alice@example.com";
/// Password of [`BASICAPP_USER`].
pub const BASICAPP_PASSWORD: &str = "alice-password";
/// basicapp user without API access (403).
pub const BASICAPP_NO_API_USER: &str = "bob@example.com";
/// Password of [`BASICAPP_NO_API_USER`].
pub const BASICAPP_NO_API_PASSWORD: &str = "bob-password";

/// BeyondTrust OAuth client with a valid licence.
pub const BEYONDTRUST_CLIENT_ID: &str = "sandbox-client";
/// Secret of [`BEYONDTRUST_CLIENT_ID`].
pub const BEYONDTRUST_CLIENT_SECRET: &str = "sandbox-secret";
/// BeyondTrust OAuth client whose tokens live [`SHORT_TOKEN_SECONDS`] seconds.
pub const BEYONDTRUST_SHORT_CLIENT_ID: &str = "sandbox-short-client";
/// Secret of [`BEYONDTRUST_SHORT_CLIENT_ID`].
pub const BEYONDTRUST_SHORT_CLIENT_SECRET: &str = "sandbox-short-secret";
/// BeyondTrust OAuth client whose licence is invalid: SignAppIn answers 403.
pub const BEYONDTRUST_UNLICENSED_CLIENT_ID: &str = "sandbox-unlicensed-client";
/// Secret of [`BEYONDTRUST_UNLICENSED_CLIENT_ID`].
pub const BEYONDTRUST_UNLICENSED_CLIENT_SECRET: &str = "sandbox-unlicensed-secret";
/// BeyondTrust PS-Auth API key.
pub const BEYONDTRUST_PS_KEY: &str = "sandbox-ps-key";
/// BeyondTrust PS-Auth API key whose licence is invalid (403).
pub const BEYONDTRUST_UNLICENSED_PS_KEY: &str = "sandbox-unlicensed-key";
/// `runas` user for PS-Auth.
pub const BEYONDTRUST_RUNAS: &str = "api-user";
/// Optional `pwd=[...]` of [`BEYONDTRUST_RUNAS`]; when sent it must match.
pub const BEYONDTRUST_RUNAS_PASSWORD: &str = "api-user-password";

/// Lifetime of tokens issued to the `*-short-client` fixtures, for expiry tests.
pub const SHORT_TOKEN_SECONDS: u64 = 2;

/// Human-readable fixture list, printed by `sesame sandbox --fixtures`.
#[allow(clippy::too_many_lines)] // split by issue 7's runner redesign
pub fn fixtures_text(base_url: &str) -> String {
    let b = base_url.trim_end_matches('/');
    format!(
        r#"sesame sandbox fixtures (public test values; loopback only)

Base URLs (one prefix per vendor; a real tenant needs only another base URL)
  code42       {b}/code42
  crisisworks  {b}/crisisworks
  basicapp     {b}/basicapp
  beyondtrust  {b}/beyondtrust/BeyondTrust/api/public/v3
  control      {b}/_sandbox/stats (GET), {b}/_sandbox/revoke (POST)

Code42 / Incydr / CrashPlan  ({b}/code42)
  API client     {c42id} / {c42secret}            POST /v1/oauth -> bearer, expires_in 900
  API client     {c42sid} / {c42ssecret}  token expires_in {short}
  user (no 2FA)  {c42u} / {c42p}
  user (2FA)     {c42tu} / {c42tp}  TOTP secret {c42ts}
  CrashPlan 2FA  {cpu} / {cpp}  TOTP secret {cpts}
  org id         {org}
  TOTP: RFC 6238, SHA1, 6 digits, 30 s, +-1 step, each code accepted once
  (same codes as Google Authenticator and `oathtool --totp -b SECRET`)

Crisisworks  ({b}/crisisworks, header X-Site: {site}; site "{site2}" also exists)
  user (no MFA)  {cwu} / {cwp}
  user (MFA)     {cwmu} / {cwmp}  TOTP secret {cwts}  (send mfaCode)

basicapp  ({b}/basicapp, Authorization: Basic base64(email:password))
  API access     {bau} / {bap}
  no API access  {banu} / {banp}  (403)

BeyondTrust Password Safe  ({b}/beyondtrust/BeyondTrust/api/public/v3)
  OAuth client   {btid} / {btsecret}            expires_in 3600
  OAuth client   {btsid} / {btssecret}  expires_in {short}
  OAuth client   {btuid} / {btusecret}  (SignAppIn 403: licence invalid)
  PS-Auth        key={btkey}; runas={btrunas}; [pwd=[{btpwd}];]
  PS-Auth        key={btukey}; runas=... (403)
  API v1, v2     410 Gone (disabled)

Examples
  curl -X POST -u '{c42id}:{c42secret}' -d "" {b}/code42/v1/oauth
  curl -u '{c42u}:{c42p}' {b}/code42/api/v1/Computer
  curl -u '{c42tu}:{c42tp}' -H "totp-auth: $(oathtool --totp -b {c42ts})" \
       '{b}/code42/api/v3/auth/jwt?useBody=true'
  curl -X POST -H 'Content-Type: application/json' -H 'X-Site: {site}' \
       -d '{{"version":"1","uuid":"example-uuid-123","platform":"curl","name":"Test","username":"{cwu}","password":"{cwp}"}}' \
       {b}/crisisworks/api/json/auth
  curl -u '{bau}:{bap}' {b}/basicapp/api/v2/users/me
  curl -X POST -d 'grant_type=client_credentials&client_id={btid}&client_secret={btsecret}' \
       {b}/beyondtrust/BeyondTrust/api/public/v3/Auth/Connect/Token
  curl -c jar -X POST -H 'Authorization: PS-Auth key={btkey}; runas={btrunas};' \
       {b}/beyondtrust/BeyondTrust/api/public/v3/Auth/SignAppIn
  curl -b jar {b}/beyondtrust/BeyondTrust/api/public/v3/ManagedSystems
  curl -b jar -X POST {b}/beyondtrust/BeyondTrust/api/public/v3/Auth/Signout
"#,
        c42id = CODE42_CLIENT_ID,
        c42secret = CODE42_CLIENT_SECRET,
        c42sid = CODE42_SHORT_CLIENT_ID,
        c42ssecret = CODE42_SHORT_CLIENT_SECRET,
        short = SHORT_TOKEN_SECONDS,
        c42u = CODE42_USER,
        c42p = CODE42_PASSWORD,
        c42tu = CODE42_TOTP_USER,
        c42tp = CODE42_TOTP_PASSWORD,
        c42ts = CODE42_TOTP_SECRET,
        cpu = CRASHPLAN_USER,
        cpp = CRASHPLAN_PASSWORD,
        cpts = CRASHPLAN_TOTP_SECRET,
        org = CODE42_ORG_ID,
        site = CRISISWORKS_SITE,
        site2 = CRISISWORKS_OTHER_SITE,
        cwu = CRISISWORKS_USER,
        cwp = CRISISWORKS_PASSWORD,
        cwmu = CRISISWORKS_MFA_USER,
        cwmp = CRISISWORKS_MFA_PASSWORD,
        cwts = CRISISWORKS_TOTP_SECRET,
        bau = BASICAPP_USER,
        bap = BASICAPP_PASSWORD,
        banu = BASICAPP_NO_API_USER,
        banp = BASICAPP_NO_API_PASSWORD,
        btid = BEYONDTRUST_CLIENT_ID,
        btsecret = BEYONDTRUST_CLIENT_SECRET,
        btsid = BEYONDTRUST_SHORT_CLIENT_ID,
        btssecret = BEYONDTRUST_SHORT_CLIENT_SECRET,
        btuid = BEYONDTRUST_UNLICENSED_CLIENT_ID,
        btusecret = BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
        btkey = BEYONDTRUST_PS_KEY,
        btukey = BEYONDTRUST_UNLICENSED_PS_KEY,
        btrunas = BEYONDTRUST_RUNAS,
        btpwd = BEYONDTRUST_RUNAS_PASSWORD,
    )
}
