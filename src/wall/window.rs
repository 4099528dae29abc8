//! Windowed rendering: which rows of a long list to put in the DOM.
//!
//! Only the rows in view, plus a margin above and below, are rendered;
//! spacers of the right height stand in for the rest, so the scroll bar
//! and the scroll position behave as if every row were there. Rows have
//! different heights (a message is 1 to 500 characters), so each rendered
//! row is measured and remembered; rows never rendered count as the average
//! of those measured.

use hugops_core::wire::MessageId;
use std::collections::HashMap;

/// What a row is taken to measure before it has been rendered once.
pub const DEFAULT_ROW_PX: f64 = 96.0;

/// At most this many rows are rendered, whatever the viewport and margin
/// say (a guard against a huge viewport or rows measured as zero).
pub const MAX_RENDERED_ROWS: usize = 120;

/// Measured row heights, by message id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowHeights {
    heights: HashMap<MessageId, f64>,
    total: f64,
}

impl RowHeights {
    /// Records a measurement; false when it changed nothing worth a
    /// re-layout (under half a pixel).
    pub fn record(&mut self, id: MessageId, px: f64) -> bool {
        if !(px.is_finite() && px > 0.0) {
            return false;
        }
        let before = self.heights.insert(id, px);
        match before {
            Some(old) if (old - px).abs() < 0.5 => {
                self.heights.insert(id, old);
                false
            }
            Some(old) => {
                self.total += px - old;
                true
            }
            None => {
                self.total += px;
                true
            }
        }
    }

    /// The average measured height: the guess for rows never rendered.
    pub fn estimate(&self) -> f64 {
        if self.heights.is_empty() {
            DEFAULT_ROW_PX
        } else {
            self.total / self.heights.len() as f64
        }
    }

    pub fn height(&self, id: MessageId, estimate: f64) -> f64 {
        self.heights.get(&id).copied().unwrap_or(estimate)
    }
}

/// Where each row starts, top to bottom.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// `offsets[i]` is the top of row `i`; the last entry is the total.
    offsets: Vec<f64>,
}

/// The rows to render and the space to leave for the others.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Slice {
    pub start: usize,
    pub end: usize,
    /// Height standing in for rows `..start`.
    pub before_px: f64,
    /// Height standing in for rows `end..`.
    pub after_px: f64,
}

impl Layout {
    pub fn new(count: usize, height_of: impl Fn(usize) -> f64) -> Layout {
        let mut offsets = Vec::with_capacity(count + 1);
        let mut top = 0.0;
        offsets.push(top);
        for i in 0..count {
            top += height_of(i).max(0.0);
            offsets.push(top);
        }
        Layout { offsets }
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn total(&self) -> f64 {
        self.offsets.last().copied().unwrap_or(0.0)
    }

    /// The rows that meet `[scroll_top - margin, scroll_top + viewport +
    /// margin]`, with the spacer heights around them. `scroll_top` is
    /// measured from the top of the first row.
    pub fn slice(&self, scroll_top: f64, viewport: f64, margin: f64) -> Slice {
        let count = self.len();
        if count == 0 {
            return Slice::default();
        }
        let from = (scroll_top - margin).max(0.0);
        let to = scroll_top.max(0.0) + viewport.max(0.0) + margin;
        // The first row whose bottom is below `from`.
        let start = self.offsets[1..]
            .partition_point(|&bottom| bottom <= from)
            .min(count - 1);
        // The first row whose top is at or below `to`.
        let end = self.offsets[..count]
            .partition_point(|&top| top < to)
            .clamp(start + 1, count)
            .min(start + MAX_RENDERED_ROWS);
        Slice {
            start,
            end,
            before_px: self.offsets[start],
            after_px: self.total() - self.offsets[end],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_what_is_in_view_plus_a_margin() {
        let layout = Layout::new(10_000, |_| 100.0);
        assert_eq!(layout.total(), 1_000_000.0);
        let top = layout.slice(0.0, 500.0, 300.0);
        assert_eq!((top.start, top.end), (0, 8));
        assert_eq!((top.before_px, top.after_px), (0.0, 9_992.0 * 100.0));

        let middle = layout.slice(500_000.0, 500.0, 300.0);
        assert_eq!((middle.start, middle.end), (4_997, 5_008));
        assert_eq!(middle.before_px, 499_700.0);
        assert_eq!(
            middle.before_px + (middle.end - middle.start) as f64 * 100.0 + middle.after_px,
            layout.total()
        );

        let bottom = layout.slice(1_000_000.0 - 500.0, 500.0, 300.0);
        assert_eq!((bottom.start, bottom.end), (9_992, 10_000));
        assert_eq!(bottom.after_px, 0.0);
    }

    #[test]
    fn rows_of_different_heights() {
        let heights = [50.0, 200.0, 50.0, 400.0, 50.0];
        let layout = Layout::new(heights.len(), |i| heights[i]);
        let slice = layout.slice(260.0, 100.0, 0.0);
        assert_eq!((slice.start, slice.end), (2, 4));
        assert_eq!((slice.before_px, slice.after_px), (250.0, 50.0));
    }

    #[test]
    fn never_renders_too_many_or_none() {
        let tiny = Layout::new(10_000, |_| 1.0);
        let slice = tiny.slice(0.0, 10_000.0, 10_000.0);
        assert_eq!(slice.end - slice.start, MAX_RENDERED_ROWS);
        let one = Layout::new(1, |_| 80.0);
        assert_eq!(one.slice(5_000.0, 100.0, 0.0).start, 0);
        assert_eq!(one.slice(5_000.0, 100.0, 0.0).end, 1);
        assert_eq!(
            Layout::new(0, |_| 1.0).slice(0.0, 1.0, 1.0),
            Slice::default()
        );
    }

    #[test]
    fn heights_are_remembered_and_averaged() {
        let mut heights = RowHeights::default();
        assert_eq!(heights.estimate(), DEFAULT_ROW_PX);
        assert!(heights.record(1, 100.0));
        assert!(heights.record(2, 200.0));
        assert!(!heights.record(2, 200.3), "sub-pixel jitter is no change");
        assert!(
            !heights.record(3, 0.0),
            "a row not laid out is not measured"
        );
        assert_eq!(heights.estimate(), 150.0);
        assert_eq!(heights.height(2, 1.0), 200.0);
        assert_eq!(heights.height(9, 150.0), 150.0);
        assert!(heights.record(2, 300.0));
        assert_eq!(heights.estimate(), 200.0);
    }
}
