//! The Statuspage v2 summary as plain data.
//!
//! The types serialise back to the Statuspage v2 JSON shape, so the server
//! can re-serve what it parsed; they are read through the lenient parser in
//! `parse.rs` (also behind `Deserialize` for [`Summary`]), never through
//! derived `Deserialize`, which would fail on the first odd field.

use super::kinds::{
    ComponentStatus, Impact, IncidentStatus, Indicator, MaintenanceStatus, UpdateStatus,
};
use crate::time::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

/// What `/api/v2/summary.json` (or `/api/v2/components.json`) says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<Page>,
    /// As sent, or derived from the components when the payload has none
    /// (see [`Status::from_components`]).
    pub status: Status,
    /// In the order the source sent them; see `component_tree` for display.
    pub components: Vec<Component>,
    pub incidents: Vec<Incident>,
    pub scheduled_maintenances: Vec<Maintenance>,
}

impl<'de> Deserialize<'de> for Summary {
    /// Reads leniently, exactly as [`super::parse_summary`] does.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        super::parse::summary_from_value(&value).map_err(serde::de::Error::custom)
    }
}

/// The status page itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Page {
    pub id: String,
    pub name: String,
    pub url: String,
    /// An IANA zone name such as `America/Denver`; kept for display only.
    pub time_zone: Option<String>,
    pub updated_at: Option<Timestamp>,
}

/// The page's overall status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Status {
    pub indicator: Indicator,
    /// The page's own words, e.g. "Partially Degraded Service".
    pub description: String,
}

/// A component, or a group of components (`group: true`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Component {
    /// Empty when the source sent none; an empty id never matches another.
    pub id: String,
    pub name: String,
    pub status: ComponentStatus,
    /// Order among its siblings; `None` when absent or unreadable.
    pub position: Option<i64>,
    pub description: Option<String>,
    pub group: bool,
    /// The group this component belongs to.
    pub group_id: Option<String>,
    /// For a group: its members' ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// Hide this component while it is operational.
    pub only_show_if_degraded: bool,
    /// Whether the page shows the component's uptime history.
    pub showcase: bool,
    /// A calendar date (`2021-10-05`), kept as text.
    pub start_date: Option<String>,
    pub updated_at: Option<Timestamp>,
}

/// A component named by an incident or a maintenance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ComponentRef {
    pub id: String,
    pub name: String,
}

/// An incident, with its timeline of updates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Incident {
    /// Empty when the source sent none.
    pub id: String,
    pub name: String,
    pub status: IncidentStatus,
    pub impact: Impact,
    pub shortlink: Option<String>,
    pub started_at: Option<Timestamp>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// In the order the source sent them (Statuspage: newest first).
    pub incident_updates: Vec<IncidentUpdate>,
    pub components: Vec<ComponentRef>,
}

/// One entry of an incident's or a maintenance's timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncidentUpdate {
    pub id: String,
    pub status: UpdateStatus,
    /// Plain text. Render it as a text node, never as markup.
    pub body: String,
    pub created_at: Option<Timestamp>,
    /// When the team wants the update shown as posted; may differ from
    /// `created_at` (backdated updates).
    pub display_at: Option<Timestamp>,
    pub affected_components: Vec<AffectedComponent>,
}

/// A component whose status an update changed (or confirmed).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AffectedComponent {
    /// The component's id.
    pub code: String,
    /// Statuspage writes "Group - Component" here.
    pub name: String,
    pub old_status: ComponentStatus,
    pub new_status: ComponentStatus,
}

/// A scheduled maintenance (`scheduled_maintenances`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Maintenance {
    pub id: String,
    pub name: String,
    pub status: MaintenanceStatus,
    pub impact: Impact,
    pub shortlink: Option<String>,
    pub scheduled_for: Option<Timestamp>,
    pub scheduled_until: Option<Timestamp>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub incident_updates: Vec<IncidentUpdate>,
    pub components: Vec<ComponentRef>,
}
