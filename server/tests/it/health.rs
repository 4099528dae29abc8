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

/// The most bytes the server of the next test may write to one file: room
/// for the schema and a few dozen posts in the WAL, no more.
const FILE_LIMIT: libc::rlim_t = 512 * 1024;

/// A database that cannot grow (a full disk; here a file size limit the
/// server runs under, which fails writes the same way): when posts fail,
/// `/healthz` says 503. A probe that changes nothing would still commit
/// (a transaction without changes writes no page) and answer 200.
#[tokio::test]
async fn healthz_is_503_when_the_database_cannot_grow() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("full.db");
    let server = crate::process::launch_configured(&db, "full", TOKEN, |command| {
        // SAFETY: between fork and exec, only async-signal-safe calls on
        // values on the stack.
        unsafe {
            command.pre_exec(|| {
                // Past the limit a write fails (EFBIG), as on a full disk,
                // instead of the process being killed (SIGXFSZ); an
                // ignored signal stays ignored across exec.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: FILE_LIMIT,
                    rlim_max: FILE_LIMIT,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    });
    let client = reqwest::Client::new();
    let health = || async {
        client
            .get(server.url("/healthz"))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(health().await, 200);

    let mut stored = 0;
    let refused = loop {
        let reply = client
            .post(server.url("/api/v1/walls/general/messages"))
            .json(&serde_json::json!({
                "body": format!("{} ({stored})", "Thank you for working on this. ".repeat(12)),
                "client_id": unique_id(),
            }))
            .send()
            .await
            .unwrap();
        if reply.status() != 201 {
            break reply.status().as_u16();
        }
        stored += 1;
        assert!(stored < 1000, "the database never filled up");
    };
    assert_eq!(refused, 500, "after {stored} posts");
    assert!(stored > 0, "not even one post fit");
    // Asked at once: the limit is per file, so once a write has failed
    // SQLite may make room again (the WAL's pages fit in the main file),
    // and small writes then succeed, as /healthz will rightly say.
    let log = || std::fs::read_to_string(dir.path().join("full.log")).unwrap_or_default();
    assert_eq!(
        health().await,
        503,
        "a writer that cannot write is not healthy; log:\n{}",
        log()
    );
    // Reads still answer: it is writing that is broken.
    let list = client
        .get(server.url("/api/v1/walls/general/messages"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
}
