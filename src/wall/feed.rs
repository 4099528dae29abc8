//! What the wall shows, and how each thing that happens changes it: plain
//! Rust, tested natively.
//!
//! The rule that matters for a reader: **nothing moves under their eyes.**
//! While they are at the top of the wall ("following"), a new message
//! appears at once; once they have scrolled down to read, arrivals are held
//! back and counted ("3 new messages") until they come back to the top or
//! ask to see them. Older pages load below, where nothing is being read.

use hugops_core::wall::is_public;
use hugops_core::wire::{HugCount, Message, MessageId, MessagePage};
use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq)]
pub struct WallFeed {
    /// Loaded, visible, unpinned messages, oldest first (ids increasing).
    messages: VecDeque<Message>,
    /// Pinned messages, shown on top, newest first.
    pinned: Vec<Message>,
    /// Arrivals held back while the reader is away from the top.
    held: Vec<Message>,
    /// Pass as `before` to load older messages; `None` once the oldest is
    /// loaded.
    older: Option<MessageId>,
    /// Whether the first page has arrived.
    loaded: bool,
    /// Whether the reader is at the top, where arrivals appear at once.
    following: bool,
    /// Bumped when the view should jump to the top (the visitor asked to
    /// see new messages, or their own post arrived).
    jumps: u32,
}

impl Default for WallFeed {
    fn default() -> Self {
        WallFeed {
            messages: VecDeque::new(),
            pinned: Vec::new(),
            held: Vec::new(),
            older: None,
            loaded: false,
            following: true,
            jumps: 0,
        }
    }
}

/// What became of an arriving message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Shown now.
    Shown,
    /// Held back behind the "new messages" button.
    Held,
    /// Already known (also delivered by the post's answer, or a replay).
    Known,
    /// Not for this view: hidden, or older than what is loaded (it comes
    /// with "load older").
    Ignored,
}

impl WallFeed {
    /// The first page (the newest messages) replaces whatever was shown.
    pub fn first_page(&mut self, page: MessagePage) {
        let following = self.following;
        let jumps = self.jumps;
        *self = WallFeed {
            following,
            jumps,
            loaded: true,
            ..Default::default()
        };
        self.older = page.prev_before;
        for message in page.messages {
            self.place(message);
        }
        // The team's pinned messages, however far back they were posted.
        for message in page.pinned {
            if !self.knows(message.id) {
                self.place(message);
            }
        }
    }

    /// An older page goes below what is shown.
    pub fn older_page(&mut self, page: MessagePage) {
        self.older = page.prev_before;
        for message in page.messages {
            if !self.knows(message.id) {
                self.place(message);
            }
        }
    }

    /// A message from the live stream.
    pub fn arrive(&mut self, message: Message) -> Arrival {
        if self.knows(message.id) {
            self.replace(message);
            return Arrival::Known;
        }
        if !is_public(&message) || self.before_loaded(message.id) {
            return Arrival::Ignored;
        }
        if self.following {
            self.place(message);
            Arrival::Shown
        } else {
            self.held.push(message);
            Arrival::Held
        }
    }

    /// The visitor's own message, stored: shown at once, with everything
    /// held back, and the view jumps to the top to show it.
    pub fn arrive_own(&mut self, message: Message) -> Arrival {
        let known = self.knows(message.id);
        self.show_new();
        if known {
            self.replace(message);
            return Arrival::Known;
        }
        if !is_public(&message) {
            return Arrival::Ignored;
        }
        self.place(message);
        Arrival::Shown
    }

    /// The reader asked to see the new messages: they join the wall and
    /// the view jumps to the top.
    pub fn show_new(&mut self) {
        self.following = true;
        self.merge_held();
        self.jumps = self.jumps.wrapping_add(1);
    }

    /// The reader scrolled: at the top, arrivals show at once (and what was
    /// held joins); away from it, they are held.
    pub fn set_following(&mut self, following: bool) {
        self.following = following;
        if following {
            self.merge_held();
        }
    }

    fn merge_held(&mut self) {
        for message in std::mem::take(&mut self.held) {
            if !self.knows(message.id) {
                self.place(message);
            }
        }
    }

    pub fn hugs(&mut self, count: HugCount) {
        if let Some(message) = self.get_mut(count.message_id) {
            message.hugs = count.hugs;
        }
    }

    /// The team hid, unhid, pinned or unpinned a message.
    pub fn moderated(&mut self, message: Message) {
        self.remove(message.id);
        // A pinned message goes on top wherever it is in the history; an
        // unpinned one older than what is loaded comes with "load older".
        if is_public(&message) && (message.pinned || !self.before_loaded(message.id)) {
            self.place(message);
        }
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    pub fn is_following(&self) -> bool {
        self.following
    }

    pub fn jumps(&self) -> u32 {
        self.jumps
    }

    /// The cursor for "load older", if there is anything older.
    pub fn older_cursor(&self) -> Option<MessageId> {
        self.older
    }

    /// Messages in the list (pinned ones are apart).
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.pinned.is_empty()
    }

    pub fn held_count(&self) -> usize {
        self.held.len()
    }

