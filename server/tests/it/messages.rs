//! Listing, posting, cursors, idempotency and hugs.

use super::common::*; // `super`: these checks also run on PostgreSQL (postgres.rs)
use axum::http::{Method, StatusCode};
use hugops_core::time::Timestamp;
use hugops_core::wire::{HugCount, Message, MessagePage};
use serde_json::json;

#[tokio::test]
async fn a_post_is_stored_normalised_and_listed() {
    let app = start().await;
    let before = hugops_server::now();
    let reply = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"author": "  Sam \n K ", "body": "  Thank you\r\nfor working on this!  ", "client_id": "c-1"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let message: Message = reply.json();
    assert_eq!(message.wall.as_str(), "general");
    assert_eq!(message.author.as_deref(), Some("Sam K"));
    assert_eq!(message.body, "Thank you\nfor working on this!");
    assert_eq!(
        message.client_id.as_deref(),
        Some("c-1"),
        "the poster's own id"
    );
    assert_eq!(message.hugs, 0);
    assert!(!message.held && !message.hidden && !message.pinned);
    assert!(message.created_at >= before && message.created_at <= hugops_server::now());

    let page: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    let public = Message {
        client_id: None,
        ..message
    };
    assert_eq!(page.messages, vec![public], "listed without its client_id");
    assert_eq!(page.next_after, None);
    assert_eq!(page.prev_before, None);

    // Walls are separate.
    let other: MessagePage = app.get("/api/v1/walls/other/messages").await.json();
    assert!(other.messages.is_empty());
}

#[tokio::test]
async fn a_blank_author_is_anonymous() {
    let app = start().await;
    let message: Message = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"author": "   ", "body": "hugs", "client_id": "c-anon"}),
        )
        .await
        .json();
    assert_eq!(message.author, None);
}

#[tokio::test]
async fn a_retried_post_returns_the_first_message_and_stores_no_second() {
    let app = start().await;
    let path = "/api/v1/walls/general/messages";
    let first = app
        .post(path, json!({"body": "first try", "client_id": "retry-1"}))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = app
        .post(
            path,
            json!({"body": "a different body", "client_id": "retry-1"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<Message>(), first.json::<Message>());

    // The same client id on another wall is another post.
    let elsewhere = app
        .post(
            "/api/v1/walls/elsewhere/messages",
            json!({"body": "x", "client_id": "retry-1"}),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::CREATED);

    // Racing retries: exactly one 201, the rest 200, all the same message.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            let request = axum::http::Request::post(path)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"body": "race", "client_id": "race-1"}).to_string(),
                ))
                .unwrap();
            let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, serde_json::from_slice::<Message>(&body).unwrap())
        }));
    }
    let mut created = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let (status, message) = task.await.unwrap();
        created += usize::from(status == StatusCode::CREATED);
        ids.push(message.id);
    }
    assert_eq!(created, 1);
    ids.dedup();
    assert_eq!(ids.len(), 1);

    let page: MessagePage = app.get(path).await.json();
    assert_eq!(page.messages.len(), 2, "first try and race: {page:?}");
}

fn ids(page: &MessagePage) -> Vec<i64> {
    page.messages.iter().map(|m| m.id).collect()
}

#[tokio::test]
async fn cursors_page_forward_and_backward_oldest_first() {
    let app = start().await;
    let mut all = Vec::new();
    for n in 1..=7 {
        all.push(
            app.post_message("paging", &format!("message {n}")).await["id"]
                .as_i64()
                .unwrap(),
        );
        // Noise on another wall must not show up or break the cursors.
        app.post_message("noise", "noise").await;
    }
    let page = |query: String| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/walls/paging/messages{query}"))
                .await
                .json::<MessagePage>()
        }
    };

    // Neither cursor: the newest, oldest first.
    let newest = page("?limit=3".into()).await;
    assert_eq!(ids(&newest), all[4..7]);
    assert_eq!(newest.next_after, None);
    assert_eq!(newest.prev_before, Some(all[4]));

    // Older, from the cursor the page gave.
    let older = page(format!("?before={}&limit=3", all[4])).await;
    assert_eq!(ids(&older), all[1..4]);
    assert_eq!(older.prev_before, Some(all[1]));
    assert_eq!(older.next_after, Some(all[3]));
    let oldest = page(format!("?before={}&limit=3", all[1])).await;
    assert_eq!(ids(&oldest), all[0..1]);
    assert_eq!(oldest.prev_before, None);

    // Forward from a cursor.
    let forward = page(format!("?after={}&limit=3", all[0])).await;
    assert_eq!(ids(&forward), all[1..4]);
    assert_eq!(forward.next_after, Some(all[3]));
    assert_eq!(forward.prev_before, Some(all[1]));
    let rest = page(format!("?after={}&limit=3", all[3])).await;
    assert_eq!(ids(&rest), all[4..7]);
    assert_eq!(rest.next_after, None);
    let beyond = page(format!("?after={}", all[6])).await;
    assert!(beyond.messages.is_empty());
    assert_eq!((beyond.next_after, beyond.prev_before), (None, None));

    // Between two cursors.
    let between = page(format!("?after={}&before={}", all[1], all[5])).await;
    assert_eq!(ids(&between), all[2..5]);

    // Hidden messages are skipped by every page.
    let hide = app
        .team(
            Method::PATCH,
            &format!("/api/v1/walls/paging/messages/{}", all[5]),
            Some(json!({"action": "hide"})),
        )
        .await;
    assert_eq!(hide.status, StatusCode::OK);
    let newest = page("?limit=3".into()).await;
    assert_eq!(ids(&newest), [all[3], all[4], all[6]]);

    // Empty parameters are absent; out-of-range limits are clamped.
    assert_eq!(ids(&page("?after=&before=&limit=".into()).await).len(), 6);
    assert_eq!(ids(&page("?limit=0".into()).await), [all[6]]);
    assert_eq!(ids(&page("?limit=100000".into()).await).len(), 6);

    // A cursor that is not a number is a 400 naming the parameter.
    let bad = app.get("/api/v1/walls/paging/messages?after=abc").await;
    assert_eq!(bad.assert_refused(400, "bad_request")["field"], "after");
    let negative = app.get("/api/v1/walls/paging/messages?before=-1").await;
    assert_eq!(
        negative.assert_refused(400, "bad_request")["field"],
        "before"
    );
}

