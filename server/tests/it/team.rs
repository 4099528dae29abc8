//! Team-only endpoints: auth, moderation, held messages, export.

use super::common::*; // `super`: these checks also run on PostgreSQL (postgres.rs)
use axum::http::{Method, StatusCode};
use hugops_core::wire::{Message, MessagePage};
use serde_json::{json, Value};

#[tokio::test]
async fn team_endpoints_need_the_token() {
    let app = start().await;
    let id = app.post_message("general", "hello").await["id"]
        .as_i64()
        .unwrap();
    let patch = format!("/api/v1/walls/general/messages/{id}");
    let body = json!({"action": "hide"});

    for call in [
        Call::new(Method::PATCH, &patch).json(&body),
        Call::new(Method::GET, "/api/v1/walls/general/export"),
        Call::new(Method::GET, "/api/v1/walls/general/held"),
        Call::new(Method::PUT, "/api/v1/status").json(&json!({"status": {"indicator": "major"}})),
        Call::new(Method::DELETE, "/api/v1/status"),
    ] {
        let reply = app.call(call).await;
        reply.assert_refused(401, "unauthorized");
        assert!(reply
            .header("www-authenticate")
            .unwrap()
            .starts_with("Bearer"));
    }
    for wrong in [
        "Bearer nope",
        "Bearer test-team-token-7f3a9",
        "Basic dGVzdA==",
        "test-team-token-7f3a9c",
    ] {
        let reply = app
            .call(
                Call::new(Method::PATCH, &patch)
                    .json(&body)
                    .header("authorization", wrong),
            )
            .await;
        reply.assert_refused(401, "unauthorized");
    }
    // Nothing happened.
    let page: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    assert_eq!(page.messages.len(), 1);

    // The scheme is case-insensitive, as HTTP says.
    let reply = app
        .call(
            Call::new(Method::PATCH, &patch)
                .json(&body)
                .header("authorization", &format!("bearer {TOKEN}")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_configured_token_team_endpoints_say_so() {
    let app = start_with(|c| c.team_token = None).await;
    let reply = app
        .team(Method::GET, "/api/v1/walls/general/export", None)
        .await;
    let error = reply.assert_refused(401, "unauthorized");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("HUGOPS_TEAM_TOKEN"),
        "{error}"
    );
}

#[tokio::test]
async fn the_first_page_carries_pinned_messages_however_old() {
    let app = start().await;
    let first = app.post_message("general", "The team is on it").await["id"]
        .as_i64()
        .unwrap();
    for n in 0..55 {
        app.post_message("general", &format!("Thank you {n}")).await;
    }
    let path = format!("/api/v1/walls/general/messages/{first}");
    let act = |action: &'static str| {
        let (app, path) = (&app, path.clone());
        async move {
            app.team(Method::PATCH, &path, Some(json!({ "action": action })))
                .await
        }
    };
    let page = |query: &str| {
        let (app, query) = (&app, query.to_owned());
        async move {
            app.get(&format!("/api/v1/walls/general/messages{query}"))
                .await
                .json::<MessagePage>()
        }
    };

    assert!(page("").await.pinned.is_empty());
    act("pin").await.json::<Message>();
    let newest = page("").await;
    assert!(
        newest.messages.iter().all(|m| m.id != first),
        "the pinned message is older than the first page"
    );
    let pinned: Vec<i64> = newest.pinned.iter().map(|m| m.id).collect();
    assert_eq!(pinned, [first]);
    assert!(newest.pinned[0].pinned);
    // Only the first page carries them.
    assert!(page("?after=0").await.pinned.is_empty());
    let before = format!("?before={}", newest.messages[0].id);
    assert!(page(&before).await.pinned.is_empty());
    // Hidden or unpinned, it is no longer on top (and no cached page says so).
    act("hide").await.json::<Message>();
    assert!(page("").await.pinned.is_empty());
    act("unhide").await.json::<Message>();
    assert_eq!(page("").await.pinned.len(), 1);
    act("unpin").await.json::<Message>();
    assert!(page("").await.pinned.is_empty());
}

#[tokio::test]
async fn moderation_hides_unhides_pins_and_unpins() {
    let app = start().await;
    let id = app.post_message("general", "pin me").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/walls/general/messages/{id}");
    let act = |action: &'static str| {
        let (app, path) = (&app, path.clone());
        async move {
            app.team(Method::PATCH, &path, Some(json!({ "action": action })))
                .await
        }
    };
    let listed = || async {
        app.get("/api/v1/walls/general/messages")
            .await
            .json::<MessagePage>()
            .messages
    };

    let pinned: Message = act("pin").await.json();
    assert!(pinned.pinned);
    assert!(listed().await[0].pinned);
    // Doing it twice changes nothing.
    assert_eq!(act("pin").await.json::<Message>(), pinned);

    let hidden: Message = act("hide").await.json();
    assert!(hidden.hidden);
    assert!(listed().await.is_empty());
    let back: Message = act("unhide").await.json();
    assert!(!back.hidden);
    assert_eq!(listed().await.len(), 1);
    let unpinned: Message = act("unpin").await.json();
    assert!(!unpinned.pinned);

    act("shout").await.assert_refused(400, "bad_request");
    app.team(
        Method::PATCH,
        &format!("/api/v1/walls/other/messages/{id}"),
        Some(json!({"action": "hide"})),
    )
    .await
    .assert_refused(404, "not_found");
    app.team(
        Method::PATCH,
        "/api/v1/walls/general/messages/424242",
        Some(json!({"action": "hide"})),
    )
    .await
    .assert_refused(404, "not_found");
}

