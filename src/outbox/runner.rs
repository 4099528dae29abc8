//! The outbox in the browser: persists the queue in localStorage, sends the
//! head through the wall store, waits out back-off with a timer, and wakes
//! up when the browser comes back online or another tab changes the queue.
//!
//! A post is saved before the first attempt is made, so a reload, a crash
//! or a closed tab loses nothing: the next page that opens the same wall
//! finds the queue and sends it, with the same `client_id`.

use super::backoff::{Backoff, Jitter};
use super::client_id::new_client_id;
use super::queue::{Entry, Next, OutboxQueue, Refused, Settled};
use super::saved::{self, Lost};
use super::storage;
use crate::backend::WallStore;
use crate::browser::now;
use hugops_core::time::Timestamp;
use hugops_core::wire::{ApiError, Message, WallSlug};
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Options for [`Outbox::new`].
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxOptions {
    /// Prefix of the localStorage key; the queue of wall `w` is stored
    /// under `{key_prefix}outbox:{w}`. Default `hugops:`.
    pub key_prefix: String,
    /// Waits between attempts. Default: 1 s doubling to 60 s, with jitter.
    pub backoff: Backoff,
    /// Seeds the jitter (tests); `None` draws from the browser. Default
    /// `None`.
    pub seed: Option<u64>,
}

impl Default for OutboxOptions {
    fn default() -> Self {
        OutboxOptions {
            key_prefix: crate::backend::local::DEFAULT_PREFIX.to_owned(),
            backoff: Backoff::default(),
            seed: None,
        }
    }
}

/// A post waiting to go, as the widget shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub client_id: String,
    pub author: Option<String>,
    pub body: String,
    pub state: PendingState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PendingState {
    /// Being sent right now (or about to be).
    Sending,
    /// The last attempt failed; the next is at `retry_at`.
    Retrying {
        retry_at: Timestamp,
        error: ApiError,
    },
    /// Behind an earlier post that has to go first.
    Queued,
    /// The browser is offline; it goes when the connection is back.
    Offline,
}

/// What the outbox tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum OutboxEvent {
    /// The queue changed; here is what is waiting, oldest first.
    Changed(Vec<Pending>),
    /// A post was stored.
    Delivered(Message),
    /// A post was refused for good: its text goes back to the composer.
    Refused(Refused),
    /// Unsent text saved in this browser could not be read (corrupt, or a
    /// newer version's); it was kept, and the visitor is told what.
    Unreadable(Lost),
}

/// The owning handle: dropping it stops the outbox (timers and listeners
/// go; an attempt under way finishes unobserved, which the `client_id`
/// makes harmless). The queue stays saved for the next page.
pub struct Outbox {
    runner: Rc<Runner>,
}

