//! What the team hides is gone for everyone but the team, on every path:
//! the stream's replay and live events, the events list, a retried post,
//! the list cache; and a `client_id` is seen by nobody but its poster and
//! the team. Read as raw JSON, so a field that should not be there is seen.

use super::common::*; // `super`: these checks also run on PostgreSQL (postgres.rs)
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const SECRET: &str = "my private words";

/// Posts `body` on `wall` with `client_id`; the answer.
async fn post_as(app: &TestApp, wall: &str, body: &str, client_id: &str) -> Reply {
    app.post(
        &format!("/api/v1/walls/{wall}/messages"),
        json!({"author": "Secret Sam", "body": body, "client_id": client_id}),
    )
    .await
}

/// Nothing in `text` that only the team (or the poster) may see.
#[track_caller]
fn assert_nothing_private(text: &str, client_id: &str) {
    for private in [SECRET, "Secret Sam", client_id, "client_id"] {
        assert!(!text.contains(private), "{private:?} leaked: {text}");
    }
}

/// The message a stream event is about, and whether its body is there.
fn about(event: &Value) -> (i64, &Value) {
    let message = &event["message"];
    (message["id"].as_i64().unwrap(), message)
}

#[tokio::test]
async fn a_replay_from_zero_does_not_bring_back_a_hidden_message() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let hidden = post_as(&app, "general", SECRET, "secret-1").await.value();
    let id = hidden["id"].as_i64().unwrap();
    app.post_message("general", "Hang in there").await;
    app.moderate("general", id, "pin").await;
    app.moderate("general", id, "hide").await;

    let mut sse = SseClient::connect(
        &server.url("/api/v1/walls/general/stream?last_event_id=0"),
        None,
    )
    .await;
    // post, post, pin, hide: four events, at their own ids.
    let mut about_hidden = Vec::new();
    for _ in 0..4 {
        let event = sse.next_event(WAIT).await.unwrap();
        assert_nothing_private(&event.data, "secret-1");
        let data = event.json();
        if about(&data).0 == id {
            assert_eq!(event.event.as_deref(), Some("moderated"), "{data}");
            assert_eq!(data["message"]["hidden"], true, "{data}");
            about_hidden.push(event.seq());
        }
    }
    assert_eq!(
        about_hidden.len(),
        3,
        "each event about it became a removal"
    );
    assert!(sse.quiet_for(Duration::from_millis(300)).await);

    // Unhidden, the replay carries it again.
    app.moderate("general", id, "unhide").await;
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/general/stream"), Some("0")).await;
    let first = sse.next_event(WAIT).await.unwrap();
    assert_eq!(first.event.as_deref(), Some("message"));
    assert_eq!(first.json()["message"]["body"], SECRET);
    server.stop().await;
}

#[tokio::test]
async fn a_live_hide_carries_the_id_and_flags_only() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/general/stream"), None).await;
    let posted = post_as(&app, "general", SECRET, "secret-2").await.value();
    let id = posted["id"].as_i64().unwrap();
    let arrived = sse.next_event(WAIT).await.unwrap();
    assert!(
        !arrived.data.contains("client_id"),
        "the stream shows no client_id: {}",
        arrived.data
    );
    app.moderate("general", id, "hide").await;
    let hide = sse.next_event(WAIT).await.unwrap();
    assert_eq!(hide.event.as_deref(), Some("moderated"));
    assert_nothing_private(&hide.data, "secret-2");
    let data = hide.json();
    let (about_id, message) = about(&data);
    assert_eq!(about_id, id);
    assert_eq!(
        (&message["hidden"], &message["pinned"], &message["held"]),
        (&json!(true), &json!(false), &json!(false))
    );

    // Unhiding brings the message back, whole.
    app.moderate("general", id, "unhide").await;
    let back = sse.next_event(WAIT).await.unwrap().json();
    assert_eq!(back["message"]["body"], SECRET);
    assert_eq!(back["message"]["hidden"], false);
    server.stop().await;
}

#[tokio::test]
async fn a_retry_of_a_hidden_or_held_message_does_not_answer_its_words() {
    let app = start_with(|c| c.hold_flagged = true).await;
    let first = post_as(&app, "general", SECRET, "retry-hidden").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.value()["id"].as_i64().unwrap();
    app.moderate("general", id, "hide").await;

    let retry = post_as(&app, "general", "anything", "retry-hidden").await;
    assert_eq!(retry.status, StatusCode::OK, "a retry still stops retrying");
    let answer = retry.value();
    assert_eq!(answer["id"], id);
    assert_eq!(answer["hidden"], true);
    assert_eq!(answer["client_id"], "retry-hidden", "the caller's own id");
    assert!(answer.get("body").is_none() && answer.get("author").is_none());
    assert!(!retry.text().contains(SECRET));

    // Held: its author's first answer has the words they just sent; a
    // retry does not.
    let held = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": "I think you're all idiots", "client_id": "retry-held"}),
        )
        .await;
    assert_eq!(held.status, StatusCode::CREATED);
    assert_eq!(held.value()["body"], "I think you're all idiots");
    assert_eq!(held.value()["held"], true);
    let retry = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": "x", "client_id": "retry-held"}),
        )
        .await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.value()["held"], true);
    assert!(!retry.text().contains("idiots"), "{}", retry.text());

    // A visible message's retry is its public view.
    let shown = app.post_message("general", "Thank you").await;
    let retry = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": "x", "client_id": shown["client_id"]}),
        )
        .await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.value()["body"], "Thank you");
}

