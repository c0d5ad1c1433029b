//! BeyondTrust Password Safe: OAuth token → SignAppIn (Bearer or PS-Auth) →
//! cookie session → Signout; licence 403; disabled versions 410.

use sesame_sandbox::fixtures as fx;

use serde_json::json;

use crate::{move_clock, send, send_text, start};

const API: &str = "/beyondtrust/BeyondTrust/api/public/v3";

fn token_request(client: &reqwest::Client, base: &str, form: &str) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}{API}/Auth/Connect/Token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_string())
}

async fn token(client: &reqwest::Client, base: &str, id: &str, secret: &str) -> serde_json::Value {
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let (status, body) = send(token_request(client, base, &form)).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// SignAppIn; returns status, body and the `name=value` session cookie.
async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    authorization: &str,
) -> (u16, serde_json::Value, Option<String>) {
    let response = client
        .post(format!("{base}{API}/Auth/SignAppIn"))
        .header("authorization", authorization)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, body, cookie)
}

#[tokio::test]
async fn oauth_sign_in_session_and_sign_out() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let tok = token(
        &client,
        &base,
        fx::BEYONDTRUST_CLIENT_ID,
        fx::BEYONDTRUST_CLIENT_SECRET,
    )
    .await;
    assert_eq!(tok["token_type"], "Bearer");
    assert_eq!(tok["scope"], "publicapi");
    assert_eq!(tok["expires_in"], 3600);
    let access = tok["access_token"].as_str().unwrap();

    let (status, user, cookie) = sign_in(&client, &base, &format!("Bearer {access}")).await;
    assert_eq!(status, 200, "{user}");
    for key in ["UserId", "SID", "EmailAddress", "UserName", "Name"] {
        assert!(user.get(key).is_some(), "user model lacks {key}");
    }
    let cookie = cookie.expect("session cookie");
    assert!(cookie.starts_with("ASP.NET_SessionId="));
    assert_eq!(sb.stats().active_sessions, 1);

    let (status, accounts) = send(
        client
            .get(format!("{base}{API}/ManagedAccounts"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!accounts.as_array().unwrap().is_empty());
    let (status, _) = send(
        client
            .get(format!("{base}{API}/ManagedSystems"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(client.get(format!("{base}{API}/ManagedSystems"))).await;
    assert_eq!(status, 401, "no session cookie");
    let (status, _) = send(
        client
            .get(format!("{base}{API}/ManagedSystems"))
            .bearer_auth(access),
    )
    .await;
    assert_eq!(
        status, 401,
        "the bearer token is for SignAppIn, resources need the session"
    );

    let (status, _) = send_text(
        client
            .post(format!("{base}{API}/Auth/Signout"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        client
            .get(format!("{base}{API}/ManagedAccounts"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 401, "signed-out session");

    let stats = sb.stats();
    assert_eq!(stats.signouts, 1);
    assert_eq!(stats.active_sessions, 0);
    assert_eq!(
        (
            stats.beyondtrust_token_logins,
            stats.beyondtrust_signins,
            stats.token_requests
        ),
        (1, 1, 2)
    );
}

#[tokio::test]
async fn signout_needs_no_session_but_an_ended_one_stays_ended() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let ps_auth = format!(
        "PS-Auth key={}; runas={};",
        fx::BEYONDTRUST_PS_KEY,
        fx::BEYONDTRUST_RUNAS
    );
    let (_, _, cookie) = sign_in(&client, &base, &ps_auth).await;
    let cookie = cookie.expect("session cookie");
    let sign_out = |cookie: Option<&str>| {
        let request = client.post(format!("{base}{API}/Auth/Signout"));
        match cookie {
            Some(c) => request.header("cookie", c.to_string()),
            None => request,
        }
    };
    assert_eq!(send_text(sign_out(Some(&cookie))).await.0, 200);
    let (status, _) = send_text(sign_out(Some(&cookie))).await;
    assert_eq!(status, 200, "the seed: Signout needs no permission");
    let (status, _) = send_text(sign_out(None)).await;
    assert_eq!(status, 200, "Signout without any session cookie");
    let (status, _) = send(
        client
            .get(format!("{base}{API}/ManagedSystems"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 401, "the ended session is still refused");
    let stats = sb.stats();
    assert_eq!(stats.signouts, 1, "only the live session counts as ended");
    assert_eq!(stats.active_sessions, 0);
}

#[tokio::test]
async fn token_endpoint_is_strict() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let good = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        fx::BEYONDTRUST_CLIENT_ID,
        fx::BEYONDTRUST_CLIENT_SECRET
    );
    let url = format!("{base}{API}/Auth/Connect/Token");
    let json_body = client
        .post(&url)
        .header("content-type", "application/json")
        .body(good.clone());
    let (status, body) = send(json_body).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "wrong content type"
    );
    let (status, body) = send(token_request(
        &client,
        &base,
        &good.replace("client_credentials", "password"),
    ))
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body) = send(token_request(
        &client,
        &base,
        &good.replace(fx::BEYONDTRUST_CLIENT_SECRET, "nope"),
    ))
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_client"))
    );
    let (status, _) = send(client.post(&url).body(good.clone())).await;
    assert_eq!(status, 400, "no content type");
    let two_types = token_request(&client, &base, &good).header("content-type", "text/plain");
    let (status, _) = send(two_types).await;
    assert_eq!(status, 400, "two content types");
    let (status, _) = send(token_request(
        &client,
        &base,
        &format!("{good}&client_id=x"),
    ))
    .await;
    assert_eq!(status, 400, "duplicate parameter");
    assert_eq!(sb.stats().token_requests, 0);
}

#[tokio::test]
async fn ps_auth_header_form() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (status, user, cookie) = sign_in(
        &client,
        &base,
        &format!(
            "PS-Auth key={}; runas={};",
            fx::BEYONDTRUST_PS_KEY,
            fx::BEYONDTRUST_RUNAS
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(user["UserName"], fx::BEYONDTRUST_RUNAS);
    let (status, _) = send(
        client
            .get(format!("{base}{API}/ManagedSystems"))
            .header("cookie", cookie.unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    let with_pwd = |pwd: &str| {
        format!(
            "PS-Auth key={}; runas={}; pwd=[{pwd}];",
            fx::BEYONDTRUST_PS_KEY,
            fx::BEYONDTRUST_RUNAS
        )
    };
    let (status, _, _) = sign_in(&client, &base, &with_pwd(fx::BEYONDTRUST_RUNAS_PASSWORD)).await;
    assert_eq!(status, 200);
    let (status, _, cookie) = sign_in(&client, &base, &with_pwd("wrong")).await;
    assert_eq!((status, cookie), (401, None));
    let (status, _, _) = sign_in(
        &client,
        &base,
        &format!("PS-Auth key=unknown; runas={};", fx::BEYONDTRUST_RUNAS),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, _) = sign_in(
        &client,
        &base,
        &format!("PS-Auth key={};", fx::BEYONDTRUST_PS_KEY),
    )
    .await;
    assert_eq!(status, 401, "runas is required");
    let (status, _, _) = sign_in(
        &client,
        &base,
        &format!(
            "PS-Auth key={}; runas={};",
            fx::BEYONDTRUST_UNLICENSED_PS_KEY,
            fx::BEYONDTRUST_RUNAS
        ),
    )
    .await;
    assert_eq!(status, 403, "licence invalid");
    assert_eq!(sb.stats().beyondtrust_signins, 2);
}

#[tokio::test]
async fn unlicensed_client_gets_403_on_sign_in() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let tok = token(
        &client,
        &base,
        fx::BEYONDTRUST_UNLICENSED_CLIENT_ID,
        fx::BEYONDTRUST_UNLICENSED_CLIENT_SECRET,
    )
    .await;
    let (status, _, cookie) = sign_in(
        &client,
        &base,
        &format!("Bearer {}", tok["access_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!((status, cookie), (403, None));
    let (status, _) = send(client.post(format!("{base}{API}/Auth/SignAppIn"))).await;
    assert_eq!(status, 401, "no Authorization");
    assert_eq!(sb.stats().active_sessions, 0);
}

#[tokio::test]
async fn disabled_api_versions_are_410() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    for path in [
        "v2/Auth/SignAppIn",
        "v1/ManagedAccounts",
        "v2/Auth/Connect/Token",
    ] {
        let (status, _) =
            send_text(client.post(format!("{base}/beyondtrust/BeyondTrust/api/public/{path}")))
                .await;
        assert_eq!(status, 410, "{path}");
    }
    let (status, _) = send_text(client.get(format!(
        "{base}/beyondtrust/BeyondTrust/api/public/v2/ManagedSystems"
    )))
    .await;
    assert_eq!(status, 410);
    let (status, _) = send_text(client.get(format!(
        "{base}/beyondtrust/BeyondTrust/api/public/v9/ManagedSystems"
    )))
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn expired_token_cannot_sign_in() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let tok = token(
        &client,
        &base,
        fx::BEYONDTRUST_SHORT_CLIENT_ID,
        fx::BEYONDTRUST_SHORT_CLIENT_SECRET,
    )
    .await;
    assert_eq!(tok["expires_in"], 2);
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    move_clock(&client, &base, json!({ "advance_seconds": 2 })).await;
    let (status, _, cookie) = sign_in(&client, &base, &bearer).await;
    assert_eq!((status, cookie), (401, None));
}

#[tokio::test]
async fn paths_ignore_case_as_on_iis() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    // The spellings of the official library (`Auth/connect/token`,
    // `managedsystems`) and of the seed (`SignAppin`), and shouting.
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        fx::BEYONDTRUST_CLIENT_ID,
        fx::BEYONDTRUST_CLIENT_SECRET
    );
    let (status, tok) = send(
        client
            .post(format!("{base}{API}/Auth/connect/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form),
    )
    .await;
    assert_eq!(status, 200, "{tok}");
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let response = client
        .post(format!(
            "{base}/BEYONDTRUST/beyondtrust/API/public/V3/auth/SignAppin"
        ))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    for path in [
        "managedsystems?limit=1",
        "MANAGEDACCOUNTS",
        "ManagedSystems",
    ] {
        let (status, body) = send(
            client
                .get(format!("{base}{API}/{path}"))
                .header("cookie", &cookie),
        )
        .await;
        assert_eq!((status, body.is_array()), (200, true), "{path}");
    }
    let (status, _) = send_text(
        client
            .post(format!("{base}{API}/auth/SIGNOUT"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        client
            .get(format!("{base}{API}/managedsystems"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(status, 401, "case never revives an ended session");
    assert_eq!(sb.stats().signouts, 1);
}

#[tokio::test]
async fn runas_and_ps_auth_fields_ignore_case_but_not_the_key() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let upper = format!(
        "PS-Auth KEY={};RunAs={};PWD=[{}];",
        fx::BEYONDTRUST_PS_KEY,
        fx::BEYONDTRUST_RUNAS.to_uppercase(),
        fx::BEYONDTRUST_RUNAS_PASSWORD
    );
    let (status, body, cookie) = sign_in(&client, &base, &upper).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["UserName"], fx::BEYONDTRUST_RUNAS);
    assert!(cookie.is_some());
    let wrong_case_key = format!(
        "PS-Auth key={}; runas={};",
        fx::BEYONDTRUST_PS_KEY.to_uppercase(),
        fx::BEYONDTRUST_RUNAS
    );
    let (status, _, _) = sign_in(&client, &base, &wrong_case_key).await;
    assert_eq!(status, 401, "the key is a secret: compared exactly");
    let wrong_pwd = format!(
        "PS-Auth key={}; runas={}; pwd=[{}];",
        fx::BEYONDTRUST_PS_KEY,
        fx::BEYONDTRUST_RUNAS,
        fx::BEYONDTRUST_RUNAS_PASSWORD.to_uppercase()
    );
    let (status, _, _) = sign_in(&client, &base, &wrong_pwd).await;
    assert_eq!(status, 401, "the password is compared exactly");
}
