//! What the widget asks of a summary: is anything wrong, which incidents
//! are going on and what they touch, and which maintenance is under way or
//! coming.

use super::model::{ComponentRef, Incident, IncidentUpdate, Maintenance, Summary};
use super::{IncidentStatus, MaintenanceStatus};
use crate::sort::stable_sort_by_key;
use crate::time::Timestamp;
use std::cmp::Reverse;

/// Sorts newest first by the given time; entries without one go last, and
/// equal times keep the source's order.
fn newest_first<T>(items: &mut [T], when: impl Fn(&T) -> Option<Timestamp>) {
    stable_sort_by_key(items, |item| {
        let when = when(item);
        (when.is_none(), Reverse(when))
    });
}

/// When an update counts as posted: `display_at`, else `created_at`.
fn posted_at(update: &IncidentUpdate) -> Option<Timestamp> {
    update.display_at.or(update.created_at)
}

impl Incident {
    /// Whether the incident is still going on: not resolved or postmortem.
    /// An unknown status counts as going on unless `resolved_at` is set.
    pub fn is_active(&self) -> bool {
        match &self.status {
            IncidentStatus::Unknown(_) => self.resolved_at.is_none(),
            status => !status.is_resolved(),
        }
    }

    /// When the incident began: `started_at`, else `created_at`.
    pub fn began_at(&self) -> Option<Timestamp> {
        self.started_at.or(self.created_at)
    }

    /// Puts the updates newest first (by `display_at`, else `created_at`).
    pub fn sort_updates_newest_first(&mut self) {
        newest_first(&mut self.incident_updates, posted_at);
    }

    /// The components this incident affects, each once: first those the
    /// incident lists, then any other that an update names (newest update
    /// first). A name missing from one source is taken from the other.
    pub fn affected_components(&self) -> Vec<ComponentRef> {
        let mut updates: Vec<&IncidentUpdate> = self.incident_updates.iter().collect();
        newest_first(&mut updates, |u| posted_at(u));
        let from_updates = updates.into_iter().flat_map(|u| {
            u.affected_components.iter().map(|a| ComponentRef {
                id: a.code.clone(),
                name: a.name.clone(),
            })
        });
        let mut found: Vec<ComponentRef> = Vec::new();
        for candidate in self.components.iter().cloned().chain(from_updates) {
            let same = |known: &&mut ComponentRef| {
                if candidate.id.is_empty() {
                    known.name == candidate.name
                } else {
                    known.id == candidate.id
                }
            };
            match found.iter_mut().find(same) {
                Some(known) if known.name.is_empty() => known.name = candidate.name,
                Some(_) => {}
                None => found.push(candidate),
            }
        }
        found
    }
}

impl Maintenance {
    /// Puts the updates newest first (by `display_at`, else `created_at`).
    pub fn sort_updates_newest_first(&mut self) {
        newest_first(&mut self.incident_updates, posted_at);
    }
}

/// Scheduled maintenance split for display; see [`Summary::maintenance`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MaintenanceSplit {
    /// Under way now, earliest start first.
    pub in_progress: Vec<Maintenance>,
    /// Not started yet, soonest first.
    pub upcoming: Vec<Maintenance>,
}

impl Summary {
    /// Whether the page should look troubled: the indicator is minor, major
    /// or critical, or a component is degraded or down, or an incident is
    /// going on. Maintenance alone is not trouble.
    pub fn is_degraded(&self) -> bool {
        self.status.indicator.is_degraded()
            || self.components.iter().any(|c| c.status.is_degraded())
            || self.incidents.iter().any(Incident::is_active)
    }

    /// The incidents still going on, newest first (by `started_at`, else
    /// `created_at`), each with its updates newest first.
    pub fn active_incidents(&self) -> Vec<Incident> {
        let mut active: Vec<Incident> = self
            .incidents
            .iter()
            .filter(|i| i.is_active())
            .cloned()
            .collect();
        newest_first(&mut active, Incident::began_at);
        for incident in &mut active {
            incident.sort_updates_newest_first();
        }
        active
    }