#[tokio::test]
async fn client_ids_are_seen_only_by_their_poster_and_the_team() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/general/stream"), None).await;
    let posted = post_as(&app, "general", "Thank you all", "mine-1").await;
    assert_eq!(posted.value()["client_id"], "mine-1", "the poster's answer");
    let id = posted.value()["id"].as_i64().unwrap();
    app.moderate("general", id, "pin").await;

    for path in [
        "/api/v1/walls/general/messages",
        "/api/v1/walls/general/messages?after=0",
        "/api/v1/walls/general/events?after=0",
    ] {
        let text = app.get(path).await.text();
        assert!(text.contains("Thank you all"), "{path}: {text}");
        assert!(!text.contains("mine-1"), "{path}: {text}");
    }
    for _ in 0..2 {
        let event = sse.next_event(WAIT).await.unwrap();
        assert!(!event.data.contains("mine-1"), "{}", event.data);
    }
    // The team sees the message as stored.
    let export = app
        .team(Method::GET, "/api/v1/walls/general/export", None)
        .await;
    assert!(export.text().contains("mine-1"));
    server.stop().await;
}

#[tokio::test]
async fn the_list_cache_never_serves_a_page_holding_a_hidden_message() {
    let app = start().await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            app.post_message("cached", &format!("message {n}")).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let pages = [
        "/api/v1/walls/cached/messages".to_owned(),
        "/api/v1/walls/cached/messages?after=0".to_owned(),
        format!("/api/v1/walls/cached/messages?before={}", ids[4] + 1),
        "/api/v1/walls/cached/messages?limit=2".to_owned(),
    ];
    let listed = |page: String| {
        let app = &app;
        async move {
            let value = app.get(&page).await.value();
            value["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    // Each page read twice: the second comes from the cache.
    for page in &pages {
        assert_eq!(listed(page.clone()).await, listed(page.clone()).await);
        assert!(listed(page.clone()).await.contains(&ids[4]), "{page}");
    }
    app.moderate("cached", ids[4], "hide").await;
    for page in &pages {
        assert!(!listed(page.clone()).await.contains(&ids[4]), "{page}");
    }
    app.moderate("cached", ids[4], "unhide").await;
    for page in &pages {
        assert!(listed(page.clone()).await.contains(&ids[4]), "{page}");
    }
}

#[tokio::test]
async fn the_events_list_is_the_streams_events_for_clients_that_cannot_stream() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    // Without `after`: nothing, and where to start.
    let start: Value = app.get("/api/v1/walls/polled/events").await.value();
    assert_eq!(start["events"], json!([]));
    let from = start["last_event_id"].as_i64().unwrap();

    let hidden = post_as(&app, "polled", SECRET, "polled-1").await.value()["id"]
        .as_i64()
        .unwrap();
    let kept = app.post_message("polled", "Hang in there").await["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/walls/polled/messages/{kept}/hugs"),
        json!({"client_id": "hugger"}),
    )
    .await;
    app.post_message("elsewhere", "another wall").await;
    app.moderate("polled", hidden, "hide").await;

    let reply = app
        .get(&format!("/api/v1/walls/polled/events?after={from}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert_nothing_private(&reply.text(), "polled-1");
    let page = reply.value();
    let events = page["events"].as_array().unwrap();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["moderated", "message", "hugs", "moderated"]);
    assert_eq!(page["more"], false);
    assert_eq!(page["last_event_id"], events[3]["id"]);

    // Exactly what the stream replays from the same id.
    let mut sse = SseClient::connect(
        &server.url(&format!("/api/v1/walls/polled/stream?last_event_id={from}")),
        None,
    )
    .await;
    for listed in events {
        let streamed = sse.next_event(WAIT).await.unwrap();
        assert_eq!(listed["id"].as_i64(), Some(streamed.seq()));
        assert_eq!(listed["event"].as_str(), streamed.event.as_deref());
        assert_eq!(listed["data"].as_str(), Some(streamed.data.as_str()));
    }

    // Paged, and an id from the future counts as now.
    let one: Value = app
        .get(&format!("/api/v1/walls/polled/events?after={from}&limit=1"))
        .await
        .value();
    assert_eq!(one["events"].as_array().unwrap().len(), 1);
    assert_eq!(one["more"], true);
    let future: Value = app
        .get("/api/v1/walls/polled/events?after=999999999")
        .await
        .value();
    assert_eq!(future["events"], json!([]));
    assert!(future["last_event_id"].as_i64().unwrap() < 999_999_999);
    app.get("/api/v1/walls/polled/events?after=x")
        .await
        .assert_refused(400, "bad_request");
    server.stop().await;
}

#[tokio::test]
async fn the_first_page_says_where_the_events_continue_it() {
    let app = start().await;
    let id = app.post_message("paged", "soon hidden").await["id"]
        .as_i64()
        .unwrap();
    let page: Value = app.get("/api/v1/walls/paged/messages").await.value();
    let from = page["last_event_id"]
        .as_i64()
        .expect("the first page has it");
    assert!(app
        .get("/api/v1/walls/paged/messages?after=0")
        .await
        .value()
        .get("last_event_id")
        .is_none());
    // A hide after the page is the first thing after its cursor, even for
    // a client whose stream never worked.
    app.moderate("paged", id, "hide").await;
    let events: Value = app
        .get(&format!("/api/v1/walls/paged/events?after={from}"))
        .await
        .value();
    let data: Value = serde_json::from_str(events["events"][0]["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["type"], "moderated");
    assert_eq!(
        (data["message"]["id"].as_i64(), &data["message"]["hidden"]),
        (Some(id), &json!(true))
    );
}
