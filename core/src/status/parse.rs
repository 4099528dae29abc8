//! The lenient parser: any Statuspage-like JSON in, a [`Summary`] out.
//!
//! It reads a `serde_json::Value` by hand rather than deriving
//! `Deserialize`, because a derived reader fails the whole payload on one
//! odd field, and a status widget that shows nothing during an outage is
//! worse than one that shows most of it.
//!
//! The rules, each tested below:
//! - unknown fields are ignored; `page`, `status`, `incidents` and
//!   `scheduled_maintenances` may be absent;
//! - `null` where an array belongs is an empty array, and a lone value
//!   stands for a list of one (items that cannot be used are skipped);
//! - numbers and flags may arrive as strings;
//! - a timestamp in any offset is read, and an unparsable one is `None`;
//! - unknown enum values are kept as `Unknown(text)`;
//! - a component, incident or maintenance without a name cannot be shown and
//!   is skipped, alone; everything else in the payload is kept;
//! - a payload without a `status` (such as `/api/v2/components.json`) gets
//!   one derived from its components.
//!
//! Only JSON with neither a status nor a components list is an error.

use super::model::{
    AffectedComponent, Component, ComponentRef, Incident, IncidentUpdate, Maintenance, Page,
    Status, Summary,
};
use super::read::{flag, ids, integer, items, prose, text, time, word};
use super::{
    ComponentStatus, Impact, IncidentStatus, Indicator, MaintenanceStatus, StatusError,
    UpdateStatus,
};
use serde_json::{Map, Value};

/// Parses a Statuspage v2 `summary.json` or `components.json` body.
pub fn parse_summary(bytes: &[u8]) -> Result<Summary, StatusError> {
    // Some servers prefix a byte-order mark, which JSON forbids.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return Err(StatusError::NotJson("the response was empty".into()));
    }
    let value: Value = serde_json::from_slice(trimmed).map_err(|e| {
        // The parser's own words ("EOF while parsing a value at line 1
        // column 10") mean nothing to a customer.
        let reason = if trimmed.starts_with(b"<") {
            "it sent a web page instead"
        } else if e.is_eof() {
            "its answer was cut off"
        } else {
            "its answer is garbled"
        };
        StatusError::NotJson(reason.into())
    })?;
    summary_from_value(&value)
}

/// Parses a body already held as text.
pub fn parse_summary_str(text: &str) -> Result<Summary, StatusError> {
    parse_summary(text.as_bytes())
}

/// Reads an already-parsed JSON value.
pub fn summary_from_value(value: &Value) -> Result<Summary, StatusError> {
    let object = value.as_object().ok_or(StatusError::NotAnObject)?;
    let components: Vec<Component> = items(object.get("components"))
        .iter()
        .filter_map(component)
        .collect();
    let status = match status(object.get("status")) {
        Some(status) => status,
        None if has_components(object) => Status::from_components(&components),
        None => return Err(StatusError::NoStatus),
    };
    Ok(Summary {
        page: object.get("page").and_then(page),
        status,
        components,
        incidents: items(object.get("incidents"))
            .iter()
            .filter_map(incident)
            .collect(),
        scheduled_maintenances: items(object.get("scheduled_maintenances"))
            .iter()
            .filter_map(maintenance)
            .collect(),
    })
}

/// Whether the payload carries a components list at all, even an empty
/// one: `{"components": []}` is a page with nothing on it, which is a
/// status; `{"components": null}` says nothing.
fn has_components(object: &Map<String, Value>) -> bool {
    matches!(
        object.get("components"),
        Some(Value::Array(_) | Value::Object(_))
    )
}

fn page(value: &Value) -> Option<Page> {
    let o = value.as_object()?;
    Some(Page {
        id: text(o.get("id")).unwrap_or_default(),
        name: text(o.get("name")).unwrap_or_default(),
        url: text(o.get("url")).unwrap_or_default(),
        time_zone: text(o.get("time_zone")),
        updated_at: time(o.get("updated_at")),
    })
}

