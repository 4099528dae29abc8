//! Several server instances on one PostgreSQL database: a post to one is
//! streamed live by all, exactly once and in one order; `Last-Event-ID`
//! resumes on any instance; the team's status set on one is served by all;
//! and cursors never step over a message that commits late, however the
//! instances' writes interleave.

use super::common::*;
use axum::http::Method;
use hugops_core::wire::{Message, MessagePage, StreamEvent};
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// Two instances on one fresh database, each on a real port.
async fn two_instances() -> (TestApp, Served, TestApp, Served) {
    let url = fresh_database().await;
    let a = start_on(&url, |_| {}).await;
    let b = start_on(&url, |_| {}).await;
    let (served_a, served_b) = (serve(a.state.clone()).await, serve(b.state.clone()).await);
    (a, served_a, b, served_b)
}

pub async fn post(client: &reqwest::Client, server: &Served, wall: &str, body: &str) -> Message {
    let response = client
        .post(server.url(&format!("/api/v1/walls/{wall}/messages")))
        .json(&json!({"body": body, "client_id": unique_id()}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

pub fn parsed(event: &SseEvent) -> StreamEvent {
    serde_json::from_str(&event.data).unwrap()
}

pub fn message_id(event: &SseEvent) -> i64 {
    match parsed(event) {
        StreamEvent::Message { message } | StreamEvent::Moderated { message } => message.id,
        StreamEvent::Hugs(count) => count.message_id,
    }
}

/// The next event, which must be the message `id`.
pub async fn expect_message(sse: &mut SseClient, id: i64) -> SseEvent {
    let event = sse.next_event(WAIT).await.expect("the stream ended");
    assert_eq!(event.event.as_deref(), Some("message"), "{event:?}");
    assert_eq!(message_id(&event), id, "{event:?}");
    event
}

#[tokio::test]
async fn a_post_to_one_instance_streams_on_the_other_once_and_resumes_there() {
    let (_a, a, _b, b) = two_instances().await;
    let client = reqwest::Client::new();
    let stream = "/api/v1/walls/shared/stream";
    let mut on_a = SseClient::connect(&a.url(stream), None).await;
    let mut on_b = SseClient::connect(&b.url(stream), None).await;

    // B caches its (empty) first page before anything is posted.
    let list = "/api/v1/walls/shared/messages";
    let empty: MessagePage = client
        .get(b.url(list))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(empty.messages.is_empty());

    let m1 = post(&client, &a, "shared", "from A").await;
    let seen_b = expect_message(&mut on_b, m1.id).await;
    let seen_a = expect_message(&mut on_a, m1.id).await;
    assert_eq!(
        seen_a, seen_b,
        "the same event, with the same id, everywhere"
    );
    assert!(
        on_b.quiet_for(Duration::from_millis(300)).await,
        "exactly once"
    );
    // B's page cache heard of it too.
    let page: MessagePage = client
        .get(b.url(list))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public = Message {
        client_id: None,
        ..m1.clone()
    };
    assert_eq!(page.messages, vec![public], "listed without its client_id");

    // A retry of A's post sent to B is answered with A's message.
    let retry = client
        .post(b.url("/api/v1/walls/shared/messages"))
        .json(&json!({"body": "from A", "client_id": m1.client_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.json::<Message>().await.unwrap(), m1);

    // Writes on both interleave into one order, the same on both streams.
    let mut posted = Vec::new();
    for n in 0..6u32 {
        let server = if n.is_multiple_of(2) { &a } else { &b };
        posted.push(post(&client, server, "shared", &format!("n{n}")).await.id);
    }
    let hug = client
        .post(b.url(&format!("/api/v1/walls/shared/messages/{}/hugs", m1.id)))
        .json(&json!({"client_id": unique_id()}))
        .send()
        .await
        .unwrap();
    assert_eq!(hug.status(), 201);
    let mut from_a = Vec::new();
    let mut from_b = Vec::new();
    for _ in 0..7 {
        from_a.push(on_a.next_event(WAIT).await.unwrap());
        from_b.push(on_b.next_event(WAIT).await.unwrap());
    }
    assert_eq!(from_a, from_b);
    let ids: Vec<i64> = from_b.iter().map(message_id).collect();
    assert_eq!(ids[..6], posted[..]);
    assert_eq!(
        from_b[6].json(),
        json!({"type": "hugs", "message_id": m1.id, "hugs": 1})
    );
    let seqs: Vec<i64> = from_b.iter().map(SseEvent::seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");

    // B's subscriber leaves; A writes; B resumes from its Last-Event-ID.
    let last_seen = from_b.last().unwrap().id.clone().unwrap();
    drop(on_b);
    let m2 = post(&client, &a, "shared", "while B's client was away").await;
    let pin = client
        .patch(a.url(&format!("/api/v1/walls/shared/messages/{}", m2.id)))
        .bearer_auth(TOKEN)
        .json(&json!({"action": "pin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(pin.status(), 200);
    let m3 = post(&client, &a, "shared", "and another").await;
    let mut back = SseClient::connect(&b.url(stream), Some(&last_seen)).await;
    expect_message(&mut back, m2.id).await;
    let pinned = back.next_event(WAIT).await.unwrap();
    match parsed(&pinned) {
        StreamEvent::Moderated { message } => assert!(message.id == m2.id && message.pinned),
        other => panic!("{other:?}"),
    }
    expect_message(&mut back, m3.id).await;
    assert!(
        back.quiet_for(Duration::from_millis(300)).await,
        "nothing twice"
    );
    // And it carries on live.
    let m4 = post(&client, &a, "shared", "live again").await;
    expect_message(&mut back, m4.id).await;

    a.stop().await;
    b.stop().await;
}

/// Polls `path` on `app` until `check` holds, for at most `WAIT`.
async fn eventually(app: &TestApp, path: &str, check: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + WAIT;
    loop {
        let reply = app.get(path).await;
        if check(&reply) {
            return reply;
        }
        assert!(Instant::now() < deadline, "not in time: {reply:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_team_status_set_on_one_instance_is_served_by_all() {
    let url = fresh_database().await;
    let a = start_on(&url, |_| {}).await;
    let b = start_on(&url, |_| {}).await;
    b.get("/api/v1/status")
        .await
        .assert_refused(404, "not_found");

    let set = a
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({"status": {"indicator": "major", "description": "Logins fail"}})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    let on_b = eventually(&b, "/api/v1/status", |r| r.status == 200).await;
    assert_eq!(on_b.value()["status"]["indicator"], "major");
    assert_eq!(on_b.value()["hugops"]["source"], "team");
    // Same status, same ETag, whichever instance answers.
    let on_a = a.get("/api/v1/status").await;
    assert_eq!(on_a.header("etag"), on_b.header("etag"));
    let badge = b.get("/badge.svg").await.text();
    assert!(badge.contains("Logins fail"), "{badge}");

    // An instance started later reads it from the database.
    let c = start_on(&url, |_| {}).await;
    assert_eq!(
        c.get("/api/v1/status").await.value()["status"]["indicator"],
        "major"
    );

    // Cleared on B: gone from A too.
    let cleared = b.team(Method::DELETE, "/api/v1/status", None).await;
    assert_eq!(cleared.status, 200);
    eventually(&a, "/api/v1/status", |r| r.status == 404).await;
    eventually(&c, "/api/v1/status", |r| r.status == 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn interleaved_writers_on_two_instances_never_make_a_cursor_skip() {
    // Writers on both instances race; a reader follows the wall with the
    // `after` cursor the whole time. Had ids been drawn outside commit
    // order, the reader would step over a message that committed late.
    let (_a, a, _b, b) = two_instances().await;
    let mut watch_a = SseClient::connect(&a.url("/api/v1/walls/race/stream"), None).await;
    let mut watch_b = SseClient::connect(&b.url("/api/v1/walls/race/stream"), None).await;
    const WRITERS: usize = 4;
    const EACH: usize = 50;
    let mut writers = Vec::new();
    for w in 0..WRITERS * 2 {
        let base = if w.is_multiple_of(2) {
            a.url("")
        } else {
            b.url("")
        };
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut ids = Vec::new();
            for n in 0..EACH {
                let response = client
                    .post(format!("{base}/api/v1/walls/race/messages"))
                    .json(&json!({"body": format!("w{w} n{n}"), "client_id": format!("race-{w}-{n}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                ids.push(response.json::<Message>().await.unwrap().id);
            }
            ids
        }));
    }
    let total = WRITERS * 2 * EACH;
    let client = reqwest::Client::new();
    let mut cursor = 0;
    let mut read = Vec::new();
    let mut posted: Option<HashSet<i64>> = None;
    let mut progress = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut turn = 0usize;
    loop {
        assert!(Instant::now() < deadline, "read {} of {total}", read.len());
        if posted.is_none() && writers.iter().all(|w| w.is_finished()) {
            let mut ids = HashSet::new();
            for writer in writers.drain(..) {
                ids.extend(writer.await.unwrap());
            }
            posted = Some(ids);
        }
        // Both instances, in turn: each one's view must be gap-free.
        let server = if turn.is_multiple_of(2) { &a } else { &b };
        turn += 1;
        let page: MessagePage = client
            .get(server.url(&format!(
                "/api/v1/walls/race/messages?after={cursor}&limit=100"
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(last) = page.messages.last() {
            cursor = last.id;
            progress = Instant::now();
        }
        read.extend(page.messages.iter().map(|m| m.id));
        // Done with everything read, or when the cursor is stuck past
        // messages it stepped over (an instance's page cache may lag the
        // other's writes by a moment, so an empty page alone proves
        // nothing).
        let stuck = progress.elapsed() > Duration::from_secs(2);
        if posted.is_some() && (read.len() >= total || stuck) {
            break;
        }
    }
    let posted = posted.unwrap();
    assert_eq!(posted.len(), total);
    assert!(
        read.windows(2).all(|w| w[0] < w[1]),
        "oldest first, no repeats"
    );
    let mut missing: Vec<i64> = posted
        .difference(&read.iter().copied().collect())
        .copied()
        .collect();
    missing.sort();
    assert!(missing.is_empty(), "the cursor stepped over {missing:?}");

    let mut streamed_a = Vec::new();
    let mut streamed_b = Vec::new();
    for _ in 0..total {
        streamed_a.push(watch_a.next_event(WAIT).await.unwrap());
        streamed_b.push(watch_b.next_event(WAIT).await.unwrap());
    }
    assert!(watch_a.quiet_for(Duration::from_millis(300)).await);
    assert!(watch_b.quiet_for(Duration::from_millis(300)).await);
    assert_eq!(streamed_a, streamed_b, "one order for everyone");
    let ids: Vec<i64> = streamed_b.iter().map(message_id).collect();
    assert_eq!(ids, read, "the stream follows the id order");
    a.stop().await;
    b.stop().await;
}