    /// The list newest first: index 0 is the newest message.
    pub fn newest_first(&self, index: usize) -> Option<&Message> {
        let len = self.messages.len();
        (index < len).then(|| &self.messages[len - 1 - index])
    }

    /// Where a message is in the newest-first list.
    pub fn index_of(&self, id: MessageId) -> Option<usize> {
        self.messages
            .binary_search_by_key(&id, |m| m.id)
            .ok()
            .map(|i| self.messages.len() - 1 - i)
    }

    pub fn pinned(&self) -> &[Message] {
        &self.pinned
    }

    pub fn get(&self, id: MessageId) -> Option<&Message> {
        match self.messages.binary_search_by_key(&id, |m| m.id) {
            Ok(i) => Some(&self.messages[i]),
            Err(_) => self.pinned.iter().chain(&self.held).find(|m| m.id == id),
        }
    }

    fn get_mut(&mut self, id: MessageId) -> Option<&mut Message> {
        match self.messages.binary_search_by_key(&id, |m| m.id) {
            Ok(i) => Some(&mut self.messages[i]),
            Err(_) => self
                .pinned
                .iter_mut()
                .chain(self.held.iter_mut())
                .find(|m| m.id == id),
        }
    }

    /// The newest id anywhere in the view: where a subscription resumes.
    pub fn newest_id(&self) -> Option<MessageId> {
        self.messages
            .back()
            .map(|m| m.id)
            .into_iter()
            .chain(self.pinned.iter().map(|m| m.id))
            .chain(self.held.iter().map(|m| m.id))
            .max()
    }

    fn knows(&self, id: MessageId) -> bool {
        self.get(id).is_some()
    }

    /// Older than the oldest loaded message while older ones remain
    /// unloaded: placing it would leave a gap in the list.
    fn before_loaded(&self, id: MessageId) -> bool {
        self.older.is_some() && self.messages.front().is_some_and(|first| id < first.id)
    }

    fn place(&mut self, message: Message) {
        if message.pinned {
            let at = self.pinned.partition_point(|m| m.id > message.id);
            self.pinned.insert(at, message);
        } else if let Err(at) = self.messages.binary_search_by_key(&message.id, |m| m.id) {
            self.messages.insert(at, message);
        }
    }

    fn replace(&mut self, message: Message) {
        if let Some(known) = self.get_mut(message.id) {
            // A pin or hide comes as `moderated`; keep the place, take the
            // newer data.
            if known.pinned == message.pinned {
                *known = message;
            }
        }
    }