/// A status object with an indicator or a description, or a bare indicator
/// string. Anything else is no status, and the caller may derive one.
fn status(value: Option<&Value>) -> Option<Status> {
    match value? {
        Value::Object(o) => {
            let indicator = text(o.get("indicator"));
            let description = prose(o.get("description"));
            if indicator.is_none() && description.is_none() {
                return None;
            }
            let indicator = Indicator::from_wire(indicator.as_deref().unwrap_or(""));
            let description = description.unwrap_or_else(|| indicator.label().to_owned());
            Some(Status {
                indicator,
                description,
            })
        }
        bare @ Value::String(_) => {
            let indicator = Indicator::from_wire(&text(Some(bare))?);
            Some(Status {
                description: indicator.label().to_owned(),
                indicator,
            })
        }
        _ => None,
    }
}

fn component(value: &Value) -> Option<Component> {
    let o = value.as_object()?;
    Some(Component {
        id: text(o.get("id")).unwrap_or_default(),
        name: text(o.get("name"))?,
        status: ComponentStatus::from_wire(&word(o.get("status"))),
        position: integer(o.get("position")),
        description: prose(o.get("description")),
        group: flag(o.get("group")),
        group_id: text(o.get("group_id")),
        components: ids(o.get("components")),
        only_show_if_degraded: flag(o.get("only_show_if_degraded")),
        showcase: flag(o.get("showcase")),
        start_date: text(o.get("start_date")),
        updated_at: time(o.get("updated_at")),
    })
}

/// A component named by an incident: an object with an id or a name, or a
/// bare id.
fn component_ref(value: &Value) -> Option<ComponentRef> {
    let (id, name) = match value {
        Value::Object(o) => (text(o.get("id")), text(o.get("name"))),
        bare => (text(Some(bare)), None),
    };
    if id.is_none() && name.is_none() {
        return None;
    }
    Some(ComponentRef {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
    })
}

fn incident(value: &Value) -> Option<Incident> {
    let o = value.as_object()?;
    Some(Incident {
        id: text(o.get("id")).unwrap_or_default(),
        name: text(o.get("name"))?,
        status: IncidentStatus::from_wire(&word(o.get("status"))),
        impact: Impact::from_wire(&word(o.get("impact"))),
        shortlink: text(o.get("shortlink")),
        started_at: time(o.get("started_at")),
        created_at: time(o.get("created_at")),
        updated_at: time(o.get("updated_at")),
        resolved_at: time(o.get("resolved_at")),
        incident_updates: updates(o),
        components: component_refs(o),
    })
}

fn maintenance(value: &Value) -> Option<Maintenance> {
    let o = value.as_object()?;
    Some(Maintenance {
        id: text(o.get("id")).unwrap_or_default(),
        name: text(o.get("name"))?,
        status: MaintenanceStatus::from_wire(&word(o.get("status"))),
        impact: Impact::from_wire(&word(o.get("impact"))),
        shortlink: text(o.get("shortlink")),
        scheduled_for: time(o.get("scheduled_for")),
        scheduled_until: time(o.get("scheduled_until")),
        created_at: time(o.get("created_at")),
        updated_at: time(o.get("updated_at")),
        incident_updates: updates(o),
        components: component_refs(o),
    })
}

fn updates(o: &Map<String, Value>) -> Vec<IncidentUpdate> {
    items(o.get("incident_updates"))
        .iter()
        .filter_map(update)
        .collect()
}

fn component_refs(o: &Map<String, Value>) -> Vec<ComponentRef> {
    items(o.get("components"))
        .iter()
        .filter_map(component_ref)
        .collect()
}

