//! What the status panel knows, and how a refresh changes it: plain Rust,
//! tested natively. The rule that matters: a failed refresh never throws
//! away the last good status; it marks it stale and says why.

use crate::backend::StatusProblem;
use crate::backoff::Backoff;
use hugops_core::status::Summary;
use hugops_core::time::Timestamp;
use std::sync::Arc;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatusFeed {
    /// The last good summary, if any arrived yet.
    pub summary: Option<Arc<Summary>>,
    /// When the source last answered with a usable status.
    pub last_success: Option<Timestamp>,
    /// Set while the latest refresh failed: why.
    pub problem: Option<StatusProblem>,
    /// Refreshes that failed in a row (drives the retry back-off).
    pub failures_in_a_row: u32,
}

impl StatusFeed {
    /// A refresh answered. `None` means "unchanged", which still counts as
    /// a fresh confirmation.
    pub fn succeeded(&mut self, summary: Option<Summary>, now: Timestamp) {
        if let Some(summary) = summary {
            self.summary = Some(Arc::new(summary));
        }
        self.last_success = Some(now);
        self.problem = None;
        self.failures_in_a_row = 0;
    }

    pub fn failed(&mut self, problem: StatusProblem) {
        self.problem = Some(problem);
        self.failures_in_a_row = self.failures_in_a_row.saturating_add(1);
    }

    /// Showing a summary that the latest refresh could not confirm.
    pub fn is_stale(&self) -> bool {
        self.summary.is_some() && self.problem.is_some()
    }

    /// Milliseconds until the next refresh: the configured interval while all
    /// is well; after failures, sooner at first so a blip heals quickly
    /// (the widget's one back-off: 5 s on average, doubling), never longer
    /// than the interval. `jitter` in [0, 1) spreads the widgets that
    /// failed together.
    pub fn next_refresh_in(&self, interval_ms: u32, jitter: f64) -> u32 {
        if self.failures_in_a_row == 0 {
            return interval_ms;
        }
        let backoff = Backoff {
            initial_ms: 10_000,
            max_ms: u64::from(interval_ms),
            ..Backoff::default()
        };
        backoff
            .delay_ms(self.failures_in_a_row, jitter)
            .min(u64::from(interval_ms)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::status::parse_summary_str;

    fn summary() -> Summary {
        parse_summary_str(r#"{"status":{"indicator":"none","description":"All good"}}"#).unwrap()
    }

    #[test]
    fn a_failure_keeps_the_last_good_status_and_says_why() {
        let mut feed = StatusFeed::default();
        feed.succeeded(Some(summary()), Timestamp::from_millis(1_000));
        feed.failed(StatusProblem::Refused { status: 500 });
        assert!(feed.is_stale());
        assert_eq!(
            feed.summary.as_ref().unwrap().status.description,
            "All good"
        );
        assert_eq!(feed.last_success, Some(Timestamp::from_millis(1_000)));
        assert_eq!(feed.problem, Some(StatusProblem::Refused { status: 500 }));
    }

    #[test]
    fn it_recovers_by_itself_on_the_next_success() {
        let mut feed = StatusFeed::default();
        feed.succeeded(Some(summary()), Timestamp::from_millis(1_000));
        feed.failed(StatusProblem::Unreachable);
        feed.succeeded(None, Timestamp::from_millis(9_000));
        assert!(!feed.is_stale());
        assert_eq!(feed.last_success, Some(Timestamp::from_millis(9_000)));
        assert!(feed.summary.is_some(), "unchanged keeps the summary");
    }

    #[test]
    fn a_failure_before_any_success_is_not_stale_but_a_problem() {
        let mut feed = StatusFeed::default();
        feed.failed(StatusProblem::Unreadable("no JSON".into()));
        assert!(!feed.is_stale());
        assert_eq!(
            feed.problem,
            Some(StatusProblem::Unreadable("no JSON".into()))
        );
    }

    #[test]
    fn retries_back_off_up_to_the_interval() {
        let mut feed = StatusFeed::default();
        assert_eq!(feed.next_refresh_in(60_000, 0.3), 60_000, "all well");
        let ceilings: Vec<u32> = (0..6)
            .map(|_| {
                feed.failed(StatusProblem::Unreachable);
                // The top of the window: the ceiling itself, just under.
                feed.next_refresh_in(60_000, 0.999_999) + 1
            })
            .collect();
        assert_eq!(ceilings, [10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
        let mut spread = StatusFeed::default();
        spread.failed(StatusProblem::Unreachable);
        assert_eq!(spread.next_refresh_in(60_000, 0.5), 5_000, "5 s on average");
        assert_eq!(spread.next_refresh_in(60_000, 0.1), 1_000);
        for _ in 0..100 {
            feed.failed(StatusProblem::Unreachable);
        }
        assert!(feed.next_refresh_in(60_000, 0.999) <= 60_000, "no overflow");
        // An interval shorter than the back-off caps it.
        assert!(feed.next_refresh_in(10_000, 0.999) <= 10_000);
    }
}
