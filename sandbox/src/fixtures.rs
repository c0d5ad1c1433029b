//! Fixed, public fixture credentials of the sandbox.
//!
//! They are constants (not random) so that example profiles, `.env` files,
//! docs and integration tests can name them. Nothing here is a real secret:
//! the sandbox listens on loopback only. Only the JWT signing key is random
//! (per [`crate::Sandbox`] instance), so a token never outlives its sandbox.
//!
//! Client ids, secrets and keys have the vendors' own formats (a `key-` id
//! for Code42 API clients, GUID client ids and secrets of 44 characters for
//! BeyondTrust, 128-hex PS-Auth keys), so the vendors' own client libraries,
//! which check lengths before sending anything, accept them.
//!
//! | vendor | who | secret | what it triggers |
//! |---|---|---|---|
//! | Code42 | API client [`CODE42_CLIENT_ID`] | [`CODE42_CLIENT_SECRET`] | `/v1/oauth` token, 900 s |
//! | Code42 | API client [`CODE42_SHORT_CLIENT_ID`] | [`CODE42_SHORT_CLIENT_SECRET`] | token with `expires_in: 2` |
//! | Code42 | user `alice@example.com` | `alice-password` | basic auth, JWT without 2FA |
//! | Code42 | user `bob@example.com` | `bob-password` + TOTP [`CODE42_TOTP_SECRET`] | 2FA: `totp-auth` required |
//! | CrashPlan | user `carol@example.com` | `carol-password` + TOTP [`CRASHPLAN_TOTP_SECRET`] | 2FA: `totp-auth` required |
//! | Crisisworks | user `api.user`, site `sandbox` (or `training`) | `api-password` | token without MFA |
//! | Crisisworks | user `api.mfa`, site `sandbox` | `mfa-password` + TOTP [`CRISISWORKS_TOTP_SECRET`] | `mfaCode` required |
//! | basicapp | `alice@example.com` | `alice-password` | API access |
//! | basicapp | `bob@example.com` | `bob-password` | no API access: 403 |
//! | BeyondTrust | client [`BEYONDTRUST_CLIENT_ID`] | [`BEYONDTRUST_CLIENT_SECRET`] | token 3600 s, SignAppIn ok |
//! | BeyondTrust | client [`BEYONDTRUST_SHORT_CLIENT_ID`] | [`BEYONDTRUST_SHORT_CLIENT_SECRET`] | token with `expires_in: 2` |
//! | BeyondTrust | client [`BEYONDTRUST_UNLICENSED_CLIENT_ID`] | [`BEYONDTRUST_UNLICENSED_CLIENT_SECRET`] | token ok, SignAppIn 403 |
//! | BeyondTrust | PS-Auth key [`BEYONDTRUST_PS_KEY`], runas `api-user` (any case) | optional `pwd=[api-user-password]` | SignAppIn ok |
//! | BeyondTrust | PS-Auth key [`BEYONDTRUST_UNLICENSED_PS_KEY`] | any runas | SignAppIn 403 |

