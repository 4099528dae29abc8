//! The overall status of a payload that sends none, such as
//! `/api/v2/components.json`, worked out from its components.
//!
//! The mapping follows Statuspage's own top-level status rules closely: the
//! worst component decides, and whether every component shares that status
//! decides how bad it reads.
//!
//! | worst component status | only some components | every component |
//! | --- | --- | --- |
//! | (no components) | — | none, "All systems operational" |
//! | operational | — | none, "All systems operational" |
//! | under maintenance | maintenance, "Service under maintenance" | same |
//! | unknown | unknown, "Some components report an unknown status" | same |
//! | degraded performance | minor, "Partially degraded service" | minor, "Degraded system service" |
//! | partial outage | minor, "Minor service outage" | major, "Partial system outage" |
//! | major outage | major, "Partial system outage" | critical, "Major system outage" |
//!
//! "Every component" counts the components that are not groups (a group's
//! status is a roll-up of its members); a page with only groups counts them.

use super::model::{Component, Status};
use super::{ComponentStatus, Indicator};

impl Status {
    /// Derives an overall status from components, as described in this
    /// module's table.
    pub fn from_components(components: &[Component]) -> Status {
        let worst = components
            .iter()
            .map(|c| &c.status)
            .max_by_key(|s| s.severity())
            .cloned()
            .unwrap_or(ComponentStatus::Operational);
        let leaves: Vec<&Component> = components.iter().filter(|c| !c.group).collect();
        let counted = if leaves.is_empty() {
            components.iter().collect()
        } else {
            leaves
        };
        let everywhere = !counted.is_empty() && counted.iter().all(|c| c.status == worst);
        let (indicator, description) = match worst {
            ComponentStatus::Operational => (Indicator::None, "All systems operational"),
            ComponentStatus::UnderMaintenance => {
                (Indicator::Maintenance, "Service under maintenance")
            }
            ComponentStatus::Unknown(_) => (
                Indicator::Unknown(String::new()),
                "Some components report an unknown status",
            ),
            ComponentStatus::DegradedPerformance if everywhere => {
                (Indicator::Minor, "Degraded system service")
            }
            ComponentStatus::DegradedPerformance => {
                (Indicator::Minor, "Partially degraded service")
            }
            ComponentStatus::PartialOutage if everywhere => {
                (Indicator::Major, "Partial system outage")
            }
            ComponentStatus::PartialOutage => (Indicator::Minor, "Minor service outage"),
            ComponentStatus::MajorOutage if everywhere => {
                (Indicator::Critical, "Major system outage")
            }
            ComponentStatus::MajorOutage => (Indicator::Major, "Partial system outage"),
        };
        Status {
            indicator,
            description: description.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(status: &str, group: bool) -> Component {
        Component {
            id: String::new(),
            name: "c".into(),
            status: ComponentStatus::from_wire(status),
            position: None,
            description: None,
            group,
            group_id: None,
            components: Vec::new(),
            only_show_if_degraded: false,
            showcase: false,
            start_date: None,
            updated_at: None,
        }
    }

    fn derive(statuses: &[&str]) -> (Indicator, String) {
        let components: Vec<_> = statuses.iter().map(|s| comp(s, false)).collect();
        let s = Status::from_components(&components);
        (s.indicator, s.description)
    }

    #[test]
    fn the_worst_component_decides() {
        assert_eq!(derive(&[]).0, Indicator::None);
        assert_eq!(
            derive(&["operational", "operational"]),
            (Indicator::None, "All systems operational".into())
        );
        assert_eq!(
            derive(&["operational", "under_maintenance"]),
            (Indicator::Maintenance, "Service under maintenance".into())
        );
        assert_eq!(
            derive(&["operational", "degraded_performance"]),
            (Indicator::Minor, "Partially degraded service".into())
        );
        assert_eq!(
            derive(&["degraded_performance", "degraded_performance"]),
            (Indicator::Minor, "Degraded system service".into())
        );
        assert_eq!(
            derive(&["operational", "partial_outage", "degraded_performance"]),
            (Indicator::Minor, "Minor service outage".into())
        );
        assert_eq!(
            derive(&["partial_outage"]),
            (Indicator::Major, "Partial system outage".into())
        );
        assert_eq!(
            derive(&["operational", "major_outage", "under_maintenance"]),
            (Indicator::Major, "Partial system outage".into())
        );
        assert_eq!(
            derive(&["major_outage", "major_outage"]),
            (Indicator::Critical, "Major system outage".into())
        );
        assert_eq!(
            derive(&["operational", "exploded"]).0,
            Indicator::Unknown(String::new())
        );
        assert_eq!(
            derive(&["exploded", "degraded_performance"]).0,
            Indicator::Minor
        );
    }

    #[test]
    fn groups_do_not_count_towards_every_component() {
        // The group row shares its member's outage; the other member is fine.
        let components = vec![
            comp("major_outage", true),
            comp("major_outage", false),
            comp("operational", false),
        ];
        assert_eq!(
            Status::from_components(&components).indicator,
            Indicator::Major
        );
        let only_groups = vec![comp("major_outage", true)];
        assert_eq!(
            Status::from_components(&only_groups).indicator,
            Indicator::Critical
        );
    }
}
