//! [`WallLog`]: one wall's messages and hugs as plain data, under the rules
//! of `hugops_core::wall` (visibility, moderation, the honeypot, what a
//! reader receives) and the server's paging (this mirrors its SQL
//! `list_visible`). The in-browser stores, `memory` and `local`, keep their
//! walls in it, so they cannot disagree with each other or with the server.

use crate::unicode::ops;
use hugops_core::message::prepare_with;
use hugops_core::time::Timestamp;
use hugops_core::wall::{self as rules, is_public, Moderation};
use hugops_core::wire::{
    check_client_id, ApiError, ErrorCode, HugCount, Message, MessageId, MessagePage,
    ModerationAction, NewMessage, PageRequest, StreamEvent, WallSlug, MAX_PINNED,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One wall's messages and hugs: the rules of the `WallStore` contract as
/// plain data and functions, tested natively.
///
/// Messages are kept in increasing id order (ids are assigned here, in
/// order of acceptance), which makes every lookup a binary search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WallLog {
    /// The next id to assign. Starts at 1: 0 is "before everything".
    #[serde(default = "first_id")]
    next_id: MessageId,
    messages: Vec<Message>,
    /// Who hugged what: a client counts once per message.
    #[serde(default)]
    huggers: BTreeMap<MessageId, BTreeSet<String>>,
    /// `client_id` → id, so an idempotency check is not a scan of the wall.
    /// Derived data: not stored, rebuilt when out of step.
    #[serde(skip)]
    by_client: ClientIndex,
}

#[derive(Clone, Debug, Default)]
struct ClientIndex(HashMap<String, MessageId>);

/// The index is derived from the messages, so two logs with the same
/// messages are equal whatever their index holds.
impl PartialEq for ClientIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

fn first_id() -> MessageId {
    1
}

/// What a successful post did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    pub message: Message,
    /// False when an earlier post with this `client_id` was returned instead.
    pub created: bool,
}

impl Default for WallLog {
    fn default() -> Self {
        WallLog {
            next_id: first_id(),
            messages: Vec::new(),
            huggers: BTreeMap::new(),
            by_client: ClientIndex::default(),
        }
    }
}

