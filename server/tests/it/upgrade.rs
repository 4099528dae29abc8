//! A database written by the previous version: its event log carries
//! `client_id`s, and a hide that carries the whole message. After the
//! upgrade (the migrations run at start), a replay shows neither.

use super::common::*;
use hugops_server::AppState;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::time::Duration;

const SECRET: &str = "words the team hid";

#[tokio::test]
async fn events_written_before_the_upgrade_are_withheld_too() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    // The schema the previous version left: its one migration, as it was.
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/0001_walls.sql"),
        old.join("0001_walls.sql"),
    )
    .unwrap();
    let options = SqliteConnectOptions::new()
        .filename(&config.database)
        .create_if_missing(true);
    let pool = SqlitePool::connect_with(options).await.unwrap();
    Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let message = |id: i64, body: &str, hidden: bool| {
        format!(
            r#"{{"id":{id},"wall":"general","author":"Secret Sam","body":"{body}","created_at":"2024-03-01T17:00:00.000Z","hugs":0,"pinned":false,"hidden":{hidden},"held":false,"client_id":"old-{id}"}}"#
        )
    };
    for sql in [
        format!("INSERT INTO messages (id, wall, client_id, author, body, created_at, hidden) VALUES (1, 'general', 'old-1', 'Secret Sam', '{SECRET}', 0, 1)"),
        "INSERT INTO messages (id, wall, client_id, author, body, created_at) VALUES (2, 'general', 'old-2', 'Secret Sam', 'still here', 0)".to_owned(),
        format!(r#"INSERT INTO events (wall, name, data, created_at) VALUES ('general', 'message', '{{"type":"message","message":{}}}', 0)"#, message(1, SECRET, false)),
        format!(r#"INSERT INTO events (wall, name, data, created_at) VALUES ('general', 'message', '{{"type":"message","message":{}}}', 0)"#, message(2, "still here", false)),
        r#"INSERT INTO events (wall, name, data, created_at) VALUES ('general', 'hugs', '{"type":"hugs","message_id":2,"hugs":1}', 0)"#.to_owned(),
        format!(r#"INSERT INTO events (wall, name, data, created_at) VALUES ('general', 'moderated', '{{"type":"moderated","message":{}}}', 0)"#, message(1, SECRET, true)),
    ] {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let state = AppState::open(&config).await.unwrap();
    let server = serve(state).await;
    let mut sse = SseClient::connect(
        &server.url("/api/v1/walls/general/stream?last_event_id=0"),
        None,
    )
    .await;
    let mut names = Vec::new();
    for _ in 0..4 {
        let event = sse.next_event(Duration::from_secs(10)).await.unwrap();
        for private in [SECRET, "old-1", "old-2", "client_id"] {
            assert!(!event.data.contains(private), "{private}: {}", event.data);
        }
        names.push(event.event.unwrap());
    }
    assert_eq!(names, ["moderated", "message", "hugs", "moderated"]);
    server.stop().await;
}
