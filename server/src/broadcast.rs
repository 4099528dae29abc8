//! Live fan-out of wall events to the SSE streams of this process.
//!
//! A seam, so that a multi-instance deployment can fan out through
//! PostgreSQL's LISTEN/NOTIFY (whose notifications arrive in commit order)
//! while the embedded SQLite server uses an in-process channel.
//!
//! The contract every implementation keeps: events are delivered in `seq`
//! order; a receiver that falls behind is told so (`RecvError::Lagged`)
//! instead of silently losing events, and then catches up from the store's
//! event log. So a slow subscriber costs a re-read, never a gap.

use crate::store::WallEvent;
use std::sync::Arc;
use tokio::sync::broadcast;

pub trait Broadcaster: Send + Sync + 'static {
    /// Hands a committed event to every subscriber. Called by the store, in
    /// commit order.
    fn publish(&self, event: Arc<WallEvent>);

    /// A receiver of every event published from now on, of all walls.
    fn subscribe(&self) -> broadcast::Receiver<Arc<WallEvent>>;
}

/// The in-process broadcaster: one tokio broadcast channel.
pub struct LocalBroadcaster {
    sender: broadcast::Sender<Arc<WallEvent>>,
}

impl LocalBroadcaster {
    /// Events a subscriber may fall behind before it has to re-read the
    /// log. Large enough that a burst of posts does not force every one of
    /// a thousand listeners back to the database at once.
    pub const CAPACITY: usize = 4096;

    pub fn new() -> LocalBroadcaster {
        let (sender, _) = broadcast::channel(Self::CAPACITY);
        LocalBroadcaster { sender }
    }
}

impl Default for LocalBroadcaster {
    fn default() -> Self {
        Self::new()
    }
}

impl Broadcaster for LocalBroadcaster {
    fn publish(&self, event: Arc<WallEvent>) {
        // No subscriber is not an error: nobody is watching right now.
        let _ = self.sender.send(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<WallEvent>> {
        self.sender.subscribe()
    }
}
