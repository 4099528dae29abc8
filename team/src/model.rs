//! What the team endpoints answer, as the page reads it.
//!
//! `WallSummary` and the slow-mode bodies are the page's own serde types for
//! now; they mirror docs/api.md and can become `core::wire` types. Messages
//! are `core::wire::Message`.

use hugops_core::time::Timestamp;
use hugops_core::wire::Message;
use serde::{Deserialize, Serialize};

/// One wall in `GET /api/v1/walls`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct WallSummary {
    pub wall: String,
    /// The incident's name, when the wall belongs to one.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub incident_id: Option<String>,
    #[serde(default)]
    pub messages: u64,
    #[serde(default)]
    pub visible: u64,
    #[serde(default)]
    pub hidden: u64,
    #[serde(default)]
    pub held: u64,
    #[serde(default)]
    pub pinned: u64,
    #[serde(default)]
    pub hugs: u64,
    #[serde(default)]
    pub first_at: Option<Timestamp>,
    #[serde(default)]
    pub last_at: Option<Timestamp>,
    /// This wall's own slow mode: `None` follows the global setting.
    #[serde(default)]
    pub slow_mode_seconds: Option<u32>,
}

impl WallSummary {
    /// What the team calls the wall: the incident's name, else its slug.
    pub fn name(&self) -> &str {
        match self.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => title,
            _ => &self.wall,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct WallList {
    pub walls: Vec<WallSummary>,
}

/// A message as the team sees it. `official` is read beside the core type
/// so the page works whether or not `core::wire::Message` carries the flag
/// yet (the server sets it only for posts made with the team token).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TeamMessage {
    #[serde(flatten)]
    pub message: Message,
    #[serde(default)]
    pub official: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AllMessages {
    pub messages: Vec<TeamMessage>,
}

/// `GET/PUT /api/v1/slow-mode`; 0 is off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalSlowMode {
    pub global_seconds: u32,
}

/// `PUT /api/v1/walls/{wall}/slow-mode`; `None` follows the global setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallSlowMode {
    pub seconds: Option<u32>,
}

/// `POST /api/v1/walls/{wall}/official`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OfficialPost {
    pub body: String,
    pub client_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_wall_summary_reads_with_or_without_its_optional_facts() {
        let full: WallList = serde_json::from_value(json!({"walls": [{
            "wall": "inc-7", "title": "Database failover", "incident_id": "abc",
            "messages": 5, "visible": 3, "hidden": 1, "held": 1, "pinned": 1, "hugs": 9,
            "first_at": "2026-12-01T10:00:00.000Z", "last_at": "2026-12-01T11:00:00.000Z",
            "slow_mode_seconds": 30
        }]}))
        .unwrap();
        let wall = &full.walls[0];
        assert_eq!(wall.name(), "Database failover");
        assert_eq!(wall.slow_mode_seconds, Some(30));
        assert_eq!(
            wall.last_at.unwrap().millis() - wall.first_at.unwrap().millis(),
            3_600_000
        );

        let bare: WallList = serde_json::from_value(json!({"walls": [{
            "wall": "general", "title": "  ", "messages": 0, "visible": 0, "hidden": 0,
            "held": 0, "pinned": 0, "hugs": 0
        }]}))
        .unwrap();
        assert_eq!(bare.walls[0].name(), "general");
        assert_eq!(bare.walls[0].first_at, None);
    }

    #[test]
    fn the_official_flag_is_read_and_defaults_to_false() {
        let message = |extra: serde_json::Value| {
            let mut value = json!({
                "id": 3, "wall": "general", "body": "We are on it", "created_at":
                "2026-12-01T10:00:00.000Z", "hugs": 1, "pinned": true, "hidden": false,
                "held": false, "client_id": "c-1"
            });
            value
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            serde_json::from_value::<TeamMessage>(value).unwrap()
        };
        let official = message(json!({"official": true}));
        assert!(official.official);
        assert_eq!(official.message.body, "We are on it");
        assert!(official.message.pinned);
        assert!(!message(json!({})).official);
    }
}
