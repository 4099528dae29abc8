//! docs/api.md is the contract: its endpoint table is read here and every
//! row is sent to the server, which must answer with the documented status
//! (so never 404 or 405 for a documented method and path).

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use std::fs;

const API_MD: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md"));

#[derive(Debug)]
struct Row {
    method: Method,
    path: String,
    team: bool,
    example: Option<String>,
    status: u16,
}

fn unquote(cell: &str) -> &str {
    cell.trim().trim_matches('`').trim()
}

/// The rows of the table under "## Endpoints".
fn endpoint_table() -> Vec<Row> {
    let section = API_MD
        .split("\n## Endpoints")
        .nth(1)
        .expect("docs/api.md has an Endpoints section");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            // No cell of the table holds a `|` (the examples are plain JSON).
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            assert_eq!(cells.len(), 6, "six cells: {line}");
            let example = unquote(cells[3]);
            let status = cells[4]
                .split(|c: char| !c.is_ascii_digit())
                .find(|s| s.len() == 3)
                .unwrap_or_else(|| panic!("a status in {line}"))
                .parse()
                .unwrap();
            Row {
                method: unquote(cells[0]).parse().unwrap(),
                path: unquote(cells[1]).to_owned(),
                team: cells[2].trim() == "team",
                example: (!example.is_empty()).then(|| example.to_owned()),
                status,
            }
        })
        .collect()
}

#[test]
fn the_table_covers_the_contract() {
    let rows = endpoint_table();
    let documented: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    for required in [
        "GET /api/v1/status",
        "GET /api/v1/walls/{wall}/messages",
        "POST /api/v1/walls/{wall}/messages",
        "POST /api/v1/walls/{wall}/messages/{id}/hugs",
        "GET /api/v1/walls/{wall}/stream",
        "PATCH /api/v1/walls/{wall}/messages/{id}",
        "GET /api/v1/walls/{wall}/export",
        "GET /api/v1/walls",
        "GET /api/v1/walls/{wall}/messages/all",
        "POST /api/v1/walls/{wall}/official",
        "GET /api/v1/slow-mode",
        "PUT /api/v1/slow-mode",
        "PUT /api/v1/walls/{wall}/slow-mode",
        "GET /badge.svg",
        "GET /healthz",
        "GET /embed",
    ] {
        assert!(
            documented.iter().any(|d| d == required),
            "{required} is documented"
        );
    }
}

#[tokio::test]
async fn the_server_answers_every_documented_endpoint_as_documented() {
    let app = start().await;
    let dist = app.dir.path().join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    fs::write(dist.join("hugops.js"), "export {};").unwrap();

    // The state the examples assume: a message to act on, and a status.
    let wall = "docs";
    let id = app.post_message(wall, "Thank you, team!").await["id"]
        .as_i64()
        .unwrap();
    let set = app
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({"status": {"indicator": "none", "description": "All good"}})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);

    let rows = endpoint_table();
    assert!(rows.len() >= 15, "{rows:#?}");
    for row in rows {
        let path = row
            .path
            .replace("{wall}", wall)
            .replace("{id}", &id.to_string());
        let mut call = Call::new(row.method.clone(), &path);
        if let Some(example) = &row.example {
            let body: serde_json::Value = serde_json::from_str(example)
                .unwrap_or_else(|e| panic!("the example of {row:?} is JSON: {e}"));
            call = call.json(&body);
        }
        if row.team {
            call = call.team();
        }
        let reply = app.call(call).await;
        assert_eq!(
            reply.status.as_u16(),
            row.status,
            "{} {path}: {}",
            row.method,
            String::from_utf8_lossy(&reply.body[..reply.body.len().min(300)])
        );
        if row.team {
            // And team rows really are team-only.
            let anonymous = app.call(Call::new(row.method.clone(), &path)).await;
            assert_eq!(
                anonymous.status,
                StatusCode::UNAUTHORIZED,
                "{} {path}",
                row.method
            );
        }
    }
}
