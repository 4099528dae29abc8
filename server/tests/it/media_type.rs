//! A body must be sent as `application/json`: a cross-site form-style post
//! (`text/plain`, which a browser sends without a CORS preflight) or a body
//! with no `Content-Type` is refused 415 before anything is stored, on
//! every endpoint that takes a body.

use crate::common::*;
use serde_json::{json, Value};

const EVIL: &str = "https://evil.example";

/// A team PATCH, hug and status PUT need something to act on.
async fn one_message(served: &Served) -> i64 {
    let reply = reqwest::Client::new()
        .post(served.url("/api/v1/walls/general/messages"))
        .json(&json!({"body": "the first, sent properly", "client_id": "proper-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    reply.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn bodies_not_sent_as_json_are_415_and_nothing_is_stored() {
    let app = start_with(|c| c.allowed_origins = vec!["https://status.example".into()]).await;
    let served = serve(app.state.clone()).await;
    let id = one_message(&served).await;
    let client = reqwest::Client::new();
    let bearer = format!("Bearer {TOKEN}");

    // (method, path, body, team?)
    let endpoints = [
        (
            reqwest::Method::POST,
            "/api/v1/walls/general/messages".to_owned(),
            r#"{"body":"posted from another site","client_id":"evil-1"}"#,
            false,
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/walls/general/messages/{id}/hugs"),
            r#"{"client_id":"evil-hug"}"#,
            false,
        ),
        (
            reqwest::Method::PATCH,
            format!("/api/v1/walls/general/messages/{id}"),
            r#"{"action":"hide"}"#,
            true,
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/status".to_owned(),
            r#"{"status":{"indicator":"critical","description":"Fake incident"}}"#,
            true,
        ),
    ];
    let content_types = [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonp"),
        None,
    ];
    for (method, path, body, team) in &endpoints {
        for content_type in content_types {
            let mut request = client
                .request(method.clone(), served.url(path))
                .header("origin", EVIL)
                .body(*body);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            if *team {
                request = request.header("authorization", &bearer);
            }
            let reply = request.send().await.unwrap();
            let status = reply.status().as_u16();
            let error: Value = reply.json().await.unwrap();
            assert_eq!(status, 415, "{method} {path} as {content_type:?}: {error}");
            assert_eq!(error["error"], "unsupported_media_type", "{error}");
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .contains("application/json"),
                "the refusal says what to send: {error}"
            );
        }
    }

    // Nothing was stored: one message, not hidden, no hug; no team status.
    let page: Value = client
        .get(served.url("/api/v1/walls/general/messages"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages = page["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{page}");
    assert_eq!(messages[0]["body"], "the first, sent properly");
    assert_eq!(messages[0]["hugs"], 0);
    let status = client
        .get(served.url("/api/v1/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), 404, "no status was set");

    // JSON with parameters and any letter case is JSON.
    let fine = client
        .post(served.url("/api/v1/walls/general/messages"))
        .header("content-type", "Application/JSON; charset=utf-8")
        .body(r#"{"body":"sent with a charset","client_id":"charset-1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(fine.status(), 201);
    served.stop().await;
}
