//! `use_wall_feed`: loads the newest page of a wall, keeps it live through
//! the store's subscription, and loads older pages on request. While the
//! wall cannot be reached it retries by itself, backing off. The
//! subscription and every timer end when the owning component unmounts.

use super::feed::{Arrival, WallFeed};
use crate::backend::{Liveness, Subscription, WallEvent, WallStore};
use crate::outbox::backoff::{Backoff, Jitter};
use hugops_core::wire::{ApiError, Message, PageRequest, StreamEvent, WallSlug};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// Options for [`use_wall_feed`].
#[derive(Clone, Debug, PartialEq)]
pub struct WallFeedOptions {
    /// Messages per page. Default 50.
    pub page_size: u32,
    /// Waits between attempts to load a wall that cannot be reached.
    /// Default 2 s doubling to 60 s, with jitter.
    pub retry: Backoff,
}

impl Default for WallFeedOptions {
    fn default() -> Self {
        WallFeedOptions {
            page_size: PageRequest::DEFAULT_LIMIT,
            retry: Backoff {
                initial_ms: 2_000,
                ..Backoff::default()
            },
        }
    }
}

/// Loading the wall's first page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    Loading,
    Ready,
    /// Failed (why, as the store said it); retrying by itself.
    Failed(ApiError),
}

/// Loading an older page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OlderState {
    Idle,
    Loading,
    Failed(String),
}

/// Told of each message from someone else that was new here.
pub type OnArrival = Rc<dyn Fn(&Message, Arrival)>;

/// Reactive handles on a wall feed; `Copy`, so views can hold it.
#[derive(Clone, Copy)]
pub struct WallFeedHandle {
    pub feed: ReadSignal<WallFeed>,
    pub set_feed: WriteSignal<WallFeed>,
    pub load: ReadSignal<LoadState>,
    pub older: ReadSignal<OlderState>,
    /// How new messages reach the wall now.
    pub live: ReadSignal<Liveness>,
    ctl: StoredValue<Rc<FeedCtl>, LocalStorage>,
}

struct FeedCtl {
    store: Rc<dyn WallStore>,
    wall: WallSlug,
    options: WallFeedOptions,
    feed: ReadSignal<WallFeed>,
    set_feed: WriteSignal<WallFeed>,
    older: ReadSignal<OlderState>,
    set_load: WriteSignal<LoadState>,
    set_older: WriteSignal<OlderState>,
    set_live: WriteSignal<Liveness>,
    /// Called for every message from someone else that was new here.
    on_arrival: OnArrival,
    /// Whether a message is the visitor's own post.
    is_own: Rc<dyn Fn(&Message) -> bool>,
    subscription: RefCell<Option<Subscription>>,
    timer: Cell<Option<TimeoutHandle>>,
    failures: Cell<u32>,
    jitter: RefCell<Jitter>,
    stopped: Cell<bool>,
}

pub fn use_wall_feed(
    store: Rc<dyn WallStore>,
    wall: WallSlug,
    options: WallFeedOptions,
    on_arrival: OnArrival,
    is_own: Rc<dyn Fn(&Message) -> bool>,
) -> WallFeedHandle {
    let (feed, set_feed) = signal(WallFeed::default());
    let (load, set_load) = signal(LoadState::Loading);
    let (older, set_older) = signal(OlderState::Idle);
    let (live, set_live) = signal(Liveness::Down);
    let ctl = Rc::new(FeedCtl {
        store,
        wall,
        options,
        feed,
        set_feed,
        older,
        set_load,
        set_older,
        set_live,
        on_arrival,
        is_own,
        subscription: RefCell::new(None),
        timer: Cell::new(None),
        failures: Cell::new(0),
        jitter: RefCell::new(Jitter::from_entropy()),
        stopped: Cell::new(false),
    });
    FeedCtl::load_first(ctl.clone());

    let cleanup = SendWrapper::new(ctl.clone());
    on_cleanup(move || cleanup.take().stop());

    WallFeedHandle {
        feed,
        set_feed,
        load,
        older,
        live,
        ctl: StoredValue::new_local(ctl),
    }
}

