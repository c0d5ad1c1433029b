//! `/_sandbox/clock`: one clock for TOTP steps and token lifetimes, moved by
//! a route so that tests advance time instead of sleeping.

use serde_json::json;
use sesame_sandbox::fixtures as fx;

use crate::{move_clock, send, start, totp_code_at};

#[tokio::test]
async fn clock_route_reports_advances_and_sets_the_time() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (status, before) = send(client.get(format!("{base}/_sandbox/clock"))).await;
    assert_eq!((status, before["offset_seconds"].as_i64()), (200, Some(0)));
    let t0 = before["now"].as_u64().unwrap();
    let (status, after) = move_clock(&client, &base, json!({ "advance_seconds": 3600 })).await;
    assert_eq!(status, 200);
    let t1 = after["now"].as_u64().unwrap();
    assert!((t0 + 3600..t0 + 3605).contains(&t1), "{t0} -> {t1}");
    let (_, set) = move_clock(&client, &base, json!({ "set_unix": 2_000_000_000u64 })).await;
    assert!((2_000_000_000..2_000_000_005).contains(&set["now"].as_u64().unwrap()));
    let (_, back) = move_clock(&client, &base, json!({ "advance_seconds": -60 })).await;
    assert!(back["now"].as_u64().unwrap() < 2_000_000_000);
}

#[tokio::test]
async fn clock_route_refuses_ambiguous_or_unknown_bodies() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    for body in [
        json!({}),
        json!({ "advance_seconds": 1, "set_unix": 2 }),
        json!({ "advance": 30 }),
        json!({ "advance_seconds": "30" }),
    ] {
        let (status, _) = move_clock(&client, &base, body.clone()).await;
        assert_eq!(status, 400, "{body}");
    }
    let (_, now) = send(client.get(format!("{base}/_sandbox/clock"))).await;
    assert_eq!(now["offset_seconds"], 0, "a refused change moves nothing");
}

#[tokio::test]
async fn token_expires_once_the_clock_passes_its_lifetime() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (_, body) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    assert_eq!(body["expires_in"], 900);
    let token = body["access_token"].as_str().unwrap().to_string();
    let users = || {
        client
            .get(format!("{base}/code42/api/v1/User"))
            .bearer_auth(&token)
    };
    assert_eq!(send(users()).await.0, 200);
    move_clock(&client, &base, json!({ "advance_seconds": 890 })).await;
    assert_eq!(send(users()).await.0, 200, "still inside its 900 s");
    move_clock(&client, &base, json!({ "advance_seconds": 11 })).await;
    let (status, body) = send(users()).await;
    assert_eq!(status, 401);
    assert_eq!(body[0]["name"], "TOKEN_EXPIRED", "{body}");
}

#[tokio::test]
async fn totp_window_follows_the_sandbox_clock() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (_, now) = send(client.get(format!("{base}/_sandbox/clock"))).await;
    let later = now["now"].as_u64().unwrap() + 3600;
    let code = totp_code_at(fx::CODE42_TOTP_SECRET, later);
    let jwt = |code: &str| {
        client
            .get(format!("{base}/code42/api/v3/auth/jwt?useBody=true"))
            .basic_auth(fx::CODE42_TOTP_USER, Some(fx::CODE42_TOTP_PASSWORD))
            .header("totp-auth", code.to_string())
    };
    let (status, body) = send(jwt(&code)).await;
    assert_eq!(status, 401, "a code an hour ahead is outside the window");
    assert_eq!(
        body["error"][0]["primaryErrorKey"],
        "INVALID_TIME_BASED_ONE_TIME_PASSWORD"
    );
    move_clock(&client, &base, json!({ "advance_seconds": 3600 })).await;
    let (status, body) = send(jwt(&code)).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = send(jwt(&code)).await;
    assert_eq!(status, 401, "still accepted once only");
    let stats = sb.stats();
    assert_eq!((stats.code42_jwt_logins, stats.rejected_totp), (1, 2));
}

#[tokio::test]
async fn tokens_are_issued_on_the_sandbox_clock() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (_, set) = move_clock(&client, &base, json!({ "set_unix": 1_900_000_000u64 })).await;
    let now = set["now"].as_u64().unwrap();
    let (_, body) = send(
        client
            .post(format!("{base}/code42/v1/oauth"))
            .basic_auth(fx::CODE42_CLIENT_ID, Some(fx::CODE42_CLIENT_SECRET)),
    )
    .await;
    let claims = crate::claims(body["access_token"].as_str().unwrap());
    let iat = claims["iat"].as_u64().unwrap();
    assert!((now..now + 5).contains(&iat), "iat {iat}, clock {now}");
    assert_eq!(claims["exp"].as_u64().unwrap(), iat + 900);
}
