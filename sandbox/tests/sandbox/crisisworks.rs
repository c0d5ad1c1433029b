//! Crisisworks: JSON auth body with X-Site, optional TOTP mfaCode, token in
//! Authorization (Bearer or bare) plus X-Site on every request.

use serde_json::{Value, json};
use sesame_sandbox::fixtures as fx;

use crate::{claims, send, start, totp_code};

fn body(username: &str, password: &str) -> Value {
    json!({
        "version": "1",
        "uuid": "example-uuid-123",
        "platform": "curl",
        "name": "Test Harness",
        "username": username,
        "password": password,
    })
}

fn auth(client: &reqwest::Client, base: &str, payload: &Value) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}/crisisworks/api/json/auth"))
        .header("accept", "application/json")
        .header("content-type", "application/json;charset=UTF-8")
        .header("x-site", fx::CRISISWORKS_SITE)
        .body(payload.to_string())
}

#[tokio::test]
async fn token_then_ping_and_item_with_bearer_or_bare_token() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (status, resp) = send(auth(
        &client,
        &base,
        &body(fx::CRISISWORKS_USER, fx::CRISISWORKS_PASSWORD),
    ))
    .await;
    assert_eq!(status, 200, "{resp}");
    assert_eq!(resp["status"], 200);
    assert_eq!(resp["type"], "accessToken");
    let token = resp["token"].as_str().unwrap().to_string();
    let c = claims(&token);
    assert_eq!(
        c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(),
        3600
    );

    let ping = format!("{base}/crisisworks/api/json/ping");
    for value in [format!("Bearer {token}"), token.clone()] {
        let (status, pong) = send(
            client
                .get(&ping)
                .header("authorization", value)
                .header("x-site", fx::CRISISWORKS_SITE),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(pong["user"]["username"], fx::CRISISWORKS_USER);
    }
    let item = |n: u32| {
        client
            .get(format!("{base}/crisisworks/api/json/item/id/{n}"))
            .bearer_auth(&token)
            .header("x-site", fx::CRISISWORKS_SITE)
    };
    let (status, it) = send(item(1)).await;
    assert_eq!((status, it["data"]["id"].as_u64()), (200, Some(1)));
    let (status, _) = send(item(99)).await;
    assert_eq!(status, 404);
    assert_eq!(sb.stats().crisisworks_logins, 1);
}

#[tokio::test]
async fn auth_requires_x_site() {
    let (sb, client) = start().await;
    let url = format!("{}/crisisworks/api/json/auth", sb.base_url());
    let payload = body(fx::CRISISWORKS_USER, fx::CRISISWORKS_PASSWORD).to_string();
    let (status, resp) = send(
        client
            .post(&url)
            .header("content-type", "application/json")
            .body(payload.clone()),
    )
    .await;
    assert_eq!((status, resp["status"].as_u64()), (400, Some(400)));
    assert!(resp["message"].as_str().unwrap().contains("X-Site"));
    let (status, _) = send(
        client
            .post(&url)
            .header("content-type", "application/json")
            .header("x-site", "nope")
            .body(payload),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn auth_rejects_invalid_bodies_with_400() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let good = body(fx::CRISISWORKS_USER, fx::CRISISWORKS_PASSWORD);
    for field in [
        "version", "uuid", "platform", "name", "username", "password",
    ] {
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove(field);
        let (status, resp) = send(auth(&client, &base, &missing)).await;
        assert_eq!(status, 400, "{field}");
        assert!(resp["message"].as_str().unwrap().contains(field), "{resp}");
    }
    let mut numeric = good.clone();
    numeric["version"] = json!(1);
    let (status, _) = send(auth(&client, &base, &numeric)).await;
    assert_eq!(status, 400, "version must be a string");
    let mut bad_mfa = good.clone();
    bad_mfa["mfaCode"] = json!(123456);
    let (status, _) = send(auth(&client, &base, &bad_mfa)).await;
    assert_eq!(status, 400, "mfaCode must be a string");
    let (status, _) = send(auth(&client, &base, &good).body("not json")).await;
    assert_eq!(status, 400);
    let text_plain = client
        .post(format!("{base}/crisisworks/api/json/auth"))
        .header("content-type", "text/plain")
        .header("x-site", fx::CRISISWORKS_SITE)
        .body(good.to_string());
    let (status, _) = send(text_plain).await;
    assert_eq!(status, 400, "wrong content type");
    assert_eq!(sb.stats().crisisworks_logins, 0);
}

#[tokio::test]
async fn bad_credentials_are_401_with_the_seed_message() {
    let (sb, client) = start().await;
    let (status, resp) = send(auth(
        &client,
        &sb.base_url(),
        &body(fx::CRISISWORKS_USER, "wrong"),
    ))
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        resp,
        json!({ "status": 401, "message": "Invalid user, password or mfaCode" })
    );
}

#[tokio::test]
async fn mfa_user_needs_a_fresh_valid_code() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let with_code = |code: Option<String>| {
        let mut b = body(fx::CRISISWORKS_MFA_USER, fx::CRISISWORKS_MFA_PASSWORD);
        if let Some(c) = code {
            b["mfaCode"] = json!(c);
        }
        b
    };
    let (status, _) = send(auth(&client, &base, &with_code(None))).await;
    assert_eq!(status, 401, "mfaCode is required for this user");
    let (status, _) = send(auth(
        &client,
        &base,
        &with_code(Some(totp_code(fx::CRISISWORKS_TOTP_SECRET, -5))),
    ))
    .await;
    assert_eq!(status, 401, "code outside the window");
    let code = totp_code(fx::CRISISWORKS_TOTP_SECRET, 0);
    let (status, resp) = send(auth(&client, &base, &with_code(Some(code.clone())))).await;
    assert_eq!(status, 200, "{resp}");
    let (status, resp) = send(auth(&client, &base, &with_code(Some(code)))).await;
    assert_eq!(status, 401, "reused code");
    assert_eq!(resp["message"], "Invalid user, password or mfaCode");
    assert_eq!(sb.stats().rejected_totp, 2);
}

#[tokio::test]
async fn resources_need_authorization_and_matching_site() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (_, resp) = send(auth(
        &client,
        &base,
        &body(fx::CRISISWORKS_USER, fx::CRISISWORKS_PASSWORD),
    ))
    .await;
    let token = resp["token"].as_str().unwrap();
    let ping = format!("{base}/crisisworks/api/json/ping");
    let (status, resp) = send(client.get(&ping).header("x-site", fx::CRISISWORKS_SITE)).await;
    assert_eq!((status, resp["status"].as_u64()), (401, Some(401)));
    let (status, _) = send(client.get(&ping).bearer_auth(token)).await;
    assert_eq!(status, 400, "missing X-Site");
    let (status, _) = send(
        client
            .get(&ping)
            .bearer_auth(token)
            .header("x-site", fx::CRISISWORKS_OTHER_SITE),
    )
    .await;
    assert_eq!(status, 401, "token of another site");
    let (status, _) = send(
        client
            .get(&ping)
            .bearer_auth("garbage")
            .header("x-site", fx::CRISISWORKS_SITE),
    )
    .await;
    assert_eq!(status, 401);
    // A Code42 token is no Crisisworks token.
    let (_, c42) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    let (status, _) = send(
        client
            .get(&ping)
            .bearer_auth(c42["access_token"].as_str().unwrap())
            .header("x-site", fx::CRISISWORKS_SITE),
    )
    .await;
    assert_eq!(status, 401);
}
