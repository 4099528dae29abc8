//! The bundled demo status: a made-up cloud mid-incident, so the widget shows
//! something real with no server at all (`status="demo"`). Times in the file
//! are written relative to now (`{{now-25m}}`) and filled in when fetched, so
//! the demo always reads "started 25 minutes ago".

use super::{LocalFuture, StatusProblem, StatusSource};
use hugops_core::status::{parse_summary_str, Summary};
use hugops_core::time::Timestamp;

const DEMO_SUMMARY: &str = include_str!("demo-summary.json");

#[derive(Default)]
pub struct DemoSource;

impl StatusSource for DemoSource {
    fn fetch(&self) -> LocalFuture<'_, Result<Option<Summary>, StatusProblem>> {
        let text = fill_relative_times(DEMO_SUMMARY, crate::browser::now());
        Box::pin(async move {
            parse_summary_str(&text)
                .map(Some)
                .map_err(|e| StatusProblem(e.to_string()))
        })
    }
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
        let text = fill_relative_times(DEMO_SUMMARY, Timestamp::from_millis(1_700_000_000_000));
        let summary = parse_summary_str(&text).expect("demo summary parses");
        assert_eq!(
            summary.page.as_ref().map(|p| p.name.as_str()),
            Some("Example Cloud")
        );
        assert_eq!(summary.incidents.len(), 1);
        assert_eq!(summary.scheduled_maintenances.len(), 1);
    }
}
