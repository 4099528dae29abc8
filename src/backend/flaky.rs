//! A wall store that fails on purpose, for tests of what the widget does
//! when the network does not cooperate. It wraps a real store and, driven
//! by a seeded random generator (so a failing run can be replayed), fails
//! posts with retryable errors in the two ways that matter:
//!
//! - **before** the inner store sees the post (the request never arrived);
//! - **after** the inner store stored it (the response was lost): the
//!   message exists but the client saw a failure. Only idempotency on
//!   `client_id` keeps the retry from posting it twice.

use super::{LocalFuture, Subscription, WallEvent, WallStore};
use hugops_core::wire::{
    ApiError, ErrorCode, HugCount, Message, MessageId, MessagePage, NewMessage, PageRequest,
    WallSlug,
};
use std::cell::Cell;
use std::rc::Rc;

pub struct FlakyWallStore {
    inner: Rc<dyn WallStore>,
    rng: Cell<u64>,
    /// Chance that a call fails before reaching the inner store.
    fail_before: Cell<f64>,
    /// Chance that a post fails after the inner store stored it.
    fail_after: Cell<f64>,
    /// Every call fails (the server is down), until set back.
    down: Cell<bool>,
    calls: Cell<u32>,
    failures: Cell<u32>,
    lost: Cell<u32>,
}

impl FlakyWallStore {
    /// Fails each call before it arrives with probability `fail_before`, and
    /// each post after it was stored with probability `fail_after`.
    pub fn new(inner: Rc<dyn WallStore>, seed: u64, fail_before: f64, fail_after: f64) -> Self {
        FlakyWallStore {
            inner,
            // xorshift must not start at zero.
            rng: Cell::new(seed.max(1)),
            fail_before: Cell::new(fail_before),
            fail_after: Cell::new(fail_after),
            down: Cell::new(false),
            calls: Cell::new(0),
            failures: Cell::new(0),
            lost: Cell::new(0),
        }
    }

    /// Changes the failure rates (0 and 0: the network has recovered).
    pub fn set_rates(&self, fail_before: f64, fail_after: f64) {
        self.fail_before.set(fail_before);
        self.fail_after.set(fail_after);
    }

    /// While down, every call fails before reaching the inner store.
    pub fn set_down(&self, down: bool) {
        self.down.set(down);
    }

    /// Calls made so far, and how many of them failed.
    pub fn calls(&self) -> u32 {
        self.calls.get()
    }

    pub fn failures(&self) -> u32 {
        self.failures.get()
    }

    /// Posts the inner store took whose answer was then "lost".
    pub fn lost_responses(&self) -> u32 {
        self.lost.get()
    }

    /// A uniform number in [0, 1) from xorshift64*.
    fn roll(&self) -> f64 {
        let mut x = self.rng.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng.set(x);
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether this call fails before arriving; counts the call.
    fn fails_before(&self) -> bool {
        self.calls.set(self.calls.get() + 1);
        let fails = self.down.get() || self.roll() < self.fail_before.get();
        if fails {
            self.failures.set(self.failures.get() + 1);
        }
        fails
    }

    /// A retryable refusal, varied the way real failures are: mostly the
    /// network, sometimes a busy server.
    fn failure(&self) -> ApiError {
        if self.roll() < 0.2 {
            ApiError::new(ErrorCode::Internal, "Something went wrong on our side.")
        } else {
            ApiError::new(ErrorCode::Unavailable, "The wall could not be reached.")
        }
    }
}

impl WallStore for FlakyWallStore {
    fn list(
        &self,
        wall: &WallSlug,
        page: PageRequest,
    ) -> LocalFuture<'_, Result<MessagePage, ApiError>> {
        if self.fails_before() {
            let error = self.failure();
            return Box::pin(async move { Err(error) });
        }
        self.inner.list(wall, page)
    }

    fn post(
        &self,
        wall: &WallSlug,
        message: NewMessage,
    ) -> LocalFuture<'_, Result<Message, ApiError>> {
        if self.fails_before() {
            let error = self.failure();
            return Box::pin(async move { Err(error) });
        }
        let lose_response = self.roll() < self.fail_after.get();
        let stored = self.inner.post(wall, message);
        Box::pin(async move {
            let result = stored.await;
            if lose_response && result.is_ok() {
                self.failures.set(self.failures.get() + 1);
                self.lost.set(self.lost.get() + 1);
                return Err(self.failure());
            }
            result
        })
    }

    fn hug(
        &self,
        wall: &WallSlug,
        message: MessageId,
        client_id: &str,
    ) -> LocalFuture<'_, Result<HugCount, ApiError>> {
        if self.fails_before() {
            let error = self.failure();
            return Box::pin(async move { Err(error) });
        }
        self.inner.hug(wall, message, client_id)
    }

    fn subscribe(
        &self,
        wall: &WallSlug,
        after: Option<MessageId>,
        on_event: Rc<dyn Fn(WallEvent)>,
    ) -> Subscription {
        self.inner.subscribe(wall, after, on_event)
    }
}
