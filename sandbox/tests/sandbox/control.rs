//! `/_sandbox` control routes, revocation, fixtures and the public API.

use serde_json::json;
use sesame_sandbox::{Sandbox, Stats, fixtures as fx};

use crate::{send, send_text, start};

/// A Code42 API-client bearer token.
async fn code42_token(client: &reqwest::Client, base: &str) -> String {
    let (_, body) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    body["access_token"].as_str().unwrap().to_string()
}

/// A Crisisworks token for the user without MFA.
async fn crisisworks_token(client: &reqwest::Client, base: &str) -> String {
    let (_, body) = send(
        client
            .post(format!("{base}/crisisworks/api/json/auth"))
            .header("content-type", "application/json")
            .header("x-site", fx::CRISISWORKS_SITE)
            .body(
                json!({"version":"1","uuid":"u","platform":"p","name":"n",
                       "username": fx::CRISISWORKS_USER, "password": fx::CRISISWORKS_PASSWORD})
                .to_string(),
            ),
    )
    .await;
    body["token"].as_str().unwrap().to_string()
}

/// A BeyondTrust PS-Auth session: the `name=value` cookie.
async fn beyondtrust_cookie(client: &reqwest::Client, bt_api: &str) -> String {
    let response = client
        .post(format!("{bt_api}/Auth/SignAppIn"))
        .header(
            "authorization",
            format!(
                "PS-Auth key={}; runas={};",
                fx::BEYONDTRUST_PS_KEY,
                fx::BEYONDTRUST_RUNAS
            ),
        )
        .send()
        .await
        .unwrap();
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn revoke_invalidates_tokens_and_sessions() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let c42 = code42_token(&client, &base).await;
    let cw = crisisworks_token(&client, &base).await;
    let bt_api = format!("{base}/beyondtrust/BeyondTrust/api/public/v3");
    let cookie = beyondtrust_cookie(&client, &bt_api).await;

    let c42_get = || {
        client
            .get(format!("{base}/code42/api/v1/User"))
            .bearer_auth(&c42)
    };
    let cw_get = || {
        client
            .get(format!("{base}/crisisworks/api/json/ping"))
            .bearer_auth(&cw)
            .header("x-site", fx::CRISISWORKS_SITE)
    };
    let bt_get = || {
        client
            .get(format!("{bt_api}/ManagedSystems"))
            .header("cookie", &cookie)
    };
    assert_eq!(send(c42_get()).await.0, 200);
    assert_eq!(send(cw_get()).await.0, 200);
    assert_eq!(send(bt_get()).await.0, 200);
    assert_eq!(sb.stats().active_sessions, 1);

    let (status, body) = send(client.post(format!("{base}/_sandbox/revoke"))).await;
    assert_eq!((status, body["revoked"].as_bool()), (200, Some(true)));
    assert_eq!(send(c42_get()).await.0, 401);
    assert_eq!(send(cw_get()).await.0, 401);
    assert_eq!(send(bt_get()).await.0, 401);
    let stats = sb.stats();
    assert_eq!(
        (stats.revocations, stats.active_sessions, stats.unauthorized),
        (1, 0, 3)
    );

    // A new login after revocation works.
    let fresh = code42_token(&client, &base).await;
    let (status, _) = send(
        client
            .get(format!("{base}/code42/api/v1/User"))
            .bearer_auth(fresh),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(sb.stats().token_requests, 4);
}

#[tokio::test]
async fn stats_endpoint_matches_snapshot() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    let (status, body) = send(client.get(format!("{base}/_sandbox/stats"))).await;
    assert_eq!(status, 200);
    let served: Stats = serde_json::from_value(body).unwrap();
    assert_eq!(served, sb.stats());
    assert_eq!(served.token_requests, 1);
    assert_eq!(served.code42_oauth_logins, 1);
}

#[tokio::test]
async fn fixtures_text_names_every_fixture() {
    let (sb, client) = start().await;
    let text = sesame_sandbox::fixtures_text(&sb.base_url());
    for needle in [
        format!("{}/code42", sb.base_url()),
        format!("{}/beyondtrust/BeyondTrust/api/public/v3", sb.base_url()),
        fx::CODE42_CLIENT_SECRET.to_string(),
        fx::CODE42_TOTP_SECRET.to_string(),
        fx::CRASHPLAN_TOTP_SECRET.to_string(),
        fx::CRISISWORKS_TOTP_SECRET.to_string(),
        fx::CRISISWORKS_MFA_PASSWORD.to_string(),
        fx::BASICAPP_NO_API_PASSWORD.to_string(),
        fx::BEYONDTRUST_UNLICENSED_CLIENT_SECRET.to_string(),
        fx::BEYONDTRUST_PS_KEY.to_string(),
        "curl".to_string(),
    ] {
        assert!(text.contains(&needle), "fixtures text lacks {needle}");
    }
    let (status, served) =
        send_text(client.get(format!("{}/_sandbox/fixtures", sb.base_url()))).await;
    assert_eq!(status, 200);
    assert!(served.contains(&format!("{}/crisisworks", sb.base_url())));
}

#[tokio::test]
async fn fixtures_json_names_every_constant() {
    let (sb, client) = start().await;
    let (status, body) =
        send(client.get(format!("{}/_sandbox/fixtures.json", sb.base_url()))).await;
    assert_eq!(status, 200);
    assert_eq!(body["BEYONDTRUST_PS_KEY"], fx::BEYONDTRUST_PS_KEY);
    assert_eq!(body["CODE42_TENANT_UID"], fx::CODE42_TENANT_UID);
    assert_eq!(body.as_object().unwrap().len(), fx::ALL.len());
}

#[test]
fn fixture_credentials_have_the_vendors_formats() {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let guid = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| hex(p))
    };
    for id in [
        fx::BEYONDTRUST_CLIENT_ID,
        fx::BEYONDTRUST_SHORT_CLIENT_ID,
        fx::BEYONDTRUST_UNLICENSED_CLIENT_ID,
    ] {
        assert!(guid(id), "BeyondTrust client id {id} is a GUID");
    }
    for secret in [
        fx::BEYONDTRUST_CLIENT_SECRET,
        fx::BEYONDTRUST_SHORT_CLIENT_SECRET,
        fx::BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
        fx::CODE42_CLIENT_SECRET,
        fx::CODE42_SHORT_CLIENT_SECRET,
    ] {
        assert!((36..=64).contains(&secret.len()), "secret {secret}");
    }
    for key in [fx::BEYONDTRUST_PS_KEY, fx::BEYONDTRUST_UNLICENSED_PS_KEY] {
        assert!(key.len() == 128 && hex(key), "PS-Auth key {key}");
    }
    for id in [fx::CODE42_CLIENT_ID, fx::CODE42_SHORT_CLIENT_ID] {
        assert!(
            id.starts_with("key-") && guid(&id[4..]),
            "Code42 client id {id}"
        );
    }
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sb = Sandbox::start(0).await.unwrap();
    let addr = sb.addr();
    assert!(addr.ip().is_loopback());
    assert_eq!(sb.base_url(), format!("http://127.0.0.1:{}", addr.port()));
    sb.shutdown().await;
    let client = reqwest::Client::new();
    assert!(
        client
            .get(format!("http://{addr}/_sandbox/stats"))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn serve_runs_until_the_future_completes() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(sesame_sandbox::serve(listener, None, async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let status = client
        .get(format!("http://{addr}/_sandbox/stats"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
    drop(client);
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}
