//! The server in the visitor's language, through HTTP: the kindness hold
//! reads German, French and Spanish posts; the badge and the iframe page
//! speak the language asked for, with core's one word and one shape per
//! status.

use crate::common::*;
use axum::http::{Method, StatusCode};
use hugops_core::language::Language;
use hugops_core::status::Indicator;
use hugops_core::wire::MessagePage;
use serde_json::json;

#[tokio::test]
async fn abusive_posts_are_held_in_every_language_the_check_reads() {
    let app = start_with(|c| c.hold_flagged = true).await;
    let post = |body: &'static str| {
        let app = &app;
        async move {
            let reply = app
                .post(
                    "/api/v1/walls/general/messages",
                    json!({"body": body, "client_id": unique_id()}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
            reply.value()["held"].as_bool().unwrap()
        }
    };
    for abusive in [
        "Ihr seid so unfähig, ihr Vollidioten",
        "Feuert den Verantwortlichen!",
        "Bande d'incompétents",
        "Je sais où vous habitez",
        "Sois unos inútiles",
        "Os voy a matar",
    ] {
        assert!(post(abusive).await, "not held: {abusive}");
    }
    for kind in [
        "Ihr schafft das, auch wenn gerade alles brennt",
        "Ich Idiot hätte zuerst hier nachsehen sollen. Danke euch!",
        "Courage, tout est en panne",
        "Je me sens idiot de ne pas avoir regardé ici avant. Merci !",
        "¡Ánimo! Se cayó todo pero sois geniales",
        "Ánimo a los devs con el incidente",
    ] {
        assert!(!post(kind).await, "held: {kind}");
    }
    // Only the kind ones are public.
    let public: MessagePage = app.get("/api/v1/walls/general/messages").await.json();
    assert_eq!(public.messages.len(), 6);
}

#[tokio::test]
async fn an_abusive_name_is_held_in_german_too() {
    let app = start_with(|c| c.hold_flagged = true).await;
    let reply = app
        .post(
            "/api/v1/walls/general/messages",
            json!({"author": "Eure Entwickler sind Versager", "body": "Hallo", "client_id": "n-1"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.value()["held"], true);
}

async fn set_status(app: &TestApp, indicator: &str, description: &str) {
    let reply = app
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({"status": {"indicator": indicator, "description": description}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn the_badge_shows_each_status_with_cores_word_and_shape() {
    let app = start().await;
    for wire in ["none", "minor", "major", "critical", "maintenance"] {
        set_status(&app, wire, "").await;
        let indicator = Indicator::from_wire(wire);
        let look = indicator.look();
        let svg = app.get("/badge.svg").await.text();
        assert!(
            svg.contains(&format!(">{}</text>", indicator.label())),
            "{wire}: {svg}"
        );
        assert!(
            svg.contains(&format!(
                r#"data-shape="{}" data-mark="{}""#,
                look.shape.name(),
                look.mark.name()
            )),
            "{wire}: {svg}"
        );
    }
    // The upstream's "Partial System Outage" is not said beside our word
    // for the same status; a description that says more is.
    set_status(&app, "major", "Partial System Outage").await;
    let svg = app.get("/badge.svg").await.text();
    assert!(!svg.contains("Partial System Outage"), "{svg}");
    assert!(svg.contains("Partial system outage"), "{svg}");
    set_status(&app, "minor", "Slow logins").await;
    assert!(app.get("/badge.svg").await.text().contains("Slow logins"));
}

#[tokio::test]
async fn the_badge_speaks_the_language_asked_for() {
    let app = start().await;
    set_status(&app, "major", "Partial System Outage").await;
    let de = app.get("/badge.svg?lang=de").await;
    assert_eq!(de.status, StatusCode::OK);
    let de = de.text();
    assert!(de.contains(">Teilweiser Systemausfall</text>"), "{de}");
    assert!(de.contains(r#"xml:lang="de""#), "{de}");
    assert!(de.contains(">Status</text>"), "{de}");

    let ar = app.get("/badge.svg?lang=ar-EG").await.text();
    assert!(ar.contains(">انقطاع جزئي في النظام</text>"), "{ar}");
    assert!(ar.contains(r#"direction="rtl""#), "{ar}");

    let pt = app.get("/badge.svg?lang=pt-PT").await.text();
    assert!(
        pt.contains(">Interrupção parcial do sistema</text>"),
        "{pt}"
    );

    // What no language serves, and a query that cannot be read, give the
    // English badge, never an error.
    for odd in ["?lang=xx-invalid!", "?lang=en_US", "?lang=%FF", "?lang=it"] {
        let reply = app.get(&format!("/badge.svg{odd}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{odd}");
        assert!(
            reply.text().contains(">Partial system outage</text>"),
            "{odd}"
        );
    }
    // The same shape in every language.
    let shape = |svg: &str| svg.split("data-shape=").nth(1).unwrap()[..10].to_owned();
    assert_eq!(shape(&de), shape(&ar));
}

#[tokio::test]
async fn the_embed_page_is_in_the_visitors_language_and_direction() {
    let app = start().await;
    let ar = app.get("/embed?lang=ar").await;
    assert_eq!(ar.status, StatusCode::OK);
    let html = ar.text();
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    assert!(html.contains(r#"lang="ar"></hugops-widget>"#), "{html}");
    assert!(html.contains("<title>حائط HugOps</title>"), "{html}");

    // The widget gets the tag as asked (its dates follow the region); the
    // page is in the language that serves it.
    let html = app.get("/embed?lang=de-AT").await.text();
    assert!(html.contains(r#"<html lang="de" dir="ltr">"#), "{html}");
    assert!(html.contains(r#"lang="de-AT"></hugops-widget>"#), "{html}");
    assert!(html.contains("<title>HugOps-Wand</title>"), "{html}");

    for odd in ["", "?lang=en_US", "?lang=zz"] {
        let html = app.get(&format!("/embed{odd}")).await.text();
        assert!(
            html.contains(r#"<html lang="en" dir="ltr">"#),
            "{odd}: {html}"
        );
    }
    assert_eq!(Language::from_tag("ar").dir(), "rtl");
}
