//! The outbox as a plain state machine: what to send next, and what each
//! outcome does. No clock, no storage, no randomness of its own: the
//! runner passes them in, so every rule is a native `#[test]`.
//!
//! The rules:
//! - posts leave **one at a time, in the order they were written**: only
//!   the head of the queue is ever in flight, and a head that must wait
//!   holds back the ones behind it (a thread of messages stays in order);
//! - every entry keeps the `client_id` it was given when written, so a
//!   retry (after a failure, a reload, a crash) is the same post to the
//!   store, which returns the first message instead of making a second;
//! - a retryable failure schedules the next attempt with back-off (or the
//!   server's `retry_after`, when longer); anything else is a refusal, and
//!   the entry leaves the queue to go back to the composer with the reason.

use super::backoff::Backoff;
use hugops_core::time::Timestamp;
use hugops_core::wire::{ApiError, ErrorCode, Message, NewMessage, WallSlug};
use serde::{Deserialize, Serialize};

/// A post waiting to be delivered, as persisted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub client_id: String,
    /// The wall it was written for: it goes there and nowhere else, even
    /// if the visitor has moved on or the incident resolved meanwhile.
    /// Absent in queues saved before walls were recorded (those are kept
    /// per wall, so the queue's wall is theirs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall: Option<WallSlug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub body: String,
    /// The honeypot field, passed on as the composer saw it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    pub queued_at: Timestamp,
    /// Failed attempts so far.
    #[serde(default)]
    pub failures: u32,
    /// Not before this time (after a failure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<Timestamp>,
    /// Why the last attempt failed, to say so in the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<ApiError>,
}

impl Entry {
    pub fn new_message(&self) -> NewMessage {
        NewMessage {
            author: self.author.clone(),
            body: self.body.clone(),
            client_id: self.client_id.clone(),
            website: self.website.clone(),
        }
    }
}

/// A post the store refused for good: it goes back to the composer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub entry: Entry,
    pub error: ApiError,
}

/// What an attempt's outcome did to the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled {
    /// Stored; the entry left the queue.
    Delivered(Message),
    /// Will be tried again at `retry_at`.
    Retrying { retry_at: Timestamp },
    /// Refused for good; the entry left the queue.
    Refused(Refused),
    /// The entry was no longer in flight here (another tab delivered it,
    /// or the queue was reloaded meanwhile): nothing to do.
    Stale,
}

/// What the runner should do now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send this post, to this wall (`None`: the queue's own).
    Send(NewMessage, Option<WallSlug>),
    /// Wake up at this time and ask again.
    WaitUntil(Timestamp),
    /// An attempt is under way; wait for its outcome.
    InFlight,
    /// Nothing to send.
    Idle,
}

/// The queue, in the order the posts were written. What is persisted is
/// `entries`; which one is in flight is this page's business only (another
/// tab that loads the queue may send the same head too, which the
/// `client_id` makes harmless, and a reload forgets the attempt, which the
/// `client_id` makes safe to repeat).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxQueue {
    entries: Vec<Entry>,
    in_flight: Option<String>,
}

