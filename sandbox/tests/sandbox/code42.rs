//! Code42 / CrashPlan: OAuth client, basic auth, basic → JWT with TOTP.

use sesame_sandbox::fixtures as fx;

use serde_json::json;

use crate::{claims, move_clock, send, start, totp_code};

async fn oauth_token(
    client: &reqwest::Client,
    base: &str,
    id: &str,
    secret: &str,
) -> serde_json::Value {
    let (status, body) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(id, Some(secret))
            .body(""),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn oauth_token_then_bearer_on_v1_v3_v4() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let body = oauth_token(
        &client,
        &base,
        fx::CODE42_CLIENT_ID,
        fx::CODE42_CLIENT_SECRET,
    )
    .await;
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 900);
    let token = body["access_token"].as_str().unwrap().to_string();
    let c = claims(&token);
    assert_eq!(c["sub"], fx::CODE42_CLIENT_ID);
    assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 900);

    let (status, users) = send(
        client
            .get(format!("{base}/code42/api/v1/User"))
            .query(&[("active", "true"), ("pgSize", "10")])
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(users["data"]["totalCount"], 3);
    assert_eq!(users["data"]["users"][0]["username"], fx::CODE42_USER);
    let uid = users["data"]["users"][0]["userUid"].as_str().unwrap();
    let (status, one) = send(
        client
            .get(format!("{base}/code42/api/v1/User/{uid}"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!((status, one["data"]["userUid"].as_str()), (200, Some(uid)));

    let (status, v3) = send(
        client
            .get(format!("{base}/code42/api/v3/org/1/user"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v3["data"]["totalCount"], 3);
    let (status, roles) = send(
        client
            .get(format!("{base}/code42/api/v4/role/view"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 200);
    assert!(roles.as_array().is_some_and(|r| !r.is_empty()));
    let (status, _) = send(
        client
            .get(format!("{base}/code42/api/v3/org/999/user"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(status, 404);

    let stats = sb.stats();
    assert_eq!((stats.code42_oauth_logins, stats.token_requests), (1, 1));
}

#[tokio::test]
async fn oauth_refuses_bad_client_missing_auth_and_body() {
    let (sb, client) = start().await;
    let url = format!("{}/code42/v1/oauth", sb.base_url());
    let (status, body) = send(
        client
            .post(&url)
            .basic_auth(fx::CODE42_CLIENT_ID, Some("wrong")),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, _) = send(client.post(&url)).await;
    assert_eq!(status, 401);
    // A user's password is not an API client secret.
    let (status, _) = send(
        client
            .post(&url)
            .basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD)),
    )
    .await;
    assert_eq!(status, 401);
    let (status, body) = send(
        client
            .post(&url)
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET))
            .body("grant_type=x"),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = send(
        client
            .get(&url)
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    assert_eq!(status, 405);
    assert_eq!(sb.stats().token_requests, 0);
}

#[tokio::test]
async fn basic_auth_on_v1_and_v4_but_not_v3() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let basic =
        |r: reqwest::RequestBuilder| r.basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD));
    let (status, computers) =
        send(basic(client.get(format!("{base}/code42/api/v1/Computer")))).await;
    assert_eq!(status, 200);
    assert!(computers["data"]["computers"].as_array().unwrap().len() >= 2);
    let (status, _) = send(basic(client.get(format!("{base}/code42/api/v4/role/view")))).await;
    assert_eq!(status, 200);
    let (status, body) = send(basic(
        client.get(format!("{base}/code42/api/v3/org/1/user")),
    ))
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"][0]["primaryErrorKey"],
        "BASIC_AUTH_NOT_ALLOWED"
    );
    let (status, body) = send(
        client
            .get(format!("{base}/code42/api/v1/Computer"))
            .basic_auth(fx::CODE42_USER, Some("nope")),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body[0]["name"], "INVALID_CREDENTIALS");
    let (status, _) = send(client.get(format!("{base}/code42/api/v1/Computer"))).await;
    assert_eq!(status, 401);
    assert_eq!(sb.stats().basic_auth_requests, 2);
    assert_eq!(sb.stats().unauthorized, 3);
}

#[tokio::test]
async fn jwt_with_use_body_works_on_v3() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (status, body) = send(
        client
            .get(format!("{base}/code42/api/v3/auth/jwt?useBody=true"))
            .basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["v3_user_token"].as_str().unwrap();
    let c = claims(token);
    assert_eq!(c["sub"], fx::CODE42_USER);
    assert_eq!(
        c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(),
        1800
    );
    for path in ["api/v1/User", "api/v3/org/1/user", "api/v4/role/view"] {
        let (status, _) = send(
            client
                .get(format!("{base}/code42/{path}"))
                .bearer_auth(token),
        )
        .await;
        assert_eq!(status, 200, "{path}");
    }
    assert_eq!(sb.stats().code42_jwt_logins, 1);
}

#[tokio::test]
async fn jwt_without_use_body_only_sets_an_unsupported_cookie() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    for url in [
        format!("{base}/code42/api/v3/auth/jwt"),
        format!("{base}/code42/api/v3/auth/jwt?useBody=false"),
    ] {
        let response = client
            .get(&url)
            .basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("C42_JWT_API_TOKEN="), "{cookie}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["data"].get("v3_user_token").is_none());
        assert!(
            body["data"]["message"]
                .as_str()
                .unwrap()
                .contains("not supported")
        );
        // The cookie does not authenticate API requests.
        let pair = cookie.split(';').next().unwrap();
        let (status, _) = send(
            client
                .get(format!("{base}/code42/api/v3/org/1/user"))
                .header("cookie", pair),
        )
        .await;
        assert_eq!(status, 401);
    }
}

#[tokio::test]
async fn totp_user_needs_a_fresh_valid_code() {
    let (sb, client) = start().await;
    let url = format!("{}/code42/api/v3/auth/jwt?useBody=true", sb.base_url());
    let login = |code: Option<String>| {
        let r = client
            .get(&url)
            .basic_auth(fx::CODE42_TOTP_USER, Some(fx::CODE42_TOTP_PASSWORD));
        match code {
            Some(c) => r.header("totp-auth", c),
            None => r,
        }
    };
    let (status, text) = crate::send_text(login(None)).await;
    assert_eq!(status, 401);
    assert!(
        text.contains("TIME_BASED_ONE_TIME_PASSWORD_REQUIRED"),
        "{text}"
    );

    let (status, body) = send(login(Some(totp_code(fx::CODE42_TOTP_SECRET, 10)))).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"][0]["primaryErrorKey"],
        "INVALID_TIME_BASED_ONE_TIME_PASSWORD"
    );
    // A code of another user's secret is wrong too.
    let (status, _) = send(login(Some(totp_code(fx::CRASHPLAN_TOTP_SECRET, 0)))).await;
    assert_eq!(status, 401);

    let code = totp_code(fx::CODE42_TOTP_SECRET, 0);
    let (status, body) = send(login(Some(code.clone()))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["v3_user_token"].is_string());

    let (status, body) = send(login(Some(code))).await;
    assert_eq!(status, 401, "a reused code is refused");
    assert!(
        body["error"][0]["description"]
            .as_str()
            .unwrap()
            .contains("already used")
    );

    // The next step's code is within the ±1 window and unused.
    let (status, _) = send(login(Some(totp_code(fx::CODE42_TOTP_SECRET, 1)))).await;
    assert_eq!(status, 200);

    let stats = sb.stats();
    assert_eq!(stats.rejected_totp, 3);
    assert_eq!(stats.code42_jwt_logins, 2);
}

#[tokio::test]
async fn totp_user_basic_on_v1_needs_totp_header() {
    let (sb, client) = start().await;
    let url = format!("{}/code42/api/v1/Computer", sb.base_url());
    let (status, text) = crate::send_text(
        client
            .get(&url)
            .basic_auth(fx::CODE42_TOTP_USER, Some(fx::CODE42_TOTP_PASSWORD)),
    )
    .await;
    assert_eq!(status, 401);
    assert!(text.contains("TIME_BASED_ONE_TIME_PASSWORD_REQUIRED"));
    let (status, _) = send(
        client
            .get(&url)
            .basic_auth(fx::CODE42_TOTP_USER, Some(fx::CODE42_TOTP_PASSWORD))
            .header("totp-auth", totp_code(fx::CODE42_TOTP_SECRET, 0)),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn crashplan_two_factor_user() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (status, body) = send(
        client
            .get(format!("{base}/code42/api/v3/auth/jwt?useBody=true"))
            .basic_auth(fx::CRASHPLAN_USER, Some(fx::CRASHPLAN_PASSWORD))
            .header("totp-auth", totp_code(fx::CRASHPLAN_TOTP_SECRET, 0)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["v3_user_token"].as_str().unwrap();
    let (status, computers) = send(
        client
            .get(format!("{base}/code42/api/v1/Computer"))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(status, 200);
    assert!(computers["data"]["totalCount"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn short_lived_token_expires() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let body = oauth_token(
        &client,
        &base,
        fx::CODE42_SHORT_CLIENT_ID,
        fx::CODE42_SHORT_CLIENT_SECRET,
    )
    .await;
    assert_eq!(body["expires_in"], 2);
    let token = body["access_token"].as_str().unwrap();
    let url = format!("{base}/code42/api/v1/User");
    let (status, _) = send(client.get(&url).bearer_auth(token)).await;
    assert_eq!(status, 200);
    move_clock(&client, &base, json!({ "advance_seconds": 2 })).await;
    let (status, body) = send(client.get(&url).bearer_auth(token)).await;
    assert_eq!(status, 401);
    assert_eq!(body[0]["name"], "TOKEN_EXPIRED");
}

#[tokio::test]
async fn forged_or_foreign_tokens_are_refused() {
    let (sb, client) = start().await;
    let (other, _) = start().await;
    let foreign = oauth_token(
        &client,
        &other.base_url(),
        fx::CODE42_CLIENT_ID,
        fx::CODE42_CLIENT_SECRET,
    )
    .await;
    let url = format!("{}/code42/api/v1/User", sb.base_url());
    let (status, body) = send(
        client
            .get(&url)
            .bearer_auth(foreign["access_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 401, "another sandbox's key");
    assert_eq!(body[0]["name"], "INVALID_TOKEN");
    let (status, _) = send(client.get(&url).bearer_auth("not.a.token")).await;
    assert_eq!(status, 401);
    let (status, _) = send(client.get(&url).header("authorization", "Token abc")).await;
    assert_eq!(status, 401);
}
