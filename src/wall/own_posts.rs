//! Which messages on the wall are the visitor's own, so they are shown as
//! theirs and not announced to them. The server shows nobody a message's
//! `client_id` but its poster, so an arriving message is recognised by
//! what the poster knows:
//! - its id, once the answer to the post came back;
//! - before that (the stream often brings the message a moment before the
//!   post's answer), its text: a message whose author and body are what
//!   one of the visitor's waiting posts becomes once stored (core's
//!   `prepare`, the rule the server applies). Another visitor posting the
//!   very same words at that moment would be taken for theirs too: it is
//!   then shown at once and not announced, nothing worse.

use crate::outbox::Pending;
use crate::unicode::ops;
use hugops_core::message::prepare_with;
use hugops_core::wire::{Message, MessageId};
use std::collections::HashSet;

#[derive(Clone, Debug, Default)]
pub struct OwnPosts {
    delivered: HashSet<MessageId>,
    /// (author, body) of each waiting post, as the server will store it.
    waiting: Vec<(Option<String>, String)>,
}

impl OwnPosts {
    /// The outbox's waiting posts, as it reports them.
    pub fn waiting(&mut self, pending: &[Pending]) {
        self.waiting = pending
            .iter()
            .filter_map(|p| prepare_with(ops(), p.author.as_deref(), &p.body).ok())
            .map(|clean| (clean.author, clean.body))
            .collect();
    }

    /// The server stored one of the visitor's posts.
    pub fn delivered(&mut self, message: &Message) {
        self.delivered.insert(message.id);
    }

    pub fn is_own(&self, message: &Message) -> bool {
        self.delivered.contains(&message.id)
            || self
                .waiting
                .iter()
                .any(|(author, body)| *author == message.author && *body == message.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::PendingState;
    use hugops_core::time::Timestamp;
    use hugops_core::wire::WallSlug;

    fn message(id: MessageId, author: Option<&str>, body: &str) -> Message {
        Message {
            id,
            wall: WallSlug::parse("general").unwrap(),
            author: author.map(str::to_owned),
            body: body.into(),
            created_at: Timestamp::from_millis(0),
            hugs: 0,
            pinned: false,
            hidden: false,
            held: false,
            client_id: None,
            official: false,
        }
    }

    fn pending(author: Option<&str>, body: &str) -> Pending {
        Pending {
            client_id: "c-1".into(),
            author: author.map(str::to_owned),
            body: body.into(),
            state: PendingState::Sending,
        }
    }

    #[test]
    fn a_waiting_post_is_recognised_by_its_stored_text_before_its_answer() {
        let mut own = OwnPosts::default();
        own.waiting(&[pending(Some("  Sam "), "  hello\r\nthere  ")]);
        assert!(own.is_own(&message(5, Some("Sam"), "hello\nthere")));
        assert!(
            !own.is_own(&message(6, None, "hello\nthere")),
            "another author"
        );
        assert!(!own.is_own(&message(7, Some("Sam"), "other words")));
    }

    #[test]
    fn a_delivered_post_is_recognised_by_its_id() {
        let mut own = OwnPosts::default();
        own.waiting(&[pending(None, "mine")]);
        own.delivered(&message(5, None, "mine"));
        own.waiting(&[]);
        assert!(own.is_own(&message(5, None, "mine")));
        assert!(
            !own.is_own(&message(8, None, "mine")),
            "sent, so no longer by text"
        );
    }
}
