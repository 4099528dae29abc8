//! Components as a page shows them: top-level rows in order, each group
//! with its visible members.
//!
//! Statuspage writes group membership twice, in the group's `components`
//! (member ids) and in each member's `group_id`; other servers write only
//! one of the two. Either is enough here. When they disagree, the member's
//! own `group_id` wins if it names a group, and otherwise the first group
//! that lists it. Groups do not nest: a group is always a top-level row.

use super::model::{Component, Summary};
use super::ComponentStatus;
use crate::sort::stable_sort_by_key;
use std::collections::{HashMap, HashSet};

/// One top-level row: a component, or a group and its visible members.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentNode {
    pub component: Component,
    /// The group's visible members in `position` order; empty for a plain
    /// component.
    pub children: Vec<Component>,
    /// Whether this row is a group: the component says so, lists members,
    /// or another component names it as its group.
    pub group: bool,
}

impl ComponentNode {
    /// Whether this row is a group (see [`ComponentNode::group`]).
    pub fn is_group(&self) -> bool {
        self.group
    }

    /// The worst status among the row itself and its visible members, by
    /// [`ComponentStatus::severity`]; the row's own status on a tie.
    pub fn worst_status(&self) -> &ComponentStatus {
        self.children
            .iter()
            .map(|c| &c.status)
            .fold(&self.component.status, |worst, s| {
                if s.severity() > worst.severity() {
                    s
                } else {
                    worst
                }
            })
    }

    /// The visible members that are not operational (maintenance and
    /// unknown statuses included: anything a visitor should notice), in
    /// `position` order.
    pub fn degraded_children(&self) -> Vec<&Component> {
        self.children
            .iter()
            .filter(|c| !c.status.is_operational())
            .collect()
    }
}

/// `only_show_if_degraded` components are hidden while operational.
fn is_visible(c: &Component) -> bool {
    !(c.only_show_if_degraded && c.status.is_operational())
}

/// Sorts indices by `position`, keeping the original order for ties and
/// placing components without a position last.
fn sort_by_position(indices: &mut [usize], components: &[Component]) {
    stable_sort_by_key(indices, |&i| {
        let position = components[i].position;
        (position.is_none(), position.unwrap_or(0))
    });
}

impl Summary {
    /// The components as rows to show, in `position` order (ties and
    /// missing positions keep the source's order, missing ones last).
    ///
    /// Hidden: components marked `only_show_if_degraded` while operational,
    /// and a group whose members are all hidden while it is operational.
    pub fn component_tree(&self) -> Vec<ComponentNode> {
        let components = &self.components;
        // Ids that some other component names as its group.
        let named_as_group: HashSet<&str> = components
            .iter()
            .filter_map(|c| c.group_id.as_deref().filter(|g| *g != c.id))
            .collect();
        let is_group: Vec<bool> = components
            .iter()
            .map(|c| {
                c.group
                    || !c.components.is_empty()
                    || (!c.id.is_empty() && named_as_group.contains(c.id.as_str()))
            })
            .collect();
        let mut group_by_id: HashMap<&str, usize> = HashMap::new();
        let mut listed_in: HashMap<&str, usize> = HashMap::new();
        for (i, c) in components.iter().enumerate().filter(|(i, _)| is_group[*i]) {
            if !c.id.is_empty() {
                group_by_id.entry(c.id.as_str()).or_insert(i);
            }
            for member in &c.components {
                listed_in.entry(member.as_str()).or_insert(i);
            }
        }

        let mut top = Vec::new();
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, c) in components.iter().enumerate() {
            let parent = if is_group[i] {
                None
            } else {
                let by_group_id = c.group_id.as_deref().and_then(|g| group_by_id.get(g));
                let by_listing = || match c.id.as_str() {
                    "" => None,
                    id => listed_in.get(id),
                };
                by_group_id.or_else(by_listing).copied()
            };
            match parent {
                Some(group) => members.entry(group).or_default().push(i),
                None => top.push(i),
            }
        }

