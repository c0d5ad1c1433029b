//! The vendors the sandbox emulates, by the names `--root` takes.

use std::fmt;
use std::str::FromStr;

use axum::Router;

use crate::flow;
use crate::state::AppState;

/// Where BeyondTrust's API lives on an appliance, lower case (its routing
/// ignores case): `https://HOST/BeyondTrust/api/public/v3/...`.
pub const BEYONDTRUST_BASE: &str = "/beyondtrust/api/public";

/// One emulated vendor, e.g. for `sesame sandbox --root VENDOR`, which serves
/// that vendor's routes at `/` as well as under its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    /// Code42 / Incydr / CrashPlan: `/v1/oauth`, `/api/...` at the root.
    Code42,
    /// Crisisworks: `/api/json/...` at the root.
    Crisisworks,
    /// The seed's basic-auth app: `/api/v2/...` at the root.
    Basicapp,
    /// BeyondTrust Password Safe: `/BeyondTrust/api/public/v3/...`.
    Beyondtrust,
}

impl Vendor {
    /// Every vendor, in the order `--root` lists them.
    pub const ALL: [Vendor; 4] = [
        Vendor::Code42,
        Vendor::Crisisworks,
        Vendor::Basicapp,
        Vendor::Beyondtrust,
    ];

    /// The name `--root` takes, which is also the vendor's prefix.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Code42 => "code42",
            Vendor::Crisisworks => "crisisworks",
            Vendor::Basicapp => "basicapp",
            Vendor::Beyondtrust => "beyondtrust",
        }
    }

    /// Adds this vendor's routes to `router` where the vendor itself serves
    /// them: at `/`, or for BeyondTrust at [`BEYONDTRUST_BASE`].
    pub(crate) fn serve_at_root(self, router: Router<AppState>) -> Router<AppState> {
        match self {
            Vendor::Code42 => router.merge(flow::code42::router()),
            Vendor::Crisisworks => router.merge(flow::crisisworks::router()),
            Vendor::Basicapp => router.merge(flow::basicapp::router()),
            Vendor::Beyondtrust => router.nest(BEYONDTRUST_BASE, flow::beyondtrust::router()),
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Vendor {
    type Err = String;

    fn from_str(s: &str) -> Result<Vendor, String> {
        Vendor::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Vendor::ALL.iter().map(|v| v.name()).collect();
                format!("unknown vendor `{s}`; one of {}", names.join(", "))
            })
    }
}

/// True for paths that reach BeyondTrust: `/beyondtrust/...` in any case
/// (the prefix, and with `--root beyondtrust` the appliance's own
/// `/BeyondTrust/api/public`).
pub fn is_beyondtrust_path(path: &str) -> bool {
    path.get(..13)
        .is_some_and(|p| p.eq_ignore_ascii_case("/beyondtrust/"))
}
