//! The rules of a wall, in one place for the server, the in-browser stores
//! and the team page: who may see a message, what the team's moderation
//! does to it, what the live stream is told about it, the honeypot, and
//! what of a message a reader who is not the team may receive.
//!
//! The principle behind the views: a message the team hid, or holds for
//! review, never leaves the server except to the team. Everyone else gets
//! at most its *withheld* form, which says which message it is and why it
//! is gone (its flags) without its body, author or `client_id`. And no
//! reader but the poster ever sees a `client_id`: it is the poster's
//! idempotency key, not part of the message.

use crate::wire::{ApiError, ErrorCode, Message, ModerationAction, NewMessage, StreamEvent};

/// The team's marks on a message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub pinned: bool,
    pub hidden: bool,
    pub held: bool,
}

impl Flags {
    pub fn of(message: &Message) -> Flags {
        Flags {
            pinned: message.pinned,
            hidden: message.hidden,
            held: message.held,
        }
    }

    /// On the public wall: neither hidden by the team nor held for review.
    pub fn is_public(self) -> bool {
        !self.hidden && !self.held
    }

    /// The flags after a team action.
    pub fn after(self, action: ModerationAction) -> Flags {
        let mut flags = self;
        match action {
            ModerationAction::Hide => flags.hidden = true,
            ModerationAction::Unhide => flags.hidden = false,
            ModerationAction::Pin => flags.pinned = true,
            ModerationAction::Unpin => flags.pinned = false,
            ModerationAction::Approve => flags.held = false,
        }
        flags
    }

    fn set_on(self, message: &mut Message) {
        message.pinned = self.pinned;
        message.hidden = self.hidden;
        message.held = self.held;
    }
}

/// Whether the public may see the message (list it, stream it, hug it).
pub fn is_public(message: &Message) -> bool {
    Flags::of(message).is_public()
}

/// Waiting in the team's review queue: held, and not hidden (a hidden
/// message was already dealt with).
pub fn awaits_review(message: &Message) -> bool {
    message.held && !message.hidden
}

/// What a moderation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moderation {
    /// The action changed nothing (hiding a hidden message): no write, no
    /// event.
    Unchanged,
    /// The message changed; `event` is what the live stream says about it
    /// (`None`: nobody but the team saw it before or sees it now).
    Changed { event: Option<StreamEvent> },
}

/// Applies a team action to a message.
pub fn moderate(message: &mut Message, action: ModerationAction) -> Moderation {
    let before = Flags::of(message);
    let after = before.after(action);
    if after == before {
        return Moderation::Unchanged;
    }
    after.set_on(message);
    Moderation::Changed {
        event: moderation_event(action, before, message),
    }
}

/// The stream event of a change from `before` to what `message` is now.
/// The public sees a message appear the first time it becomes visible (an
/// approval: a `message` event, as if just posted); any other change to a
/// message the public saw, or now sees, is a `moderated` event: with the
/// public view when it is visible now (unhidden, pinned, unpinned), with the
/// withheld form when it just left the wall (hidden). A change to what
/// nobody saw is silent.
fn moderation_event(
    action: ModerationAction,
    before: Flags,
    message: &Message,
) -> Option<StreamEvent> {
    let now_public = is_public(message);
    if now_public && !before.is_public() && action == ModerationAction::Approve {
        Some(StreamEvent::Message {
            message: public_view(message),
        })
    } else if now_public || before.is_public() {
        Some(StreamEvent::Moderated {
            message: public_view(message),
        })
    } else {
        None
    }
}

/// A message as anyone but the team may receive it: the message without
/// its `client_id` when it is public, its withheld form when not.
pub fn public_view(message: &Message) -> Message {
    if is_public(message) {
        Message {
            client_id: None,
            ..message.clone()
        }
    } else {
        withheld(message)
    }
}

/// Which message it is and why it is not shown (its flags, its time and
/// hug count), without what it says or who said it.
pub fn withheld(message: &Message) -> Message {
    Message {
        id: message.id,
        wall: message.wall.clone(),
        author: None,
        body: String::new(),
        created_at: message.created_at,
        hugs: message.hugs,
        pinned: message.pinned,
        hidden: message.hidden,
        held: message.held,
        client_id: None,
        official: message.official,
    }
}

/// What a replay of the event log sends in place of a stored event about
/// `now` (the message as it is at the time of reading): `None` while the
/// public may see it (the stored event stands), else its removal: a
/// `moderated` event with the withheld form, so a reader drops the message
/// whatever the stored event said when it was written.
pub fn replayed(now: &Message) -> Option<StreamEvent> {
    (!is_public(now)).then(|| StreamEvent::Moderated {
        message: withheld(now),
    })
}

