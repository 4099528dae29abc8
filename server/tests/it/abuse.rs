//! Abuse limits and refusals: rate limit, slow mode, honeypot, body and
//! message limits, malformed requests. Every refusal is JSON with the right
//! status; none is a 500.

use crate::common::*;
use axum::http::{Method, StatusCode};
use hugops_core::message::{MAX_AUTHOR_CHARS, MAX_BODY_CHARS};
use hugops_core::wire::MessagePage;
use serde_json::json;

const POSTS: &str = "/api/v1/walls/general/messages";

fn post_from(ip: &str, body: &str) -> Call {
    Call::new(Method::POST, POSTS)
        .json(&json!({"body": body, "client_id": unique_id()}))
        .header("x-forwarded-for", ip)
}

#[tokio::test]
async fn the_write_bucket_answers_429_with_retry_after() {
    let app = start_with(|c| {
        c.rate_burst = 3;
        c.rate_per_minute = 6;
        c.trust_proxy = true;
    })
    .await;
    for _ in 0..3 {
        let reply = app.call(post_from("203.0.113.7", "hi")).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let refused = app.call(post_from("203.0.113.7", "hi")).await;
    let error = refused.assert_refused(429, "rate_limited");
    let header: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(error["retry_after"], header);
    // One token every 10 s at 6 per minute.
    assert!((1..=10).contains(&header), "{header}");

    // Hugs draw from the same bucket.
    let id = app.state.store.list(
        hugops_core::wire::WallSlug::parse("general").unwrap(),
        Default::default(),
    );
    let id = id.await.unwrap().messages[0].id;
    let hug = app
        .call(
            Call::new(Method::POST, &format!("{POSTS}/{id}/hugs"))
                .json(&json!({"client_id": "h"}))
                .header("x-forwarded-for", "203.0.113.7"),
        )
        .await;
    hug.assert_refused(429, "rate_limited");

    // Another client (behind the trusted proxy) has its own bucket.
    let other = app.call(post_from("203.0.113.8", "hi")).await;
    assert_eq!(other.status, StatusCode::CREATED);
    // The last X-Forwarded-For entry is the one the proxy saw; what the
    // client claimed before it does not matter.
    let spoofed = app.call(post_from("198.51.100.1, 203.0.113.7", "hi")).await;
    spoofed.assert_refused(429, "rate_limited");
}

#[tokio::test]
async fn x_forwarded_for_is_ignored_unless_trusted() {
    let app = start_with(|c| {
        c.rate_burst = 1;
        c.rate_per_minute = 1;
    })
    .await;
    assert_eq!(
        app.call(post_from("203.0.113.1", "a")).await.status,
        StatusCode::CREATED
    );
    // A different claimed address does not buy a new bucket.
    app.call(post_from("203.0.113.2", "b"))
        .await
        .assert_refused(429, "rate_limited");
}

#[tokio::test]
async fn a_retried_post_is_not_rate_limited() {
    let app = start_with(|c| {
        c.rate_burst = 1;
        c.rate_per_minute = 1;
    })
    .await;
    let body = json!({"body": "once", "client_id": "only-once"});
    assert_eq!(
        app.post(POSTS, body.clone()).await.status,
        StatusCode::CREATED
    );
    // The bucket is empty, but a retry adds nothing and is answered.
    assert_eq!(app.post(POSTS, body).await.status, StatusCode::OK);
}

#[tokio::test]
async fn slow_mode_spaces_posts_per_client() {
    let app = start_with(|c| {
        c.slow_mode = 120;
        c.trust_proxy = true;
    })
    .await;
    assert_eq!(
        app.call(post_from("203.0.113.9", "first")).await.status,
        StatusCode::CREATED
    );
    let refused = app.call(post_from("203.0.113.9", "second")).await;
    let error = refused.assert_refused(429, "slow_mode");
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((119..=120).contains(&wait), "{wait}");
    assert_eq!(error["retry_after"], wait);
    assert!(error["message"].as_str().unwrap().contains("slow mode"));
    assert_eq!(
        app.call(post_from("203.0.113.10", "someone else"))
            .await
            .status,
        StatusCode::CREATED
    );
    // An invalid post does not start the clock.
    let app = start_with(|c| c.slow_mode = 120).await;
    app.post(POSTS, json!({"body": "   ", "client_id": "empty"}))
        .await
        .assert_refused(422, "invalid_message");
    app.post_message("general", "now a real one").await;
}

#[tokio::test]
async fn the_honeypot_refuses_bots_openly() {
    let app = start().await;
    let reply = app
        .post(
            POSTS,
            json!({"body": "buy now", "client_id": "bot-1", "website": "http://spam.example"}),
        )
        .await;
    assert_eq!(reply.assert_refused(400, "bad_request")["field"], "website");
    // An empty honeypot is a person.
    let person = app
        .post(
            POSTS,
            json!({"body": "hang in there", "client_id": "person-1", "website": ""}),
        )
        .await;
    assert_eq!(person.status, StatusCode::CREATED);
    let page: MessagePage = app.get(POSTS).await.json();
    assert_eq!(page.messages.len(), 1);
}

#[tokio::test]
async fn a_body_over_16_kib_is_413_json() {
    let app = start().await;
    let huge = json!({"body": "x".repeat(17 * 1024), "client_id": "big"});
    let reply = app.post(POSTS, huge).await;
    reply.assert_refused(413, "payload_too_large");
    // Also when the client lies about nothing and just streams bytes.
    let reply = app
        .call(
            Call::new(Method::POST, POSTS)
                .header("content-type", "application/json")
                .raw(vec![b' '; 64 * 1024]),
        )
        .await;
    reply.assert_refused(413, "payload_too_large");
}

#[tokio::test]
async fn message_rules_are_422_naming_the_field() {
    let app = start().await;
    let cases = [
        (json!({"body": " \n\t ", "client_id": "e1"}), "body"),
        (
            json!({"body": "\u{200b}\u{202e}", "client_id": "e2"}),
            "body",
        ),
        (
            json!({"body": "x".repeat(MAX_BODY_CHARS + 1), "client_id": "e3"}),
            "body",
        ),
        (
            json!({"author": "a".repeat(MAX_AUTHOR_CHARS + 1), "body": "ok", "client_id": "e4"}),
            "author",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post(POSTS, body).await;
        assert_eq!(reply.assert_refused(422, "invalid_message")["field"], field);
    }
    // Exactly at the limits is fine; a family emoji counts as one.
    let ok = app
        .post(
            POSTS,
            json!({"author": "a".repeat(MAX_AUTHOR_CHARS), "body": "👨‍👩‍👧‍👦".repeat(MAX_BODY_CHARS), "client_id": "edge"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
}

#[tokio::test]
async fn malformed_requests_are_400_json_never_500() {
    let app = start().await;
    let cases: Vec<(Call, u16, &str)> = vec![
        (
            Call::new(Method::POST, POSTS)
                .header("content-type", "application/json")
                .raw("not json"),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS)
                .header("content-type", "application/json")
                .raw(""),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS)
                .header("content-type", "application/json")
                .raw("[1,2,3]"),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS).json(&json!({"body": "no id"})),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS).json(&json!({"body": 5, "client_id": "x"})),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS)
                .header("content-type", "application/json")
                .raw(vec![0xff, 0xfe, 0x00]),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS).json(&json!({"body": "x", "client_id": ""})),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS).json(&json!({"body": "x", "client_id": "x".repeat(65)})),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, POSTS).json(&json!({"body": "x", "client_id": "a\nb"})),
            400,
            "bad_request",
        ),
        (
            Call::new(
                Method::GET,
                "/api/v1/walls/general/messages?limit=99999999999",
            ),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::PATCH, "/api/v1/walls/general/messages/1")
                .team()
                .header("content-type", "application/json")
                .raw("{\"action\":"),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::POST, "/api/v1/walls/general/messages/0/hugs")
                .json(&json!({"client_id": "x"})),
            400,
            "bad_request",
        ),
        (
            Call::new(Method::GET, "/api/v1/nothing-here"),
            404,
            "not_found",
        ),
        (Call::new(Method::DELETE, POSTS), 405, "bad_request"),
        (
            Call::new(Method::PUT, "/api/v1/walls/general/stream"),
            405,
            "bad_request",
        ),
    ];
    for (call, status, code) in cases {
        let reply = app.call(call).await;
        reply.assert_refused(status, code);
        if status == 405 {
            assert!(reply.header("allow").is_some_and(|a| !a.is_empty()));
        }
    }
    // Query strings that cannot be read are JSON refusals too.
    for path in [
        "/api/v1/walls/general/export?format=csv&format=md",
        "/embed?wall=a&wall=b",
        "/api/v1/walls/general/stream?last_event_id=1&last_event_id=2",
        "/api/v1/walls/general/messages?limit=1&limit=2",
    ] {
        let reply = app.call(Call::new(Method::GET, path).team()).await;
        assert!(reply.status.is_client_error(), "{path}: {}", reply.status);
        assert_eq!(reply.value()["error"], "bad_request", "{path}");
    }
}