/// A window event listener: the event's name and the closure to remove.
type Listener = (&'static str, Closure<dyn FnMut(web_sys::Event)>);

struct Runner {
    store: Rc<dyn WallStore>,
    wall: WallSlug,
    key: String,
    backoff: Backoff,
    jitter: RefCell<Jitter>,
    queue: RefCell<OutboxQueue>,
    on_event: Rc<dyn Fn(OutboxEvent)>,
    timer: Cell<Option<TimeoutHandle>>,
    listeners: RefCell<Vec<Listener>>,
    stopped: Cell<bool>,
    /// False once a save failed (no storage, or full): from then on the
    /// queue lives in memory, and storage is not read back over it.
    persisted: Cell<bool>,
}

impl Outbox {
    /// Opens the outbox of `wall`, loading whatever an earlier page left,
    /// and starts sending.
    pub fn new(
        store: Rc<dyn WallStore>,
        wall: WallSlug,
        options: OutboxOptions,
        on_event: Rc<dyn Fn(OutboxEvent)>,
    ) -> Outbox {
        let key = format!("{}outbox:{}", options.key_prefix, wall.as_str());
        let jitter = match options.seed {
            Some(seed) => Jitter::seeded(seed),
            None => Jitter::from_entropy(),
        };
        let runner = Rc::new(Runner {
            store,
            wall,
            key,
            backoff: options.backoff,
            jitter: RefCell::new(jitter),
            queue: RefCell::new(OutboxQueue::new()),
            on_event,
            timer: Cell::new(None),
            listeners: RefCell::new(Vec::new()),
            stopped: Cell::new(false),
            persisted: Cell::new(storage::local_storage().is_some()),
        });
        runner.reload();
        // A new page is a good moment to try again (the visitor may have
        // reloaded because the network is back), whatever the last page's
        // back-off said; a server's `retry_after` still holds.
        runner.queue.borrow_mut().retry_now(now());
        runner.save();
        Runner::listen(&runner);
        runner.changed();
        Runner::pump(&runner);
        Outbox { runner }
    }

    /// Saves a post and sends it as soon as the posts before it have gone.
    /// Returns its `client_id`.
    pub fn enqueue(&self, author: Option<String>, body: String, website: Option<String>) -> String {
        let runner = &self.runner;
        let client_id = new_client_id();
        runner.reload();
        runner.queue.borrow_mut().enqueue(Entry {
            client_id: client_id.clone(),
            wall: Some(runner.wall.clone()),
            author,
            body,
            website,
            queued_at: now(),
            failures: 0,
            retry_at: None,
            last_error: None,
        });
        runner.save();
        runner.changed();
        Runner::pump(runner);
        client_id
    }

    /// Tries the waiting post now instead of at its scheduled time.
    pub fn retry_now(&self) {
        self.runner.reload();
        self.runner.queue.borrow_mut().retry_now(now());
        self.runner.save();
        self.runner.changed();
        Runner::pump(&self.runner);
    }

    /// What is waiting, oldest first.
    pub fn pending(&self) -> Vec<Pending> {
        self.runner.pending()
    }

    /// Stops sending (as dropping does): timers and listeners go, and an
    /// attempt under way finishes unobserved.
    pub fn stop(&self) {
        self.runner.stop();
    }

    /// The localStorage key of this outbox's queue.
    pub fn storage_key(&self) -> &str {
        &self.runner.key
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.runner.stop();
    }
}

impl Runner {
    /// Reads the queue as saved (another tab may have changed it).
    fn reload(&self) {
        if !self.persisted.get() {
            return;
        }
        let Some(json) = storage::get(&self.key) else {
            self.queue.borrow_mut().replace_entries(Vec::new());
            return;
        };
        let loaded = saved::read(&json, now());
        if loaded.keep_aside {
            // Before anything writes over the key: the text goes under a
            // key of its own and stays there. Without room for it, the
            // queue's key is left as it is and this page keeps its queue
            // in memory.
            let aside = saved::aside_key(&self.key, &json);
            let kept = storage::get(&aside).as_deref() == Some(json.as_str())
                || storage::set(&aside, &json);
            web_sys::console::warn_1(
                &format!(
                    "hugops: the saved outbox {} is not this version's; kept {}",
                    self.key,
                    if kept { aside.as_str() } else { "in place" }
                )
                .into(),
            );
            if !kept {
                self.persisted.set(false);
            }
            if loaded.lost != Lost::Nothing {
                self.emit(OutboxEvent::Unreadable(loaded.lost));
            }
        }
        self.queue.borrow_mut().replace_entries(loaded.entries);
        if loaded.keep_aside && self.persisted.get() {
            // The key now holds what this version reads (the recovered
            // posts), so the next reload does not keep it aside again.
            self.save();
        }
    }

    fn save(&self) {
        if !self.persisted.get() {
            return;
        }
        let saved = {
            let queue = self.queue.borrow();
            if queue.is_empty() {
                storage::remove(&self.key);
                true
            } else {
                storage::set(&self.key, &queue.to_json())
            }
        };
        if !saved {
            web_sys::console::warn_1(
                &"hugops: this browser could not save the outbox; unsent messages are kept in this page only".into(),
            );
            self.persisted.set(false);
        }
    }

    fn pending(&self) -> Vec<Pending> {
        let offline = is_offline();
        let queue = self.queue.borrow();
        queue
            .entries()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let state = if offline {
                    PendingState::Offline
                } else if i > 0 {
                    PendingState::Queued
                } else if queue.in_flight() == Some(e.client_id.as_str()) {
                    PendingState::Sending
                } else {
                    match (e.retry_at, &e.last_error) {
                        (Some(retry_at), Some(error)) => PendingState::Retrying {
                            retry_at,
                            error: error.clone(),
                        },
                        _ => PendingState::Sending,
                    }
                };
                Pending {
                    client_id: e.client_id.clone(),
                    author: e.author.clone(),
                    body: e.body.clone(),
                    state,
                }
            })
            .collect()
    }

    fn emit(&self, event: OutboxEvent) {
        if !self.stopped.get() {
            (self.on_event)(event);
        }
    }

    fn changed(&self) {
        self.emit(OutboxEvent::Changed(self.pending()));
    }

    /// Sends the head if it is due, or sets a timer for when it will be.
    fn pump(this: &Rc<Runner>) {
        if this.stopped.get() {
            return;
        }
        if let Some(timer) = this.timer.take() {
            timer.clear();
        }
        // Offline, every attempt would fail and count against the post;
        // the `online` listener pumps again.
        if is_offline() {
            return;
        }
        let next = this.queue.borrow_mut().next(now());
        match next {
            Next::Send(post, wall) => {
                this.changed();
                let runner = this.clone();
                // The entry's own wall: whatever the visitor or the status
                // did since, a post goes where it was written.
                let wall = wall.unwrap_or_else(|| runner.wall.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let client_id = post.client_id.clone();
                    let outcome = runner.store.post(&wall, post).await;
                    if runner.stopped.get() {
                        return;
                    }
                    runner.settle(&client_id, outcome);
                });
            }
            Next::WaitUntil(at) => {
                let wait = (at.millis() - now().millis()).max(0) as u64;
                let weak = Rc::downgrade(this);
                let handle = set_timeout_with_handle(
                    move || {
                        if let Some(runner) = weak.upgrade() {
                            Runner::pump(&runner);
                        }
                    },
                    Duration::from_millis(wait),
                )
                .ok();
                this.timer.set(handle);
            }
            Next::InFlight | Next::Idle => {}
        }
    }

    fn settle(self: Rc<Self>, client_id: &str, outcome: Result<Message, ApiError>) {
        self.reload();
        let jitter = self.jitter.borrow_mut().draw();
        let settled =
            self.queue
                .borrow_mut()
                .settle(client_id, outcome, now(), &self.backoff, jitter);
        self.save();
        match settled {
            Settled::Delivered(message) => self.emit(OutboxEvent::Delivered(message)),
            Settled::Refused(refused) => self.emit(OutboxEvent::Refused(refused)),
            Settled::Retrying { .. } | Settled::Stale => {}
        }
        self.changed();
        Runner::pump(&self);
    }

    fn listen(this: &Rc<Runner>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let weak: Weak<Runner> = Rc::downgrade(this);
        let on_online = {
            let weak = weak.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                if let Some(runner) = weak.upgrade() {
                    runner.reload();
                    runner.queue.borrow_mut().retry_now(now());
                    runner.save();
                    runner.changed();
                    Runner::pump(&runner);
                }
            })
        };
        let on_offline = {
            let weak = weak.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                if let Some(runner) = weak.upgrade() {
                    runner.changed();
                }
            })
        };
        // Another tab wrote the queue (it posted, or delivered ours).
        let on_storage = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(runner) = weak.upgrade() else { return };
            let key = event
                .dyn_ref::<web_sys::StorageEvent>()
                .and_then(|e| e.key());
            if key.is_none() || key.as_deref() == Some(runner.key.as_str()) {
                runner.reload();
                runner.changed();
                Runner::pump(&runner);
            }
        });
        let mut listeners = this.listeners.borrow_mut();
        for (name, closure) in [
            ("online", on_online),
            ("offline", on_offline),
            ("storage", on_storage),
        ] {
            let _ = window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            listeners.push((name, closure));
        }
    }

    fn stop(&self) {
        self.stopped.set(true);
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        let listeners = std::mem::take(&mut *self.listeners.borrow_mut());
        if let Some(window) = web_sys::window() {
            for (name, closure) in &listeners {
                let _ = window
                    .remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
        }
    }
}

fn is_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}