impl WallFeedHandle {
    /// Loads the page before the oldest shown (no-op when there is none or
    /// one is already loading).
    pub fn load_older(&self) {
        if let Some(ctl) = self.ctl.try_get_value() {
            FeedCtl::load_older(ctl);
        }
    }

    /// Tries to load the wall now, rather than at the next scheduled retry.
    pub fn retry(&self) {
        if let Some(ctl) = self.ctl.try_get_value() {
            if let Some(timer) = ctl.timer.take() {
                timer.clear();
            }
            FeedCtl::load_first(ctl);
        }
    }
}

impl FeedCtl {
    fn load_first(this: Rc<FeedCtl>) {
        this.set_load.set(LoadState::Loading);
        wasm_bindgen_futures::spawn_local(async move {
            let request = PageRequest {
                limit: Some(this.options.page_size),
                ..Default::default()
            };
            let result = this.store.list(&this.wall, request).await;
            if this.stopped.get() {
                return;
            }
            match result {
                Ok(page) => {
                    this.failures.set(0);
                    this.set_feed.update(|f| f.first_page(page));
                    this.set_load.set(LoadState::Ready);
                    FeedCtl::subscribe(&this);
                }
                Err(error) => {
                    this.set_load.set(LoadState::Failed(error));
                    let failures = this.failures.get() + 1;
                    this.failures.set(failures);
                    let jitter = this.jitter.borrow_mut().draw();
                    let wait = this.options.retry.delay_ms(failures, jitter);
                    let next = this.clone();
                    let handle = set_timeout_with_handle(
                        move || {
                            if !next.stopped.get() {
                                FeedCtl::load_first(next);
                            }
                        },
                        Duration::from_millis(wait),
                    )
                    .ok();
                    this.timer.set(handle);
                }
            }
        });
    }

    /// Subscribes from the newest message shown, once.
    fn subscribe(this: &Rc<FeedCtl>) {
        if this.subscription.borrow().is_some() {
            return;
        }
        let after = this
            .feed
            .try_with_untracked(|f| f.newest_id())
            .flatten()
            .unwrap_or(0);
        let weak = Rc::downgrade(this);
        let on_event = Rc::new(move |event: WallEvent| {
            if let Some(ctl) = weak.upgrade() {
                ctl.on_event(event);
            }
        });
        let subscription = this.store.subscribe(&this.wall, Some(after), on_event);
        *this.subscription.borrow_mut() = Some(subscription);
    }

    fn on_event(&self, event: WallEvent) {
        if self.stopped.get() {
            return;
        }
        match event {
            WallEvent::Stream(StreamEvent::Message { message }) => {
                let own = (self.is_own)(&message);
                let arrival = self.set_feed.try_update(|f| {
                    if own {
                        f.arrive_own(message.clone())
                    } else {
                        f.arrive(message.clone())
                    }
                });
                if let (false, Some(arrival @ (Arrival::Shown | Arrival::Held))) = (own, arrival) {
                    (self.on_arrival)(&message, arrival);
                }
            }
            WallEvent::Stream(StreamEvent::Hugs(count)) => {
                self.set_feed.update(|f| f.hugs(count));
            }
            WallEvent::Stream(StreamEvent::Moderated { message }) => {
                self.set_feed.update(|f| f.moderated(message));
            }
            WallEvent::Live(live) => self.set_live.set(live),
        }
    }

    fn load_older(this: Rc<FeedCtl>) {
        let Some(Some(before)) = this.feed.try_with_untracked(|f| f.older_cursor()) else {
            return;
        };
        if matches!(
            this.older.try_get_untracked(),
            None | Some(OlderState::Loading)
        ) {
            return;
        }
        this.set_older.set(OlderState::Loading);
        wasm_bindgen_futures::spawn_local(async move {
            let request = PageRequest {
                before: Some(before),
                limit: Some(this.options.page_size),
                ..Default::default()
            };
            let result = this.store.list(&this.wall, request).await;
            if this.stopped.get() {
                return;
            }
            match result {
                Ok(page) => {
                    this.set_feed.update(|f| f.older_page(page));
                    this.set_older.set(OlderState::Idle);
                }
                Err(error) => this.set_older.set(OlderState::Failed(error.message)),
            }
        });
    }

    fn stop(&self) {
        self.stopped.set(true);
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        self.subscription.borrow_mut().take();
    }
}