/// An update with neither a body nor a status says nothing and is skipped.
fn update(value: &Value) -> Option<IncidentUpdate> {
    let o = value.as_object()?;
    let body = prose(o.get("body"));
    let status = word(o.get("status"));
    if body.is_none() && status.is_empty() {
        return None;
    }
    Some(IncidentUpdate {
        id: text(o.get("id")).unwrap_or_default(),
        status: UpdateStatus::from_wire(&status),
        body: body.unwrap_or_default(),
        created_at: time(o.get("created_at")),
        display_at: time(o.get("display_at")),
        affected_components: items(o.get("affected_components"))
            .iter()
            .filter_map(affected)
            .collect(),
    })
}

/// An affected component needs its id (`code`, or `id` as some clones
/// write) or its name.
fn affected(value: &Value) -> Option<AffectedComponent> {
    let o = value.as_object()?;
    let code = text(o.get("code")).or_else(|| text(o.get("id")));
    let name = text(o.get("name"));
    if code.is_none() && name.is_none() {
        return None;
    }
    Some(AffectedComponent {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        old_status: ComponentStatus::from_wire(&word(o.get("old_status"))),
        new_status: ComponentStatus::from_wire(&word(o.get("new_status"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;
    use serde_json::json;

    fn parse(value: Value) -> Summary {
        parse_summary_str(&value.to_string()).expect("parses")
    }

    fn op(id: &str, name: &str) -> Value {
        json!({"id": id, "name": name, "status": "operational"})
    }

    #[test]
    fn a_minimal_summary_parses() {
        let s = parse(json!({
            "status": {"indicator": "none", "description": "All Systems Operational"},
            "components": [op("a", "API")]
        }));
        assert_eq!(s.status.indicator, Indicator::None);
        assert_eq!(s.status.description, "All Systems Operational");
        assert_eq!(s.components.len(), 1);
        assert_eq!(s.page, None);
        assert!(s.incidents.is_empty());
        assert!(s.scheduled_maintenances.is_empty());
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let s = parse(json!({
            "status": {"indicator": "minor", "description": "x", "colour": "amber"},
            "components": [{"id": "a", "name": "API", "status": "operational",
                            "uptime": {"90d": 99.9}, "tags": ["x"]}],
            "brand_new_section": [1, 2, 3]
        }));
        assert_eq!(s.components[0].name, "API");
    }

    #[test]
    fn missing_sections_are_empty_and_status_may_be_only_present() {
        let s = parse(json!({"status": {"indicator": "major", "description": "Down"}}));
        assert_eq!(s.status.indicator, Indicator::Major);
        assert!(s.components.is_empty());
        assert!(s.incidents.is_empty());
    }

    #[test]
    fn null_arrays_are_empty() {
        let s = parse(json!({
            "status": {"indicator": "none", "description": "ok"},
            "components": null, "incidents": null, "scheduled_maintenances": null
        }));
        assert!(s.components.is_empty() && s.incidents.is_empty());
        let s = parse(json!({
            "status": {"indicator": "none", "description": "ok"},
            "incidents": [{"name": "Slow", "incident_updates": null, "components": null}]
        }));
        assert!(s.incidents[0].incident_updates.is_empty());
        assert!(s.incidents[0].components.is_empty());
    }

    #[test]
    fn a_string_where_an_array_belongs_is_tolerated() {
        let s = parse(json!({
            "components": [
                {"id": "g", "name": "Group", "status": "operational", "group": true,
                 "components": "a"},
                {"id": "a", "name": "API", "status": "operational"}
            ],
            "incidents": "none today",
            "scheduled_maintenances": "none"
        }));
        assert_eq!(s.components[0].components, vec!["a".to_owned()]);
        assert!(s.incidents.is_empty());
        assert!(s.scheduled_maintenances.is_empty());
        let s = parse(json!({
            "status": "minor",
            "incidents": [{"name": "Slow", "components": "a",
                           "incident_updates": [{"body": "Looking", "status": "investigating",
                                                 "affected_components": "a"}]}]
        }));
        assert_eq!(
            s.incidents[0].components,
            vec![ComponentRef {
                id: "a".into(),
                name: String::new()
            }]
        );
        // A bare string cannot describe an affected component's change.
        assert!(s.incidents[0].incident_updates[0]
            .affected_components
            .is_empty());
    }

    #[test]
    fn a_lone_object_where_an_array_belongs_is_a_list_of_one() {
        let s = parse(json!({"components": op("a", "API")}));
        assert_eq!(s.components.len(), 1);
    }

    #[test]
    fn numbers_and_flags_may_be_strings() {
        let s = parse(json!({"components": [
            {"id": 7, "name": "API", "status": "operational", "position": "3",
             "group": "false", "only_show_if_degraded": "true", "showcase": 1}
        ]}));
        let c = &s.components[0];
        assert_eq!(c.id, "7");
        assert_eq!(c.position, Some(3));
        assert!(!c.group);
        assert!(c.only_show_if_degraded);
        assert!(c.showcase);
    }

    #[test]
    fn timestamps_in_any_offset_and_bad_ones_become_none() {
        let s = parse(json!({
            "page": {"id": "p", "name": "P", "url": "https://p",
                     "updated_at": "2021-12-07T11:07:15.773-07:00"},
            "components": [{"id": "a", "name": "API", "status": "operational",
                            "updated_at": "around noon"}]
        }));
        assert_eq!(
            s.page.unwrap().updated_at,
            Timestamp::parse_rfc3339("2021-12-07T18:07:15.773Z")
        );
        assert_eq!(s.components[0].updated_at, None);
        assert_eq!(s.components[0].name, "API");
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let s = parse(json!({
            "status": {"indicator": "catastrophic", "description": "Oh no"},
            "components": [{"id": "a", "name": "API", "status": "on_fire"}],
            "incidents": [{"name": "X", "status": "escalated", "impact": "galactic",
                           "incident_updates": [{"status": "panicking", "body": "b"}]}],
            "scheduled_maintenances": [{"name": "M", "status": "postponed"}]
        }));
        assert_eq!(
            s.status.indicator,
            Indicator::Unknown("catastrophic".into())
        );
        assert_eq!(
            s.components[0].status,
            ComponentStatus::Unknown("on_fire".into())
        );
        let i = &s.incidents[0];
        assert_eq!(i.status, IncidentStatus::Unknown("escalated".into()));
        assert_eq!(i.impact, Impact::Unknown("galactic".into()));
        assert_eq!(
            i.incident_updates[0].status,
            UpdateStatus::Unknown("panicking".into())
        );
        assert_eq!(
            s.scheduled_maintenances[0].status,
            MaintenanceStatus::Unknown("postponed".into())
        );
    }

    #[test]
    fn one_malformed_entry_does_not_sink_the_rest() {
        let s = parse(json!({
            "status": {"indicator": "minor", "description": "x"},
            "components": [op("a", "API"), {"id": "b", "status": "major_outage"},
                           "junk", 5, null, {"id": "c", "name": "  "}, op("d", "Web")],
            "incidents": [{"id": "nameless"}, {"id": "i", "name": "Slow",
                           "incident_updates": [{}, 3, {"body": "Looking into it"}]}],
            "scheduled_maintenances": [[], {"id": "m", "name": "Upgrade"}]
        }));
        let names: Vec<_> = s.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["API", "Web"]);
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].incident_updates.len(), 1);
        assert_eq!(
            s.incidents[0].incident_updates[0].status,
            UpdateStatus::Unknown(String::new())
        );
        assert_eq!(s.scheduled_maintenances.len(), 1);
    }

    #[test]
    fn components_payloads_get_a_derived_status() {
        let s = parse(json!({"components": [
            op("a", "API"),
            {"id": "b", "name": "Web", "status": "partial_outage"}
        ]}));
        assert_eq!(s.status.indicator, Indicator::Minor);
        assert_eq!(s.status.description, "Minor service outage");
        let s = parse(json!({"components": []}));
        assert_eq!(s.status.indicator, Indicator::None);
        assert_eq!(s.status.description, "All systems operational");
    }

    #[test]
    fn an_unusable_status_object_falls_back_to_the_components() {
        let s = parse(json!({"status": {"colour": "red"}, "components": [
            {"id": "b", "name": "Web", "status": "major_outage"}
        ]}));
        assert_eq!(s.status.indicator, Indicator::Critical);
        let s = parse(json!({"status": {"description": "Something odd"}}));
        assert_eq!(s.status.indicator, Indicator::Unknown(String::new()));
        assert_eq!(s.status.description, "Something odd");
        let s = parse(json!({"status": {"indicator": "major"}}));
        assert_eq!(s.status.description, "Partial system outage");
    }

    #[test]
    fn errors_are_plain_words() {
        let e = parse_summary(b"<html>502 Bad Gateway</html>").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The status source did not send JSON: it sent a web page instead."
        );
        let e = parse_summary(b"  ").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The status source did not send JSON: the response was empty."
        );
        let e = parse_summary(b"{\"status\":").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The status source did not send JSON: its answer was cut off."
        );
        let e = parse_summary(b"{\"status\": nope}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The status source did not send JSON: its answer is garbled."
        );
        for not_summary in ["[]", "42", "\"ok\"", "null"] {
            assert_eq!(
                parse_summary_str(not_summary).unwrap_err(),
                StatusError::NotAnObject
            );
        }
        for no_status in [
            "{}",
            r#"{"components": null}"#,
            r#"{"status": 3}"#,
            r#"{"incidents": []}"#,
        ] {
            let e = parse_summary_str(no_status).unwrap_err();
            assert_eq!(e, StatusError::NoStatus, "{no_status}");
            assert_eq!(
                e.to_string(),
                "The status source sent JSON without a status or components."
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let body = b"\xEF\xBB\xBF{\"status\":{\"indicator\":\"none\",\"description\":\"ok\"}}";
        assert_eq!(
            parse_summary(body).unwrap().status.indicator,
            Indicator::None
        );
    }

    #[test]
    fn serialising_gives_back_the_statuspage_shape() {
        let s = parse(json!({
            "page": {"id": "p", "name": "P", "url": "https://p", "time_zone": "Etc/UTC",
                     "updated_at": "2021-12-10T14:56:24.510Z"},
            "components": [
                {"id": "g", "name": "Group", "status": "partial_outage", "group": true,
                 "components": ["a"], "position": 1},
                {"id": "a", "name": "API", "status": "partial_outage", "group_id": "g",
                 "position": 1}
            ],
            "incidents": [{"id": "i", "name": "Slow", "status": "identified", "impact": "minor",
                           "created_at": "2021-12-10T14:00:00Z",
                           "components": [{"id": "a", "name": "API"}],
                           "incident_updates": [{"id": "u", "status": "identified",
                               "body": "Found it", "created_at": "2021-12-10T14:10:00Z",
                               "affected_components": [{"code": "a", "name": "Group - API",
                                   "old_status": "operational", "new_status": "partial_outage"}]}]}]
        }));
        let out = serde_json::to_value(&s).unwrap();
        // Derived: the only component that is not a group has a partial outage.
        assert_eq!(out["status"]["indicator"], "major");
        assert_eq!(out["page"]["updated_at"], "2021-12-10T14:56:24.510Z");
        assert_eq!(out["components"][0]["components"], json!(["a"]));
        assert_eq!(out["components"][1].get("components"), None);
        assert_eq!(out["components"][1]["group_id"], "g");
        assert_eq!(out["incidents"][0]["impact"], "minor");
        assert_eq!(
            out["incidents"][0]["incident_updates"][0]["affected_components"][0]["new_status"],
            "partial_outage"
        );
        assert_eq!(out["scheduled_maintenances"], json!([]));
        // And what it writes reads back the same, through `Deserialize` too.
        let again: Summary = serde_json::from_value(out).unwrap();
        assert_eq!(again, s);
    }
}
