//! The enumerated values of the Statuspage v2 API, each with its wire text
//! and a plain-English label (the page's indicator and a component's status
//! have theirs, in every language, in `words.rs`).
//!
//! Every enum keeps a value it does not know as `Unknown(text)` instead of
//! failing: a newer or non-Atlassian server may invent statuses, and one
//! odd word must not blank the widget. Labels exist because the UI must never
//! convey a status by colour alone.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Reduces a wire value to the form the API documents, so that
/// `"Degraded Performance"`, `" degraded-performance "` and
/// `"degraded_performance"` read the same.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

macro_rules! wire_enum {
    // Values with their plain-English labels here.
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal => $label:literal, )+
        }
        unknown => $unknown_label:literal;
    ) => {
        wire_enum! {
            $(#[$meta])*
            pub enum $name {
                $( $(#[$vmeta])* $variant = $wire, )+
            }
        }

        impl $name {
            /// Plain English for people, e.g. in the widget.
            pub fn label(&self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                    $name::Unknown(_) => $unknown_label,
                }
            }
        }
    };
    // Values whose words, in every language, are in `words.rs`, which
    // gives them `label()`.
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as the source wrote it
            /// (trimmed). Empty when the source sent none.
            Unknown(String),
        }

        impl $name {
            /// Reads a wire value. Case, surrounding spaces, and spaces or
            /// dashes in place of underscores do not matter; anything else
            /// is kept as `Unknown`.
            pub fn from_wire(text: &str) -> Self {
                match normalise(text).as_str() {
                    $( $wire => $name::$variant, )+
                    _ => $name::Unknown(text.trim().to_owned()),
                }
            }

            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(text) => text,
                }
            }

            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl fmt::Display for $name {
            /// Shows the label, never the wire text.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::from_wire(&text))
            }
        }
    };
}

wire_enum! {
    /// The page's overall indicator (`status.indicator`). Its words and
    /// looks are in `words.rs`.
    pub enum Indicator {
        None = "none",
        Minor = "minor",
        Major = "major",
        Critical = "critical",
        Maintenance = "maintenance",
    }
}

impl Indicator {
    /// Orders indicators from best to worst:
    /// none < maintenance < unknown < minor < major < critical.
    ///
    /// An unknown indicator ranks above maintenance and below minor: it is
    /// not known to be fine, but nothing says it is broken either.
    pub fn severity(&self) -> u8 {
        match self {
            Indicator::None => 0,
            Indicator::Maintenance => 1,
            Indicator::Unknown(_) => 2,
            Indicator::Minor => 3,
            Indicator::Major => 4,
            Indicator::Critical => 5,
        }
    }

    /// Whether the indicator says something is broken (minor, major or
    /// critical). Maintenance and unknown values are not.
    pub fn is_degraded(&self) -> bool {
        matches!(
            self,
            Indicator::Minor | Indicator::Major | Indicator::Critical
        )
    }
}

wire_enum! {
    /// A component's status. Its words and looks are in `words.rs`.
    pub enum ComponentStatus {
        Operational = "operational",
        DegradedPerformance = "degraded_performance",
        PartialOutage = "partial_outage",
        MajorOutage = "major_outage",
        UnderMaintenance = "under_maintenance",
    }
}

impl ComponentStatus {
    /// Orders statuses from best to worst: operational < under maintenance <
    /// unknown < degraded performance < partial outage < major outage.
    ///
    /// An unknown status ranks above maintenance and below degraded: the
    /// widget cannot claim the component works, and must not raise an alarm
    /// over a word it does not understand.
    pub fn severity(&self) -> u8 {
        match self {
            ComponentStatus::Operational => 0,
            ComponentStatus::UnderMaintenance => 1,
            ComponentStatus::Unknown(_) => 2,
            ComponentStatus::DegradedPerformance => 3,
            ComponentStatus::PartialOutage => 4,
            ComponentStatus::MajorOutage => 5,
        }
    }

    pub fn is_operational(&self) -> bool {
        *self == ComponentStatus::Operational
    }

    /// Whether the component is known to work worse than usual: degraded
    /// performance, partial or major outage. Maintenance is planned, and an
    /// unknown status is not known to be a problem.
    pub fn is_degraded(&self) -> bool {
        matches!(
            self,
            ComponentStatus::DegradedPerformance
                | ComponentStatus::PartialOutage
                | ComponentStatus::MajorOutage
        )
    }
}

wire_enum! {
    /// Where an incident stands.
    pub enum IncidentStatus {
        Investigating = "investigating" => "Investigating",
        Identified = "identified" => "Identified",
        Monitoring = "monitoring" => "Monitoring",
        Resolved = "resolved" => "Resolved",
        Postmortem = "postmortem" => "Postmortem",
    }
    unknown => "Unknown status";
}

impl IncidentStatus {
    /// Resolved or postmortem: the incident is over.
    pub fn is_resolved(&self) -> bool {
        matches!(self, IncidentStatus::Resolved | IncidentStatus::Postmortem)
    }
}

wire_enum! {
    /// How badly an incident or a maintenance affects the service.
    /// Statuspage gives scheduled maintenances the impact `maintenance`.
    pub enum Impact {
        None = "none" => "No impact",
        Minor = "minor" => "Minor impact",
        Major = "major" => "Major impact",
        Critical = "critical" => "Critical impact",
        Maintenance = "maintenance" => "Maintenance",
    }
    unknown => "Unknown impact";
}

