//! Status icons. Each status has its own glyph and shape as well as a
//! colour, and is always shown next to its text label: status is never
//! told by colour alone (WCAG 1.4.1).

use hugops_core::status::{ComponentStatus, Indicator};
use leptos::prelude::*;

/// How a status looks: glyph, shape modifier and tone (colour) class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub glyph: &'static str,
    pub shape: &'static str,
    pub tone: &'static str,
}

const OK: Look = Look {
    glyph: "✓",
    shape: "",
    tone: "hugops-tone-ok",
};
const MAINTENANCE: Look = Look {
    glyph: "i",
    shape: "hugops-icon--square",
    tone: "hugops-tone-maint",
};
const UNKNOWN: Look = Look {
    glyph: "?",
    shape: "",
    tone: "hugops-tone-unknown",
};
const DEGRADED: Look = Look {
    glyph: "~",
    shape: "hugops-icon--diamond",
    tone: "hugops-tone-warn",
};
const PARTIAL: Look = Look {
    glyph: "!",
    shape: "hugops-icon--diamond",
    tone: "hugops-tone-warn",
};
const OUTAGE: Look = Look {
    glyph: "✕",
    shape: "hugops-icon--square",
    tone: "hugops-tone-bad",
};

pub fn component_look(status: &ComponentStatus) -> Look {
    match status {
        ComponentStatus::Operational => OK,
        ComponentStatus::DegradedPerformance => DEGRADED,
        ComponentStatus::PartialOutage => PARTIAL,
        ComponentStatus::MajorOutage => OUTAGE,
        ComponentStatus::UnderMaintenance => MAINTENANCE,
        ComponentStatus::Unknown(_) => UNKNOWN,
    }
}

pub fn indicator_look(indicator: &Indicator) -> Look {
    match indicator {
        Indicator::None => OK,
        Indicator::Minor => PARTIAL,
        Indicator::Major | Indicator::Critical => OUTAGE,
        Indicator::Maintenance => MAINTENANCE,
        Indicator::Unknown(_) => UNKNOWN,
    }
}

/// The icon itself; hidden from screen readers, which read the label.
#[component]
pub fn StatusIcon(look: Look) -> impl IntoView {
    view! {
        <span class=format!("hugops-icon {} {}", look.shape, look.tone) aria-hidden="true">
            <span>{look.glyph}</span>
        </span>
    }
}
