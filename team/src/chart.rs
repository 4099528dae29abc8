//! The activity chart's numbers: messages and hugs per time bucket over a
//! wall's span, and the bars that draw them. Plain Rust; `chart_view.rs`
//! only turns the bars into SVG.
//!
//! Hugs are counted in the bucket of the message they were given to (the
//! server keeps a count per message, not a time per hug): "how warmly was
//! what people wrote then received".

use crate::time_text::utc;
use hugops_core::time::Timestamp;
use hugops_core::wire::Message;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Bucket widths people read at a glance, smallest first.
const WIDTHS: [i64; 14] = [
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
];
/// At most this many bars: each stays wide enough to see and to label.
pub const MAX_BUCKETS: usize = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub start: Timestamp,
    pub messages: u32,
    pub hugs: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    /// Milliseconds per bucket.
    pub width: i64,
    /// Oldest first, gap-free (empty buckets included) from the first
    /// message's bucket to the last one's.
    pub buckets: Vec<Bucket>,
}

/// The narrowest nice width that draws `span` in at most `max` buckets
/// (aligning the first bucket can add one).
pub fn bucket_width(span: i64, max: usize) -> i64 {
    let max = max.max(2) as u64;
    let span = span.max(0) as u64;
    let fits = |w: i64| span.div_ceil(w as u64) < max;
    WIDTHS
        .iter()
        .copied()
        .find(|&w| fits(w))
        .unwrap_or_else(|| {
            let week = WIDTHS[WIDTHS.len() - 1];
            span.div_ceil((max - 1) * week as u64) as i64 * week
        })
}

impl Activity {
    /// Every message counts (hidden and held too: the chart shows what
    /// arrived). Buckets start on multiples of the width since the epoch,
    /// so they read as whole minutes and hours in UTC.
    pub fn of(messages: &[Message], max: usize) -> Activity {
        let times = || messages.iter().map(|m| m.created_at.millis());
        let (Some(first), Some(last)) = (times().min(), times().max()) else {
            return Activity {
                width: MINUTE,
                buckets: Vec::new(),
            };
        };
        let width = bucket_width(last - first, max);
        let origin = first.div_euclid(width) * width;
        let count = ((last - origin) / width + 1) as usize;
        let mut buckets: Vec<Bucket> = (0..count)
            .map(|i| Bucket {
                start: Timestamp::from_millis(origin + i as i64 * width),
                messages: 0,
                hugs: 0,
            })
            .collect();
        for m in messages {
            let index = ((m.created_at.millis() - origin) / width) as usize;
            let bucket = &mut buckets[index];
            bucket.messages += 1;
            bucket.hugs = bucket.hugs.saturating_add(m.hugs);
        }
        Activity { width, buckets }
    }

    /// "5 minutes", "1 hour", "2 days".
    pub fn width_words(&self) -> String {
        let (amount, unit) = if self.width % DAY == 0 {
            (self.width / DAY, "day")
        } else if self.width % HOUR == 0 {
            (self.width / HOUR, "hour")
        } else {
            (self.width / MINUTE, "minute")
        };
        if amount == 1 {
            format!("1 {unit}")
        } else {
            format!("{amount} {unit}s")
        }
    }

    /// The chart in one sentence: span, totals and peaks.
    pub fn summary(&self) -> String {
        let (Some(first), Some(last)) = (self.buckets.first(), self.buckets.last()) else {
            return "No activity yet.".into();
        };
        let total: u32 = self.buckets.iter().map(|b| b.messages).sum();
        let hugs: u32 = self.buckets.iter().map(|b| b.hugs).sum();
        let peak = |series: Series, noun: &str| {
            self.peak(series).map_or(String::new(), |b| {
                format!(" Most {noun}: {} at {}.", series.value(&b), utc(b.start))
            })
        };
        format!(
            "Activity per {} from {} to {}: {total} messages, {hugs} hugs.{}{}",
            self.width_words(),
            utc(first.start),
            utc(last.start),
            peak(Series::Messages, "messages"),
            peak(Series::Hugs, "hugs"),
        )
    }

