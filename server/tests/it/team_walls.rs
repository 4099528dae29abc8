//! The team page's endpoints: the wall list with each wall's facts, every
//! message of a wall, official messages, slow mode switched at run time,
//! and incident walls. Each refuses without the token and changes nothing.

use super::common::*; // `super`: these checks also run on PostgreSQL (postgres.rs)
use axum::http::{Method, StatusCode};
use hugops_core::wire::{
    Message, MessagePage, RecentWalls, SlowModeSettings, StreamEvent, WallList, WallSlug,
    WallSummary,
};
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Asserts that `call` (a team endpoint) is refused without the token and
/// with a wrong one: 401 with `WWW-Authenticate`.
async fn refused_without_the_token(app: &TestApp, call: impl Fn() -> Call) {
    let anonymous = app.call(call()).await;
    anonymous.assert_refused(401, "unauthorized");
    assert!(anonymous
        .header("www-authenticate")
        .is_some_and(|v| v.starts_with("Bearer")));
    for wrong in ["Bearer nope", &format!("Bearer {TOKEN}x"), TOKEN] {
        app.call(call().header("authorization", wrong))
            .await
            .assert_refused(401, "unauthorized");
    }
}

async fn walls(app: &TestApp) -> Vec<WallSummary> {
    let reply = app.team(Method::GET, "/api/v1/walls", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json::<WallList>().walls
}

fn find<'a>(walls: &'a [WallSummary], wall: &str) -> &'a WallSummary {
    walls
        .iter()
        .find(|w| w.wall.as_str() == wall)
        .unwrap_or_else(|| panic!("{wall} is listed: {walls:#?}"))
}