    fn remove(&mut self, id: MessageId) {
        if let Ok(i) = self.messages.binary_search_by_key(&id, |m| m.id) {
            self.messages.remove(i);
        }
        self.pinned.retain(|m| m.id != id);
        self.held.retain(|m| m.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::time::Timestamp;
    use hugops_core::wire::WallSlug;

    fn msg(id: MessageId) -> Message {
        Message {
            id,
            wall: WallSlug::parse("general").unwrap(),
            author: None,
            body: format!("m{id}"),
            created_at: Timestamp::from_millis(id),
            hugs: 0,
            pinned: false,
            hidden: false,
            held: false,
            client_id: None,
            official: false,
        }
    }

    fn page(
        ids: std::ops::RangeInclusive<MessageId>,
        prev_before: Option<MessageId>,
    ) -> MessagePage {
        MessagePage {
            messages: ids.map(msg).collect(),
            prev_before,
            ..Default::default()
        }
    }

    fn shown(feed: &WallFeed) -> Vec<MessageId> {
        (0..feed.len())
            .map(|i| feed.newest_first(i).unwrap().id)
            .collect()
    }

    #[test]
    fn pages_show_newest_first_and_older_pages_go_below() {
        let mut feed = WallFeed::default();
        assert!(!feed.is_loaded());
        feed.first_page(page(4..=6, Some(4)));
        assert!(feed.is_loaded());
        assert_eq!(shown(&feed), [6, 5, 4]);
        assert_eq!(feed.older_cursor(), Some(4));
        feed.older_page(page(1..=3, None));
        assert_eq!(shown(&feed), [6, 5, 4, 3, 2, 1]);
        assert_eq!(feed.older_cursor(), None);
        assert_eq!(feed.index_of(6), Some(0));
        assert_eq!(feed.index_of(1), Some(5));
    }

    #[test]
    fn arrivals_show_at_once_at_the_top_and_are_held_when_reading_below() {
        let mut feed = WallFeed::default();
        feed.first_page(page(1..=3, None));
        assert_eq!(feed.arrive(msg(4)), Arrival::Shown);
        assert_eq!(feed.arrive(msg(4)), Arrival::Known, "delivered twice");
        feed.set_following(false);
        assert_eq!(feed.arrive(msg(5)), Arrival::Held);
        assert_eq!(feed.arrive(msg(6)), Arrival::Held);
        assert_eq!(feed.arrive(msg(6)), Arrival::Known);
        assert_eq!(shown(&feed), [4, 3, 2, 1], "what the reader sees stays put");
        assert_eq!(feed.held_count(), 2);
        assert_eq!(feed.newest_id(), Some(6));
        let jumps = feed.jumps();
        feed.show_new();
        assert_eq!(shown(&feed), [6, 5, 4, 3, 2, 1]);
        assert_eq!(feed.held_count(), 0);
        assert_eq!(feed.jumps(), jumps + 1);
    }

    #[test]
    fn scrolling_back_to_the_top_shows_what_was_held() {
        let mut feed = WallFeed::default();
        feed.first_page(page(1..=1, None));
        feed.set_following(false);
        feed.arrive(msg(2));
        feed.set_following(true);
        assert_eq!(shown(&feed), [2, 1]);
    }

    #[test]
    fn your_own_message_shows_at_once_even_when_reading_below() {
        let mut feed = WallFeed::default();
        feed.first_page(page(1..=2, None));
        feed.set_following(false);
        feed.arrive(msg(3));
        assert_eq!(feed.arrive_own(msg(4)), Arrival::Shown);
        assert_eq!(shown(&feed), [4, 3, 2, 1]);
        assert!(feed.is_following());
        assert_eq!(feed.arrive_own(msg(4)), Arrival::Known);
    }

    #[test]
    fn pinned_messages_go_on_top_and_moderation_moves_them() {
        let mut feed = WallFeed::default();
        let mut pinned = msg(2);
        pinned.pinned = true;
        feed.first_page(MessagePage {
            messages: vec![msg(1), pinned.clone(), msg(3)],
            ..Default::default()
        });
        assert_eq!(shown(&feed), [3, 1]);
        assert_eq!(feed.pinned(), [pinned.clone()]);

        let mut unpinned = pinned;
        unpinned.pinned = false;
        feed.moderated(unpinned);
        assert_eq!(shown(&feed), [3, 2, 1]);
        assert!(feed.pinned().is_empty());

        let mut hidden = msg(3);
        hidden.hidden = true;
        feed.moderated(hidden.clone());
        assert_eq!(shown(&feed), [2, 1]);
        assert_eq!(feed.arrive(hidden), Arrival::Ignored);
    }

    #[test]
    fn a_withheld_message_takes_the_card_away_wherever_it_is() {
        let mut feed = WallFeed::default();
        let mut pinned = msg(2);
        pinned.pinned = true;
        feed.first_page(MessagePage {
            messages: vec![msg(1), pinned.clone(), msg(3)],
            ..Default::default()
        });
        // What a hide (or a replay of a message hidden since) carries.
        let withheld = |m: &Message| Message {
            hidden: true,
            ..hugops_core::wall::withheld(m)
        };
        feed.moderated(withheld(&pinned));
        feed.moderated(withheld(&msg(3)));
        assert_eq!(shown(&feed), [1]);
        assert!(feed.pinned().is_empty());
        // A removal of something never shown changes nothing.
        feed.moderated(withheld(&msg(99)));
        assert_eq!(shown(&feed), [1]);
        // Unhidden, the message comes back whole.
        feed.moderated(msg(3));
        assert_eq!(shown(&feed), [3, 1]);
        assert_eq!(feed.get(3).unwrap().body, "m3");
    }

    #[test]
    fn a_pinned_message_older_than_the_first_page_is_on_top_all_the_same() {
        let mut old = msg(3);
        old.pinned = true;
        let mut feed = WallFeed::default();
        feed.first_page(MessagePage {
            pinned: vec![old.clone()],
            ..page(50..=60, Some(50))
        });
        assert_eq!(feed.pinned(), [old.clone()]);
        assert_eq!(feed.len(), 11);

        // Unpinned, it goes back to its place in the history, not loaded yet.
        let mut unpinned = old;
        unpinned.pinned = false;
        feed.moderated(unpinned.clone());
        assert!(feed.pinned().is_empty());
        assert!(feed.get(3).is_none());

        // Pinned again while far below what is loaded: on top at once.
        unpinned.pinned = true;
        feed.moderated(unpinned.clone());
        assert_eq!(feed.pinned(), [unpinned]);
    }

    #[test]
    fn hug_counts_update_wherever_the_message_is() {
        let mut feed = WallFeed::default();
        feed.first_page(page(1..=2, None));
        feed.hugs(HugCount {
            message_id: 1,
            hugs: 7,
        });
        assert_eq!(feed.get(1).unwrap().hugs, 7);
        feed.hugs(HugCount {
            message_id: 99,
            hugs: 1,
        });
    }

    #[test]
    fn an_old_message_beyond_what_is_loaded_waits_for_load_older() {
        let mut feed = WallFeed::default();
        feed.first_page(page(10..=12, Some(10)));
        assert_eq!(feed.arrive(msg(3)), Arrival::Ignored);
        assert_eq!(shown(&feed), [12, 11, 10]);
    }

    #[test]
    fn reloading_the_first_page_keeps_the_readers_position_mode() {
        let mut feed = WallFeed::default();
        feed.first_page(page(1..=2, None));
        feed.set_following(false);
        feed.first_page(page(1..=3, None));
        assert!(!feed.is_following());
        assert_eq!(shown(&feed), [3, 2, 1]);
    }
}