const FLAGGED: &str = "I think you're all idiots";

#[tokio::test]
async fn flagged_messages_are_held_until_approved() {
    let app = start_with(|c| c.hold_flagged = true).await;
    let reply = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": FLAGGED, "client_id": "rude-1"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let held: Message = reply.json();
    assert!(held.held, "the author's widget must learn it is held");
    let kind = app
        .post_message("general", "Thank you, hang in there!")
        .await;
    assert_eq!(kind["held"], false);

    // Not public, but in the team's queue.
    let public: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    assert_eq!(public.messages.len(), 1);
    assert_ne!(public.messages[0].id, held.id);
    let queue: MessagePage = app
        .team(Method::GET, "/api/v1/walls/general/held", None)
        .await
        .json();
    assert_eq!(queue.messages, vec![held.clone()]);
    // Not huggable while held.
    app.post(
        &format!("/api/v1/walls/general/messages/{}/hugs", held.id),
        json!({"client_id": "h"}),
    )
    .await
    .assert_refused(404, "not_found");

    // A retry still tells the author it is held.
    let retry = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"body": FLAGGED, "client_id": "rude-1"}),
        )
        .await;
    assert_eq!(retry.status, StatusCode::OK);
    assert!(retry.json::<Message>().held);

    let approved: Message = app
        .team(
            Method::PATCH,
            &format!("/api/v1/walls/general/messages/{}", held.id),
            Some(json!({"action": "approve"})),
        )
        .await
        .json();
    assert!(!approved.held);
    let public: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    assert_eq!(public.messages.len(), 2);
    let queue: MessagePage = app
        .team(Method::GET, "/api/v1/walls/general/held", None)
        .await
        .json();
    assert!(queue.messages.is_empty());
}

#[tokio::test]
async fn without_hold_mode_flagged_messages_are_posted() {
    let app = start().await;
    let message = app.post_message("general", FLAGGED).await;
    assert_eq!(message["held"], false);
    let public: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    assert_eq!(public.messages.len(), 1);
}

/// Bodies a spreadsheet would run as formulas.
const FORMULAS: &[&str] = &[
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
];

