//! Incident walls: every incident the status service sees gets a wall
//! (`WallSlug::for_incident` of its id), and the server records which
//! incident it is (name, start, resolution), so the team's wall list can
//! name it, and keeps the record after the incident resolves.
//!
//! The status service calls [`IncidentWalls::saw`] with every summary it
//! takes in fresh; that only compares and hands the incidents to a task of
//! their own, so serving the status never waits for the database. An
//! incident the served status stops listing as going on is marked resolved
//! then (a Statuspage summary lists unresolved incidents only).

use crate::store::{IncidentRecord, WallStore};
use hugops_core::status::Summary;
use hugops_core::wire::WallSlug;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long a reader waits for what was seen to be stored.
const SETTLE_WAIT: Duration = Duration::from_secs(5);
/// After a failed write, the next attempt is this much later.
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// The latest incidents seen, numbered.
#[derive(Clone, Default)]
struct Seen {
    version: u64,
    /// `None` until the first summary: that one is always recorded, so
    /// incidents that ended while the server was down are marked resolved.
    incidents: Option<Vec<IncidentRecord>>,
}

pub struct IncidentWalls {
    seen: watch::Sender<Seen>,
    /// The newest version stored.
    stored: watch::Receiver<u64>,
}

impl IncidentWalls {
    /// Starts the task that records what is seen in `store`.
    pub fn start(store: Arc<dyn WallStore>) -> Arc<IncidentWalls> {
        let (seen, watching) = watch::channel(Seen::default());
        let (stored_out, stored) = watch::channel(0);
        tokio::spawn(record(store, watching, stored_out));
        Arc::new(IncidentWalls { seen, stored })
    }

    /// The hook for the status service: takes note of `summary`'s
    /// incidents. Cheap, and never blocks.
    pub fn saw(&self, summary: &Summary) {
        let incidents = records_of(summary);
        self.seen.send_if_modified(|seen| {
            let same = seen
                .incidents
                .as_ref()
                .is_some_and(|known| same_facts(known, &incidents));
            if !same {
                seen.version += 1;
                seen.incidents = Some(incidents);
            }
            !same
        });
    }

    /// Waits (a few seconds at most) until everything seen so far is
    /// stored, so a list read next shows it.
    pub async fn settled(&self) {
        let target = self.seen.borrow().version;
        let mut stored = self.stored.clone();
        let _ = tokio::time::timeout(SETTLE_WAIT, stored.wait_for(|v| *v >= target)).await;
    }
}

/// The incidents of a summary as records: one per wall, in the source's
/// order. An incident without an id has no wall of its own; a resolved
/// one the summary still lists is recorded with its resolution time.
fn records_of(summary: &Summary) -> Vec<IncidentRecord> {
    let mut walls = HashSet::new();
    summary
        .incidents
        .iter()
        .filter(|incident| !incident.id.trim().is_empty())
        .filter_map(|incident| {
            let resolved_at = if incident.is_active() {
                None
            } else {
                // Resolved, but when? Without any time it is left to the
                // "no longer listed" rule.
                Some(incident.resolved_at.or(incident.updated_at)?)
            };
            let wall = WallSlug::for_incident(&incident.id);
            walls.insert(wall.clone()).then(|| IncidentRecord {
                wall,
                incident_id: incident.id.clone(),
                name: incident.name.trim().to_owned(),
                started_at: incident.began_at(),
                resolved_at,
            })
        })
        .collect()
}

/// Whether two lists record the same: the start is left out, since the
/// store keeps the first one seen anyway (and the demo's moves with the
/// clock).
fn same_facts(a: &[IncidentRecord], b: &[IncidentRecord]) -> bool {
    let facts = |r: &IncidentRecord| (r.wall.clone(), r.name.clone(), r.resolved_at);
    a.len() == b.len() && a.iter().map(facts).eq(b.iter().map(facts))
}

async fn record(
    store: Arc<dyn WallStore>,
    mut seen: watch::Receiver<Seen>,
    stored: watch::Sender<u64>,
) {
    while seen.changed().await.is_ok() {
        loop {
            let latest = seen.borrow_and_update().clone();
            let Some(incidents) = latest.incidents else {
                break;
            };
            match store.record_incidents(incidents, crate::now()).await {
                Ok(()) => {
                    stored.send_replace(latest.version);
                    break;
                }
                Err(error) => {
                    tracing::warn!(%error, "recording incident walls failed; trying again");
                    tokio::time::sleep(RETRY_AFTER).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::status::parse_summary;

    #[test]
    fn each_identified_incident_gets_one_wall() {
        let summary = parse_summary(
            br#"{"status": {"indicator": "major", "description": "Outage"}, "incidents": [
                {"id": "p31zjtct2jer", "name": " Slow logins ", "status": "investigating",
                 "created_at": "2024-03-01T17:00:00.000Z"},
                {"id": "p31zjtct2jer", "name": "Duplicate", "status": "investigating"},
                {"id": "", "name": "No id", "status": "investigating"},
                {"id": "Old One", "name": "Done", "status": "resolved",
                 "resolved_at": "2024-03-01T18:00:00.000Z"},
                {"id": "undated", "name": "Done, no time", "status": "resolved"}
            ]}"#,
        )
        .unwrap();
        let records = records_of(&summary);
        let walls: Vec<&str> = records.iter().map(|r| r.wall.as_str()).collect();
        assert_eq!(
            walls,
            ["p31zjtct2jer", WallSlug::for_incident("Old One").as_str()]
        );
        assert_eq!(records[0].name, "Slow logins");
        assert!(records[0].started_at.is_some());
        assert!(records[0].resolved_at.is_none());
        assert!(records[1].resolved_at.is_some());
    }
}