/// Code42 API client (flow 1).
pub const CODE42_CLIENT_ID: &str = "key-0df86a8a-50c8-4417-b91b-9b7f9bf2cef1";
/// Secret of [`CODE42_CLIENT_ID`].
pub const CODE42_CLIENT_SECRET: &str = "PAX4hWHo79yVGNdKlKip-zk95I1e79IbhM1txIqPjr";
/// Code42 API client whose tokens live [`SHORT_TOKEN_SECONDS`] seconds.
pub const CODE42_SHORT_CLIENT_ID: &str = "key-a0b2bdb9-ac70-43b3-a274-c29557e7dd68";
/// Secret of [`CODE42_SHORT_CLIENT_ID`].
pub const CODE42_SHORT_CLIENT_SECRET: &str = "ToiZ2nEtkb7tyBzT8w37-4PMM9v2pC1GPK5T74TR2C";
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
/// The Code42 tenant: `tenantUid` claim of API-client tokens, `/api/v3/customer/my`.
pub const CODE42_TENANT_UID: &str = "5c3b9d1e-7a24-4f0b-8e61-2d9c4a7b3f10";

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
pub const BEYONDTRUST_CLIENT_ID: &str = "c02702d8-fb34-45c0-b7b1-943b48a66b02";
/// Secret of [`BEYONDTRUST_CLIENT_ID`].
pub const BEYONDTRUST_CLIENT_SECRET: &str = "SnJLdHbg2b5y6lpTC42LnnFFG4nJ1P3iIpHRf9eKxLaK";
/// BeyondTrust OAuth client whose tokens live [`SHORT_TOKEN_SECONDS`] seconds.
pub const BEYONDTRUST_SHORT_CLIENT_ID: &str = "3f1b2407-2b08-4293-9642-b9ad1cf1f8ca";
/// Secret of [`BEYONDTRUST_SHORT_CLIENT_ID`].
pub const BEYONDTRUST_SHORT_CLIENT_SECRET: &str = "1DOrs3Gpm7qW5VNxlwXwBOb3LZdsG3EiLH9HfeQemGF8";
/// BeyondTrust OAuth client whose licence is invalid: SignAppIn answers 403.
pub const BEYONDTRUST_UNLICENSED_CLIENT_ID: &str = "4ea00c51-3f42-4bc8-853e-483cc59a71ae";
/// Secret of [`BEYONDTRUST_UNLICENSED_CLIENT_ID`].
pub const BEYONDTRUST_UNLICENSED_CLIENT_SECRET: &str =
    "u7Qm2Zt9XkV4pLr8NwY3cHs6JdF1gBe5TaK0oRi2MvEq";
/// BeyondTrust PS-Auth API key.
pub const BEYONDTRUST_PS_KEY: &str = "daac0880c78b84b338c1b3cf34ee9d651916ed2527b89c4d4d2b61c2cd07d9308669bac8f731f48724f34f195352399a21e3e458fe7e65a1994f36bdfe8a3af0";
/// BeyondTrust PS-Auth API key whose licence is invalid (403).
pub const BEYONDTRUST_UNLICENSED_PS_KEY: &str = "9bc1758960ecf27b9329b31ca98710647ac976839a141bbb8ef5b40d98e3f82d0b00f544583f1fef23dd16a58b567e463e9e3b76e1c9f2801ed4e561b434683e";
/// `runas` user for PS-Auth.
pub const BEYONDTRUST_RUNAS: &str = "api-user";
/// Optional `pwd=[...]` of [`BEYONDTRUST_RUNAS`]; when sent it must match.
pub const BEYONDTRUST_RUNAS_PASSWORD: &str = "api-user-password";

