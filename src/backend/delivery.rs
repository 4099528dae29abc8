//! Which messages a live subscription has delivered, so that its two
//! sources — the live stream and the catch-up lists — may overlap and
//! interleave in any order without leaving a gap or delivering a message
//! twice.
//!
//! Why not simply "the newest id delivered so far": a live event can arrive
//! while a catch-up list is still in flight, and a high-water mark moved by
//! it would then drop the older messages that list brings back. And a
//! message the team approves after review keeps its original, older id; it
//! must still be delivered when it arrives. So the ledger remembers each id
//! it delivered, and separately how far the catch-up lists have covered the
//! wall without a hole.

use hugops_core::wire::MessageId;
use std::collections::BTreeSet;

#[derive(Debug)]
pub struct Delivery {
    delivered: BTreeSet<MessageId>,
    /// Every visible message up to this id has been listed by a catch-up
    /// (or was before `after`): where the next catch-up starts.
    listed_through: MessageId,
}

impl Delivery {
    /// A subscription that already has everything up to `after`.
    pub fn new(after: Option<MessageId>) -> Self {
        Delivery {
            delivered: BTreeSet::new(),
            listed_through: after.unwrap_or(0),
        }
    }

    /// Whether a message should be delivered: the first time its id comes
    /// by, from either source. (An id at or below the start cursor comes
    /// only from the stream — a message the team approved late, or one the
    /// subscriber already shows, which its feed recognises.)
    pub fn first_time(&mut self, id: MessageId) -> bool {
        self.delivered.insert(id)
    }

    /// The `after` cursor for the next catch-up list.
    pub fn catch_up_after(&self) -> MessageId {
        self.listed_through
    }

    /// A catch-up page came back complete up to `id` (its last message).
    pub fn listed(&mut self, id: MessageId) {
        self.listed_through = self.listed_through.max(id);
    }

    /// How many messages were delivered: a change means something arrived.
    pub fn count(&self) -> usize {
        self.delivered.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plays a catch-up page through the ledger as `LiveFeed` does.
    fn page(ledger: &mut Delivery, ids: &[MessageId]) -> Vec<MessageId> {
        let delivered = ids
            .iter()
            .copied()
            .filter(|&id| ledger.first_time(id))
            .collect();
        if let Some(&last) = ids.last() {
            ledger.listed(last);
        }
        delivered
    }

    #[test]
    fn a_live_message_during_a_catch_up_does_not_hide_the_older_ones() {
        // Subscribed having 5; 6..=9 were posted before the stream opened;
        // 10 arrives live before the catch-up list comes back.
        let mut ledger = Delivery::new(Some(5));
        assert_eq!(ledger.catch_up_after(), 5);
        assert!(ledger.first_time(10));
        assert_eq!(page(&mut ledger, &[6, 7, 8, 9, 10]), vec![6, 7, 8, 9]);
        assert_eq!(ledger.catch_up_after(), 10);
    }

    #[test]
    fn each_message_is_delivered_once_whichever_source_brings_it() {
        let mut ledger = Delivery::new(None);
        assert_eq!(page(&mut ledger, &[1, 2, 3]), vec![1, 2, 3]);
        assert!(
            !ledger.first_time(3),
            "the stream repeats what a list brought"
        );
        assert!(ledger.first_time(4));
        assert_eq!(page(&mut ledger, &[4, 5]), vec![5]);
        assert_eq!(ledger.count(), 5);
    }

    #[test]
    fn a_message_approved_late_is_delivered_despite_its_old_id() {
        let mut ledger = Delivery::new(Some(100));
        assert_eq!(page(&mut ledger, &[101, 102]), vec![101, 102]);
        // Message 42 was held for review and is approved now.
        assert!(ledger.first_time(42));
        assert!(!ledger.first_time(42));
        assert_eq!(ledger.catch_up_after(), 102, "the cursor never goes back");
    }

    #[test]
    fn a_failed_catch_up_leaves_the_cursor_where_the_hole_starts() {
        let mut ledger = Delivery::new(Some(5));
        // Live messages arrive, but the catch-up for 6..=8 failed: the next
        // catch-up must still start after 5, not after the live ones.
        assert!(ledger.first_time(9));
        assert!(ledger.first_time(10));
        assert_eq!(ledger.catch_up_after(), 5);
        assert_eq!(page(&mut ledger, &[6, 7, 8, 9, 10]), vec![6, 7, 8]);
    }
}