impl Impact {
    /// none < maintenance < unknown < minor < major < critical, as for
    /// [`Indicator::severity`].
    pub fn severity(&self) -> u8 {
        match self {
            Impact::None => 0,
            Impact::Maintenance => 1,
            Impact::Unknown(_) => 2,
            Impact::Minor => 3,
            Impact::Major => 4,
            Impact::Critical => 5,
        }
    }
}

wire_enum! {
    /// Where a scheduled maintenance stands.
    pub enum MaintenanceStatus {
        Scheduled = "scheduled" => "Scheduled",
        InProgress = "in_progress" => "In progress",
        Verifying = "verifying" => "Verifying",
        Completed = "completed" => "Completed",
    }
    unknown => "Unknown status";
}

impl MaintenanceStatus {
    /// In progress or verifying: the work is happening now.
    pub fn is_in_progress(&self) -> bool {
        matches!(
            self,
            MaintenanceStatus::InProgress | MaintenanceStatus::Verifying
        )
    }
}

wire_enum! {
    /// The status an incident update or a maintenance update announced.
    /// One type for both, since an update list is shown the same way
    /// whichever kind of event it belongs to.
    pub enum UpdateStatus {
        Investigating = "investigating" => "Investigating",
        Identified = "identified" => "Identified",
        Monitoring = "monitoring" => "Monitoring",
        Resolved = "resolved" => "Resolved",
        Postmortem = "postmortem" => "Postmortem",
        Scheduled = "scheduled" => "Scheduled",
        InProgress = "in_progress" => "In progress",
        Verifying = "verifying" => "Verifying",
        Completed = "completed" => "Completed",
    }
    unknown => "Update";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_are_read_leniently_and_unknowns_kept() {
        assert_eq!(
            ComponentStatus::from_wire("Degraded Performance"),
            ComponentStatus::DegradedPerformance
        );
        assert_eq!(
            ComponentStatus::from_wire(" partial-outage "),
            ComponentStatus::PartialOutage
        );
        assert_eq!(
            ComponentStatus::from_wire(" on fire "),
            ComponentStatus::Unknown("on fire".into())
        );
        assert_eq!(Indicator::from_wire(""), Indicator::Unknown(String::new()));
        assert_eq!(Impact::from_wire("maintenance"), Impact::Maintenance);
        assert_eq!(
            MaintenanceStatus::from_wire("IN_PROGRESS"),
            MaintenanceStatus::InProgress
        );
        assert_eq!(
            UpdateStatus::from_wire("verifying"),
            UpdateStatus::Verifying
        );
    }

    #[test]
    fn unknown_values_serialise_as_they_came() {
        let odd = ComponentStatus::from_wire("on fire");
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""on fire""#);
        assert_eq!(
            serde_json::to_string(&ComponentStatus::MajorOutage).unwrap(),
            r#""major_outage""#
        );
        let back: ComponentStatus = serde_json::from_str(r#""major_outage""#).unwrap();
        assert_eq!(back, ComponentStatus::MajorOutage);
    }

    #[test]
    fn every_value_has_a_plain_label() {
        let labels = [
            ComponentStatus::Operational.label(),
            ComponentStatus::DegradedPerformance.label(),
            ComponentStatus::PartialOutage.label(),
            ComponentStatus::MajorOutage.label(),
            ComponentStatus::UnderMaintenance.label(),
            ComponentStatus::Unknown("x".into()).label(),
        ];
        assert_eq!(
            labels,
            [
                "Operational",
                "Degraded performance",
                "Partial outage",
                "Major outage",
                "Under maintenance",
                "Status unknown"
            ]
        );
        assert_eq!(IncidentStatus::Postmortem.to_string(), "Postmortem");
        assert_eq!(MaintenanceStatus::InProgress.to_string(), "In progress");
        assert_eq!(Impact::Critical.to_string(), "Critical impact");
        assert_eq!(Indicator::None.to_string(), "All systems operational");
    }

    #[test]
    fn component_severity_puts_unknown_between_maintenance_and_degraded() {
        let order = [
            ComponentStatus::Operational,
            ComponentStatus::UnderMaintenance,
            ComponentStatus::Unknown("new".into()),
            ComponentStatus::DegradedPerformance,
            ComponentStatus::PartialOutage,
            ComponentStatus::MajorOutage,
        ];
        for pair in order.windows(2) {
            assert!(pair[0].severity() < pair[1].severity(), "{pair:?}");
        }
        assert!(!ComponentStatus::UnderMaintenance.is_degraded());
        assert!(!ComponentStatus::Unknown("new".into()).is_degraded());
        assert!(ComponentStatus::DegradedPerformance.is_degraded());
    }

    #[test]
    fn indicator_degradation() {
        assert!(Indicator::Minor.is_degraded());
        assert!(Indicator::Critical.is_degraded());
        assert!(!Indicator::None.is_degraded());
        assert!(!Indicator::Maintenance.is_degraded());
        assert!(!Indicator::Unknown("purple".into()).is_degraded());
        assert!(Indicator::Major.severity() > Indicator::Minor.severity());
    }
}
