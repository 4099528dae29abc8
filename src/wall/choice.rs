//! Which walls the widget offers and which one it opens: the rule, in one
//! place, as plain Rust (the switcher only shows what this returns).
//!
//! - An operator who set `wall=` explicitly pinned it: that wall alone.
//! - Otherwise: the wall of each active incident (named by the incident,
//!   in the status source's order), then `general`, then the walls of
//!   incidents resolved in the last seven days ("Recent incidents", as the
//!   server lists them). The first active incident's wall is the default;
//!   with none, `general`.
//! - With only `general` to offer there is nothing to switch between.

use hugops_core::status::Incident;
use hugops_core::wire::{RecentWall, WallSlug};
use std::collections::HashSet;

/// Why a wall is offered; the switcher groups by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WallKind {
    /// An incident going on now.
    Incident,
    /// The page's own wall (`general`, or the operator's pinned wall).
    Page,
    /// An incident resolved in the last seven days.
    Recent,
}

/// One wall the visitor can open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WallChoice {
    pub wall: WallSlug,
    /// What the switcher calls it.
    pub label: String,
    pub kind: WallKind,
}

/// The walls offered, in order, and the one opened by default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub walls: Vec<WallChoice>,
    pub default: WallSlug,
}

impl Offer {
    /// Whether there is more than one wall to choose from.
    pub fn has_choice(&self) -> bool {
        self.walls.len() > 1
    }
}

/// The offer for `active` incidents (the status source's active ones) and
/// the server's `recent` incident walls. `pinned`: the operator's explicit
/// `wall=`, which wins over everything.
pub fn offer(pinned: Option<&WallSlug>, active: &[Incident], recent: &[RecentWall]) -> Offer {
    if let Some(wall) = pinned {
        return Offer {
            walls: vec![page_wall(wall.clone())],
            default: wall.clone(),
        };
    }
    let general = WallSlug::general();
    let mut seen: HashSet<WallSlug> = HashSet::from([general.clone()]);
    let mut walls = Vec::new();
    for incident in active.iter().filter(|i| !i.id.trim().is_empty()) {
        let wall = WallSlug::for_incident(&incident.id);
        if seen.insert(wall.clone()) {
            walls.push(WallChoice {
                label: named(Some(&incident.name), &wall),
                wall,
                kind: WallKind::Incident,
            });
        }
    }
    let default = walls.first().map_or(general.clone(), |c| c.wall.clone());
    walls.push(page_wall(general));
    for recent in recent {
        // The server lists going-on incidents too; the status source is
        // the one that says what is active now.
        if recent.resolved_at.is_some() && seen.insert(recent.wall.clone()) {
            walls.push(WallChoice {
                label: named(recent.title.as_deref(), &recent.wall),
                wall: recent.wall.clone(),
                kind: WallKind::Recent,
            });
        }
    }
    Offer { walls, default }
}

/// The wall to show: the visitor's pick while it is still offered, else
/// the offer's default (an incident that started since, or `general`).
pub fn current(offer: &Offer, picked: Option<&WallSlug>) -> WallSlug {
    picked
        .filter(|wall| offer.walls.iter().any(|c| &c.wall == *wall))
        .unwrap_or(&offer.default)
        .clone()
}

fn page_wall(wall: WallSlug) -> WallChoice {
    WallChoice {
        label: wall.as_str().to_owned(),
        wall,
        kind: WallKind::Page,
    }
}

