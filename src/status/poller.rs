//! `use_status_feed`: keeps a `StatusFeed` signal fresh by polling a
//! `StatusSource`. Pauses while the tab is hidden (nobody is looking, and a
//! status page left open in a background tab should not poll all day) and
//! refreshes at once when the visitor comes back. Every timer and listener
//! is removed when the owning component unmounts.

use super::feed::StatusFeed;
use crate::backend::StatusSource;
use crate::backoff::Jitter;
use crate::browser::now;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Options for [`use_status_feed`].
pub struct StatusFeedOptions {
    /// Time between refreshes while all is well. Default 60 s.
    pub interval_ms: u32,
}

impl Default for StatusFeedOptions {
    fn default() -> Self {
        StatusFeedOptions {
            interval_ms: crate::config::DEFAULT_REFRESH_SECONDS * 1_000,
        }
    }
}

/// The `visibilitychange` listener, kept to remove it on cleanup.
type VisibilityListener = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

struct Poller {
    source: Rc<dyn StatusSource>,
    interval_ms: u32,
    feed: RwSignal<StatusFeed>,
    timer: Cell<Option<TimeoutHandle>>,
    /// A refresh came due while the tab was hidden.
    paused: Cell<bool>,
    stopped: Cell<bool>,
    /// Spreads the retries of widgets that failed together.
    jitter: RefCell<Jitter>,
}

pub fn use_status_feed(
    source: Rc<dyn StatusSource>,
    options: StatusFeedOptions,
) -> ReadSignal<StatusFeed> {
    let feed = RwSignal::new(StatusFeed::default());
    let poller = Rc::new(Poller {
        source,
        interval_ms: options.interval_ms,
        feed,
        timer: Cell::new(None),
        paused: Cell::new(false),
        stopped: Cell::new(false),
        jitter: RefCell::new(Jitter::from_entropy()),
    });
    Poller::refresh(poller.clone());

    let on_visibility: VisibilityListener = Rc::default();
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let poller = poller.clone();
        let closure = Closure::<dyn FnMut()>::new(move || {
            if !tab_hidden() && poller.paused.replace(false) {
                Poller::refresh(poller.clone());
            }
        });
        let _ = document
            .add_event_listener_with_callback("visibilitychange", closure.as_ref().unchecked_ref());
        *on_visibility.borrow_mut() = Some(closure);
    }

    let cleanup = SendWrapper::new((poller, on_visibility));
    on_cleanup(move || {
        let (poller, on_visibility) = cleanup.take();
        poller.stopped.set(true);
        if let Some(timer) = poller.timer.take() {
            timer.clear();
        }
        let closure = on_visibility.borrow_mut().take();
        if let (Some(document), Some(closure)) =
            (web_sys::window().and_then(|w| w.document()), closure)
        {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                closure.as_ref().unchecked_ref(),
            );
        }
    });
    feed.read_only()
}

impl Poller {
    fn refresh(this: Rc<Poller>) {
        leptos::task::spawn_local(async move {
            let result = this.source.fetch().await;
            if this.stopped.get() {
                return;
            }
            this.feed.update(|feed| match result {
                Ok(summary) => feed.succeeded(summary, now()),
                Err(problem) => feed.failed(problem),
            });
            let delay = this.feed.with_untracked(|f| {
                f.next_refresh_in(this.interval_ms, this.jitter.borrow_mut().draw())
            });
            Poller::schedule(this, delay);
        });
    }

    fn schedule(this: Rc<Poller>, delay_ms: u32) {
        let next = this.clone();
        let handle = set_timeout_with_handle(
            move || {
                if next.stopped.get() {
                    return;
                }
                if tab_hidden() {
                    next.paused.set(true);
                } else {
                    Poller::refresh(next.clone());
                }
            },
            Duration::from_millis(u64::from(delay_ms)),
        )
        .ok();
        this.timer.set(handle);
    }
}

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}