    /// The busiest bucket of a series (the earliest of equals).
    pub fn peak(&self, series: Series) -> Option<Bucket> {
        self.buckets
            .iter()
            .copied()
            .filter(|b| series.value(b) > 0)
            .max_by_key(|b| (series.value(b), std::cmp::Reverse(b.start)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    Messages,
    Hugs,
}

impl Series {
    pub fn value(self, bucket: &Bucket) -> u32 {
        match self {
            Series::Messages => bucket.messages,
            Series::Hugs => bucket.hugs,
        }
    }
}

/// A bar in SVG user units (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// One series as bars in a `width` × `height` box: the largest value fills
/// the height; a gap of a fifth of a slot separates bars; zero is no bar.
pub fn bars(activity: &Activity, series: Series, width: f64, height: f64) -> Vec<Bar> {
    let n = activity.buckets.len();
    if n == 0 {
        return Vec::new();
    }
    let top = activity
        .buckets
        .iter()
        .map(|b| series.value(b))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = width / n as f64;
    activity
        .buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let h = height * f64::from(series.value(b)) / f64::from(top);
            Bar {
                x: i as f64 * slot + slot * 0.1,
                y: height - h,
                width: slot * 0.8,
                height: h,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::message;

    fn at(id: i64, minute: i64, hugs: u32) -> Message {
        let mut m = message(id, "m");
        m.created_at = Timestamp::from_millis(1_700_000_000_000 + minute * MINUTE);
        m.hugs = hugs;
        m
    }

    #[test]
    fn the_width_is_the_narrowest_nice_one_that_fits() {
        assert_eq!(bucket_width(0, 30), MINUTE);
        assert_eq!(bucket_width(29 * MINUTE, 30), MINUTE);
        assert_eq!(bucket_width(30 * MINUTE, 30), 2 * MINUTE);
        assert_eq!(bucket_width(2 * HOUR, 30), 5 * MINUTE);
        assert_eq!(bucket_width(20 * HOUR, 30), HOUR);
        assert_eq!(bucket_width(3 * DAY, 30), 3 * HOUR);
        // Beyond the table: whole weeks.
        assert_eq!(bucket_width(400 * DAY, 30), 14 * DAY);
    }

    #[test]
    fn messages_and_hugs_land_in_their_buckets_without_gaps() {
        // 1_700_000_000_000 ms is 22:13:20 UTC: buckets start on the minute.
        let wall = vec![at(1, 0, 2), at(2, 0, 1), at(3, 3, 0), at(4, 5, 7)];
        let activity = Activity::of(&wall, 30);
        assert_eq!(activity.width, MINUTE);
        assert_eq!(activity.width_words(), "1 minute");
        assert_eq!(activity.buckets.len(), 6);
        assert_eq!(activity.buckets[0].start.millis() % MINUTE, 0);
        let counts: Vec<(u32, u32)> = activity
            .buckets
            .iter()
            .map(|b| (b.messages, b.hugs))
            .collect();
        assert_eq!(counts, vec![(2, 3), (0, 0), (0, 0), (1, 0), (0, 0), (1, 7)]);
        let total: u32 = activity.buckets.iter().map(|b| b.messages).sum();
        assert_eq!(total, 4);
        assert_eq!(activity.peak(Series::Messages).unwrap().messages, 2);
        assert_eq!(activity.peak(Series::Hugs).unwrap().hugs, 7);
        assert_eq!(
            activity.summary(),
            "Activity per 1 minute from 2023-11-14 22:13 UTC to 2023-11-14 22:18 UTC: \
             4 messages, 10 hugs. Most messages: 2 at 2023-11-14 22:13 UTC. \
             Most hugs: 7 at 2023-11-14 22:18 UTC."
        );
    }

    #[test]
    fn a_long_wall_fits_the_bucket_limit() {
        let wall: Vec<Message> = (0..500).map(|i| at(i, i * 7, 1)).collect();
        let activity = Activity::of(&wall, MAX_BUCKETS);
        assert!(
            activity.buckets.len() <= MAX_BUCKETS,
            "{}",
            activity.buckets.len()
        );
        // 58 h 13 min: 2-hour buckets would need 31 once aligned.
        assert_eq!(activity.width_words(), "3 hours");
        let total: u32 = activity.buckets.iter().map(|b| b.messages).sum();
        assert_eq!(total, 500);
    }

    #[test]
    fn an_empty_wall_has_no_buckets_and_no_bars() {
        let activity = Activity::of(&[], MAX_BUCKETS);
        assert!(activity.buckets.is_empty());
        assert_eq!(activity.peak(Series::Hugs), None);
        assert_eq!(activity.summary(), "No activity yet.");
        assert!(bars(&activity, Series::Messages, 300.0, 100.0).is_empty());
    }

    #[test]
    fn the_tallest_bar_fills_the_height_and_zero_draws_nothing() {
        let activity = Activity::of(&[at(1, 0, 0), at(2, 0, 0), at(3, 1, 0), at(4, 3, 4)], 30);
        let drawn = bars(&activity, Series::Messages, 400.0, 100.0);
        assert_eq!(drawn.len(), 4);
        assert_eq!(drawn[0].height, 100.0);
        assert_eq!(drawn[0].y, 0.0);
        assert_eq!(drawn[1].height, 50.0);
        assert_eq!(drawn[2].height, 0.0);
        assert_eq!(drawn[1].x, 110.0);
        assert_eq!(drawn[1].width, 80.0);
        let hugs = bars(&activity, Series::Hugs, 400.0, 100.0);
        assert_eq!(hugs[3].height, 100.0);
        assert_eq!(hugs[0].height, 0.0);
    }
}