/// The answer to a post. The first attempt (`created`) gets the message
/// as stored, held or not: its sender just wrote every word of it. A retry
/// with the same `client_id` gets the public view of what is stored, with
/// that `client_id` (it was in the request), so a retry is recognised and
/// stops; a `client_id` is not proof of authorship, so a hidden or held
/// message's words are not in it.
pub fn post_answer(stored: &Message, created: bool) -> Message {
    if created {
        return stored.clone();
    }
    Message {
        client_id: stored.client_id.clone(),
        ..public_view(stored)
    }
}

/// The honeypot: the widget hides the `website` field from people, so
/// whatever fills it is a bot. Refused openly rather than faked: a faked
/// success would silently eat the message of a person whose browser
/// autofilled it.
pub fn check_honeypot(new: &NewMessage) -> Result<(), ApiError> {
    if new.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "This message looks automated, so it was not posted.",
        )
        .with_field("website"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;
    use crate::wire::WallSlug;
    use ModerationAction::*;

    fn message() -> Message {
        Message {
            id: 7,
            wall: WallSlug::parse("general").unwrap(),
            author: Some("Sam".into()),
            body: "Hang in there".into(),
            created_at: Timestamp::from_millis(1_000),
            hugs: 2,
            pinned: false,
            hidden: false,
            held: false,
            client_id: Some("c-7".into()),
            official: false,
        }
    }

    fn event_of(message: &mut Message, action: ModerationAction) -> Option<StreamEvent> {
        match moderate(message, action) {
            Moderation::Changed { event } => event,
            Moderation::Unchanged => panic!("{action:?} changed nothing"),
        }
    }

    fn no_secret(m: &Message) {
        assert_eq!(m.client_id, None, "{m:?}");
        if !is_public(m) {
            assert!(m.body.is_empty() && m.author.is_none(), "{m:?}");
        }
    }

    #[test]
    fn hiding_tells_the_stream_the_id_and_flags_only() {
        let mut m = message();
        let Some(StreamEvent::Moderated { message: sent }) = event_of(&mut m, Hide) else {
            panic!()
        };
        assert!(m.hidden);
        assert_eq!((sent.id, sent.hidden), (7, true));
        no_secret(&sent);
        assert_eq!(moderate(&mut m, Hide), Moderation::Unchanged);
    }

    #[test]
    fn unhiding_and_pinning_bring_the_public_view() {
        let mut m = message();
        m.hidden = true;
        for action in [Unhide, Pin, Unpin] {
            let Some(StreamEvent::Moderated { message: sent }) = event_of(&mut m, action) else {
                panic!("{action:?}")
            };
            assert_eq!(sent.body, "Hang in there");
            assert_eq!(sent.pinned, action == Pin);
            no_secret(&sent);
        }
    }

    #[test]
    fn approving_a_held_message_posts_it_and_changes_to_unseen_ones_are_silent() {
        let mut m = message();
        m.held = true;
        assert_eq!(event_of(&mut m, Pin), None, "nobody saw it");
        let Some(StreamEvent::Message { message: sent }) = event_of(&mut m, Approve) else {
            panic!()
        };
        assert!(sent.pinned && !sent.held);
        no_secret(&sent);
        let mut hidden_and_held = message();
        hidden_and_held.hidden = true;
        hidden_and_held.held = true;
        assert_eq!(event_of(&mut hidden_and_held, Approve), None);
    }

    #[test]
    fn a_replay_withholds_what_is_not_public_now() {
        let mut m = message();
        assert_eq!(replayed(&m), None);
        m.hidden = true;
        let Some(StreamEvent::Moderated { message: sent }) = replayed(&m) else {
            panic!()
        };
        no_secret(&sent);
        assert!(sent.hidden);
    }

    #[test]
    fn a_retry_is_answered_without_what_the_public_may_not_see() {
        let mut m = message();
        m.held = true;
        assert_eq!(post_answer(&m, true), m, "the sender's own first answer");
        let retry = post_answer(&m, false);
        assert_eq!(retry.client_id.as_deref(), Some("c-7"));
        assert!(retry.body.is_empty() && retry.author.is_none() && retry.held);
        m.held = false;
        assert_eq!(post_answer(&m, false).body, "Hang in there");
    }

    #[test]
    fn the_withheld_form_has_no_body_on_the_wire() {
        let mut m = message();
        m.hidden = true;
        let json = serde_json::to_string(&public_view(&m)).unwrap();
        assert!(!json.contains("body") && !json.contains("Sam") && !json.contains("c-7"));
        let back: Message = serde_json::from_str(&json).unwrap();
        assert_eq!(back, withheld(&m));
    }

    #[test]
    fn the_honeypot_refuses_what_fills_it() {
        let mut new = NewMessage {
            author: None,
            body: "hi".into(),
            client_id: "c".into(),
            website: Some("  ".into()),
        };
        assert!(check_honeypot(&new).is_ok());
        new.website = Some("http://spam".into());
        let e = check_honeypot(&new).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("website"));
    }
}