#[tokio::test]
async fn an_invalid_wall_is_a_400() {
    let app = start().await;
    for path in [
        "/api/v1/walls/General/messages",
        "/api/v1/walls/a_b/messages",
        "/api/v1/walls/%2e%2e/messages",
        &format!("/api/v1/walls/{}/messages", "x".repeat(65)),
    ] {
        app.get(path).await.assert_refused(400, "invalid_wall");
    }
    let reply = app
        .post(
            "/api/v1/walls/Nope/messages",
            json!({"body": "x", "client_id": "c"}),
        )
        .await;
    reply.assert_refused(400, "invalid_wall");
}

#[tokio::test]
async fn hugs_are_one_per_client_and_idempotent() {
    let app = start().await;
    let id = app.post_message("general", "hang in there").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/walls/general/messages/{id}/hugs");

    let first = app.post(&path, json!({"client_id": "hugger-1"})).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(
        first.json::<HugCount>(),
        HugCount {
            message_id: id,
            hugs: 1
        }
    );
    let again = app.post(&path, json!({"client_id": "hugger-1"})).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<HugCount>().hugs, 1);
    let second = app.post(&path, json!({"client_id": "hugger-2"})).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.json::<HugCount>().hugs, 2);

    let page: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    assert_eq!(page.messages[0].hugs, 2);

    // No such message, a message of another wall, a hidden message: 404.
    app.post(
        "/api/v1/walls/general/messages/999999/hugs",
        json!({"client_id": "h"}),
    )
    .await
    .assert_refused(404, "not_found");
    app.post(
        &format!("/api/v1/walls/other/messages/{id}/hugs"),
        json!({"client_id": "h"}),
    )
    .await
    .assert_refused(404, "not_found");
    app.team(
        Method::PATCH,
        &format!("/api/v1/walls/general/messages/{id}"),
        Some(json!({"action": "hide"})),
    )
    .await;
    app.post(&path, json!({"client_id": "hugger-3"}))
        .await
        .assert_refused(404, "not_found");

    // Not a message id at all: 400.
    app.post(
        "/api/v1/walls/general/messages/abc/hugs",
        json!({"client_id": "h"}),
    )
    .await
    .assert_refused(400, "bad_request");
    // A malformed client id: 400 naming the field.
    let bad = app.post(&path, json!({"client_id": "has space"})).await;
    assert_eq!(bad.assert_refused(400, "bad_request")["field"], "client_id");
}

#[tokio::test]
async fn timestamps_are_rfc3339_utc() {
    let app = start().await;
    let message = app.post_message("general", "time check").await;
    let text = message["created_at"].as_str().unwrap();
    assert!(text.ends_with('Z') && text.len() == 24, "{text}");
    assert!(Timestamp::parse_rfc3339(text).is_some());
}

#[tokio::test]
async fn listed_pages_follow_every_change_at_once() {
    // Pages are cached; each change must show on the very next list.
    let app = start_with(|c| c.hold_flagged = true).await;
    let list = || async {
        app.get("/api/v1/walls/fresh/messages")
            .await
            .json::<MessagePage>()
            .messages
    };
    assert!(list().await.is_empty());
    let id = app.post_message("fresh", "first").await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(list().await.len(), 1);
    app.post(
        &format!("/api/v1/walls/fresh/messages/{id}/hugs"),
        json!({"client_id": "h"}),
    )
    .await;
    assert_eq!(list().await[0].hugs, 1);
    let patch = format!("/api/v1/walls/fresh/messages/{id}");
    app.team(Method::PATCH, &patch, Some(json!({"action": "pin"})))
        .await;
    assert!(list().await[0].pinned);
    app.team(Method::PATCH, &patch, Some(json!({"action": "hide"})))
        .await;
    assert!(list().await.is_empty());
    let held = app
        .post(
            "/api/v1/walls/fresh/messages",
            json!({"body": "I think you're all idiots", "client_id": "held"}),
        )
        .await
        .value()["id"]
        .as_i64()
        .unwrap();
    assert!(list().await.is_empty());
    app.team(
        Method::PATCH,
        &format!("/api/v1/walls/fresh/messages/{held}"),
        Some(json!({"action": "approve"})),
    )
    .await;
    assert_eq!(list().await.len(), 1);
    // Another wall's cache is its own.
    assert!(app
        .get("/api/v1/walls/other/messages")
        .await
        .json::<MessagePage>()
        .messages
        .is_empty());
}