        sort_by_position(&mut top, components);
        top.into_iter()
            .filter_map(|i| {
                let component = &components[i];
                let mut own = members.remove(&i).unwrap_or_default();
                sort_by_position(&mut own, components);
                let had_members = !own.is_empty();
                let children: Vec<Component> = own
                    .into_iter()
                    .map(|m| &components[m])
                    .filter(|m| is_visible(m))
                    .cloned()
                    .collect();
                let all_hidden = had_members && children.is_empty();
                if !is_visible(component) || (all_hidden && component.status.is_operational()) {
                    return None;
                }
                Some(ComponentNode {
                    component: component.clone(),
                    children,
                    group: is_group[i],
                })
            })
            .collect()
    }

    /// The component with this id, if any.
    pub fn component(&self, id: &str) -> Option<&Component> {
        if id.is_empty() {
            return None;
        }
        self.components.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_summary_str, Indicator, Status};
    use super::*;
    use serde_json::{json, Value};

    fn summary(components: Value) -> Summary {
        parse_summary_str(&json!({ "components": components }).to_string()).unwrap()
    }

    fn names(tree: &[ComponentNode]) -> Vec<&str> {
        tree.iter().map(|n| n.component.name.as_str()).collect()
    }

    fn child_names(node: &ComponentNode) -> Vec<&str> {
        node.children.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn rows_follow_position_with_ties_and_gaps_in_source_order() {
        let s = summary(json!([
            {"id": "d", "name": "D", "status": "operational"},
            {"id": "c", "name": "C", "status": "operational", "position": 2},
            {"id": "a", "name": "A", "status": "operational", "position": 1},
            {"id": "b", "name": "B", "status": "operational", "position": 2},
        ]));
        assert_eq!(names(&s.component_tree()), ["A", "C", "B", "D"]);
    }

    #[test]
    fn membership_from_the_group_list_alone() {
        let s = summary(json!([
            {"id": "g", "name": "G", "status": "operational", "group": true,
             "components": ["y", "x"], "position": 1},
            {"id": "x", "name": "X", "status": "operational", "position": 1},
            {"id": "y", "name": "Y", "status": "operational", "position": 2},
            {"id": "z", "name": "Z", "status": "operational", "position": 2},
        ]));
        let tree = s.component_tree();
        assert_eq!(names(&tree), ["G", "Z"]);
        assert!(tree[0].is_group());
        assert_eq!(child_names(&tree[0]), ["X", "Y"]);
        assert!(!tree[1].is_group());
    }

    #[test]
    fn membership_from_group_ids_alone_even_without_the_group_flag() {
        let s = summary(json!([
            {"id": "x", "name": "X", "status": "operational", "group_id": "g"},
            {"id": "g", "name": "G", "status": "operational"},
            {"id": "y", "name": "Y", "status": "operational", "group_id": "g"},
            {"id": "o", "name": "Orphan", "status": "operational", "group_id": "missing"},
        ]));
        let tree = s.component_tree();
        assert_eq!(names(&tree), ["G", "Orphan"]);
        assert!(tree[0].is_group());
        assert_eq!(child_names(&tree[0]), ["X", "Y"]);
    }

    #[test]
    fn each_component_appears_once_and_group_id_wins() {
        let s = summary(json!([
            {"id": "g1", "name": "G1", "status": "operational", "group": true,
             "components": ["x"]},
            {"id": "g2", "name": "G2", "status": "operational", "group": true,
             "components": ["x"]},
            {"id": "x", "name": "X", "status": "operational", "group_id": "g2"},
            {"id": "", "name": "No id", "status": "operational"},
        ]));
        let tree = s.component_tree();
        // G1 lists only X, which sits in G2, so G1 is an empty group row.
        assert_eq!(names(&tree), ["G1", "G2", "No id"]);
        assert!(tree[0].children.is_empty());
        assert_eq!(child_names(&tree[1]), ["X"]);
    }

    #[test]
    fn hidden_while_operational() {
        let s = summary(json!([
            {"id": "g", "name": "G", "status": "degraded_performance", "group": true,
             "components": ["a", "b", "c"]},
            {"id": "a", "name": "A", "status": "operational", "only_show_if_degraded": true},
            {"id": "b", "name": "B", "status": "degraded_performance",
             "only_show_if_degraded": true},
            {"id": "c", "name": "C", "status": "operational"},
            {"id": "q", "name": "Quiet", "status": "operational", "group": true,
             "components": ["d"]},
            {"id": "d", "name": "D", "status": "operational", "only_show_if_degraded": true},
            {"id": "t", "name": "Top", "status": "operational", "only_show_if_degraded": true},
            {"id": "e", "name": "Empty group", "status": "operational", "group": true},
        ]));
        let tree = s.component_tree();
        assert_eq!(names(&tree), ["G", "Empty group"]);
        assert_eq!(child_names(&tree[0]), ["B", "C"]);
    }

    #[test]
    fn worst_status_and_degraded_children() {
        let s = summary(json!([
            {"id": "g", "name": "G", "status": "operational", "group": true,
             "components": ["a", "b", "c", "h"]},
            {"id": "a", "name": "A", "status": "under_maintenance"},
            {"id": "b", "name": "B", "status": "partial_outage"},
            {"id": "c", "name": "C", "status": "operational"},
            {"id": "h", "name": "H", "status": "major_outage", "only_show_if_degraded": true},
            {"id": "s", "name": "Solo", "status": "degraded_performance"},
        ]));
        let tree = s.component_tree();
        assert_eq!(*tree[0].worst_status(), ComponentStatus::MajorOutage);
        let degraded: Vec<_> = tree[0]
            .degraded_children()
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(degraded, ["A", "B", "H"]);
        assert_eq!(
            *tree[1].worst_status(),
            ComponentStatus::DegradedPerformance
        );
        assert!(tree[1].degraded_children().is_empty());
    }

    #[test]
    fn a_degraded_group_row_counts_itself() {
        let s = summary(json!([
            {"id": "g", "name": "G", "status": "partial_outage", "group": true,
             "components": ["a"]},
            {"id": "a", "name": "A", "status": "operational"},
        ]));
        let tree = s.component_tree();
        assert_eq!(*tree[0].worst_status(), ComponentStatus::PartialOutage);
        assert!(tree[0].degraded_children().is_empty());
    }

    #[test]
    fn cycles_and_self_references_terminate() {
        let s = summary(json!([
            {"id": "a", "name": "A", "status": "operational", "group_id": "b",
             "components": ["b", "a"]},
            {"id": "b", "name": "B", "status": "operational", "group_id": "a",
             "components": ["a"]},
            {"id": "c", "name": "C", "status": "operational", "group_id": "c"},
        ]));
        let tree = s.component_tree();
        assert_eq!(names(&tree), ["A", "B", "C"]);
        assert_eq!(
            Status::from_components(&s.components).indicator,
            Indicator::None
        );
    }

    #[test]
    fn components_are_found_by_id() {
        let s = summary(json!([{"id": "a", "name": "A", "status": "operational"}]));
        assert_eq!(s.component("a").map(|c| c.name.as_str()), Some("A"));
        assert_eq!(s.component(""), None);
        assert_eq!(s.component("b"), None);
    }
}
