//! Times as people read them: "25 minutes ago" on screen, the full date and
//! time on hover and for screen readers, both in the widget's language
//! (`Intl.RelativeTimeFormat` and `Intl.DateTimeFormat`).

use crate::i18n::{intl, Texts};
use hugops_core::time::Timestamp;

/// "just now", "1 minute ago", "3 hours ago", … for something that has
/// happened. A time ahead of `now` is a server clock ahead of the
/// visitor's, never a future event: it reads "just now", not "in a moment".
pub fn relative(then: Timestamp, now: Timestamp, texts: &Texts) -> String {
    let seconds = ((now.millis() - then.millis()) / 1_000)
        .max(0)
        .unsigned_abs();
    if seconds < 45 {
        return texts.t("time.now");
    }
    let (amount, unit) = match seconds {
        s if s < 90 => (1, "minute"),
        s if s < 45 * 60 => ((s + 30) / 60, "minute"),
        s if s < 90 * 60 => (1, "hour"),
        s if s < 22 * 3_600 => ((s + 1_800) / 3_600, "hour"),
        s if s < 36 * 3_600 => (1, "day"),
        s => ((s + 43_200) / 86_400, "day"),
    };
    intl::ago(texts.tag(), amount, unit)
}

/// The full date and time in the visitor's locale and time zone, e.g.
/// "May 1, 2024, 1:35 PM" (on native, for tests: the UTC RFC 3339 text).
pub fn absolute(at: Timestamp, lang: &str) -> String {
    intl::date_time(lang, at.millis()).unwrap_or_else(|| at.to_rfc3339())
}

/// A window such as a maintenance: "May 2, 2024, 9:00 AM – 11:00 AM".
pub fn window(from: Timestamp, until: Option<Timestamp>, texts: &Texts) -> String {
    let lang = texts.tag();
    match until {
        Some(until) => format!("{} – {}", absolute(from, lang), absolute(until, lang)),
        None => texts.fill("time.from", &[("time", &absolute(from, lang))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ago(seconds: i64) -> String {
        let now = Timestamp::from_millis(1_700_000_000_000);
        relative(
            Timestamp::from_millis(now.millis() - seconds * 1_000),
            now,
            &Texts::english("en"),
        )
    }

    #[test]
    fn reads_like_a_person_would_say_it() {
        assert_eq!(ago(5), "just now");
        assert_eq!(ago(60), "1 minute ago");
        assert_eq!(ago(25 * 60), "25 minutes ago");
        assert_eq!(ago(25 * 60 + 40), "26 minutes ago");
        assert_eq!(ago(60 * 60), "1 hour ago");
        assert_eq!(ago(5 * 3_600), "5 hours ago");
        assert_eq!(ago(26 * 3_600), "1 day ago");
        assert_eq!(ago(9 * 86_400), "9 days ago");
    }

    #[test]
    fn a_clock_ahead_of_the_visitors_never_reads_as_the_future() {
        assert_eq!(ago(-10), "just now");
        assert_eq!(ago(-30), "just now");
        assert_eq!(ago(-2 * 86_400), "just now");
    }
}
