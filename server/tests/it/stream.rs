//! The SSE stream on a real port: live events, resume from Last-Event-ID or
//! `?last_event_id=` without gaps or repeats, keep-alive, held messages.

use super::common::*; // `super`: these checks also run on PostgreSQL (postgres.rs)
use hugops_core::wire::{Message, StreamEvent};
use serde_json::json;
use std::collections::HashSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Posts `body`; the message as the stream shows it (without the
/// `client_id` only the poster's answer carries).
async fn post(client: &reqwest::Client, server: &Served, wall: &str, body: &str) -> Message {
    let response = client
        .post(server.url(&format!("/api/v1/walls/{wall}/messages")))
        .json(&json!({"body": body, "client_id": unique_id()}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let posted: Message = response.json().await.unwrap();
    assert!(posted.client_id.is_some(), "the poster's answer has it");
    Message {
        client_id: None,
        ..posted
    }
}

async fn hug(client: &reqwest::Client, server: &Served, wall: &str, id: i64) {
    let response = client
        .post(server.url(&format!("/api/v1/walls/{wall}/messages/{id}/hugs")))
        .json(&json!({"client_id": unique_id()}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

fn stream_event(event: &SseEvent) -> StreamEvent {
    let parsed: StreamEvent = serde_json::from_str(&event.data).unwrap();
    assert_eq!(
        event.event.as_deref(),
        Some(parsed.name()),
        "event: names the type"
    );
    parsed
}

fn message_id(event: &StreamEvent) -> i64 {
    match event {
        StreamEvent::Message { message } | StreamEvent::Moderated { message } => message.id,
        StreamEvent::Hugs(count) => count.message_id,
    }
}

#[tokio::test]
async fn live_events_then_resume_without_gaps_or_repeats() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let client = reqwest::Client::new();
    let url = server.url("/api/v1/walls/live/stream");

    // History before the first connect is not replayed without an id.
    post(&client, &server, "live", "before anyone listened").await;

    let mut sse = SseClient::connect(&url, None).await;
    let hello = sse.next_block(WAIT).await.unwrap();
    assert!(
        hello.retry.is_some_and(|ms| (2_000..8_000).contains(&ms)),
        "the reconnect hint comes first: {hello:?}"
    );

    let m1 = post(&client, &server, "live", "one").await;
    let first = sse.next_event(WAIT).await.unwrap();
    assert_eq!(
        stream_event(&first),
        StreamEvent::Message {
            message: m1.clone()
        }
    );
    hug(&client, &server, "live", m1.id).await;
    let hugs = sse.next_event(WAIT).await.unwrap();
    assert_eq!(hugs.event.as_deref(), Some("hugs"));
    assert_eq!(
        hugs.json(),
        json!({"type": "hugs", "message_id": m1.id, "hugs": 1})
    );
    assert!(hugs.seq() > first.seq());
    // Other walls stay out of this stream.
    post(&client, &server, "elsewhere", "not for live").await;
    let last_seen = hugs.id.clone().unwrap();
    drop(sse);

    // While disconnected: messages, a hug, a pin.
    let m2 = post(&client, &server, "live", "two").await;
    let m3 = post(&client, &server, "live", "three").await;
    hug(&client, &server, "live", m2.id).await;
    let pin = client
        .patch(server.url(&format!("/api/v1/walls/live/messages/{}", m3.id)))
        .bearer_auth(TOKEN)
        .json(&json!({"action": "pin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(pin.status(), 200);

    // Resume with the header, as EventSource does on reconnect.
    let mut sse = SseClient::connect(&url, Some(&last_seen)).await;
    let mut resumed = Vec::new();
    for _ in 0..4 {
        resumed.push(sse.next_event(WAIT).await.unwrap());
    }
    let kinds: Vec<(&str, i64)> = resumed
        .iter()
        .map(|e| (e.event.as_deref().unwrap(), message_id(&stream_event(e))))
        .collect();
    let kinds: Vec<(String, i64)> = kinds.into_iter().map(|(k, i)| (k.to_owned(), i)).collect();
    assert_eq!(
        kinds,
        [
            ("message".to_owned(), m2.id),
            ("message".to_owned(), m3.id),
            ("hugs".to_owned(), m2.id),
            ("moderated".to_owned(), m3.id),
        ]
    );
    match stream_event(&resumed[3]) {
        StreamEvent::Moderated { message } => assert!(message.pinned),
        other => panic!("{other:?}"),
    }
    let seqs: Vec<i64> = resumed.iter().map(SseEvent::seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert!(seqs[0] > last_seen.parse::<i64>().unwrap());
    // Nothing more is owed, and the stream carries on live.
    assert!(sse.quiet_for(Duration::from_millis(300)).await);
    let m4 = post(&client, &server, "live", "four").await;
    let live = sse.next_event(WAIT).await.unwrap();
    assert_eq!(message_id(&stream_event(&live)), m4.id);

    // `?last_event_id=0` on a first connect replays the whole wall; the
    // header, when present, wins over the query.
    let mut all = SseClient::connect(&format!("{url}?last_event_id=0"), None).await;
    let mut replay = Vec::new();
    while let Ok(Some(event)) =
        tokio::time::timeout(Duration::from_millis(500), all.next_event(WAIT)).await
    {
        replay.push(event);
    }
    assert_eq!(replay.len(), 8, "{replay:#?}");
    assert_eq!(
        message_id(&stream_event(&replay[0])),
        m1.id - 1,
        "the message posted before anyone listened"
    );
    let mut by_header = SseClient::connect(
        &format!("{url}?last_event_id=0"),
        Some(&live.seq().to_string()),
    )
    .await;
    assert!(by_header.quiet_for(Duration::from_millis(300)).await);

    // An id from the future counts as now.
    let mut future = SseClient::connect(&url, Some("999999999")).await;
    let m5 = post(&client, &server, "live", "five").await;
    let next = future.next_event(WAIT).await.unwrap();
    assert_eq!(message_id(&stream_event(&next)), m5.id);

    server.stop().await;
}

#[tokio::test]
async fn a_storm_of_concurrent_posts_arrives_once_each_in_order() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let url = server.url("/api/v1/walls/storm/stream");
    let mut watcher = SseClient::connect(&url, None).await;
    let mut quitter = SseClient::connect(&url, None).await;

    const WRITERS: usize = 4;
    const EACH: usize = 40;
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let base = server.url("");
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut ids = Vec::new();
            for n in 0..EACH {
                let response = client
                    .post(format!("{base}/api/v1/walls/storm/messages"))
                    .json(&json!({"body": format!("w{w} n{n}"), "client_id": format!("storm-{w}-{n}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                ids.push(response.json::<Message>().await.unwrap().id);
            }
            ids
        }));
    }

    // One subscriber leaves part-way and comes back with its last id.
    let mut quitter_seen = Vec::new();
    for _ in 0..25 {
        quitter_seen.push(quitter.next_event(WAIT).await.unwrap());
    }
    let resume_from = quitter_seen.last().unwrap().id.clone().unwrap();
    drop(quitter);

    let mut posted = HashSet::new();
    for writer in writers {
        posted.extend(writer.await.unwrap());
    }
    assert_eq!(posted.len(), WRITERS * EACH);

    let mut watched = Vec::new();
    for _ in 0..WRITERS * EACH {
        watched.push(watcher.next_event(WAIT).await.unwrap());
    }
    assert!(
        watcher.quiet_for(Duration::from_millis(300)).await,
        "no extra events"
    );

    let mut back = SseClient::connect(&url, Some(&resume_from)).await;
    for _ in 0..(WRITERS * EACH - 25) {
        quitter_seen.push(back.next_event(WAIT).await.unwrap());
    }
    assert!(
        back.quiet_for(Duration::from_millis(300)).await,
        "no extra events"
    );

    for events in [&watched, &quitter_seen] {
        let seqs: Vec<i64> = events.iter().map(SseEvent::seq).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order, no repeats");
        let ids: Vec<i64> = events
            .iter()
            .map(|e| message_id(&stream_event(e)))
            .collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "message ids follow seq"
        );
        let ids: HashSet<i64> = ids.into_iter().collect();
        assert_eq!(ids, posted, "every post, exactly once");
    }
    server.stop().await;
}

#[tokio::test]
async fn held_messages_reach_the_stream_only_when_approved() {
    let app = start_with(|c| c.hold_flagged = true).await;
    let server = serve(app.state.clone()).await;
    let client = reqwest::Client::new();
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/review/stream"), None).await;

    let held: Message = client
        .post(server.url("/api/v1/walls/review/messages"))
        .json(&json!({"body": "I think you're all idiots", "client_id": "held-1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(held.held);
    assert!(
        sse.quiet_for(Duration::from_millis(300)).await,
        "a held message is not streamed"
    );

    let approve = client
        .patch(server.url(&format!("/api/v1/walls/review/messages/{}", held.id)))
        .bearer_auth(TOKEN)
        .json(&json!({"action": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(approve.status(), 200);
    let event = sse.next_event(WAIT).await.unwrap();
    match stream_event(&event) {
        StreamEvent::Message { message } => {
            assert_eq!(message.id, held.id);
            assert!(!message.held);
        }
        other => panic!("{other:?}"),
    }

    let hide = client
        .patch(server.url(&format!("/api/v1/walls/review/messages/{}", held.id)))
        .bearer_auth(TOKEN)
        .json(&json!({"action": "hide"}))
        .send()
        .await
        .unwrap();
    assert_eq!(hide.status(), 200);
    match stream_event(&sse.next_event(WAIT).await.unwrap()) {
        StreamEvent::Moderated { message } => assert!(message.hidden),
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn idle_streams_get_keep_alive_comments_and_end_on_shutdown() {
    let app = start_with(|c| c.keep_alive = 1).await;
    let server = serve(app.state.clone()).await;
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/quiet/stream"), None).await;
    let hello = sse.next_block(WAIT).await.unwrap();
    assert!(hello.retry.is_some(), "{hello:?}");
    let ping = sse.next_block(Duration::from_secs(3)).await.unwrap();
    assert!(ping.data.is_empty() && ping.id.is_none(), "{ping:?}");
    assert_eq!(ping.comments.len(), 1, "a comment line: {ping:?}");

    // Shutdown ends the stream (so EventSource reconnects) and the server
    // stops although a stream was open.
    let stopping = tokio::spawn(server.stop());
    let mut ended = false;
    for _ in 0..5 {
        match sse.next_block(WAIT).await {
            None => {
                ended = true;
                break;
            }
            Some(_) => continue,
        }
    }
    assert!(ended, "the stream ended");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("the server stopped")
        .unwrap();
}

#[tokio::test]
async fn resuming_across_a_long_backlog_reads_it_all_in_batches() {
    // More events than one read of the log (500) holds.
    let app = start().await;
    let mut posted = Vec::new();
    for n in 0..1_234 {
        posted.push(
            app.post_message("backlog", &format!("m{n}")).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let server = serve(app.state.clone()).await;
    let mut sse = SseClient::connect(
        &server.url("/api/v1/walls/backlog/stream?last_event_id=0"),
        None,
    )
    .await;
    let mut ids = Vec::new();
    for _ in 0..posted.len() {
        ids.push(message_id(&stream_event(
            &sse.next_event(WAIT).await.unwrap(),
        )));
    }
    assert_eq!(ids, posted);
    assert!(sse.quiet_for(Duration::from_millis(300)).await);
    server.stop().await;
}

#[tokio::test]
async fn reconnect_hints_are_spread_between_two_and_eight_seconds() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let url = server.url("/api/v1/walls/spread/stream");
    let mut hints = Vec::new();
    for _ in 0..12 {
        let mut sse = SseClient::connect(&url, None).await;
        let hello = sse.next_block(WAIT).await.unwrap();
        let ms = hello.retry.expect("a retry: hint first");
        assert!((2_000..8_000).contains(&ms), "{ms}");
        hints.push(ms);
    }
    hints.sort_unstable();
    hints.dedup();
    // Twelve draws from six thousand values: a fixed hint gives one.
    assert!(hints.len() >= 6, "not spread: {hints:?}");
    server.stop().await;
}
