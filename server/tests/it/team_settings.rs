//! The team's settings and incident walls across a restart, and incident
//! walls named from the upstream status and the demo (SQLite; the
//! PostgreSQL side is `postgres/team_instances.rs`).

use crate::common::*;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use hugops_core::wire::{SlowModeSettings, WallList, WallSlug, WallSummary};
use hugops_server::{app, AppState};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

async fn walls(app: &TestApp) -> Vec<WallSummary> {
    let reply = app.team(Method::GET, "/api/v1/walls", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json::<WallList>().walls
}

fn find<'a>(walls: &'a [WallSummary], wall: &str) -> Option<&'a WallSummary> {
    walls.iter().find(|w| w.wall.as_str() == wall)
}

#[tokio::test]
async fn slow_mode_and_incident_walls_survive_a_restart() {
    let first = start_with(|c| c.slow_mode = 10).await;
    let set = first
        .team(
            Method::PUT,
            "/api/v1/slow-mode",
            Some(json!({"global_seconds": 45})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    first
        .team(
            Method::PUT,
            "/api/v1/walls/general/slow-mode",
            Some(json!({"seconds": 5})),
        )
        .await;
    let status = first
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({
                "status": {"indicator": "major", "description": "Slow logins"},
                "incidents": [{"id": "p31zjtct2jer", "name": "Slow logins", "status": "identified"}]
            })),
        )
        .await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.text());
    assert!(find(&walls(&first).await, "p31zjtct2jer").is_some());
    first.state.store.close().await;

    // Started again with the same flag: the team's setting wins.
    let mut config = config(first.dir.path());
    config.slow_mode = 10;
    let state = AppState::open(&config).await.unwrap();
    let again = TestApp {
        router: app(state.clone()),
        state,
        dir: first.dir,
    };
    let settings: SlowModeSettings = again
        .team(Method::GET, "/api/v1/slow-mode", None)
        .await
        .json();
    assert_eq!(settings.global_seconds, 45);
    assert_eq!(settings.walls.get(&WallSlug::general()), Some(&5));
    let listed = walls(&again).await;
    let logins = find(&listed, "p31zjtct2jer").expect("still listed");
    assert_eq!(logins.title.as_deref(), Some("Slow logins"));
}

/// An upstream status page whose summary the test changes at will; it
/// tells the proxy never to reuse an answer.
async fn upstream(summary: Arc<Mutex<Value>>) -> String {
    async fn serve(State(summary): State<Arc<Mutex<Value>>>) -> impl axum::response::IntoResponse {
        let body = summary.lock().unwrap().clone();
        ([("cache-control", "no-cache")], Json(body))
    }
    let router = Router::new()
        .route("/api/v2/summary.json", get(serve))
        .with_state(summary);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/api/v2/summary.json",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

#[tokio::test]
async fn incident_walls_follow_the_upstream_status() {
    let summary = Arc::new(Mutex::new(json!({
        "status": {"indicator": "major", "description": "Partial outage"},
        "incidents": [{"id": "k2h8dq0vz5xm", "name": "Dashboard errors", "status": "investigating",
                       "created_at": "2024-03-01T17:00:00.000Z"}]
    })));
    let url = upstream(summary.clone()).await;
    let app = start_with(move |c| {
        c.status_url = Some(url);
        c.status_ttl = 0;
    })
    .await;

    // Nobody asked for the status yet: the wall list asks, and names the
    // incident's wall.
    let listed = walls(&app).await;
    let wall = find(&listed, "k2h8dq0vz5xm").expect("the incident's wall is listed");
    assert_eq!(wall.title.as_deref(), Some("Dashboard errors"));
    assert_eq!(wall.incident_resolved_at, None);
    // Newest activity first: a new incident is news even without messages.
    assert_eq!(listed[0].wall.as_str(), "k2h8dq0vz5xm");

    app.post_message("k2h8dq0vz5xm", "Thank you for the updates!")
        .await;
    // The upstream stops listing it: resolved, and still there.
    summary.lock().unwrap()["incidents"] = json!([]);
    // The proxy serves its last copy at once and revalidates behind it
    // (stale-while-revalidate), so the news lands a moment later.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let wall = loop {
        let status = app.get("/api/v1/status").await;
        assert_eq!(status.status, StatusCode::OK);
        let listed = walls(&app).await;
        let wall = find(&listed, "k2h8dq0vz5xm")
            .cloned()
            .expect("still listed");
        if wall.incident_resolved_at.is_some() || std::time::Instant::now() > deadline {
            break wall;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(wall.incident_resolved_at.is_some());
    assert_eq!(wall.messages, 1);
}

#[tokio::test]
async fn the_demo_incident_has_its_wall() {
    let app = start_with(|c| c.demo = true).await;
    let listed = walls(&app).await;
    let demo = find(&listed, "inc-demo-1").expect("the demo incident's wall");
    assert_eq!(demo.title.as_deref(), Some("Elevated API error rates"));
    assert_eq!(demo.incident_id.as_deref(), Some("inc-demo-1"));
    assert_eq!(demo.incident_resolved_at, None);
}
