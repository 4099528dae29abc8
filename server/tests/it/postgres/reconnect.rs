//! An instance whose LISTEN connection drops misses the notifications sent
//! meanwhile; once it listens again it must read what it missed from the
//! event log, so its subscribers see a delay, never a gap.
//!
//! To make "meanwhile" certain rather than lucky, instance B logs in as a
//! role of its own: the test forbids that role to log in, cuts B's
//! listening connection, writes on A while B cannot reconnect, then lets B
//! back in.

use super::common::*;
use super::instances::{expect_message, post};
use axum::http::Method;
use serde_json::json;
use sqlx::PgConnection;
use std::time::{Duration, Instant};

/// Backends of `role` whose `application_name` is the listener's.
async fn listeners_of(admin: &mut PgConnection, role: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND application_name = $2",
    )
    .bind(role)
    .bind(hugops_server::broadcast_pg::LISTENER_NAME)
    .fetch_one(&mut *admin)
    .await
    .unwrap()
}

async fn wait_for_listeners(admin: &mut PgConnection, role: &str, count: i64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while listeners_of(admin, role).await != count {
        assert!(
            Instant::now() < deadline,
            "{role} never had {count} listener(s)"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Terminates the listening connection of `role`'s instance.
async fn cut(admin: &mut PgConnection, role: &str) {
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE usename = $1 AND application_name = $2",
    )
    .bind(role)
    .bind(hugops_server::broadcast_pg::LISTENER_NAME)
    .execute(&mut *admin)
    .await
    .unwrap();
}

#[tokio::test]
async fn events_written_while_the_listener_is_down_are_delivered_after() {
    let url = fresh_database().await;
    let mut admin = admin().await;
    let role = unique_name("hugops_b");
    sqlx::query(&format!("CREATE ROLE {role} LOGIN SUPERUSER"))
        .execute(&mut admin)
        .await
        .unwrap();
    let a = start_on(&url, |_| {}).await;
    let b = start_on(
        &with(&url, url.rsplit('/').next().unwrap(), Some(&role)),
        |_| {},
    )
    .await;
    let (served_a, served_b) = (serve(a.state.clone()).await, serve(b.state.clone()).await);
    let client = reqwest::Client::new();
    let mut on_b = SseClient::connect(&served_b.url("/api/v1/walls/gap/stream"), None).await;
    let before = post(&client, &served_a, "gap", "before the cut").await;
    expect_message(&mut on_b, before.id).await;

    // Cut B's listener and keep it out.
    wait_for_listeners(&mut admin, &role, 1).await;
    sqlx::query(&format!("ALTER ROLE {role} NOLOGIN"))
        .execute(&mut admin)
        .await
        .unwrap();
    cut(&mut admin, &role).await;
    wait_for_listeners(&mut admin, &role, 0).await;

    // A writes while B hears nothing: posts, and a status change.
    let mut missed = Vec::new();
    for n in 0..3 {
        missed.push(post(&client, &served_a, "gap", &format!("during the cut {n}")).await);
    }
    let set = a
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({"status": {"indicator": "critical", "description": "Down"}})),
        )
        .await;
    assert_eq!(set.status, 200);
    assert!(
        on_b.quiet_for(Duration::from_millis(500)).await,
        "B is really cut off (else this test proves nothing)"
    );

    // Let B back in: it listens again, then reads what it missed.
    sqlx::query(&format!("ALTER ROLE {role} LOGIN"))
        .execute(&mut admin)
        .await
        .unwrap();
    for message in &missed {
        expect_message(&mut on_b, message.id).await;
    }
    assert!(
        on_b.quiet_for(Duration::from_millis(300)).await,
        "nothing twice"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = b.get("/api/v1/status").await;
        if status.status == 200 {
            assert_eq!(status.value()["status"]["indicator"], "critical");
            break;
        }
        assert!(Instant::now() < deadline, "B never served the new status");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // And live delivery is back.
    let after = post(&client, &served_a, "gap", "after the cut").await;
    expect_message(&mut on_b, after.id).await;

    // A cut B recovers from at once (sqlx reconnects the listener itself):
    // whatever lands around it still arrives, once.
    wait_for_listeners(&mut admin, &role, 1).await;
    cut(&mut admin, &role).await;
    let around = post(&client, &served_a, "gap", "around a short cut").await;
    expect_message(&mut on_b, around.id).await;
    wait_for_listeners(&mut admin, &role, 1).await;
    let last = post(&client, &served_a, "gap", "after the short cut").await;
    expect_message(&mut on_b, last.id).await;
    assert!(
        on_b.quiet_for(Duration::from_millis(300)).await,
        "nothing twice"
    );

    served_a.stop().await;
    served_b.stop().await;
}