impl WallLog {
    pub fn new() -> Self {
        WallLog::default()
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Every message, hidden ones included, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    pub fn get(&self, id: MessageId) -> Option<&Message> {
        self.position(id).map(|i| &self.messages[i])
    }

    fn position(&self, id: MessageId) -> Option<usize> {
        self.messages.binary_search_by_key(&id, |m| m.id).ok()
    }

    /// The id of the newest message, visible or not.
    pub fn last_id(&self) -> Option<MessageId> {
        self.messages.last().map(|m| m.id)
    }

    /// Posts a message under the server's rules, in the server's order:
    /// the honeypot, the `client_id`'s shape, an earlier post with the same
    /// `client_id` (a retry never makes a second message), then the message
    /// rules of `hugops_core::message`. The message in the answer is what
    /// the server answers (`hugops_core::wall::post_answer`).
    pub fn post(
        &mut self,
        wall: &WallSlug,
        new: NewMessage,
        at: Timestamp,
    ) -> Result<Posted, ApiError> {
        rules::check_honeypot(&new)?;
        check_client_id(&new.client_id)?;
        if let Some(existing) = self.find_client(&new.client_id) {
            return Ok(Posted {
                message: rules::post_answer(existing, false),
                created: false,
            });
        }
        let clean =
            prepare_with(ops(), new.author.as_deref(), &new.body).map_err(ApiError::from)?;
        let id = self.next_id.max(self.last_id().map_or(1, |last| last + 1));
        self.next_id = id + 1;
        let message = Message {
            id,
            wall: wall.clone(),
            author: clean.author,
            body: clean.body,
            created_at: at,
            hugs: 0,
            pinned: false,
            hidden: false,
            held: false,
            client_id: Some(new.client_id.clone()),
            // Only the team can post an official message (the server).
            official: false,
        };
        self.by_client.0.insert(new.client_id, id);
        self.messages.push(message.clone());
        Ok(Posted {
            message,
            created: true,
        })
    }

    /// The message an earlier post with `client_id` stored.
    pub fn find_client(&mut self, client_id: &str) -> Option<&Message> {
        if self.by_client.0.len() != self.messages.len() {
            // Every stored message has its client_id, so the counts match
            // once the index is built.
            self.by_client.0 = self
                .messages
                .iter()
                .filter_map(|m| Some((m.client_id.clone()?, m.id)))
                .collect();
        }
        let id = *self.by_client.0.get(client_id)?;
        self.get(id)
    }

    /// Adds `client_id`'s hug. Returns the count and whether it changed.
    pub fn hug(&mut self, id: MessageId, client_id: &str) -> Result<(HugCount, bool), ApiError> {
        check_client_id(client_id)?;
        let index = self
            .position(id)
            .filter(|&i| is_public(&self.messages[i]))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "There is no such message on this wall.",
                )
            })?;
        let added = self
            .huggers
            .entry(id)
            .or_default()
            .insert(client_id.to_owned());
        let message = &mut self.messages[index];
        if added {
            message.hugs = message.hugs.saturating_add(1);
        }
        Ok((
            HugCount {
                message_id: id,
                hugs: message.hugs,
            },
            added,
        ))
    }

    /// The team's moderation (the server's `PATCH`): when the action
    /// changed the message, the message as it is now (the team's view) and
    /// what the live stream says about it.
    pub fn moderate(
        &mut self,
        id: MessageId,
        action: ModerationAction,
    ) -> Option<(Message, Option<StreamEvent>)> {
        let index = self.position(id)?;
        let message = &mut self.messages[index];
        match rules::moderate(message, action) {
            Moderation::Unchanged => None,
            Moderation::Changed { event } => Some((message.clone(), event)),
        }
    }

    /// A page of visible messages, oldest first, exactly as the server's
    /// `list_visible` pages: `after` (optionally bounded by `before`) walks
    /// forward from the oldest match; `before` alone, or neither, takes the
    /// newest matches. `next_after` is set when newer visible messages
    /// exist, `prev_before` when older ones do; an empty page has neither.
    pub fn page(&self, request: PageRequest) -> MessagePage {
        let limit = request.effective_limit() as usize;
        let upper = request.before.unwrap_or(MessageId::MAX);
        let visible = |m: &&Message| is_public(m);
        let (rows, newer, older): (Vec<&Message>, bool, bool) = match request.after {
            Some(after) => {
                let start = self.messages.partition_point(|m| m.id <= after);
                let mut rows: Vec<&Message> = self.messages[start..]
                    .iter()
                    .take_while(|m| m.id < upper)
                    .filter(visible)
                    .take(limit + 1)
                    .collect();
                let newer = rows.len() > limit;
                rows.truncate(limit);
                let older = rows
                    .first()
                    .is_some_and(|first| self.any_visible(..self.split(first.id)));
                (rows, newer, older)
            }
            None => {
                let end = self.messages.partition_point(|m| m.id < upper);
                let mut rows: Vec<&Message> = self.messages[..end]
                    .iter()
                    .rev()
                    .filter(visible)
                    .take(limit + 1)
                    .collect();
                let older = rows.len() > limit;
                rows.truncate(limit);
                rows.reverse();
                let newer = rows
                    .last()
                    .is_some_and(|last| self.any_visible(self.split(last.id) + 1..));
                (rows, newer, older)
            }
        };
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return MessagePage::default();
        };
        let pinned = if request.is_first() {
            self.messages
                .iter()
                .rev()
                .filter(|m| m.pinned && is_public(m))
                .take(MAX_PINNED as usize)
                .map(rules::public_view)
                .collect()
        } else {
            Vec::new()
        };
        MessagePage {
            next_after: newer.then_some(last.id),
            prev_before: older.then_some(first.id),
            messages: rows.into_iter().map(rules::public_view).collect(),
            pinned,
            last_event_id: None,
        }
    }

    fn split(&self, id: MessageId) -> usize {
        self.messages.partition_point(|m| m.id < id)
    }

    fn any_visible(
        &self,
        range: impl std::slice::SliceIndex<[Message], Output = [Message]>,
    ) -> bool {
        self.messages[range].iter().any(is_public)
    }

    /// Visible messages with an id above `after`, oldest first, in their
    /// public view: what a subscription that has seen up to `after` has yet
    /// to deliver.
    pub fn visible_after(&self, after: MessageId) -> impl Iterator<Item = Message> + '_ {
        let start = self.messages.partition_point(|m| m.id <= after);
        self.messages[start..]
            .iter()
            .filter(|m| is_public(m))
            .map(rules::public_view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall() -> WallSlug {
        WallSlug::parse("general").unwrap()
    }

    fn new(body: &str, client_id: &str) -> NewMessage {
        NewMessage {
            author: None,
            body: body.into(),
            client_id: client_id.into(),
            website: None,
        }
    }

    fn log_with(n: usize) -> WallLog {
        let mut log = WallLog::new();
        for i in 0..n {
            log.post(
                &wall(),
                new(&format!("m{i}"), &format!("c{i}")),
                Timestamp::from_millis(0),
            )
            .unwrap();
        }
        log
    }

    fn ids(page: &MessagePage) -> Vec<MessageId> {
        page.messages.iter().map(|m| m.id).collect()
    }

    fn req(after: Option<i64>, before: Option<i64>, limit: u32) -> PageRequest {
        PageRequest {
            after,
            before,
            limit: Some(limit),
        }
    }

    #[test]
    fn the_first_page_carries_pinned_messages_as_the_server_does() {
        let mut log = log_with(60);
        let oldest = log.page(req(Some(0), None, 1)).messages[0].id;
        log.moderate(oldest, ModerationAction::Pin).unwrap();
        let first = log.page(req(None, None, 50));
        assert!(!ids(&first).contains(&oldest));
        assert_eq!(
            first.pinned.iter().map(|m| m.id).collect::<Vec<_>>(),
            [oldest]
        );
        assert!(log.page(req(Some(0), None, 50)).pinned.is_empty());
        assert!(log.page(req(None, Some(30), 50)).pinned.is_empty());
        log.moderate(oldest, ModerationAction::Hide).unwrap();
        assert!(log.page(req(None, None, 50)).pinned.is_empty());
    }

    #[test]
    fn posts_are_normalised_and_numbered_in_order() {
        let mut log = WallLog::new();
        let a = log
            .post(
                &wall(),
                new("  hello\r\n\r\n\r\nthere  ", "a"),
                Timestamp::from_millis(5),
            )
            .unwrap();
        let b = log
            .post(&wall(), new("second", "b"), Timestamp::from_millis(6))
            .unwrap();
        assert_eq!(a.message.body, "hello\n\nthere");
        assert!(a.message.id < b.message.id);
        assert!(a.created && b.created);
    }

    #[test]
    fn a_retry_with_the_same_client_id_returns_the_first_message() {
        let mut log = WallLog::new();
        let first = log
            .post(&wall(), new("once", "same"), Timestamp::from_millis(1))
            .unwrap();
        let again = log
            .post(&wall(), new("twice?", "same"), Timestamp::from_millis(2))
            .unwrap();
        assert!(!again.created);
        assert_eq!(again.message, first.message);
        assert_eq!(log.len(), 1);
    }

    #[test]
    fn invalid_messages_are_refused_with_the_field() {
        let mut log = WallLog::new();
        let empty = log
            .post(&wall(), new(" \n ", "e"), Timestamp::default())
            .unwrap_err();
        assert_eq!(
            (empty.error, empty.field.as_deref()),
            (ErrorCode::InvalidMessage, Some("body"))
        );
        let long_name = NewMessage {
            author: Some("n".repeat(41)),
            ..new("hi", "n")
        };
        let err = log
            .post(&wall(), long_name, Timestamp::default())
            .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("author"));
        let bot = NewMessage {
            website: Some("http://spam".into()),
            ..new("hi", "w")
        };
        assert_eq!(
            log.post(&wall(), bot, Timestamp::default())
                .unwrap_err()
                .error,
            ErrorCode::BadRequest
        );
        let bad_id = log
            .post(&wall(), new("hi", "has space"), Timestamp::default())
            .unwrap_err();
        assert_eq!(bad_id.field.as_deref(), Some("client_id"));
        assert!(log.is_empty());
    }

    #[test]
    fn hugs_count_once_per_client() {
        let mut log = log_with(1);
        assert_eq!(
            log.hug(1, "x").unwrap(),
            (
                HugCount {
                    message_id: 1,
                    hugs: 1
                },
                true
            )
        );
        assert_eq!(
            log.hug(1, "x").unwrap(),
            (
                HugCount {
                    message_id: 1,
                    hugs: 1
                },
                false
            )
        );
        assert_eq!(log.hug(1, "y").unwrap().0.hugs, 2);
        assert_eq!(log.hug(99, "x").unwrap_err().error, ErrorCode::NotFound);
    }

    #[test]
    fn newest_page_then_older_pages_by_cursor() {
        let log = log_with(7);
        let newest = log.page(req(None, None, 3));
        assert_eq!(ids(&newest), [5, 6, 7]);
        assert_eq!((newest.prev_before, newest.next_after), (Some(5), None));
        let older = log.page(req(None, newest.prev_before, 3));
        assert_eq!(ids(&older), [2, 3, 4]);
        assert_eq!((older.prev_before, older.next_after), (Some(2), Some(4)));
        let oldest = log.page(req(None, older.prev_before, 3));
        assert_eq!(ids(&oldest), [1]);
        assert_eq!((oldest.prev_before, oldest.next_after), (None, Some(1)));
    }

    #[test]
    fn forward_pages_by_cursor() {
        let log = log_with(5);
        let first = log.page(req(Some(0), None, 2));
        assert_eq!(ids(&first), [1, 2]);
        assert_eq!((first.prev_before, first.next_after), (None, Some(2)));
        let next = log.page(req(first.next_after, None, 2));
        assert_eq!(ids(&next), [3, 4]);
        let last = log.page(req(next.next_after, None, 2));
        assert_eq!(ids(&last), [5]);
        assert_eq!((last.prev_before, last.next_after), (Some(5), None));
        assert_eq!(log.page(req(Some(5), None, 2)), MessagePage::default());
        let bounded = log.page(req(Some(1), Some(4), 10));
        assert_eq!(ids(&bounded), [2, 3]);
    }

    #[test]
    fn hidden_messages_are_skipped_by_pages_and_cursors() {
        let mut log = log_with(5);
        log.moderate(4, ModerationAction::Hide).unwrap();
        log.moderate(1, ModerationAction::Hide).unwrap();
        let page = log.page(req(None, None, 2));
        assert_eq!(ids(&page), [3, 5]);
        let rest = log.page(req(None, page.prev_before, 2));
        assert_eq!(ids(&rest), [2]);
        assert_eq!(rest.prev_before, None, "only a hidden message is older");
        assert!(
            log.moderate(1, ModerationAction::Hide).is_none(),
            "no change"
        );
        assert_eq!(log.hug(4, "x").unwrap_err().error, ErrorCode::NotFound);
    }

    #[test]
    fn readers_get_public_views_and_a_retry_no_hidden_words() {
        let mut log = log_with(3);
        let page = log.page(req(None, None, 50));
        assert!(page.messages.iter().all(|m| m.client_id.is_none()));
        assert!(log.visible_after(0).all(|m| m.client_id.is_none()));
        let (team_view, event) = log.moderate(2, ModerationAction::Hide).unwrap();
        assert_eq!(
            team_view.client_id.as_deref(),
            Some("c1"),
            "the team's view"
        );
        let Some(StreamEvent::Moderated { message }) = event else {
            panic!("{event:?}")
        };
        assert!(message.hidden && message.body.is_empty());
        let retry = log
            .post(&wall(), new("again", "c1"), Timestamp::default())
            .unwrap();
        assert!(!retry.created && retry.message.hidden);
        assert!(retry.message.body.is_empty(), "no hidden words");
        assert_eq!(retry.message.client_id.as_deref(), Some("c1"));
    }

    #[test]
    fn limits_are_clamped() {
        let log = log_with(250);
        assert_eq!(log.page(req(None, None, 0)).messages.len(), 1);
        assert_eq!(log.page(req(None, None, 10_000)).messages.len(), 200);
        assert_eq!(log.page(PageRequest::default()).messages.len(), 50);
    }

    #[test]
    fn survives_a_json_round_trip() {
        let mut log = log_with(3);
        log.hug(2, "x").unwrap();
        let json = serde_json::to_string(&log).unwrap();
        let mut back: WallLog = serde_json::from_str(&json).unwrap();
        assert_eq!(back, log);
        assert!(!back.hug(2, "x").unwrap().1, "huggers persisted");
        let next = back
            .post(&wall(), new("d", "d"), Timestamp::default())
            .unwrap();
        assert_eq!(next.message.id, 4);
    }
}
