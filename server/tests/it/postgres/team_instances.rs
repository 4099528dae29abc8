//! The team's settings on several instances of one PostgreSQL database:
//! slow mode set on one instance holds on every one without a restart;
//! incident walls and official messages recorded by one are listed by all;
//! and both survive a restart.

use super::common::*;
use axum::http::{Method, StatusCode};
use hugops_core::wire::{SlowModeSettings, WallList};
use hugops_server::slow_mode::REFRESH_AFTER;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn slow_mode_set_on_one_instance_holds_on_every_instance() {
    let url = fresh_database().await;
    let a = start_on(&url, |_| {}).await;
    let b = start_on(&url, |_| {}).await;
    // B posts freely, and so caches "off".
    b.post_message("general", "one").await;
    b.post_message("general", "two").await;

    let set = a
        .team(
            Method::PUT,
            "/api/v1/slow-mode",
            Some(json!({"global_seconds": 120})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    let changed = Instant::now();
    // The team's view on B reads the database: at once.
    let on_b: SlowModeSettings = b.team(Method::GET, "/api/v1/slow-mode", None).await.json();
    assert_eq!(on_b.global_seconds, 120);

    // B enforces it within REFRESH_AFTER of the change.
    let deadline = REFRESH_AFTER + Duration::from_secs(3);
    loop {
        let reply = b
            .post(
                "/api/v1/walls/general/messages",
                json!({"body": "thank you", "client_id": unique_id()}),
            )
            .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            reply.assert_refused(429, "slow_mode");
            break;
        }
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        assert!(
            changed.elapsed() < deadline,
            "B still does not enforce slow mode after {:?}",
            changed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A wall's override set on B holds on A, and survives a restart.
    b.team(
        Method::PUT,
        "/api/v1/walls/calm/slow-mode",
        Some(json!({"seconds": 0})),
    )
    .await;
    let restarted = start_on(&url, |c| c.slow_mode = 7).await;
    let settings: SlowModeSettings = restarted
        .team(Method::GET, "/api/v1/slow-mode", None)
        .await
        .json();
    assert_eq!(
        settings.global_seconds, 120,
        "the team's value, not the flag"
    );
    assert_eq!(settings.walls.len(), 1);
    for _ in 0..3 {
        restarted.post_message("calm", "not slowed here").await;
    }
}

#[tokio::test]
async fn incident_walls_and_official_messages_are_listed_by_every_instance() {
    let url = fresh_database().await;
    let a = start_on(&url, |_| {}).await;
    let b = start_on(&url, |_| {}).await;
    let set = a
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({
                "status": {"indicator": "major", "description": "Slow logins"},
                "incidents": [{"id": "p31zjtct2jer", "name": "Slow logins", "status": "identified"}]
            })),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    let official = a
        .team(
            Method::POST,
            "/api/v1/walls/p31zjtct2jer/official",
            Some(json!({"body": "A fix is rolling out.", "client_id": "team-1"})),
        )
        .await;
    assert_eq!(official.status, StatusCode::CREATED);

    let walls: WallList = b.team(Method::GET, "/api/v1/walls", None).await.json();
    let wall = walls
        .walls
        .iter()
        .find(|w| w.wall.as_str() == "p31zjtct2jer")
        .expect("listed on B");
    assert_eq!(wall.title.as_deref(), Some("Slow logins"));
    assert_eq!((wall.messages, wall.pinned, wall.visible), (1, 1, 1));
    let page: hugops_core::wire::MessagePage =
        b.get("/api/v1/walls/p31zjtct2jer/messages").await.json();
    assert!(page.messages[0].official && page.pinned[0].official);
}
