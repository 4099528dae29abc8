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

use crate::broadcast::{Broadcaster, Subscription};
use crate::store::WallEvent;
use axum::body::Bytes;
use hugops_core::wire::{MessageId, PageRequest, WallSlug};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Walls whose pages are kept; past it everything is dropped (a client can
/// name any wall, so the map must not grow without bound).
const MAX_WALLS: usize = 1024;
/// Bytes of pages kept, over all walls. A page of 100 messages is tens of
/// KB in practice and about 1 MB at the very most.
pub const DEFAULT_BUDGET: usize = 16 * 1024 * 1024;
/// What a kept page costs besides its body (key, map slot), so that many
/// tiny pages cannot hide from the budget.
const PAGE_OVERHEAD: usize = 64;

type PageKey = (Option<MessageId>, Option<MessageId>, u32);

struct WallPages {
    generation: u64,
    pages: HashMap<PageKey, Bytes>,
}

impl WallPages {
    fn bytes(&self) -> usize {
        self.pages.values().map(cost).sum()
    }
}

fn cost(body: &Bytes) -> usize {
    body.len() + PAGE_OVERHEAD
}

struct Walls {
    walls: HashMap<WallSlug, WallPages>,
    /// What the kept pages cost, by [`cost`]; never above the budget.
    bytes: usize,
}

pub struct ListCache {
    walls: Mutex<Walls>,
    /// Source of generations: strictly increasing over all walls, so a wall
    /// dropped and seen again never reuses a generation.
    clock: AtomicU64,
    budget: usize,
}

impl Default for ListCache {
    fn default() -> Self {
        ListCache::with_budget(DEFAULT_BUDGET)
    }
}

fn key(page: &PageRequest) -> PageKey {
    (page.after, page.before, page.effective_limit())
}

impl ListCache {
    pub fn new() -> ListCache {
        ListCache::default()
    }

    /// A cache that keeps at most `budget` bytes of pages.
    pub fn with_budget(budget: usize) -> ListCache {
        ListCache {
            walls: Mutex::new(Walls {
                walls: HashMap::new(),
                bytes: 0,
            }),
            clock: AtomicU64::new(0),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Walls> {
        self.walls.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached page, or the generation to store a fresh one under.
    pub fn get(&self, wall: &WallSlug, page: &PageRequest) -> Result<Bytes, u64> {
        let mut cache = self.lock();
        if let Some(entry) = cache.walls.get(wall) {
            return entry.pages.get(&key(page)).cloned().ok_or(entry.generation);
        }
        if cache.walls.len() >= MAX_WALLS {
            cache.walls.clear();
            cache.bytes = 0;
        }
        let generation = self.clock.load(Ordering::SeqCst);
        cache.walls.insert(
            wall.clone(),
            WallPages {
                generation,
                pages: HashMap::new(),
            },
        );
        Err(generation)
    }

    /// Stores a page read under `generation`, unless the wall changed since
    /// or the page alone would take more than an eighth of the budget.
    /// Room is made by dropping other pages (whichever the map yields
    /// first: a cache miss costs one read, so any victim will do).
    pub fn put(&self, wall: &WallSlug, page: &PageRequest, generation: u64, body: Bytes) {
        let needed = cost(&body);
        if needed > self.budget / 8 {
            return;
        }
        let mut cache = self.lock();
        let Walls { walls, bytes } = &mut *cache;
        if walls.get(wall).is_none_or(|e| e.generation != generation) {
            return;
        }
        if let Some(old) = walls.get_mut(wall).and_then(|e| e.pages.remove(&key(page))) {
            *bytes -= cost(&old);
        }
        for entry in walls.values_mut() {
            if *bytes + needed <= self.budget {
                break;
            }
            *bytes -= entry.bytes();
            entry.pages.clear();
        }
        if let Some(entry) = walls.get_mut(wall) {
            entry.pages.insert(key(page), body);
            *bytes += needed;
        }
    }

    /// Forgets the wall's pages: something on it changed.
    pub fn invalidate(&self, wall: &WallSlug) {
        let generation = self.clock.fetch_add(1, Ordering::SeqCst) + 1;
        let mut cache = self.lock();
        let fresh = WallPages {
            generation,
            pages: HashMap::new(),
        };
        if let Some(old) = cache.walls.insert(wall.clone(), fresh) {
            cache.bytes -= old.bytes();
        }
    }

    /// Bytes the kept pages cost (bodies and per-page overhead).
    pub fn bytes(&self) -> usize {
        self.lock().bytes
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

    fn subscribe(&self, wall: &WallSlug) -> Subscription {
        self.inner.subscribe(wall)
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

    fn page(after: i64) -> PageRequest {
        PageRequest {
            after: Some(after),
            ..PageRequest::default()
        }
    }

    fn body(len: usize) -> Bytes {
        Bytes::from(vec![b'x'; len])
    }

    #[test]
    fn the_cache_never_holds_more_bytes_than_its_budget() {
        let budget = 64 * 1024;
        let cache = ListCache::with_budget(budget);
        let mut kept = 0;
        for n in 0..200_i64 {
            let a = wall(&format!("w{}", n % 7));
            let generation = cache.get(&a, &page(n)).unwrap_err();
            cache.put(&a, &page(n), generation, body(3_000));
            assert!(cache.bytes() <= budget, "{} > {budget}", cache.bytes());
            kept += usize::from(cache.get(&a, &page(n)).is_ok());
        }
        assert_eq!(kept, 200, "the newest page is always kept");
        assert!(cache.bytes() > budget / 2, "the budget is used, not wasted");
        // Invalidating gives the bytes back.
        for n in 0..7 {
            cache.invalidate(&wall(&format!("w{n}")));
        }
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn a_page_too_large_for_the_budget_is_not_kept() {
        let cache = ListCache::with_budget(80_000);
        let a = wall("a");
        let generation = cache.get(&a, &page(1)).unwrap_err();
        cache.put(&a, &page(1), generation, body(20_000));
        assert!(cache.get(&a, &page(1)).is_err());
        assert_eq!(cache.bytes(), 0);
        // Storing the same page again replaces it, counted once.
        cache.put(&a, &page(2), generation, body(5_000));
        cache.put(&a, &page(2), generation, body(5_000));
        assert_eq!(cache.bytes(), 5_000 + PAGE_OVERHEAD);
    }
}
