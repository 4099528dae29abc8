//! Times as the team reads them: UTC, to the minute (incident timelines
//! and postmortems are written in UTC).

use hugops_core::time::Timestamp;

/// `2026-12-01 21:34 UTC`
pub fn utc(at: Timestamp) -> String {
    let full = at.to_rfc3339();
    format!("{} {} UTC", &full[..10], &full[11..16])
}

/// `21:34`
fn clock(at: Timestamp) -> String {
    at.to_rfc3339()[11..16].to_owned()
}

/// A wall's span: `2026-12-01 21:02–21:40 UTC (38 min)`; the date is
/// repeated when the span crosses midnight.
pub fn span(first: Timestamp, last: Timestamp) -> String {
    let same_day = first.to_rfc3339()[..10] == last.to_rfc3339()[..10];
    let end = if same_day { clock(last) } else { utc(last) };
    let start = utc(first);
    let start = if same_day {
        start.trim_end_matches(" UTC").to_owned()
    } else {
        start
    };
    let end = if same_day { format!("{end} UTC") } else { end };
    format!(
        "{start}–{end} ({})",
        duration(last.millis() - first.millis())
    )
}

/// `45 s`, `38 min`, `3 h 5 min`, `2 d 4 h`
pub fn duration(millis: i64) -> String {
    let minutes = millis.max(0) / 60_000;
    match minutes {
        0 => format!("{} s", millis.max(0) / 1_000),
        m if m < 60 => format!("{m} min"),
        m if m < 24 * 60 => match m % 60 {
            0 => format!("{} h", m / 60),
            rest => format!("{} h {rest} min", m / 60),
        },
        m => match m / 60 % 24 {
            0 => format!("{} d", m / (24 * 60)),
            hours => format!("{} d {hours} h", m / (24 * 60)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn spans_read_as_utc_clock_times() {
        assert_eq!(utc(t("2026-12-01T21:34:59.999Z")), "2026-12-01 21:34 UTC");
        assert_eq!(
            span(t("2026-12-01T21:02:00Z"), t("2026-12-01T21:40:30Z")),
            "2026-12-01 21:02–21:40 UTC (38 min)"
        );
        assert_eq!(
            span(t("2026-12-01T23:50:00Z"), t("2026-12-02T01:00:00Z")),
            "2026-12-01 23:50 UTC–2026-12-02 01:00 UTC (1 h 10 min)"
        );
    }

    #[test]
    fn durations_use_the_largest_units_that_matter() {
        assert_eq!(duration(45_000), "45 s");
        assert_eq!(duration(-5), "0 s");
        assert_eq!(duration(3 * 3_600_000), "3 h");
        assert_eq!(duration(3 * 3_600_000 + 5 * 60_000), "3 h 5 min");
        assert_eq!(duration(2 * 86_400_000), "2 d");
        assert_eq!(duration(2 * 86_400_000 + 4 * 3_600_000), "2 d 4 h");
    }
}
