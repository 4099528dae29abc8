//! `/healthz` tells the truth about writing: while another process holds
//! the SQLite database's write lock (as a backup tool or a second server on
//! the same file would), reads still work but no write can commit, and
//! `/healthz` says 503 within its wait; once the lock is gone, 200 again.

use crate::common::*;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::time::{Duration, Instant};

async fn health(served: &Served) -> (u16, Duration) {
    let started = Instant::now();
    let reply = reqwest::Client::new()
        .get(served.url("/healthz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), started.elapsed())
}

#[tokio::test]
async fn healthz_is_503_while_the_writer_cannot_write() {
    let app = start().await;
    let served = serve(app.state.clone()).await;
    assert_eq!(health(&served).await.0, 200);

    let mut other = SqliteConnectOptions::new()
        .filename(app.dir.path().join("hugops.db"))
        .connect()
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    // Reads still answer...
    let list = reqwest::get(served.url("/api/v1/walls/general/messages"))
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    // ...but the writer cannot take the lock.
    let (status, took) = health(&served).await;
    assert_eq!(status, 503, "after {took:?}");
    assert!(took < Duration::from_secs(4), "took {took:?}");

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    // The probe that timed out may still be queued: healthy within a few
    // seconds.
    let deadline = Instant::now() + Duration::from_secs(10);
    while health(&served).await.0 != 200 {
        assert!(Instant::now() < deadline, "never healthy again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    served.stop().await;
}
