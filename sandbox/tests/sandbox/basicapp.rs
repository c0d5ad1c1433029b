//! basicapp: `Authorization: Basic base64(email:password)`, API access per user,
//! and the onboarding endpoints (a job done on its third poll).

use serde_json::json;
use sesame_sandbox::fixtures as fx;

use crate::{send, start};

#[tokio::test]
async fn user_with_api_access_reads_resources() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let (status, me) = send(
        client
            .get(format!("{base}/basicapp/api/v2/users/me"))
            .basic_auth(fx::BASICAPP_USER, Some(fx::BASICAPP_PASSWORD)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(me["email"], fx::BASICAPP_USER);
    let (status, list) = send(
        client
            .get(format!("{base}/basicapp/api/v2/users"))
            .basic_auth(fx::BASICAPP_USER, Some(fx::BASICAPP_PASSWORD)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 2);
    assert_eq!(sb.stats().basic_auth_requests, 2);
}

#[tokio::test]
async fn refusals_401_and_403() {
    let (sb, client) = start().await;
    let url = format!("{}/basicapp/api/v2/users/me", sb.base_url());
    let (status, body) = send(
        client
            .get(&url)
            .basic_auth(fx::BASICAPP_NO_API_USER, Some(fx::BASICAPP_NO_API_PASSWORD)),
    )
    .await;
    assert_eq!(status, 403, "no API access");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("API access")
    );
    let response = client
        .get(&url)
        .basic_auth(fx::BASICAPP_USER, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    let (status, _) = send(client.get(&url)).await;
    assert_eq!(status, 401);
    // The bare base64 value without the Basic scheme is not accepted.
    use base64::Engine;
    let bare = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        fx::BASICAPP_USER,
        fx::BASICAPP_PASSWORD
    ));
    let (status, _) = send(client.get(&url).header("authorization", bare)).await;
    assert_eq!(status, 401);
    assert_eq!(sb.stats().basic_auth_requests, 0);
}

#[tokio::test]
async fn onboarding_job_is_done_on_third_poll() {
    let (sb, client) = start().await;
    let base = sb.base_url();
    let basic =
        |r: reqwest::RequestBuilder| r.basic_auth(fx::BASICAPP_USER, Some(fx::BASICAPP_PASSWORD));
    let new_user = json!({ "email": "dana@example.com", "name": "Dana Diaz", "role": "API User" });
    let (status, created) = send(basic(
        client
            .post(format!("{base}/basicapp/api/v2/users"))
            .json(&new_user),
    ))
    .await;
    assert_eq!(status, 202, "{created}");
    let id = created["user"]["id"].as_u64().unwrap();
    let job = created["job"]["id"].as_str().unwrap().to_string();
    let mut states = Vec::new();
    for _ in 0..4 {
        let (status, j) = send(basic(
            client.get(format!("{base}/basicapp/api/v2/jobs/{job}")),
        ))
        .await;
        assert_eq!(status, 200);
        states.push(j["state"].as_str().unwrap().to_string());
    }
    assert_eq!(states, ["queued", "running", "done", "done"]);
    let (status, roles) = send(basic(
        client.get(format!("{base}/basicapp/api/v2/users/{id}/roles")),
    ))
    .await;
    assert_eq!(
        (status, roles["roles"][0].as_str()),
        (200, Some("API User"))
    );
    let (status, devices) = send(basic(
        client.get(format!("{base}/basicapp/api/v2/users/{id}/devices")),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(devices["devices"].as_array().unwrap().len(), 1);
    let (status, _) = send(basic(
        client
            .post(format!("{base}/basicapp/api/v2/users"))
            .json(&new_user),
    ))
    .await;
    assert_eq!(status, 409, "duplicate email");
    let (status, _) = send(basic(
        client.get(format!("{base}/basicapp/api/v2/jobs/nope")),
    ))
    .await;
    assert_eq!(status, 404);
}
