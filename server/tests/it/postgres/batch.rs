//! A write that fails in the database fails alone: the writes committed in
//! the same batch (one transaction) still commit and stream. The failure is
//! real: a trigger, installed by the test, that refuses one body.

use super::common::*;
use super::instances::{message_id, post};
use serde_json::json;
use sqlx::{Connection, PgConnection};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_write_fails_alone_and_its_batch_commits() {
    let url = fresh_database().await;
    let app = start_on(&url, |_| {}).await;
    let mut db = PgConnection::connect(&url).await.unwrap();
    for statement in [
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.body = 'poison' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
         RETURN NEW; END $$",
        "CREATE TRIGGER refuse_poison BEFORE INSERT ON messages \
         FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
    ] {
        sqlx::query(statement).execute(&mut db).await.unwrap();
    }
    let server = serve(app.state.clone()).await;
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/batch/stream"), None).await;

    // Many posts at once, so the writer commits them together, with the
    // poison among them.
    let mut tasks = Vec::new();
    for n in 0..40 {
        let url = server.url("/api/v1/walls/batch/messages");
        let body = if n == 20 {
            "poison".to_owned()
        } else {
            format!("fine {n}")
        };
        tasks.push(tokio::spawn(async move {
            let response = reqwest::Client::new()
                .post(url)
                .json(&json!({"body": body, "client_id": unique_id()}))
                .send()
                .await
                .unwrap();
            (
                body,
                response.status().as_u16(),
                response.text().await.unwrap(),
            )
        }));
    }
    let mut stored = HashSet::new();
    for task in tasks {
        let (body, status, text) = task.await.unwrap();
        if body == "poison" {
            assert_eq!(status, 500, "{text}");
            assert!(
                !text.contains("refused by the test"),
                "no internals: {text}"
            );
        } else {
            assert_eq!(status, 201, "{text}");
            stored.insert(message_id_of(&text));
        }
    }
    assert_eq!(stored.len(), 39);
    let mut streamed = HashSet::new();
    for _ in 0..39 {
        streamed.insert(message_id(
            &sse.next_event(Duration::from_secs(10)).await.unwrap(),
        ));
    }
    assert_eq!(streamed, stored);
    assert!(
        sse.quiet_for(Duration::from_millis(300)).await,
        "no event for the poison"
    );

    // The writer carries on.
    let client = reqwest::Client::new();
    let after = post(&client, &server, "batch", "after the poison").await;
    assert_eq!(
        message_id(&sse.next_event(Duration::from_secs(10)).await.unwrap()),
        after.id
    );
    server.stop().await;
}

fn message_id_of(json: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(json).unwrap()["id"]
        .as_i64()
        .unwrap()
}
