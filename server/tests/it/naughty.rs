//! The Big List of Naughty Strings through post → list: every string comes
//! back exactly as `core::message::prepare` normalised it, or is refused
//! with the 422 `prepare` gives; none breaks the server.

use super::common::*; // `super`: these checks also run on PostgreSQL (postgres.rs)
use axum::http::StatusCode;
use hugops_core::message::prepare;
use hugops_core::wire::{Message, MessagePage};
use serde_json::json;

const BLNS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/hostile/blns.json"
));

#[tokio::test]
async fn naughty_strings_round_trip_as_prepare_normalised_them() {
    let strings: Vec<String> = serde_json::from_str(BLNS).unwrap();
    assert!(strings.len() > 400, "the whole list: {}", strings.len());
    let app = start().await;
    let path = "/api/v1/walls/naughty/messages";
    // (id, author, body) of every post that must be stored.
    let mut expected: Vec<(i64, Option<String>, String)> = Vec::new();
    let mut refused = 0;
    for (i, text) in strings.iter().enumerate() {
        // Once as the body, once as the author's name.
        for (n, (author, body)) in [(None, text.as_str()), (Some(text.as_str()), "x")]
            .into_iter()
            .enumerate()
        {
            let client_id = format!("blns-{i}-{n}");
            let reply = app
                .post(
                    path,
                    json!({"author": author, "body": body, "client_id": client_id}),
                )
                .await;
            match prepare(author, body) {
                Ok(clean) => {
                    assert_eq!(
                        reply.status,
                        StatusCode::CREATED,
                        "{text:?}: {}",
                        reply.text()
                    );
                    let message: Message = reply.json();
                    assert_eq!(message.body, clean.body, "{text:?}");
                    assert_eq!(message.author, clean.author, "{text:?}");
                    expected.push((message.id, clean.author, clean.body));
                }
                Err(error) => {
                    let value = reply.assert_refused(422, "invalid_message");
                    assert_eq!(value["field"], error.field(), "{text:?}");
                    assert_eq!(value["message"], error.to_string());
                    refused += 1;
                }
            }
        }
    }
    assert!(
        refused > 0,
        "the list has strings prepare refuses (blank ones)"
    );

    // Read the wall back page by page, oldest first.
    let mut listed: Vec<Message> = Vec::new();
    let mut after = 0;
    loop {
        let page: MessagePage = app
            .get(&format!("{path}?after={after}&limit=200"))
            .await
            .json();
        listed.extend(page.messages.iter().cloned());
        match page.next_after {
            Some(next) => after = next,
            None => break,
        }
    }
    let got: Vec<(i64, Option<String>, String)> = listed
        .into_iter()
        .map(|m| (m.id, m.author, m.body))
        .collect();
    assert_eq!(got.len(), expected.len());
    for (got, want) in got.iter().zip(&expected) {
        assert_eq!(got, want);
    }
}