/// Every named fixture value, by its constant's name: served as JSON at
/// `GET /_sandbox/fixtures.json`, so scripts in other languages (e.g.
/// `sandbox/clients/`) need not copy them.
pub const ALL: &[(&str, &str)] = &[
    ("CODE42_CLIENT_ID", CODE42_CLIENT_ID),
    ("CODE42_CLIENT_SECRET", CODE42_CLIENT_SECRET),
    ("CODE42_SHORT_CLIENT_ID", CODE42_SHORT_CLIENT_ID),
    ("CODE42_SHORT_CLIENT_SECRET", CODE42_SHORT_CLIENT_SECRET),
    ("CODE42_USER", CODE42_USER),
    ("CODE42_PASSWORD", CODE42_PASSWORD),
    ("CODE42_TOTP_USER", CODE42_TOTP_USER),
    ("CODE42_TOTP_PASSWORD", CODE42_TOTP_PASSWORD),
    ("CODE42_TOTP_SECRET", CODE42_TOTP_SECRET),
    ("CRASHPLAN_USER", CRASHPLAN_USER),
    ("CRASHPLAN_PASSWORD", CRASHPLAN_PASSWORD),
    ("CRASHPLAN_TOTP_SECRET", CRASHPLAN_TOTP_SECRET),
    ("CODE42_ORG_ID", CODE42_ORG_ID),
    ("CODE42_TENANT_UID", CODE42_TENANT_UID),
    ("CRISISWORKS_SITE", CRISISWORKS_SITE),
    ("CRISISWORKS_OTHER_SITE", CRISISWORKS_OTHER_SITE),
    ("CRISISWORKS_USER", CRISISWORKS_USER),
    ("CRISISWORKS_PASSWORD", CRISISWORKS_PASSWORD),
    ("CRISISWORKS_MFA_USER", CRISISWORKS_MFA_USER),
    ("CRISISWORKS_MFA_PASSWORD", CRISISWORKS_MFA_PASSWORD),
    ("CRISISWORKS_TOTP_SECRET", CRISISWORKS_TOTP_SECRET),
    ("BASICAPP_USER", BASICAPP_USER),
    ("BASICAPP_PASSWORD", BASICAPP_PASSWORD),
    ("BASICAPP_NO_API_USER", BASICAPP_NO_API_USER),
    ("BASICAPP_NO_API_PASSWORD", BASICAPP_NO_API_PASSWORD),
    ("BEYONDTRUST_CLIENT_ID", BEYONDTRUST_CLIENT_ID),
    ("BEYONDTRUST_CLIENT_SECRET", BEYONDTRUST_CLIENT_SECRET),
    ("BEYONDTRUST_SHORT_CLIENT_ID", BEYONDTRUST_SHORT_CLIENT_ID),
    (
        "BEYONDTRUST_SHORT_CLIENT_SECRET",
        BEYONDTRUST_SHORT_CLIENT_SECRET,
    ),
    (
        "BEYONDTRUST_UNLICENSED_CLIENT_ID",
        BEYONDTRUST_UNLICENSED_CLIENT_ID,
    ),
    (
        "BEYONDTRUST_UNLICENSED_CLIENT_SECRET",
        BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
    ),
    ("BEYONDTRUST_PS_KEY", BEYONDTRUST_PS_KEY),
    (
        "BEYONDTRUST_UNLICENSED_PS_KEY",
        BEYONDTRUST_UNLICENSED_PS_KEY,
    ),
    ("BEYONDTRUST_RUNAS", BEYONDTRUST_RUNAS),
    ("BEYONDTRUST_RUNAS_PASSWORD", BEYONDTRUST_RUNAS_PASSWORD),
];

/// Lifetime of tokens issued to the `*-short-client` fixtures, for expiry tests.
pub const SHORT_TOKEN_SECONDS: u64 = 2;

/// Human-readable fixture list, printed by `sesame sandbox --fixtures`.
pub fn fixtures_text(base_url: &str) -> String {
    let b = base_url.trim_end_matches('/');
    [
        bases_text(b),
        code42_text(b),
        others_text(b),
        beyondtrust_text(b),
        examples_text(b),
    ]
    .concat()
}