async fn slow_mode(app: &TestApp) -> SlowModeSettings {
    let reply = app.team(Method::GET, "/api/v1/slow-mode", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

async fn everything(app: &TestApp, wall: &str) -> Vec<Message> {
    let reply = app
        .team(
            Method::GET,
            &format!("/api/v1/walls/{wall}/messages/all"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json::<MessagePage>().messages
}

fn id_of(message: &Value) -> i64 {
    message["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_wall_list_needs_the_token() {
    let app = start().await;
    app.post_message("general", "hello").await;
    refused_without_the_token(&app, || Call::new(Method::GET, "/api/v1/walls")).await;
}

#[tokio::test]
async fn every_message_of_a_wall_needs_the_token() {
    let app = start().await;
    app.post_message("general", "hello").await;
    refused_without_the_token(&app, || {
        Call::new(Method::GET, "/api/v1/walls/general/messages/all")
    })
    .await;
}

#[tokio::test]
async fn an_official_message_needs_the_token_and_nothing_is_posted_without() {
    let app = start().await;
    let body = json!({"body": "We are on it.", "client_id": "team-1"});
    refused_without_the_token(&app, || {
        Call::new(Method::POST, "/api/v1/walls/general/official").json(&body)
    })
    .await;
    assert!(everything(&app, "general").await.is_empty());
    // The same client id is still free for the team.
    let reply = app
        .team(Method::POST, "/api/v1/walls/general/official", Some(body))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

#[tokio::test]
async fn reading_slow_mode_needs_the_token() {
    let app = start().await;
    refused_without_the_token(&app, || Call::new(Method::GET, "/api/v1/slow-mode")).await;
}

#[tokio::test]
async fn setting_global_slow_mode_needs_the_token_and_nothing_changes_without() {
    let app = start().await;
    let body = json!({"global_seconds": 60});
    refused_without_the_token(&app, || {
        Call::new(Method::PUT, "/api/v1/slow-mode").json(&body)
    })
    .await;
    assert_eq!(slow_mode(&app).await, SlowModeSettings::default());
    // Posting is not slowed either.
    app.post_message("general", "one").await;
    app.post_message("general", "two").await;
}

#[tokio::test]
async fn setting_a_walls_slow_mode_needs_the_token_and_nothing_changes_without() {
    let app = start().await;
    let body = json!({"seconds": 60});
    refused_without_the_token(&app, || {
        Call::new(Method::PUT, "/api/v1/walls/general/slow-mode").json(&body)
    })
    .await;
    assert_eq!(slow_mode(&app).await, SlowModeSettings::default());
    assert_eq!(find(&walls(&app).await, "general").slow_mode_seconds, None);
    app.post_message("general", "one").await;
    app.post_message("general", "two").await;
}

#[tokio::test]
async fn wall_facts_count_what_each_wall_holds_newest_activity_first() {
    let app = start_with(|c| c.hold_flagged = true).await;
    // `general` is listed even before anything is posted.
    let empty = walls(&app).await;
    assert_eq!(empty.len(), 1, "{empty:#?}");
    assert_eq!(empty[0].wall.as_str(), "general");
    assert_eq!((empty[0].messages, empty[0].first_at), (0, None));

    app.post_message("older", "first of all").await;
    // Times are milliseconds: let the next wall's be later for sure.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let a = app.post_message("busy", "thank you").await;
    let b = app.post_message("busy", "hang in there").await;
    let c = app.post_message("busy", "you've got this").await;
    let held = app
        .post(
            "/api/v1/walls/busy/messages",
            json!({"body": "I think you're all idiots", "client_id": unique_id()}),
        )
        .await;
    assert_eq!(held.status, StatusCode::CREATED);
    assert_eq!(held.value()["held"], true);
    app.moderate("busy", id_of(&a), "hide").await;
    app.moderate("busy", id_of(&b), "pin").await;
    for _ in 0..2 {
        let hug = app
            .post(
                &format!("/api/v1/walls/busy/messages/{}/hugs", id_of(&c)),
                json!({"client_id": unique_id()}),
            )
            .await;
        assert_eq!(hug.status, StatusCode::CREATED);
    }

    let listed = walls(&app).await;
    let order: Vec<&str> = listed.iter().map(|w| w.wall.as_str()).collect();
    assert_eq!(order, ["busy", "older", "general"], "newest activity first");
    let busy = find(&listed, "busy");
    assert_eq!(
        (busy.messages, busy.visible, busy.hidden, busy.held),
        (4, 2, 1, 1)
    );
    assert_eq!((busy.pinned, busy.hugs), (1, 2));
    assert_eq!(
        (busy.title.as_deref(), busy.incident_id.as_deref()),
        (None, None)
    );
    let all = everything(&app, "busy").await;
    assert_eq!(busy.first_at, Some(all[0].created_at));
    assert_eq!(busy.last_at, Some(all[3].created_at));
    let older_wall = find(&listed, "older");
    assert_eq!(older_wall.messages, 1);
    assert_eq!(older_wall.first_at, older_wall.last_at);
    assert!(older_wall.last_at < busy.first_at);

    // The same counts as the export's.
    let export = app
        .team(Method::GET, "/api/v1/walls/busy/export", None)
        .await
        .value();
    let counts = &export["counts"];
    for (field, value) in [
        ("messages", busy.messages),
        ("visible", busy.visible),
        ("hidden", busy.hidden),
        ("held", busy.held),
        ("pinned", busy.pinned),
        ("hugs", busy.hugs),
    ] {
        assert_eq!(counts[field], value, "{field}: {counts}");
    }
}

#[tokio::test]
async fn every_message_of_a_wall_includes_hidden_and_held_ones_as_the_export_does() {
    let app = start_with(|c| c.hold_flagged = true).await;
    let shown = app.post_message("general", "thank you").await;
    let hidden = app.post_message("general", "hide me").await;
    app.moderate("general", id_of(&hidden), "hide").await;
    let held = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": "I think you're all idiots", "client_id": unique_id()}),
        )
        .await
        .value();
    app.post_message("elsewhere", "not on this wall").await;

    let all = everything(&app, "general").await;
    let ids: Vec<i64> = all.iter().map(|m| m.id).collect();
    assert_eq!(
        ids,
        [id_of(&shown), id_of(&hidden), id_of(&held)],
        "oldest first"
    );
    assert!(all[1].hidden && !all[1].held);
    assert!(all[2].held && !all[2].hidden);
    let export: Vec<Message> = serde_json::from_value(
        app.team(Method::GET, "/api/v1/walls/general/export", None)
            .await
            .value()["messages"]
            .clone(),
    )
    .unwrap();
    assert_eq!(all, export);
    assert!(everything(&app, "nothing-here").await.is_empty());
}

#[tokio::test]
async fn official_messages_are_pinned_marked_and_streamed_live() {
    let app = start().await;
    let server = serve(app.state.clone()).await;
    let mut sse = SseClient::connect(&server.url("/api/v1/walls/general/stream"), None).await;
    let customer = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": "thank you", "client_id": "customer-1"}),
        )
        .await
        .value();
    let first = sse.next_event(WAIT).await.unwrap();
    assert_eq!(first.event.as_deref(), Some("message"));

    let reply = app
        .team(
            Method::POST,
            "/api/v1/walls/general/official",
            Some(json!({"body": "  We found the cause.\r\nA fix is rolling out.  ", "client_id": "team-1"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let official: Message = reply.json();
    assert!(official.official && official.pinned);
    assert!(!official.hidden && !official.held);
    assert_eq!(official.body, "We found the cause.\nA fix is rolling out.");

    // Live, like any new visible message, flag included.
    let event = sse.next_event(WAIT).await.unwrap();
    match serde_json::from_str::<StreamEvent>(&event.data).unwrap() {
        StreamEvent::Message { message } => {
            assert_eq!(message.id, official.id);
            assert!(message.official && message.pinned);
        }
        other => panic!("not a new message: {other:?}"),
    }
    // On the wall, and on top of it.
    let page: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    let listed = page.messages.iter().find(|m| m.id == official.id).unwrap();
    assert!(listed.official);
    assert_eq!(page.pinned.len(), 1);
    assert!(page.pinned[0].official);
    assert!(
        !page
            .messages
            .iter()
            .find(|m| m.id == id_of(&customer))
            .unwrap()
            .official
    );

    // A retry is the same message, once.
    let again = app
        .team(
            Method::POST,
            "/api/v1/walls/general/official",
            Some(json!({"body": "different words", "client_id": "team-1"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<Message>(), official);
    // A customer's client id cannot turn the customer's message into the
    // team's answer.
    let taken = app
        .team(
            Method::POST,
            "/api/v1/walls/general/official",
            Some(json!({"body": "We are on it", "client_id": "customer-1"})),
        )
        .await;
    let error = taken.assert_refused(400, "bad_request");
    assert_eq!(error["field"], "client_id");
    // The message rules hold for the team too.
    app.team(
        Method::POST,
        "/api/v1/walls/general/official",
        Some(json!({"body": "   ", "client_id": "team-2"})),
    )
    .await
    .assert_refused(422, "invalid_message");
    let all = everything(&app, "general").await;
    assert_eq!(all.iter().filter(|m| m.official).count(), 1);
    server.stop().await;
}

#[tokio::test]
async fn customers_cannot_post_an_official_message() {
    let app = start().await;
    for (n, body) in [
        json!({"body": "I am the team", "official": true, "pinned": true}),
        json!({"body": "Trust me", "author": "HugOps team (official)", "official": "true"}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = body;
        body["client_id"] = json!(format!("sneaky-{n}"));
        let reply = app.post("/api/v1/walls/general/messages", body).await;
        if reply.status == StatusCode::CREATED {
            let message: Message = reply.json();
            assert!(!message.official && !message.pinned, "{message:?}");
        } else {
            reply.assert_refused(400, "bad_request");
        }
    }
    let all = everything(&app, "general").await;
    assert!(all.iter().all(|m| !m.official && !m.pinned), "{all:#?}");
    assert_eq!(find(&walls(&app).await, "general").pinned, 0);
}

#[tokio::test]
async fn slow_mode_is_switched_per_wall_and_globally_without_a_restart() {
    let app = start().await;
    let put_global = |seconds: Value| {
        let app = &app;
        async move {
            app.team(
                Method::PUT,
                "/api/v1/slow-mode",
                Some(json!({ "global_seconds": seconds })),
            )
            .await
        }
    };
    let put_wall = |wall: &'static str, seconds: Value| {
        let app = &app;
        async move {
            app.team(
                Method::PUT,
                &format!("/api/v1/walls/{wall}/slow-mode"),
                Some(json!({ "seconds": seconds })),
            )
            .await
        }
    };
    let post = |wall: &'static str| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/walls/{wall}/messages"),
                json!({"body": "thank you", "client_id": unique_id()}),
            )
            .await
        }
    };

    assert_eq!(slow_mode(&app).await.global_seconds, 0);
    assert_eq!(post("general").await.status, StatusCode::CREATED);
    assert_eq!(post("general").await.status, StatusCode::CREATED);

    // On for every wall, at once.
    let set = put_global(json!(60)).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    assert_eq!(set.json::<SlowModeSettings>().global_seconds, 60);
    assert_eq!(post("general").await.status, StatusCode::CREATED);
    let refused = post("general").await;
    refused.assert_refused(429, "slow_mode");
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((59..=60).contains(&wait), "{wait}");

    // Off on one wall only; a longer gap on another.
    let set: SlowModeSettings = put_wall("calm", json!(0)).await.json();
    assert_eq!(set.walls.get(&WallSlug::parse("calm").unwrap()), Some(&0));
    for _ in 0..3 {
        assert_eq!(post("calm").await.status, StatusCode::CREATED);
    }
    put_wall("strict", json!(600)).await;
    assert_eq!(post("strict").await.status, StatusCode::CREATED);
    let wait: u64 = post("strict")
        .await
        .header("retry-after")
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 60, "{wait}");
    let listed = walls(&app).await;
    assert_eq!(find(&listed, "calm").slow_mode_seconds, Some(0));
    assert_eq!(find(&listed, "strict").slow_mode_seconds, Some(600));
    assert_eq!(find(&listed, "general").slow_mode_seconds, None);
    assert_eq!(
        slow_mode(&app).await,
        SlowModeSettings {
            global_seconds: 60,
            walls: [("calm", 0), ("strict", 600)]
                .into_iter()
                .map(|(w, s)| (WallSlug::parse(w).unwrap(), s))
                .collect(),
        }
    );

    // Cleared, the wall follows the global gap again.
    let cleared: SlowModeSettings = put_wall("calm", Value::Null).await.json();
    assert!(!cleared
        .walls
        .contains_key(&WallSlug::parse("calm").unwrap()));
    assert_eq!(post("calm").await.status, StatusCode::CREATED);
    post("calm").await.assert_refused(429, "slow_mode");

    // Off everywhere but where a wall says otherwise.
    put_global(json!(0)).await;
    assert_eq!(post("general").await.status, StatusCode::CREATED);
    assert_eq!(post("general").await.status, StatusCode::CREATED);
    post("strict").await.assert_refused(429, "slow_mode");

    // Out of range or not a number: refused, nothing changed.
    let before = slow_mode(&app).await;
    put_global(json!(86_401))
        .await
        .assert_refused(400, "bad_request");
    put_global(json!(-1))
        .await
        .assert_refused(400, "bad_request");
    put_wall("strict", json!("soon"))
        .await
        .assert_refused(400, "bad_request");
    let error = put_wall("strict", json!(1_000_000))
        .await
        .assert_refused(400, "bad_request");
    assert_eq!(error["field"], "seconds");
    app.team(
        Method::PUT,
        "/api/v1/walls/Not%20A%20Wall/slow-mode",
        Some(json!({"seconds": 5})),
    )
    .await
    .assert_refused(400, "invalid_wall");
    assert_eq!(slow_mode(&app).await, before);
}

#[tokio::test]
async fn the_starting_global_slow_mode_is_the_flag_until_the_team_sets_one() {
    let app = start_with(|c| c.slow_mode = 30).await;
    assert_eq!(slow_mode(&app).await.global_seconds, 30);
    app.post_message("general", "first").await;
    app.post(
        "/api/v1/walls/general/messages",
        json!({"body": "second", "client_id": unique_id()}),
    )
    .await
    .assert_refused(429, "slow_mode");
    let off = app
        .team(
            Method::PUT,
            "/api/v1/slow-mode",
            Some(json!({"global_seconds": 0})),
        )
        .await;
    assert_eq!(off.json::<SlowModeSettings>().global_seconds, 0);
    app.post_message("general", "no longer slowed").await;
}

/// A status summary the team sets, listing these incidents.
fn status_with(incidents: Value) -> Value {
    json!({"status": {"indicator": "major", "description": "Partial outage"}, "incidents": incidents})
}

async fn set_status(app: &TestApp, summary: Value) {
    let reply = app.team(Method::PUT, "/api/v1/status", Some(summary)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn incident_walls_are_named_by_their_incident_and_outlive_it() {
    let app = start().await;
    set_status(
        &app,
        status_with(json!([
            {"id": "p31zjtct2jer", "name": "Slow logins", "status": "investigating",
             "created_at": "2024-03-01T17:00:00.000Z"},
            {"id": "INC 42", "name": "Billing delays", "status": "identified"}
        ])),
    )
    .await;
    let odd_wall = WallSlug::for_incident("INC 42");
    assert_ne!(odd_wall.as_str(), "INC 42");

    let listed = walls(&app).await;
    let logins = find(&listed, "p31zjtct2jer");
    assert_eq!(logins.title.as_deref(), Some("Slow logins"));
    assert_eq!(logins.incident_id.as_deref(), Some("p31zjtct2jer"));
    assert_eq!(
        logins.incident_started_at.unwrap().to_rfc3339(),
        "2024-03-01T17:00:00.000Z"
    );
    assert_eq!(logins.incident_resolved_at, None);
    assert_eq!(logins.messages, 0, "listed before anyone posted");
    let billing = find(&listed, odd_wall.as_str());
    assert_eq!(billing.title.as_deref(), Some("Billing delays"));
    assert_eq!(billing.incident_id.as_deref(), Some("INC 42"));
    assert!(billing.incident_started_at.is_some(), "first seen");

    // Customers post on the incident's wall; the team answers there.
    let kind = app
        .post_message("p31zjtct2jer", "Thank you, hang in there")
        .await;
    let official = app
        .team(
            Method::POST,
            "/api/v1/walls/p31zjtct2jer/official",
            Some(json!({"body": "Logins are back to normal.", "client_id": "team-logins"})),
        )
        .await;
    assert_eq!(official.status, StatusCode::CREATED);

    // The logins incident resolves: the status stops listing it.
    set_status(
        &app,
        status_with(json!([
            {"id": "INC 42", "name": "Billing delays (EU)", "status": "monitoring"}
        ])),
    )
    .await;
    let listed = walls(&app).await;
    let logins = find(&listed, "p31zjtct2jer");
    assert!(logins.incident_resolved_at.is_some(), "{logins:?}");
    assert_eq!(logins.title.as_deref(), Some("Slow logins"), "still named");
    assert_eq!((logins.messages, logins.pinned), (2, 1));
    let billing = find(&listed, odd_wall.as_str());
    assert_eq!(
        billing.title.as_deref(),
        Some("Billing delays (EU)"),
        "renamed"
    );
    assert_eq!(billing.incident_resolved_at, None);
    // Still readable, by anyone and by the team.
    let page: MessagePage = app.get("/api/v1/walls/p31zjtct2jer/messages").await.json();
    assert_eq!(page.messages.len(), 2);
    assert_eq!(page.messages[0].id, id_of(&kind));
    assert_eq!(everything(&app, "p31zjtct2jer").await.len(), 2);

    // Reported again (reopened): going on again.
    set_status(
        &app,
        status_with(json!([
            {"id": "p31zjtct2jer", "name": "Slow logins", "status": "investigating"}
        ])),
    )
    .await;
    let listed = walls(&app).await;
    assert_eq!(find(&listed, "p31zjtct2jer").incident_resolved_at, None);
    assert!(find(&listed, odd_wall.as_str())
        .incident_resolved_at
        .is_some());
}

/// The public list of recent incident walls, as anyone reads it.
async fn recent(app: &TestApp) -> Vec<(String, Option<String>, bool)> {
    let reply = app.get("/api/v1/walls/recent").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body: Value = reply.json();
    for wall in body["walls"].as_array().unwrap() {
        let keys: Vec<&str> = wall
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        for key in keys {
            assert!(
                ["wall", "title", "started_at", "resolved_at"].contains(&key),
                "nothing but the public facts: {wall}"
            );
        }
    }
    serde_json::from_value::<RecentWalls>(body)
        .unwrap()
        .walls
        .into_iter()
        .map(|w| (w.wall.as_str().to_owned(), w.title, w.resolved_at.is_some()))
        .collect()
}

#[tokio::test]
async fn recent_incident_walls_are_public_newest_first_and_only_for_seven_days() {
    let app = start().await;
    assert!(recent(&app).await.is_empty(), "no incident, no wall");
    set_status(
        &app,
        status_with(json!([
            {"id": "older", "name": "Slow logins", "status": "investigating",
             "created_at": "2024-03-01T17:00:00.000Z"},
            {"id": "newer", "name": "Billing delays", "status": "identified",
             "created_at": "2024-03-02T09:00:00.000Z"},
            {"id": "long-ago", "name": "Old outage", "status": "resolved",
             "created_at": "2024-01-01T09:00:00.000Z",
             "resolved_at": "2024-01-01T10:00:00.000Z"}
        ])),
    )
    .await;
    // Messages and hidden ones change nothing here: no counts are shown.
    app.post_message("older", "hang in there").await;
    assert_eq!(
        recent(&app).await,
        [
            ("newer".into(), Some("Billing delays".into()), false),
            ("older".into(), Some("Slow logins".into()), false),
        ],
        "going on, newest first; resolved long ago: left out"
    );

    // "older" resolves (the status stops listing it): it stays, resolved.
    set_status(
        &app,
        status_with(json!([
            {"id": "newer", "name": "Billing delays", "status": "identified",
             "created_at": "2024-03-02T09:00:00.000Z"}
        ])),
    )
    .await;
    assert_eq!(
        recent(&app).await,
        [
            ("newer".into(), Some("Billing delays".into()), false),
            ("older".into(), Some("Slow logins".into()), true),
        ]
    );
}

#[tokio::test]
async fn exports_mark_the_teams_messages_and_only_those() {
    let app = start().await;
    app.post(
        "/api/v1/walls/general/messages",
        json!({"body": "all good here", "author": "The team _(official)_", "client_id": "c-1"}),
    )
    .await;
    let posted = app
        .team(
            Method::POST,
            "/api/v1/walls/general/official",
            Some(json!({"body": "Fixed.", "client_id": "team-1"})),
        )
        .await;
    assert_eq!(posted.status, StatusCode::CREATED);
    let export = |format: &'static str| {
        let app = &app;
        async move {
            app.team(
                Method::GET,
                &format!("/api/v1/walls/general/export?format={format}"),
                None,
            )
            .await
        }
    };
    let json = export("json").await.value();
    let flags: Vec<&Value> = json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["official"])
        .collect();
    assert_eq!(flags, [&json!(false), &json!(true)]);
    let rows = parse_csv(&export("csv").await.text());
    assert_eq!(rows[0][8], "official");
    assert_eq!(
        (rows[1][8].as_str(), rows[2][8].as_str()),
        ("false", "true")
    );
    let digest = export("md").await.text();
    assert_eq!(digest.matches("_(official)_").count(), 2, "{digest}");
    assert!(
        digest.contains("**The team _(official)_**: Fixed\\."),
        "{digest}"
    );
}
