//! Code42 routes the official clients (py42, code42cli, incydr) call at
//! login: the console-host API-client token, the current user, the login
//! configuration, the tenant, and the API gateway's users and devices.

use sesame_sandbox::fixtures as fx;

use crate::{claims, send, start};

fn v3_token(client: &reqwest::Client, base: &str, query: &str) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}/code42/api/v3/oauth/token{query}"))
        .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET))
}

#[tokio::test]
async fn console_oauth_token_needs_the_client_credentials_grant() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let q = "?grant_type=client_credentials";
    let (status, body) = send(v3_token(&client, &base, q)).await;
    assert_eq!((status, body["token_type"].as_str()), (200, Some("bearer")));
    let token = body["access_token"].as_str().unwrap();
    let (status, _) = send(
        client
            .get(format!("{base}/code42/api/v3/org/1/user"))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(status, 200, "the token is a bearer for v3 resources");
    let (status, body) = send(v3_token(&client, &base, "")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, body) = send(v3_token(&client, &base, "?grant_type=password")).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
    let (status, _) = send(v3_token(&client, &base, q).body("x=1")).await;
    assert_eq!(status, 400, "body must be empty");
    let wrong = client
        .post(format!("{base}/code42/api/v3/oauth/token{q}"))
        .basic_auth(fx::CODE42_CLIENT_ID, Some("wrong-secret"));
    let (status, body) = send(wrong).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert_eq!(sb.stats().code42_oauth_logins, 1);
}

#[tokio::test]
async fn api_client_tokens_carry_the_tenant() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (_, body) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["tenantUid"], fx::CODE42_TENANT_UID);
    let (status, body) = send(
        client
            .get(format!("{base}/code42/api/v3/customer/my"))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["tenantUid"], fx::CODE42_TENANT_UID);
    let (status, _) = send(client.get(format!("{base}/code42/api/v3/customer/my"))).await;
    assert_eq!(status, 401, "the tenant needs a token");
}

#[tokio::test]
async fn current_user_is_the_signed_in_user_never_an_api_client() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let my = || client.get(format!("{base}/code42/api/v1/User/my"));
    let (status, body) = send(my().basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD))).await;
    assert_eq!(
        (status, body["data"]["username"].as_str()),
        (200, Some(fx::CODE42_USER))
    );
    let (_, jwt) = send(
        client
            .get(format!("{base}/code42/api/v3/auth/jwt?useBody=true"))
            .basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD)),
    )
    .await;
    let user_token = jwt["data"]["v3_user_token"].as_str().unwrap();
    let (status, body) = send(my().bearer_auth(user_token)).await;
    assert_eq!((status, body["data"]["userId"].as_u64()), (200, Some(1001)));
    let (_, api) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    let (status, _) = send(my().bearer_auth(api["access_token"].as_str().unwrap())).await;
    assert_eq!(status, 404, "an API client is no user");
    let (status, _) = send(my()).await;
    assert_eq!(status, 401);
    let (status, body) =
        send(my().basic_auth(fx::CODE42_TOTP_USER, Some(fx::CODE42_TOTP_PASSWORD))).await;
    assert_eq!(status, 401, "2FA user without totp-auth");
    assert_eq!(body[0]["name"], "TIME_BASED_ONE_TIME_PASSWORD_REQUIRED");
}

#[tokio::test]
async fn login_configuration_tells_who_needs_totp_without_authentication() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let login_type = |user: &str| {
        client
            .get(format!("{base}/code42/api/v3/LoginConfiguration"))
            .query(&[("username", user)])
    };
    for (user, expected) in [
        (fx::CODE42_USER, "LOCAL"),
        (fx::CODE42_TOTP_USER, "LOCAL_2FA"),
        (fx::CRASHPLAN_USER, "LOCAL_2FA"),
        ("nobody@example.com", "LOCAL_2FA"),
    ] {
        let (status, body) = send(login_type(user)).await;
        assert_eq!(status, 200, "{user}");
        assert_eq!(body["data"]["loginType"], expected, "{user}");
    }
    let (status, _) = send(client.get(format!("{base}/code42/api/v3/LoginConfiguration"))).await;
    assert_eq!(status, 400, "username is required");
}

#[tokio::test]
async fn gateway_users_and_devices_need_a_bearer() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (_, api) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    let token = api["access_token"].as_str().unwrap();
    let (status, users) = send(
        client
            .get(format!("{base}/code42/v1/users"))
            .bearer_auth(token),
    )
    .await;
    assert_eq!((status, users["totalCount"].as_u64()), (200, Some(3)));
    assert_eq!(users["users"][0]["username"], fx::CODE42_USER);
    let (status, devices) = send(
        client
            .get(format!("{base}/code42/v1/devices"))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(
        (status, devices["devices"].as_array().map(Vec::len)),
        (200, Some(3))
    );
    let (status, _) = send(
        client
            .get(format!("{base}/code42/v1/users"))
            .basic_auth(fx::CODE42_USER, Some(fx::CODE42_PASSWORD)),
    )
    .await;
    assert_eq!(status, 401, "basic is not accepted on the gateway");
}
