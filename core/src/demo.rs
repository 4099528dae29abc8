//! The demo status: a made-up cloud mid-incident, so the widget (with no
//! server, `status="demo"`) and the server (`--demo`, with no upstream) show
//! something real. Times in the file are written relative to now
//! (`{{now-25m}}`) and filled in when asked for, so the demo always reads
//! "started 25 minutes ago".

use crate::time::Timestamp;

const DEMO_SUMMARY: &str = include_str!("demo-summary.json");

/// The demo `summary.json` with its times filled in relative to `now`.
pub fn demo_summary_json(now: Timestamp) -> String {
    fill_relative_times(DEMO_SUMMARY, now)
}

/// Replaces each `{{now-Nm}}` / `{{now+Nm}}` (minutes) with an RFC 3339 time.
pub fn fill_relative_times(template: &str, now: Timestamp) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{now") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let spec = &after[..end];
        let minutes: i64 = spec
            .trim_end_matches('m')
            .trim_start_matches('+')
            .parse()
            .unwrap_or(0);
        out.push_str(&Timestamp::from_millis(now.millis() + minutes * 60_000).to_rfc3339());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::parse_summary_str;

    #[test]
    fn fills_times_relative_to_now() {
        let now = Timestamp::parse_rfc3339("2024-05-01T12:00:00Z").unwrap();
        assert_eq!(
            fill_relative_times(r#"["{{now-25m}}","{{now+90m}}","{{now}}"]"#, now),
            r#"["2024-05-01T11:35:00.000Z","2024-05-01T13:30:00.000Z","2024-05-01T12:00:00.000Z"]"#
        );
    }

    #[test]
    fn the_demo_summary_parses_with_an_active_incident() {
        let now = Timestamp::from_millis(1_700_000_000_000);
        let summary = parse_summary_str(&demo_summary_json(now)).expect("demo summary parses");
        assert_eq!(
            summary.page.as_ref().map(|p| p.name.as_str()),
            Some("Example Cloud")
        );
        let active = summary.active_incidents();
        assert_eq!(active.len(), 1);
        assert_eq!(active[0].incident_updates.len(), 3);
        assert_eq!(
            active[0].began_at(),
            Some(Timestamp::from_millis(now.millis() - 25 * 60_000))
        );
        assert_eq!(summary.maintenance(now).upcoming.len(), 1);
        let tree = summary.component_tree();
        let eu = tree
            .iter()
            .find(|n| n.component.name == "EU region")
            .unwrap();
        assert_eq!(eu.degraded_children()[0].name, "Object storage (EU)");
    }
}
