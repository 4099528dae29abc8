//! The `memory` wall store (for tests: nothing leaves the page): walls
//! kept in [`WallLog`]s, gone with the page.

use super::wall_log::WallLog;
use super::{Liveness, LocalFuture, Subscription, WallEvent, WallStore};
use crate::browser::now;
use hugops_core::wire::{
    ApiError, ErrorCode, HugCount, Message, MessageId, MessagePage, ModerationAction, NewMessage,
    PageRequest, StreamEvent, WallSlug,
};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

/// The `memory` wall store: every wall in a `HashMap`, gone with the page.
/// Cloning shares the same walls (like two handles on one server), which is
/// how tests keep "the server" while they drop and remake a widget.
#[derive(Clone, Default)]
pub struct MemoryWallStore {
    shared: Rc<Shared>,
}

#[derive(Default)]
struct Shared {
    walls: RefCell<HashMap<WallSlug, WallLog>>,
    subscribers: RefCell<Vec<Rc<Subscriber>>>,
    next_token: Cell<u64>,
}

/// One subscription: delivers the wall's visible messages above `cursor`,
/// in order, then moves the cursor, so a message is never delivered twice
/// however the catch-up and live deliveries interleave.
struct Subscriber {
    token: u64,
    /// Cleared when the `Subscription` is dropped: a delivery already under
    /// way (from a snapshot of the subscribers) skips it from then on.
    active: Cell<bool>,
    wall: WallSlug,
    cursor: Cell<MessageId>,
    on_event: Rc<dyn Fn(WallEvent)>,
}

impl MemoryWallStore {
    pub fn new() -> Self {
        MemoryWallStore::default()
    }

    /// How many messages a wall holds, hidden ones included (for tests).
    pub fn count(&self, wall: &WallSlug) -> usize {
        self.shared.walls.borrow().get(wall).map_or(0, WallLog::len)
    }

    /// Every message of a wall, hidden ones included, oldest first.
    pub fn all(&self, wall: &WallSlug) -> Vec<Message> {
        self.shared
            .walls
            .borrow()
            .get(wall)
            .map(|log| log.messages().to_vec())
            .unwrap_or_default()
    }

    /// The team's moderation, as the server's `PATCH` does it: subscribers
    /// get the event `hugops_core::wall::moderate` says, and the answer is
    /// the message as the team sees it.
    pub fn moderate(
        &self,
        wall: &WallSlug,
        id: MessageId,
        action: ModerationAction,
    ) -> Option<Message> {
        let (changed, event) = self
            .shared
            .walls
            .borrow_mut()
            .get_mut(wall)?
            .moderate(id, action)?;
        if let Some(event) = event {
            self.broadcast(wall, event);
        }
        Some(changed)
    }

    /// Posts synchronously; `WallStore::post` is this behind a future.
    pub fn post_now(&self, wall: &WallSlug, message: NewMessage) -> Result<Message, ApiError> {
        let posted = self
            .shared
            .walls
            .borrow_mut()
            .entry(wall.clone())
            .or_default()
            .post(wall, message, now())?;
        if posted.created {
            self.catch_up(wall);
        }
        Ok(posted.message)
    }

    /// Delivers what each subscriber of `wall` has not seen yet. The walls
    /// are not borrowed while a callback runs, so a callback may call the
    /// store again.
    fn catch_up(&self, wall: &WallSlug) {
        for subscriber in self.subscribers_of(wall) {
            Self::deliver_backlog(&self.shared, &subscriber);
        }
    }

    fn deliver_backlog(shared: &Shared, subscriber: &Subscriber) {
        while subscriber.active.get() {
            let next = shared
                .walls
                .borrow()
                .get(&subscriber.wall)
                .and_then(|log| log.visible_after(subscriber.cursor.get()).next());
            let Some(message) = next else { break };
            subscriber.cursor.set(message.id);
            (subscriber.on_event)(WallEvent::Stream(StreamEvent::Message { message }));
        }
    }

    fn broadcast(&self, wall: &WallSlug, event: StreamEvent) {
        for subscriber in self.subscribers_of(wall) {
            if subscriber.active.get() {
                (subscriber.on_event)(WallEvent::Stream(event.clone()));
            }
        }
    }

    fn subscribers_of(&self, wall: &WallSlug) -> Vec<Rc<Subscriber>> {
        self.shared
            .subscribers
            .borrow()
            .iter()
            .filter(|s| &s.wall == wall)
            .cloned()
            .collect()
    }
}

impl WallStore for MemoryWallStore {
    fn list(
        &self,
        wall: &WallSlug,
        page: PageRequest,
    ) -> LocalFuture<'_, Result<MessagePage, ApiError>> {
        let page = self
            .shared
            .walls
            .borrow()
            .get(wall)
            .map(|log| log.page(page))
            .unwrap_or_default();
        Box::pin(async move { Ok(page) })
    }

    fn post(
        &self,
        wall: &WallSlug,
        message: NewMessage,
    ) -> LocalFuture<'_, Result<Message, ApiError>> {
        let wall = wall.clone();
        Box::pin(async move { self.post_now(&wall, message) })
    }

    fn hug(
        &self,
        wall: &WallSlug,
        message: MessageId,
        client_id: &str,
    ) -> LocalFuture<'_, Result<HugCount, ApiError>> {
        let wall = wall.clone();
        let client_id = client_id.to_owned();
        Box::pin(async move {
            let (count, added) = self
                .shared
                .walls
                .borrow_mut()
                .get_mut(&wall)
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        "There is no such message on this wall.",
                    )
                })?
                .hug(message, &client_id)?;
            if added {
                self.broadcast(&wall, StreamEvent::Hugs(count));
            }
            Ok(count)
        })
    }

    fn subscribe(
        &self,
        wall: &WallSlug,
        after: Option<MessageId>,
        on_event: Rc<dyn Fn(WallEvent)>,
    ) -> Subscription {
        let token = self.shared.next_token.get() + 1;
        self.shared.next_token.set(token);
        // Without a cursor, only what happens from now on.
        let cursor = after.unwrap_or_else(|| {
            self.shared
                .walls
                .borrow()
                .get(wall)
                .and_then(WallLog::last_id)
                .unwrap_or(0)
        });
        let subscriber = Rc::new(Subscriber {
            token,
            active: Cell::new(true),
            wall: wall.clone(),
            cursor: Cell::new(cursor),
            on_event,
        });
        self.shared
            .subscribers
            .borrow_mut()
            .push(subscriber.clone());
        // The backlog after `after` is delivered on the next tick rather
        // than from inside `subscribe`, as a network stream would: the
        // caller is usually still storing the `Subscription` it is given.
        let weak: Weak<Shared> = Rc::downgrade(&self.shared);
        {
            let weak = weak.clone();
            let subscriber = subscriber.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(shared) = weak.upgrade() else { return };
                if subscriber.active.get() {
                    (subscriber.on_event)(WallEvent::Live(Liveness::Live));
                    Self::deliver_backlog(&shared, &subscriber);
                }
            });
        }
        Subscription::new(move || {
            subscriber.active.set(false);
            if let Some(shared) = weak.upgrade() {
                shared.subscribers.borrow_mut().retain(|s| s.token != token);
            }
        })
    }
}
