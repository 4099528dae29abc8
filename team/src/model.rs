//! What the team endpoints answer, as the page reads it. The shapes
//! themselves are `hugops_core::wire`'s (`WallList`, `MessagePage`,
//! `Message`, `SlowModeSettings`, …), shared with the server so the two
//! cannot drift apart; this module holds only the page's readings of them.

use hugops_core::wire::WallSummary;

/// What the team calls a wall: the incident's name, else its slug.
pub fn wall_name(wall: &WallSummary) -> &str {
    match wall.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => title,
        _ => wall.wall.as_str(),
    }
}

/// Whether the wall has a name of its own besides its slug (the page then
/// shows both).
pub fn has_own_name(wall: &WallSummary) -> bool {
    wall_name(wall) != wall.wall.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::wire::{MessagePage, WallList};
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
        assert_eq!(wall_name(wall), "Database failover");
        assert!(has_own_name(wall));
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
        assert_eq!(wall_name(&bare.walls[0]), "general");
        assert!(!has_own_name(&bare.walls[0]));
        assert_eq!(bare.walls[0].first_at, None);
    }

    #[test]
    fn every_message_reads_with_its_team_only_flags() {
        // `GET .../messages/all` answers a `MessagePage` whose messages
        // carry what the public never sees: held ones and client ids.
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
            value
        };
        let page: MessagePage = serde_json::from_value(json!({"messages": [
            message(json!({"official": true})),
            message(json!({"id": 4, "held": true, "pinned": false})),
        ]}))
        .unwrap();
        let [official, held] = &page.messages[..] else {
            panic!("two messages expected")
        };
        assert!(official.official);
        assert_eq!(official.body, "We are on it");
        assert!(official.pinned);
        assert_eq!(official.client_id.as_deref(), Some("c-1"));
        assert!(held.held);
        assert!(!held.official);
    }
}
