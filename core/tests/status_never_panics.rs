//! The status parser takes whatever a status source sends. Whatever that
//! is, it answers with a summary or an error: it never panics, and the
//! views drawn from what it returns never panic either.

use hugops_core::status::{parse_summary, summary_from_value, Summary};
use hugops_core::time::Timestamp;
use proptest::prelude::*;
use serde_json::{Map, Number, Value};
use std::sync::OnceLock;

const FIXTURES: [&str; 4] = [
    include_str!("../../tests/fixtures/statuspage/github-components-with-problem.json"),
    include_str!("../../tests/fixtures/statuspage/instructure-summary.json"),
    include_str!("../../tests/fixtures/statuspage/linode-components-problems.json"),
    include_str!("../../tests/fixtures/statuspage/qualys-components.json"),
];

/// Uses every view, so that a panic anywhere downstream of the parser is
/// caught too, and checks that what it serialises reads back the same.
fn exercise(summary: &Summary) {
    for node in summary.component_tree() {
        let _ = node.worst_status().label();
        let _ = node.degraded_children();
    }
    for incident in summary.active_incidents() {
        let _ = incident.affected_components();
    }
    let _ = summary.affected_component_ids();
    let _ = summary.maintenance(Timestamp::from_millis(1_638_900_000_000));
    let _ = summary.is_degraded();
    let json = serde_json::to_vec(summary).expect("serialises");
    let again = parse_summary(&json).expect("reads back what it wrote");
    assert_eq!(&again, summary);
}

fn check(value: &Value) {
    if let Ok(summary) = summary_from_value(value) {
        exercise(&summary);
    }
}

/// Words the parser gives meaning to, so that generated JSON often looks
/// like a status payload rather than noise.
const KEYS: &[&str] = &[
    "page",
    "status",
    "indicator",
    "description",
    "components",
    "incidents",
    "scheduled_maintenances",
    "id",
    "name",
    "group",
    "group_id",
    "position",
    "only_show_if_degraded",
    "showcase",
    "start_date",
    "updated_at",
    "created_at",
    "started_at",
    "resolved_at",
    "scheduled_for",
    "scheduled_until",
    "incident_updates",
    "affected_components",
    "code",
    "old_status",
    "new_status",
    "body",
    "display_at",
    "impact",
    "shortlink",
    "url",
    "time_zone",
];

const WORDS: &[&str] = &[
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
    "none",
    "minor",
    "major",
    "critical",
    "maintenance",
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "postmortem",
    "scheduled",
    "in_progress",
    "verifying",
    "completed",
    "a",
    "b",
    "g",
    "",
    "2021-12-07T09:06:43.178-07:00",
    "2024-02-29T23:59:60Z",
    "9999-12-31T23:59:59.999+23:59",
    "0000-01-01T00:00:00-23:59",
    "true",
    "1e400",
    "-0",
    "NaN",
    "ü\u{0}\u{202e}",
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<u64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(WORDS).prop_map(|w| Value::String(w.to_owned())),
        any::<String>().prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(KEYS).prop_map(str::to_owned),
                        any::<String>(),
                    ],
                    inner,
                ),
                0..6,
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Replaces the node at the `pick`-th position of a depth-first walk.
fn replace_nth(value: &mut Value, pick: &mut usize, with: &Value) -> bool {
    if *pick == 0 {
        *value = with.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|v| replace_nth(v, pick, with)),
        Value::Object(map) => map.values_mut().any(|v| replace_nth(v, pick, with)),
        _ => false,
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The fixtures as JSON values, parsed once for all cases.
fn fixture_value(which: usize) -> Value {
    static VALUES: OnceLock<Vec<Value>> = OnceLock::new();
    VALUES.get_or_init(|| {
        FIXTURES
            .iter()
            .map(|text| serde_json::from_str(text).expect("fixture is JSON"))
            .collect()
    })[which]
        .clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(summary) = parse_summary(&bytes) {
            exercise(&summary);
        }
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        check(&value);
        // And the same value where a summary is expected.
        let mut wrapped = Map::new();
        wrapped.insert("components".into(), value.clone());
        wrapped.insert("incidents".into(), value.clone());
        wrapped.insert("scheduled_maintenances".into(), value);
        check(&Value::Object(wrapped));
    }

    #[test]
    fn summary_shaped_json_never_panics(
        components in prop::collection::vec(json_value(), 0..8),
        incidents in prop::collection::vec(json_value(), 0..4),
        status in json_value(),
    ) {
        let mut top = Map::new();
        top.insert("status".into(), status);
        top.insert("components".into(), Value::Array(components));
        top.insert("incidents".into(), Value::Array(incidents));
        check(&Value::Object(top));
    }
}

proptest! {
    // Each case walks a whole fixture (qualys has 271 components), so fewer.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), json_leaf()), 1..8),
    ) {
        let mut value = fixture_value(which);
        for (at, with) in edits {
            let mut pick = at.index(count_nodes(&value));
            replace_nth(&mut value, &mut pick, &with);
        }
        check(&value);
        let bytes = serde_json::to_vec(&value).unwrap();
        if let Ok(summary) = parse_summary(&bytes) {
            exercise(&summary);
        }
    }

    #[test]
    fn truncated_fixtures_never_panic(which in 0..FIXTURES.len(), cut in any::<prop::sample::Index>()) {
        let text = FIXTURES[which].as_bytes();
        let _ = parse_summary(&text[..cut.index(text.len() + 1)]);
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_summary(deep.as_bytes()).is_err());
    let deep_object = format!(
        "{{\"components\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(parse_summary(deep_object.as_bytes()).is_err());
}