async fn wall_for_export(app: &TestApp) -> Vec<i64> {
    let mut ids = Vec::new();
    for body in FORMULAS {
        ids.push(
            app.post_message("postmortem", body).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let pinned = app
        .post(
            "/api/v1/walls/postmortem/messages",
            json!({"author": "=Team", "body": "Thanks, everyone — we're on it. [link](http://x)", "client_id": "official"}),
        )
        .await
        .value()["id"]
        .as_i64()
        .unwrap();
    app.team(
        Method::PATCH,
        &format!("/api/v1/walls/postmortem/messages/{pinned}"),
        Some(json!({"action": "pin"})),
    )
    .await;
    app.post(
        &format!("/api/v1/walls/postmortem/messages/{pinned}/hugs"),
        json!({"client_id": "h1"}),
    )
    .await;
    let hidden = app.post_message("postmortem", "hide this one").await["id"]
        .as_i64()
        .unwrap();
    app.team(
        Method::PATCH,
        &format!("/api/v1/walls/postmortem/messages/{hidden}"),
        Some(json!({"action": "hide"})),
    )
    .await;
    ids.push(pinned);
    ids.push(hidden);
    ids
}

#[tokio::test]
async fn export_json_has_everything_with_counts() {
    let app = start().await;
    let ids = wall_for_export(&app).await;
    let reply = app
        .team(Method::GET, "/api/v1/walls/postmortem/export", None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"hugops-postmortem.json\"")
    );
    let export: Value = reply.value();
    assert_eq!(export["wall"], "postmortem");
    assert_eq!(
        export["counts"],
        json!({"messages": 7, "visible": 6, "hidden": 1, "held": 0, "pinned": 1, "hugs": 1})
    );
    let exported: Vec<Message> = serde_json::from_value(export["messages"].clone()).unwrap();
    assert_eq!(exported.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
    assert!(exported.last().unwrap().hidden);
}

#[tokio::test]
async fn export_csv_is_safe_against_formula_injection() {
    let app = start().await;
    wall_for_export(&app).await;
    let reply = app
        .team(
            Method::GET,
            "/api/v1/walls/postmortem/export?format=csv",
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/csv"));
    let rows = parse_csv(&reply.text());
    assert_eq!(
        rows[0],
        [
            "id",
            "created_at",
            "author",
            "body",
            "hugs",
            "pinned",
            "hidden",
            "held",
            "official"
        ]
    );
    assert_eq!(rows.len(), 8);
    for row in &rows {
        assert_eq!(row.len(), 9, "{row:?}");
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    // The text itself survives, behind the quote.
    let bodies: Vec<&str> = rows[1..6].iter().map(|r| r[3].as_str()).collect();
    let expected: Vec<String> = FORMULAS.iter().map(|f| format!("'{f}")).collect();
    assert_eq!(bodies, expected);
    assert_eq!(rows[6][2], "'=Team");
    assert_eq!(rows[6][5], "true");
    assert!(
        rows[1..].iter().all(|r| r[8] == "false"),
        "no official message"
    );
}

#[tokio::test]
async fn export_markdown_is_a_digest_for_the_postmortem() {
    let app = start().await;
    wall_for_export(&app).await;
    let reply = app
        .team(
            Method::GET,
            "/api/v1/walls/postmortem/export?format=md",
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/markdown"));
    let md = reply.text();
    assert!(md.starts_with("# HugOps wall: postmortem\n"), "{md}");
    assert!(
        md.contains("- Messages: 7 (6 shown, 1 hidden, 0 held for review)"),
        "{md}"
    );
    assert!(md.contains("- Hugs: 1"), "{md}");
    // The pinned message, quoted and escaped (no live link).
    let pinned = md
        .split("## Pinned")
        .nth(1)
        .unwrap()
        .split("## Messages")
        .next()
        .unwrap();
    assert!(
        pinned.contains("> Thanks, everyone — we're on it\\. \\[link\\]\\(http://x\\)"),
        "{pinned}"
    );
    assert!(pinned.contains("— \\=Team,"), "{pinned}");
    // Visible messages in time order; the hidden one only counted.
    let messages = md.split("## Messages").nth(1).unwrap();
    let positions: Vec<usize> = [
        "cmd",
        "\\+1\\+1",
        "\\-2\\+3",
        "@SUM",
        "HYPERLINK",
        "Thanks, everyone",
    ]
    .iter()
    .map(|needle| {
        messages
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {messages}"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{messages}");
    assert!(!md.contains("hide this one"));
    assert!(messages.contains("(1 hug)"));
}

#[tokio::test]
async fn export_refuses_unknown_formats() {
    let app = start().await;
    let reply = app
        .team(Method::GET, "/api/v1/walls/general/export?format=xml", None)
        .await;
    assert_eq!(reply.assert_refused(400, "bad_request")["field"], "format");
}