/// An incident's name, or its wall's slug when the source gave none.
fn named(name: Option<&str>, wall: &WallSlug) -> String {
    match name.map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => wall.as_str().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::status::parse_summary;
    use hugops_core::time::Timestamp;

    fn active(json: &str) -> Vec<Incident> {
        let body = format!(
            r#"{{"status": {{"indicator": "major", "description": "Outage"}}, "incidents": {json}}}"#
        );
        parse_summary(body.as_bytes()).unwrap().active_incidents()
    }

    fn recent(wall: &str, title: &str, resolved: bool) -> RecentWall {
        RecentWall {
            wall: WallSlug::parse(wall).unwrap(),
            title: Some(title.to_owned()),
            started_at: Timestamp::from_millis(1),
            resolved_at: resolved.then(|| Timestamp::from_millis(2)),
        }
    }

    fn walls(offer: &Offer) -> Vec<(&str, &str, WallKind)> {
        offer
            .walls
            .iter()
            .map(|c| (c.wall.as_str(), c.label.as_str(), c.kind))
            .collect()
    }

    #[test]
    fn no_incident_and_none_recent_is_general_alone() {
        let offer = offer(None, &[], &[]);
        assert_eq!(walls(&offer), [("general", "general", WallKind::Page)]);
        assert_eq!(offer.default.as_str(), "general");
        assert!(!offer.has_choice());
    }

    #[test]
    fn active_incidents_come_first_named_and_the_first_is_the_default() {
        let incidents = active(
            r#"[{"id": "abc123", "name": " Slow logins ", "status": "investigating"},
                {"id": "INC 42", "name": "Billing delays", "status": "identified"},
                {"id": "abc123", "name": "Duplicate", "status": "investigating"},
                {"id": "", "name": "No id", "status": "investigating"}]"#,
        );
        let offer = offer(None, &incidents, &[]);
        let odd = WallSlug::for_incident("INC 42");
        let listed = walls(&offer);
        assert_eq!(listed.len(), 3, "{listed:?}");
        assert!(listed.contains(&("abc123", "Slow logins", WallKind::Incident)));
        assert!(listed.contains(&(odd.as_str(), "Billing delays", WallKind::Incident)));
        assert_eq!(listed[2], ("general", "general", WallKind::Page));
        assert_eq!(offer.default, offer.walls[0].wall);
        assert!(offer.has_choice());
    }

    #[test]
    fn recently_resolved_walls_are_offered_after_general_but_never_chosen() {
        let incidents = active(r#"[{"id": "now1", "name": "Now", "status": "monitoring"}]"#);
        let nameless = RecentWall {
            title: None,
            ..recent("old2", "", true)
        };
        let recent = [
            recent("now1", "Now", false),
            recent("old1", "Yesterday", true),
            nameless,
        ];
        let offer = offer(None, &incidents, &recent);
        assert_eq!(
            walls(&offer),
            [
                ("now1", "Now", WallKind::Incident),
                ("general", "general", WallKind::Page),
                ("old1", "Yesterday", WallKind::Recent),
                ("old2", "old2", WallKind::Recent),
            ]
        );
        assert_eq!(offer.default.as_str(), "now1");

        let after = offer_without_incidents(&recent);
        assert_eq!(after.default.as_str(), "general");
        assert!(after.has_choice(), "general and yesterday's wall");
    }

    fn offer_without_incidents(recent: &[RecentWall]) -> Offer {
        offer(None, &[], recent)
    }

    #[test]
    fn the_visitors_pick_holds_while_it_is_offered() {
        let incidents = active(r#"[{"id": "now1", "name": "Now", "status": "investigating"}]"#);
        let during = offer(None, &incidents, &[]);
        let general = WallSlug::general();
        assert_eq!(current(&during, None).as_str(), "now1");
        assert_eq!(current(&during, Some(&general)), general);
        let gone = WallSlug::parse("gone").unwrap();
        assert_eq!(current(&during, Some(&gone)).as_str(), "now1");
        // Resolved and listed as recent: the visitor stays on it.
        let now1 = WallSlug::parse("now1").unwrap();
        let after = offer(None, &[], &[recent("now1", "Now", true)]);
        assert_eq!(current(&after, Some(&now1)), now1);
        assert_eq!(current(&after, None), general);
    }

    #[test]
    fn a_pinned_wall_is_the_only_one() {
        let pinned = WallSlug::parse("launch").unwrap();
        let incidents = active(r#"[{"id": "now1", "name": "Now", "status": "investigating"}]"#);
        let offer = offer(Some(&pinned), &incidents, &[recent("old1", "Old", true)]);
        assert_eq!(walls(&offer), [("launch", "launch", WallKind::Page)]);
        assert_eq!(offer.default, pinned);
        assert!(!offer.has_choice());
    }
}