impl OutboxQueue {
    pub fn new() -> Self {
        OutboxQueue::default()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn in_flight(&self) -> Option<&str> {
        self.in_flight.as_deref()
    }

    /// Writes a post at the end of the queue.
    pub fn enqueue(&mut self, entry: Entry) {
        if !self.entries.iter().any(|e| e.client_id == entry.client_id) {
            self.entries.push(entry);
        }
    }

    /// What to do at `now`. When the head is due, it becomes in flight and
    /// the caller must report its outcome with [`OutboxQueue::settle`].
    pub fn next(&mut self, now: Timestamp) -> Next {
        if self.in_flight.is_some() {
            return Next::InFlight;
        }
        let Some(head) = self.entries.first() else {
            return Next::Idle;
        };
        match head.retry_at {
            Some(at) if at > now => Next::WaitUntil(at),
            _ => {
                self.in_flight = Some(head.client_id.clone());
                Next::Send(head.new_message(), head.wall.clone())
            }
        }
    }

    /// Records an attempt's outcome. `jitter` in [0, 1) spreads retries.
    pub fn settle(
        &mut self,
        client_id: &str,
        outcome: Result<Message, ApiError>,
        now: Timestamp,
        backoff: &Backoff,
        jitter: f64,
    ) -> Settled {
        if self.in_flight.as_deref() == Some(client_id) {
            self.in_flight = None;
        }
        let Some(index) = self.entries.iter().position(|e| e.client_id == client_id) else {
            return match outcome {
                Ok(message) => Settled::Delivered(message),
                Err(_) => Settled::Stale,
            };
        };
        match outcome {
            Ok(message) => {
                self.entries.remove(index);
                Settled::Delivered(message)
            }
            Err(error) if error.error.is_retryable() => {
                let entry = &mut self.entries[index];
                entry.failures = entry.failures.saturating_add(1);
                let wait =
                    backoff.delay_with_retry_after(entry.failures, jitter, error.retry_after);
                let retry_at = Timestamp::from_millis(now.millis().saturating_add(wait as i64));
                entry.retry_at = Some(retry_at);
                entry.last_error = Some(error);
                Settled::Retrying { retry_at }
            }
            Err(error) => Settled::Refused(Refused {
                entry: self.entries.remove(index),
                error,
            }),
        }
    }

    /// Try the head now rather than at its scheduled time: the browser came
    /// back online, or the customer asked. A server's `retry_after` still
    /// holds: it said when it can take the post.
    pub fn retry_now(&mut self, now: Timestamp) {
        if let Some(head) = self.entries.first_mut() {
            let rate_limited = head.last_error.as_ref().is_some_and(|e| {
                e.retry_after.is_some()
                    && matches!(e.error, ErrorCode::RateLimited | ErrorCode::SlowMode)
            });
            if !rate_limited {
                head.retry_at = head.retry_at.map(|at| at.min(now));
            }
        }
    }

    /// Takes the persisted entries as they are now in storage (written by
    /// this page or another tab), keeping what is in flight here in flight
    /// if it is still queued.
    pub fn replace_entries(&mut self, entries: Vec<Entry>) {
        if let Some(id) = &self.in_flight {
            if !entries.iter().any(|e| &e.client_id == id) {
                self.in_flight = None;
            }
        }
        self.entries = entries;
    }

    /// The saved form (see [`super::saved`]).
    pub fn to_json(&self) -> String {
        super::saved::to_json(&self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    fn entry(client_id: &str, body: &str) -> Entry {
        Entry {
            client_id: client_id.into(),
            wall: None,
            author: None,
            body: body.into(),
            website: None,
            queued_at: at(0),
            failures: 0,
            retry_at: None,
            last_error: None,
        }
    }

    fn stored(client_id: &str, id: i64) -> Message {
        Message {
            id,
            wall: WallSlug::parse("general").unwrap(),
            author: None,
            body: "x".into(),
            created_at: at(0),
            hugs: 0,
            pinned: false,
            hidden: false,
            held: false,
            client_id: Some(client_id.into()),
            official: false,
        }
    }

    fn down() -> ApiError {
        ApiError::new(ErrorCode::Unavailable, "down")
    }

    fn sends(next: Next) -> String {
        match next {
            Next::Send(m, _) => m.client_id,
            other => panic!("expected a send, got {other:?}"),
        }
    }

    const B: Backoff = Backoff {
        initial_ms: 1_000,
        max_ms: 8_000,
        max_retry_after_ms: 60_000,
    };

    #[test]
    fn enqueue_then_attempt_then_success() {
        let mut q = OutboxQueue::new();
        assert_eq!(q.next(at(0)), Next::Idle);
        q.enqueue(entry("a", "hello"));
        q.enqueue(entry("a", "hello again")); // the same post twice is one entry
        assert_eq!(q.len(), 1);
        let Next::Send(post, _) = q.next(at(0)) else {
            panic!()
        };
        assert_eq!(
            (post.client_id.as_str(), post.body.as_str()),
            ("a", "hello")
        );
        assert_eq!(q.next(at(0)), Next::InFlight, "one attempt at a time");
        let settled = q.settle("a", Ok(stored("a", 7)), at(5), &B, 0.0);
        assert_eq!(settled, Settled::Delivered(stored("a", 7)));
        assert!(q.is_empty());
        assert_eq!(q.next(at(5)), Next::Idle);
    }

    #[test]
    fn retryable_failures_back_off_and_keep_the_client_id() {
        let mut q = OutboxQueue::new();
        q.enqueue(entry("a", "hello"));
        let mut now = 0;
        let mut waits = Vec::new();
        for _ in 0..5 {
            assert_eq!(sends(q.next(at(now))), "a");
            let Settled::Retrying { retry_at } = q.settle("a", Err(down()), at(now), &B, 0.5)
            else {
                panic!()
            };
            waits.push(retry_at.millis() - now);
            assert_eq!(q.next(at(retry_at.millis() - 1)), Next::WaitUntil(retry_at));
            now = retry_at.millis();
        }
        // Jitter 0.5: half of each ceiling (1, 2, 4, 8, 8 s).
        assert_eq!(waits, [500, 1_000, 2_000, 4_000, 4_000], "doubling, capped");
        assert_eq!(q.entries()[0].failures, 5);
        assert_eq!(q.entries()[0].last_error, Some(down()));
        assert_eq!(sends(q.next(at(now))), "a", "same client_id every time");
    }

    #[test]
    fn a_refusal_leaves_the_queue_for_the_composer_and_the_next_goes() {
        let mut q = OutboxQueue::new();
        q.enqueue(entry("a", "bad"));
        q.enqueue(entry("b", "good"));
        sends(q.next(at(0)));
        let invalid = ApiError::new(ErrorCode::InvalidMessage, "Too long.").with_field("body");
        let Settled::Refused(refused) = q.settle("a", Err(invalid.clone()), at(0), &B, 0.0) else {
            panic!()
        };
        assert_eq!(refused.entry.body, "bad");
        assert_eq!(refused.error, invalid);
        assert_eq!(sends(q.next(at(0))), "b");
    }

    #[test]
    fn rate_limits_honour_retry_after() {
        let mut q = OutboxQueue::new();
        q.enqueue(entry("a", "hi"));
        sends(q.next(at(1_000)));
        let limited = ApiError::new(ErrorCode::RateLimited, "Slow down.").with_retry_after(30);
        let settled = q.settle("a", Err(limited), at(1_000), &B, 0.0);
        assert_eq!(
            settled,
            Settled::Retrying {
                retry_at: at(31_000)
            }
        );
        q.retry_now(at(2_000));
        assert_eq!(
            q.next(at(2_000)),
            Next::WaitUntil(at(31_000)),
            "coming back online does not override the server's wait"
        );
    }

    #[test]
    fn coming_back_online_retries_at_once() {
        let mut q = OutboxQueue::new();
        q.enqueue(entry("a", "hi"));
        sends(q.next(at(0)));
        q.settle("a", Err(down()), at(0), &B, 0.9);
        assert!(matches!(q.next(at(10)), Next::WaitUntil(_)));
        q.retry_now(at(10));
        assert_eq!(sends(q.next(at(10))), "a");
    }

    #[test]
    fn order_is_preserved_one_at_a_time() {
        let mut q = OutboxQueue::new();
        for i in 0..5 {
            q.enqueue(entry(&format!("c{i}"), &format!("m{i}")));
        }
        let mut sent = Vec::new();
        let mut now = 0;
        let mut fail = true;
        while !q.is_empty() {
            match q.next(at(now)) {
                Next::Send(post, _) => {
                    sent.push(post.client_id.clone());
                    // Every other attempt fails: the failed head is retried
                    // before anything behind it goes.
                    let outcome = if fail {
                        Err(down())
                    } else {
                        Ok(stored(&post.client_id, 1))
                    };
                    fail = !fail;
                    q.settle(&post.client_id, outcome, at(now), &B, 0.5);
                }
                Next::WaitUntil(t) => now = t.millis(),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            sent,
            ["c0", "c0", "c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4"]
        );
    }

    #[test]
    fn each_post_goes_to_the_wall_it_was_written_for_even_after_a_reload() {
        let incident = WallSlug::parse("p31zjtct2jer").unwrap();
        let mut q = OutboxQueue::new();
        q.enqueue(Entry {
            wall: Some(incident.clone()),
            ..entry("a", "hang in there")
        });
        q.enqueue(entry("b", "written before walls were recorded"));
        // Saved and read back (another page, after the incident resolved).
        let saved = super::super::saved::read(&q.to_json(), at(0));
        assert!(!saved.keep_aside, "this version's own format");
        let mut q = OutboxQueue::new();
        q.replace_entries(saved.entries);
        let Next::Send(post, wall) = q.next(at(0)) else {
            panic!("the head goes")
        };
        assert_eq!((post.client_id.as_str(), wall), ("a", Some(incident)));
        q.settle("a", Ok(stored("a", 1)), at(0), &B, 0.0);
        let Next::Send(post, wall) = q.next(at(0)) else {
            panic!("the next goes")
        };
        assert_eq!(
            (post.client_id.as_str(), wall),
            ("b", None),
            "the queue's own wall"
        );
    }

    #[test]
    fn persistence_round_trip_forgets_the_attempt_in_flight() {
        let mut q = OutboxQueue::new();
        q.enqueue(Entry {
            author: Some("Ana".into()),
            ..entry("a", "first")
        });
        q.enqueue(entry("b", "second"));
        sends(q.next(at(0)));
        q.settle("a", Err(down()), at(0), &B, 0.0);
        sends(q.next(at(10_000)));
        let json = q.to_json();

        // A reload: the attempt in flight is forgotten, and the head is
        // sent again with the same client_id.
        let mut reloaded = OutboxQueue::new();
        reloaded.replace_entries(super::super::saved::read(&json, at(0)).entries);
        assert_eq!(reloaded.entries(), q.entries());
        assert_eq!(reloaded.entries()[0].author.as_deref(), Some("Ana"));
        assert_eq!(reloaded.entries()[0].failures, 1);
        assert_eq!(sends(reloaded.next(at(10_000))), "a");
    }

    #[test]
    fn an_entry_delivered_elsewhere_is_stale_here() {
        let mut q = OutboxQueue::new();
        q.enqueue(entry("a", "hi"));
        sends(q.next(at(0)));
        // Another tab delivered it and rewrote the stored queue.
        q.replace_entries(Vec::new());
        assert_eq!(q.in_flight(), None);
        assert_eq!(q.settle("a", Err(down()), at(0), &B, 0.0), Settled::Stale);
        assert_eq!(
            q.settle("a", Ok(stored("a", 3)), at(0), &B, 0.0),
            Settled::Delivered(stored("a", 3))
        );
    }
}