fn bases_text(b: &str) -> String {
    format!(
        r#"sesame sandbox fixtures (public test values; loopback only)

Base URLs (one prefix per vendor; a real tenant needs only another base URL)
  code42       {b}/code42
  crisisworks  {b}/crisisworks
  basicapp     {b}/basicapp
  beyondtrust  {b}/beyondtrust/BeyondTrust/api/public/v3  (any case)
  control      {b}/_sandbox/stats (GET), {b}/_sandbox/revoke (POST),
               {b}/_sandbox/clock (GET; POST {{"advance_seconds": N}} or {{"set_unix": T}})
  `sesame sandbox --root VENDOR` also serves one vendor at {b}/ (for
  clients that take a bare host: py42, code42cli, incydr need --root code42;
  BeyondTrust's then is {b}/BeyondTrust/api/public/v3)
"#
    )
}

fn code42_text(b: &str) -> String {
    format!(
        r#"
Code42 / Incydr / CrashPlan  ({b}/code42)
  API client     {c42id} / {c42secret}
                 POST /v1/oauth or /api/v3/oauth/token?grant_type=client_credentials
                 -> bearer, expires_in 900, tenantUid {tenant}
  API client     {c42sid} / {c42ssecret}
                 token expires_in {short}
  user (no 2FA)  {c42u} / {c42p}  (LoginConfiguration: LOCAL)
  user (2FA)     {c42tu} / {c42tp}  TOTP secret {c42ts}  (LOCAL_2FA)
  CrashPlan 2FA  {cpu} / {cpp}  TOTP secret {cpts}
  org id         {org}
  TOTP: RFC 6238, SHA1, 6 digits, 30 s, +-1 step, each code accepted once
  (same codes as Google Authenticator and `oathtool --totp -b SECRET`)
"#,
        c42id = CODE42_CLIENT_ID,
        c42secret = CODE42_CLIENT_SECRET,
        tenant = CODE42_TENANT_UID,
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
    )
}

fn others_text(b: &str) -> String {
    format!(
        r#"
Crisisworks  ({b}/crisisworks, header X-Site: {site}; site "{site2}" also exists)
  user (no MFA)  {cwu} / {cwp}
  user (MFA)     {cwmu} / {cwmp}  TOTP secret {cwts}  (send mfaCode)

basicapp  ({b}/basicapp, Authorization: Basic base64(email:password))
  API access     {bau} / {bap}
  no API access  {banu} / {banp}  (403)
"#,
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
    )
}

fn beyondtrust_text(b: &str) -> String {
    format!(
        r#"
BeyondTrust Password Safe  ({b}/beyondtrust/BeyondTrust/api/public/v3; paths ignore case)
  OAuth client   {btid} / {btsecret}
                 expires_in 3600
  OAuth client   {btsid} / {btssecret}
                 expires_in {short}
  OAuth client   {btuid} / {btusecret}
                 SignAppIn 403: licence invalid
  PS-Auth        key={btkey}; runas={btrunas}; [pwd=[{btpwd}];]
  PS-Auth        key={btukey}; runas=... (403)
  API v1, v2     410 Gone (disabled)
"#,
        btid = BEYONDTRUST_CLIENT_ID,
        btsecret = BEYONDTRUST_CLIENT_SECRET,
        btsid = BEYONDTRUST_SHORT_CLIENT_ID,
        btssecret = BEYONDTRUST_SHORT_CLIENT_SECRET,
        short = SHORT_TOKEN_SECONDS,
        btuid = BEYONDTRUST_UNLICENSED_CLIENT_ID,
        btusecret = BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
        btkey = BEYONDTRUST_PS_KEY,
        btukey = BEYONDTRUST_UNLICENSED_PS_KEY,
        btrunas = BEYONDTRUST_RUNAS,
        btpwd = BEYONDTRUST_RUNAS_PASSWORD,
    )
}

fn examples_text(b: &str) -> String {
    let bt = format!("{b}/beyondtrust/BeyondTrust/api/public/v3");
    format!(
        r#"
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
       {bt}/Auth/Connect/Token
  curl -c jar -X POST -H 'Authorization: PS-Auth key={btkey}; runas={btrunas};' \
       {bt}/Auth/SignAppIn
  curl -b jar {bt}/ManagedSystems
  curl -b jar -X POST {bt}/Auth/Signout
"#,
        c42id = CODE42_CLIENT_ID,
        c42secret = CODE42_CLIENT_SECRET,
        c42u = CODE42_USER,
        c42p = CODE42_PASSWORD,
        c42tu = CODE42_TOTP_USER,
        c42tp = CODE42_TOTP_PASSWORD,
        c42ts = CODE42_TOTP_SECRET,
        site = CRISISWORKS_SITE,
        cwu = CRISISWORKS_USER,
        cwp = CRISISWORKS_PASSWORD,
        bau = BASICAPP_USER,
        bap = BASICAPP_PASSWORD,
        btid = BEYONDTRUST_CLIENT_ID,
        btsecret = BEYONDTRUST_CLIENT_SECRET,
        btkey = BEYONDTRUST_PS_KEY,
        btrunas = BEYONDTRUST_RUNAS,
    )
}
