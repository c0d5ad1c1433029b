//! `--root VENDOR` (`Sandbox::start_with_root`): one vendor also at `/`, for
//! the official clients that drop any path from the base URL.

use sesame_sandbox::fixtures as fx;
use sesame_sandbox::{Sandbox, Vendor};

use crate::send;

#[tokio::test]
async fn root_serves_one_vendor_at_slash_and_keeps_every_prefix() {
    let sb = Sandbox::start_with_root(0, Some(Vendor::Code42))
        .await
        .unwrap();
    let base = sb.base_url();
    let client = reqwest::Client::new();
    for path in ["/v1/oauth", "/code42/v1/oauth"] {
        let (status, _) = send(
            client
                .post(format!("{base}{path}"))
                .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
        )
        .await;
        assert_eq!(status, 200, "{path}");
    }
    let (status, _) = send(client.get(format!("{base}/api/v1/User/my"))).await;
    assert_eq!(
        status, 401,
        "the root is the strict vendor, not an open door"
    );
    let (status, _) = send(client.get(format!("{base}/api/json/ping"))).await;
    assert_eq!(status, 404, "only the chosen vendor is at the root");
    let (status, _) = send(client.get(format!("{base}/_sandbox/stats"))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn without_root_nothing_is_served_at_slash() {
    let sb = Sandbox::start(0).await.unwrap();
    let client = reqwest::Client::new();
    let (status, _) = send(
        client
            .post(format!("{}/v1/oauth", sb.base_url()))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn beyondtrust_root_is_the_appliance_path_in_any_case() {
    let sb = Sandbox::start_with_root(0, Some(Vendor::Beyondtrust))
        .await
        .unwrap();
    let base = sb.base_url();
    let client = reqwest::Client::new();
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        fx::BEYONDTRUST_CLIENT_ID,
        fx::BEYONDTRUST_CLIENT_SECRET
    );
    for api in ["/BeyondTrust/api/public/v3", "/beyondtrust/API/Public/V3"] {
        let (status, body) = send(
            client
                .post(format!("{base}{api}/Auth/connect/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.clone()),
        )
        .await;
        assert_eq!(status, 200, "{api}: {body}");
    }
}

#[test]
fn vendor_names_parse_in_any_case_and_unknown_ones_are_named() {
    for v in Vendor::ALL {
        assert_eq!(v.name().parse::<Vendor>(), Ok(v));
        assert_eq!(v.name().to_uppercase().parse::<Vendor>(), Ok(v));
    }
    let err = "okta".parse::<Vendor>().unwrap_err();
    assert!(err.contains("okta") && err.contains("beyondtrust"), "{err}");
}

#[tokio::test]
async fn every_vendor_can_be_the_root() {
    let client = reqwest::Client::new();
    for (vendor, path) in [
        (Vendor::Code42, "/api/v3/org/1/user"),
        (Vendor::Crisisworks, "/api/json/ping"),
        (Vendor::Basicapp, "/api/v2/users/me"),
        (
            Vendor::Beyondtrust,
            "/BeyondTrust/api/public/v3/ManagedSystems",
        ),
    ] {
        let sb = Sandbox::start_with_root(0, Some(vendor)).await.unwrap();
        let (status, _) = send(client.get(format!("{}{path}", sb.base_url()))).await;
        assert!(
            status == 401 || status == 400,
            "{vendor} at the root answers {path} as the vendor would, not {status}"
        );
        sb.shutdown().await;
    }
}
