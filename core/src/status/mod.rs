//! The Statuspage v2 model, its lenient parser, and the views the widget
//! draws from it.
//!
//! - `kinds`: the enumerated values, with wire text and plain-English labels;
//! - `model`: the summary as plain data, serialising to the Statuspage shape;
//! - `read`: reading one JSON field leniently;
//! - `parse`: building the model from any Statuspage-like JSON;
//! - `derive`: an overall status for payloads that send none;
//! - `tree`: components as rows, groups with their members;
//! - `views`: active incidents, affected components, maintenance, trouble;
//! - `words`: one word per status per language, and one look (shape, mark,
//!   tone) per status, for the widget and the badge alike.
//!
//! ```
//! use hugops_core::status::{parse_summary_str, Indicator};
//!
//! let summary = parse_summary_str(
//!     r#"{"components": [{"id": "a", "name": "API", "status": "partial_outage"}]}"#,
//! )
//! .unwrap();
//! assert_eq!(summary.status.indicator, Indicator::Major);
//! assert_eq!(summary.component_tree()[0].component.status.label(), "Partial outage");
//! ```

mod derive;
mod kinds;
mod model;
mod parse;
mod read;
mod tree;
mod views;
mod words;

pub use kinds::{
    ComponentStatus, Impact, IncidentStatus, Indicator, MaintenanceStatus, UpdateStatus,
};
pub use model::{
    AffectedComponent, Component, ComponentRef, Incident, IncidentUpdate, Maintenance, Page,
    Status, Summary,
};
pub use parse::{parse_summary, parse_summary_str, summary_from_value};
pub use tree::ComponentNode;
pub use views::MaintenanceSplit;
pub use words::{is_status_phrase, status_caption, Level, Look, Mark, Shape, Tone};

use std::fmt;

/// Why a status source's answer could not be read. `Display` gives plain
/// words the widget may show as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusError {
    /// The body is not JSON; the detail says what it was instead.
    NotJson(String),
    /// The body is JSON, but not an object.
    NotAnObject,
    /// The object has neither a status nor a components list.
    NoStatus,
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusError::NotJson(detail) => {
                write!(f, "The status source did not send JSON: {detail}.")
            }
            StatusError::NotAnObject => {
                f.write_str("The status source sent JSON that is not a status summary.")
            }
            StatusError::NoStatus => {
                f.write_str("The status source sent JSON without a status or components.")
            }
        }
    }
}

impl std::error::Error for StatusError {}