    /// The ids of every component an active incident affects, each once,
    /// for marking rows of the component tree.
    pub fn affected_component_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for incident in self.incidents.iter().filter(|i| i.is_active()) {
            for c in incident.affected_components() {
                if !c.id.is_empty() && !ids.contains(&c.id) {
                    ids.push(c.id);
                }
            }
        }
        ids
    }

    /// Splits scheduled maintenance at `now`, each with updates newest
    /// first:
    /// - in progress: status in progress or verifying;
    /// - upcoming: status scheduled, unless its window already ended before
    ///   `now`, soonest `scheduled_for` first (a maintenance whose start has
    ///   passed stays upcoming until the team starts it);
    /// - an unknown status is placed by its window: under way if `now` is
    ///   inside it, upcoming if it has not begun;
    /// - completed maintenance is left out.
    pub fn maintenance(&self, now: Timestamp) -> MaintenanceSplit {
        let mut split = MaintenanceSplit::default();
        for m in &self.scheduled_maintenances {
            let ended = m.scheduled_until.is_some_and(|until| until <= now);
            let started = m.scheduled_for.is_some_and(|start| start <= now);
            let target = match &m.status {
                status if status.is_in_progress() => &mut split.in_progress,
                MaintenanceStatus::Scheduled if !ended => &mut split.upcoming,
                MaintenanceStatus::Unknown(_) if started && !ended => &mut split.in_progress,
                MaintenanceStatus::Unknown(_) if m.scheduled_for.is_some() && !started => {
                    &mut split.upcoming
                }
                _ => continue,
            };
            let mut m = m.clone();
            m.sort_updates_newest_first();
            target.push(m);
        }
        for list in [&mut split.in_progress, &mut split.upcoming] {
            stable_sort_by_key(list, |m| (m.scheduled_for.is_none(), m.scheduled_for));
        }
        split
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_summary_str, Impact, UpdateStatus};
    use super::*;
    use serde_json::{json, Value};

    fn summary(body: Value) -> Summary {
        parse_summary_str(&body.to_string()).unwrap()
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn ok() -> Value {
        json!({"indicator": "none", "description": "All Systems Operational"})
    }

    #[test]
    fn active_incidents_newest_first_with_updates_newest_first() {
        let s = summary(json!({"status": ok(), "incidents": [
            {"id": "old", "name": "Old", "status": "monitoring",
             "started_at": "2024-01-01T10:00:00Z"},
            {"id": "done", "name": "Done", "status": "resolved",
             "started_at": "2024-01-03T10:00:00Z"},
            {"id": "pm", "name": "Postmortem", "status": "postmortem"},
            {"id": "new", "name": "New", "status": "investigating",
             "created_at": "2024-01-02T10:00:00+02:00",
             "incident_updates": [
                {"id": "u1", "status": "investigating", "body": "first",
                 "created_at": "2024-01-02T08:01:00Z"},
                {"id": "u3", "status": "identified", "body": "third",
                 "created_at": "2024-01-02T08:30:00Z"},
                {"id": "u2", "status": "investigating", "body": "second",
                 "created_at": "2024-01-02T08:59:00Z",
                 "display_at": "2024-01-02T08:10:00Z"},
                {"id": "u0", "status": "investigating", "body": "undated"}
             ]},
            {"id": "odd", "name": "Odd", "status": "mystery",
             "resolved_at": "2024-01-02T00:00:00Z"},
            {"id": "odd2", "name": "Odd but open", "status": "mystery"}
        ]}));
        let active = s.active_incidents();
        let ids: Vec<_> = active.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["new", "old", "odd2"]);
        let updates: Vec<_> = active[0]
            .incident_updates
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        assert_eq!(updates, ["u3", "u2", "u1", "u0"]);
        assert_eq!(
            active[0].incident_updates[0].status,
            UpdateStatus::Identified
        );
        assert!(s.is_degraded());
    }

    #[test]
    fn affected_components_merge_incident_and_update_lists() {
        let s = summary(json!({"status": ok(), "incidents": [{
            "id": "i", "name": "Slow", "status": "identified", "impact": "minor",
            "components": [{"id": "a", "name": "API"}, "b"],
            "incident_updates": [
                {"body": "older", "created_at": "2024-01-01T10:00:00Z",
                 "affected_components": [{"code": "c", "name": "Group - Old"}]},
                {"body": "newer", "created_at": "2024-01-01T11:00:00Z",
                 "affected_components": [
                    {"code": "a", "name": "Group - API"},
                    {"code": "b", "name": "Group - B"},
                    {"code": "d", "name": "Group - D"},
                    {"name": "Nameless code"},
                    {"name": "Nameless code"}
                 ]}
            ]
        }, {
            "id": "r", "name": "Fixed", "status": "resolved",
            "components": [{"id": "z", "name": "Zed"}]
        }]}));
        let i = &s.incidents[0];
        assert_eq!(i.impact, Impact::Minor);
        let affected: Vec<_> = i
            .affected_components()
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let expected = [
            ("a", "API"),
            ("b", "Group - B"),
            ("d", "Group - D"),
            ("", "Nameless code"),
            ("c", "Group - Old"),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(id, name)| (id.to_string(), name.to_string()))
            .collect();
        assert_eq!(affected, expected);
        assert_eq!(s.affected_component_ids(), ["a", "b", "d", "c"]);
    }

    #[test]
    fn is_degraded_follows_indicator_components_and_incidents() {
        let calm = summary(json!({"status": ok(), "components": [
            {"id": "a", "name": "A", "status": "under_maintenance"}
        ]}));
        assert!(!calm.is_degraded());
        let lagging = summary(json!({"status": ok(), "components": [
            {"id": "a", "name": "A", "status": "degraded_performance"}
        ]}));
        assert!(lagging.is_degraded());
        let minor = summary(json!({"status": {"indicator": "minor", "description": "x"}}));
        assert!(minor.is_degraded());
        let over = summary(json!({"status": ok(), "incidents": [
            {"name": "Old", "status": "resolved"}
        ]}));
        assert!(!over.is_degraded());
    }

    #[test]
    fn maintenance_splits_at_now() {
        let s = summary(json!({"status": ok(), "scheduled_maintenances": [
            {"id": "later", "name": "Later", "status": "scheduled",
             "scheduled_for": "2024-05-03T00:00:00Z", "scheduled_until": "2024-05-03T02:00:00Z"},
            {"id": "soon", "name": "Soon", "status": "scheduled",
             "scheduled_for": "2024-05-02T00:00:00Z", "scheduled_until": "2024-05-02T02:00:00Z"},
            {"id": "stale", "name": "Stale", "status": "scheduled",
             "scheduled_for": "2024-04-01T00:00:00Z", "scheduled_until": "2024-04-01T02:00:00Z"},
            {"id": "late", "name": "Late start", "status": "scheduled",
             "scheduled_for": "2024-05-01T11:00:00Z", "scheduled_until": "2024-05-01T14:00:00Z"},
            {"id": "now", "name": "Now", "status": "in_progress",
             "scheduled_for": "2024-05-01T10:00:00Z", "scheduled_until": "2024-05-01T14:00:00Z",
             "incident_updates": [
                {"id": "a", "status": "scheduled", "body": "Planned",
                 "created_at": "2024-04-20T10:00:00Z"},
                {"id": "b", "status": "in_progress", "body": "Started",
                 "created_at": "2024-05-01T10:00:00Z"}
             ]},
            {"id": "check", "name": "Checking", "status": "verifying",
             "scheduled_for": "2024-05-01T09:00:00Z"},
            {"id": "done", "name": "Done", "status": "completed",
             "scheduled_for": "2024-05-01T08:00:00Z"},
            {"id": "odd-now", "name": "Odd now", "status": "paused",
             "scheduled_for": "2024-05-01T11:30:00Z", "scheduled_until": "2024-05-01T13:00:00Z"},
            {"id": "odd-later", "name": "Odd later", "status": "paused",
             "scheduled_for": "2024-06-01T00:00:00Z"},
            {"id": "odd-undated", "name": "Odd undated", "status": "paused"}
        ]}));
        let split = s.maintenance(at("2024-05-01T12:00:00Z"));
        let ids =
            |list: &[Maintenance]| -> Vec<String> { list.iter().map(|m| m.id.clone()).collect() };
        assert_eq!(ids(&split.in_progress), ["check", "now", "odd-now"]);
        assert_eq!(ids(&split.upcoming), ["late", "soon", "later", "odd-later"]);
        let now = &split.in_progress[1];
        assert_eq!(now.status, MaintenanceStatus::InProgress);
        assert_eq!(now.incident_updates[0].id, "b");
        assert!(!s.is_degraded());
    }
}
