//! The writer has a connection of its own: with every connection of the
//! read pool held by slow reads, posts (their retry check included), hugs
//! and moderation are still answered at once, not after the pool's acquire
//! timeout; and `/healthz` says 503 when the writer cannot write.

use super::common::*;
use hugops_server::broadcast::LocalBroadcaster;
use hugops_server::store::postgres::{PostgresStore, POOL_SIZE};
use hugops_server::AppState;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test]
async fn writes_are_answered_while_slow_reads_hold_the_whole_read_pool() {
    let url = fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.database = url.clone().into();
    // What `AppState::open` does, keeping a handle on the read pool.
    let (events, lists) = AppState::fan_out(Arc::new(LocalBroadcaster::new()));
    let (store, fan_out) = PostgresStore::open(&url, events).await.unwrap();
    let reads = store.read_pool().clone();
    let state = AppState::new(&config, Arc::new(store), fan_out.clone(), lists)
        .await
        .unwrap();
    let served = serve(state.clone()).await;
    let client = reqwest::Client::new();
    let first_client_id = unique_id();
    let posted = client
        .post(served.url("/api/v1/walls/general/messages"))
        .json(&json!({"body": "before the burst", "client_id": first_client_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let id = posted.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    // A burst of slow reads takes every connection of the read pool.
    let mut slow = Vec::new();
    for _ in 0..POOL_SIZE {
        let mut connection = reads.acquire().await.unwrap();
        slow.push(tokio::spawn(async move {
            sqlx::query("SELECT pg_sleep(8)")
                .execute(&mut *connection)
                .await
                .unwrap();
        }));
    }
    assert_eq!(reads.num_idle(), 0);

    let started = Instant::now();
    let hug = client
        .post(served.url(&format!("/api/v1/walls/general/messages/{id}/hugs")))
        .json(&json!({"client_id": unique_id()}))
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .unwrap();
    assert_eq!(hug.status(), 201, "{}", hug.text().await.unwrap());
    let pin = client
        .patch(served.url(&format!("/api/v1/walls/general/messages/{id}")))
        .bearer_auth(TOKEN)
        .json(&json!({"action": "pin"}))
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .unwrap();
    assert_eq!(pin.status(), 200, "{}", pin.text().await.unwrap());
    // A post first looks its `client_id` up (a retry is answered with the
    // stored message): a new post and a retry.
    let post = |body: &'static str, client_id: String| {
        client
            .post(served.url("/api/v1/walls/general/messages"))
            .json(&json!({"body": body, "client_id": client_id}))
            .timeout(Duration::from_secs(15))
            .send()
    };
    let new = post("during the burst", unique_id()).await.unwrap();
    assert_eq!(new.status(), 201, "{}", new.text().await.unwrap());
    let retry = post("before the burst", first_client_id).await.unwrap();
    assert_eq!(retry.status(), 200, "{}", retry.text().await.unwrap());
    assert_eq!(retry.json::<serde_json::Value>().await.unwrap()["id"], id);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "four writes took {:?} behind the reads",
        started.elapsed()
    );
    for read in slow {
        read.await.unwrap();
    }
    served.stop().await;
}

/// The writer's backends on database `name`, ended as a failover would.
async fn end_writer_connections(name: &str) {
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND application_name = 'hugops-writer'",
    )
    .bind(name)
    .execute(&mut admin().await)
    .await
    .unwrap();
}

async fn health(served: &Served) -> u16 {
    reqwest::Client::new()
        .get(served.url("/healthz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn healthz_is_503_when_the_database_turns_read_only() {
    let url = fresh_database().await;
    let name = reqwest::Url::parse(&url).unwrap().path()[1..].to_owned();
    let app = start_on(&url, |_| {}).await;
    let served = serve(app.state.clone()).await;
    assert_eq!(health(&served).await, 200);

    // As after a failover to a standby: new sessions cannot write.
    sqlx::query(&format!(
        "ALTER DATABASE {name} SET default_transaction_read_only = on"
    ))
    .execute(&mut admin().await)
    .await
    .unwrap();
    end_writer_connections(&name).await;
    for _ in 0..3 {
        assert_eq!(health(&served).await, 503);
    }
    // Reads still work: it is the writing that is broken.
    let list = reqwest::get(served.url("/api/v1/walls/general/messages"))
        .await
        .unwrap();
    assert_eq!(list.status(), 200);

    sqlx::query(&format!(
        "ALTER DATABASE {name} RESET default_transaction_read_only"
    ))
    .execute(&mut admin().await)
    .await
    .unwrap();
    end_writer_connections(&name).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while health(&served).await != 200 {
        assert!(Instant::now() < deadline, "never healthy again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    served.stop().await;
}
