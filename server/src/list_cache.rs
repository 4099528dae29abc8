//! A cache of rendered message pages, so the GET every widget polls during
//! an outage is a clone of bytes instead of two queries and a serialisation.
//!
//! Correctness rests on one fact of the store: every change to what a page
//! shows (a visible message, a hug count, a moderation of a visible
//! message) writes an event, and every event passes through the
//! broadcaster. [`Invalidating`] wraps the broadcaster and drops a wall's
//! pages before the event goes out, and the store publishes before it
//! answers the write, so once a client has its 201 no page from before it
//! is served. (With several instances, the events that arrive through the
//! shared fan-out invalidate each instance's cache the same way.)
//!
//! A page rendered while an event lands carries the generation it was read
//! under and is not stored if the wall moved on meanwhile.

use crate::broadcast::Broadcaster;
use crate::store::WallEvent;
use axum::body::Bytes;
use hugops_core::wire::{MessageId, PageRequest, WallSlug};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Walls whose pages are kept; past it everything is dropped (a client can
/// name any wall, so the map must not grow without bound).
const MAX_WALLS: usize = 1024;
/// Distinct pages kept per wall; past it the wall's pages are dropped.
const MAX_PAGES: usize = 64;

type PageKey = (Option<MessageId>, Option<MessageId>, u32);

struct WallPages {
    generation: u64,
    pages: HashMap<PageKey, Bytes>,
}

#[derive(Default)]
pub struct ListCache {
    walls: Mutex<HashMap<WallSlug, WallPages>>,
    /// Source of generations: strictly increasing over all walls, so a wall
    /// dropped and seen again never reuses a generation.
    clock: AtomicU64,
}

fn key(page: &PageRequest) -> PageKey {
    (page.after, page.before, page.effective_limit())
}

impl ListCache {
    pub fn new() -> ListCache {
        ListCache::default()
    }

    /// The cached page, or the generation to store a fresh one under.
    pub fn get(&self, wall: &WallSlug, page: &PageRequest) -> Result<Bytes, u64> {
        let mut walls = self.walls.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = walls.get(wall) {
            return entry.pages.get(&key(page)).cloned().ok_or(entry.generation);
        }
        if walls.len() >= MAX_WALLS {
            walls.clear();
        }
        let generation = self.clock.load(Ordering::SeqCst);
        walls.insert(
            wall.clone(),
            WallPages {
                generation,
                pages: HashMap::new(),
            },
        );
        Err(generation)
    }

    /// Stores a page read under `generation`, unless the wall changed since.
    pub fn put(&self, wall: &WallSlug, page: &PageRequest, generation: u64, body: Bytes) {
        let mut walls = self.walls.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = walls.get_mut(wall) {
            if entry.generation == generation {
                if entry.pages.len() >= MAX_PAGES {
                    entry.pages.clear();
                }
                entry.pages.insert(key(page), body);
            }
        }
    }

    /// Forgets the wall's pages: something on it changed.
    pub fn invalidate(&self, wall: &WallSlug) {
        let generation = self.clock.fetch_add(1, Ordering::SeqCst) + 1;
        let mut walls = self.walls.lock().unwrap_or_else(|e| e.into_inner());
        walls.insert(
            wall.clone(),
            WallPages {
                generation,
                pages: HashMap::new(),
            },
        );
    }
}

/// A broadcaster that invalidates the list cache before fanning out.
pub struct Invalidating {
    inner: Arc<dyn Broadcaster>,
    cache: Arc<ListCache>,
}

impl Invalidating {
    pub fn new(inner: Arc<dyn Broadcaster>, cache: Arc<ListCache>) -> Invalidating {
        Invalidating { inner, cache }
    }
}

impl Broadcaster for Invalidating {
    fn publish(&self, event: Arc<WallEvent>) {
        self.cache.invalidate(&event.wall);
        self.inner.publish(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<WallEvent>> {
        self.inner.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(name: &str) -> WallSlug {
        WallSlug::parse(name).unwrap()
    }

    #[test]
    fn pages_are_kept_until_their_wall_changes() {
        let cache = ListCache::new();
        let (a, b) = (wall("a"), wall("b"));
        let page = PageRequest::default();
        let generation = cache.get(&a, &page).unwrap_err();
        cache.put(&a, &page, generation, Bytes::from_static(b"one"));
        assert_eq!(cache.get(&a, &page).unwrap(), "one");
        // Another wall's change leaves it alone.
        cache.invalidate(&b);
        assert_eq!(cache.get(&a, &page).unwrap(), "one");
        cache.invalidate(&a);
        assert!(cache.get(&a, &page).is_err());
    }

    #[test]
    fn a_page_read_before_a_change_is_not_stored_after_it() {
        let cache = ListCache::new();
        let a = wall("a");
        let page = PageRequest::default();
        let generation = cache.get(&a, &page).unwrap_err();
        cache.invalidate(&a); // an event lands while the page is read
        cache.put(&a, &page, generation, Bytes::from_static(b"stale"));
        assert!(cache.get(&a, &page).is_err());
    }
}
