//! Live fan-out of wall events to the SSE streams of this process.
//!
//! A seam, so that a multi-instance deployment can fan out through
//! PostgreSQL's LISTEN/NOTIFY (whose notifications arrive in commit order)
//! while the embedded SQLite server uses an in-process channel. Either way
//! the last hop is a [`LocalBroadcaster`].
//!
//! The contract every implementation keeps: events are delivered in `seq`
//! order; a receiver that falls behind is told so (`RecvError::Lagged`)
//! instead of silently losing events, and then catches up from the store's
//! event log. So a slow subscriber costs a re-read, never a gap.
//!
//! What makes it cheap at ten thousand readers: each wall has its own
//! channel (created by its first subscriber, dropped with its last), so a
//! reader wakes only for its wall; and an event is rendered into its SSE
//! frame once, when published, and every reader writes the same shared
//! bytes.

use crate::sse;
use crate::store::WallEvent;
use axum::body::Bytes;
use hugops_core::wire::WallSlug;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;

pub use broadcast::error::RecvError;

/// One event of a wall, ready for the wire.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The event's `seq` (its SSE `id:`).
    pub seq: i64,
    /// The whole SSE frame; cloning shares the bytes.
    pub bytes: Bytes,
}

impl Frame {
    pub fn of(event: &WallEvent) -> Frame {
        Frame {
            seq: event.seq,
            bytes: sse::event_frame(event),
        }
    }
}

pub trait Broadcaster: Send + Sync + 'static {
    /// Hands a committed event to every subscriber of its wall. Called by
    /// the store, in commit order.
    fn publish(&self, event: Arc<WallEvent>);

    /// A receiver of every event of `wall` published from now on.
    fn subscribe(&self, wall: &WallSlug) -> Subscription;
}

type Channels = Mutex<HashMap<WallSlug, broadcast::Sender<Frame>>>;

/// A stream's receiver of one wall's events. Dropping the last one of a
/// wall drops the wall's channel.
pub struct Subscription {
    /// `Some` until dropped (taken under the registry's lock, so the count
    /// of receivers it reads is exact).
    receiver: Option<broadcast::Receiver<Frame>>,
    wall: WallSlug,
    channels: Arc<Channels>,
}

impl Subscription {
    /// The next frame, or `Lagged` when this receiver fell more than
    /// [`LocalBroadcaster::CAPACITY`] events behind (read the log), or
    /// `Closed` when the broadcaster is gone.
    pub async fn recv(&mut self) -> Result<Frame, RecvError> {
        match self.receiver.as_mut() {
            Some(receiver) => receiver.recv().await,
            None => Err(RecvError::Closed),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = lock(&self.channels);
        drop(self.receiver.take());
        if channels
            .get(&self.wall)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            channels.remove(&self.wall);
        }
    }
}

fn lock(channels: &Channels) -> MutexGuard<'_, HashMap<WallSlug, broadcast::Sender<Frame>>> {
    channels.lock().unwrap_or_else(|e| e.into_inner())
}

/// The in-process broadcaster: one tokio broadcast channel per watched wall.
#[derive(Default)]
pub struct LocalBroadcaster {
    channels: Arc<Channels>,
}

impl LocalBroadcaster {
    /// Events a subscriber may fall behind before it has to re-read the
    /// log. Large enough that a burst of posts does not send every one of
    /// a thousand listeners back to the database at once; small enough
    /// that a channel (a slot per event, allocated up front: about 80 KB)
    /// costs little for each wall someone watches.
    pub const CAPACITY: usize = 1024;

    pub fn new() -> LocalBroadcaster {
        LocalBroadcaster::default()
    }

    /// Walls with at least one subscriber.
    pub fn watched_walls(&self) -> usize {
        lock(&self.channels).len()
    }
}

impl Broadcaster for LocalBroadcaster {
    fn publish(&self, event: Arc<WallEvent>) {
        // A wall nobody watches costs a lookup: no rendering, no channel.
        let Some(sender) = lock(&self.channels).get(&event.wall).cloned() else {
            return;
        };
        // Rendered outside the lock. A subscriber that arrives meanwhile
        // (even on a channel made anew) misses nothing: the event is
        // committed, and a new stream reads the log after subscribing.
        let _ = sender.send(Frame::of(&event));
    }

    fn subscribe(&self, wall: &WallSlug) -> Subscription {
        let mut channels = lock(&self.channels);
        let receiver = match channels.get(wall) {
            Some(sender) => sender.subscribe(),
            None => {
                let (sender, receiver) = broadcast::channel(Self::CAPACITY);
                channels.insert(wall.clone(), sender);
                receiver
            }
        };
        Subscription {
            receiver: Some(receiver),
            wall: wall.clone(),
            channels: self.channels.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, wall: &str) -> Arc<WallEvent> {
        Arc::new(WallEvent {
            seq,
            wall: WallSlug::parse(wall).unwrap(),
            name: "message".into(),
            data: format!("{{\"seq\":{seq}}}").into(),
        })
    }

    #[tokio::test]
    async fn a_subscriber_gets_its_wall_only_as_shared_frames() {
        let hub = LocalBroadcaster::new();
        let wall = WallSlug::parse("a").unwrap();
        let (mut one, mut two) = (hub.subscribe(&wall), hub.subscribe(&wall));
        hub.publish(event(1, "b"));
        hub.publish(event(2, "a"));
        let (x, y) = (one.recv().await.unwrap(), two.recv().await.unwrap());
        assert_eq!(
            (x.seq, y.seq),
            (2, 2),
            "wall b's event is not in wall a's channel"
        );
        assert_eq!(x.bytes.as_ptr(), y.bytes.as_ptr(), "rendered once, shared");
        assert_eq!(
            &x.bytes[..],
            b"event: message\nid: 2\ndata: {\"seq\":2}\n\n"
        );
    }

    #[tokio::test]
    async fn a_walls_channel_lives_while_someone_watches_it() {
        let hub = LocalBroadcaster::new();
        let (a, b) = (WallSlug::parse("a").unwrap(), WallSlug::parse("b").unwrap());
        assert_eq!(hub.watched_walls(), 0);
        let one = hub.subscribe(&a);
        let two = hub.subscribe(&a);
        let three = hub.subscribe(&b);
        assert_eq!(hub.watched_walls(), 2);
        drop(one);
        assert_eq!(hub.watched_walls(), 2, "a still has a reader");
        drop(two);
        assert_eq!(hub.watched_walls(), 1);
        drop(three);
        assert_eq!(hub.watched_walls(), 0);
        // Publishing to a wall nobody watches makes no channel.
        hub.publish(event(3, "a"));
        assert_eq!(hub.watched_walls(), 0);
    }

    #[tokio::test]
    async fn a_reader_that_falls_behind_is_told() {
        let hub = LocalBroadcaster::new();
        let wall = WallSlug::parse("a").unwrap();
        let mut slow = hub.subscribe(&wall);
        for seq in 1..=(LocalBroadcaster::CAPACITY as i64 + 1) {
            hub.publish(event(seq, "a"));
        }
        assert!(matches!(slow.recv().await, Err(RecvError::Lagged(1))));
        assert_eq!(slow.recv().await.unwrap().seq, 2);
    }
}
