//! The `local` wall store: the wall lives in this browser's localStorage,
//! for the zero-server demo and offline mode.
//!
//! Each wall is one JSON document (a [`WallLog`]) under
//! `{prefix}wall:{slug}`, read and written whole, so a post is one
//! `setItem` and never half-applied. Tabs stay in sync through the
//! browser's `storage` event, which fires in every *other* document of the
//! origin when a key changes; within one document, a post also dispatches a
//! `hugops-local-wall` event on the window so two widgets on one page see
//! each other's posts. Either way a subscription re-reads the document and
//! delivers only what it has not delivered yet, so nothing arrives twice.
//!
//! Known limit: localStorage has no transactions. Two tabs posting in the
//! very same instant can each write a document without the other's post.
//! Good enough for a demo and offline mode; the `http` adapter is the real
//! store.

use super::wall_log::WallLog;
use super::{Liveness, LocalFuture, Subscription, WallEvent, WallStore};
use crate::browser::now;
use hugops_core::wall::is_public;
use hugops_core::wire::{
    ApiError, ErrorCode, HugCount, Message, MessageId, MessagePage, NewMessage, PageRequest,
    StreamEvent, WallSlug,
};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The prefix of every key the widget writes, unless told otherwise.
pub const DEFAULT_PREFIX: &str = "hugops:";

/// The same-document change notice (the `storage` event skips the writer).
const CHANGED_EVENT: &str = "hugops-local-wall";

pub struct LocalWallStore {
    window: Option<web_sys::Window>,
    prefix: String,
}

impl Default for LocalWallStore {
    fn default() -> Self {
        LocalWallStore::new()
    }
}

impl LocalWallStore {
    /// This window's localStorage, keys prefixed `hugops:`.
    pub fn new() -> Self {
        LocalWallStore::with_prefix(DEFAULT_PREFIX)
    }

    /// Keys prefixed with `prefix` (tests use a fresh one each).
    pub fn with_prefix(prefix: &str) -> Self {
        LocalWallStore {
            window: web_sys::window(),
            prefix: prefix.to_owned(),
        }
    }

    /// The localStorage of another window of this origin, e.g. a same-origin
    /// iframe: how a test plays "another tab".
    pub fn for_window(window: web_sys::Window, prefix: &str) -> Self {
        LocalWallStore {
            window: Some(window),
            prefix: prefix.to_owned(),
        }
    }

    /// The key a wall's document is stored under.
    pub fn key(&self, wall: &WallSlug) -> String {
        format!("{}wall:{}", self.prefix, wall.as_str())
    }

    fn storage(&self) -> Result<web_sys::Storage, ApiError> {
        storage_of(self.window.as_ref())
    }

    fn load(&self, wall: &WallSlug) -> Result<WallLog, ApiError> {
        Ok(read_log(&self.storage()?, &self.key(wall)))
    }

    /// Reads, changes and writes a wall; tells this document's other
    /// subscribers when `changed` says so.
    fn update<T>(
        &self,
        wall: &WallSlug,
        change: impl FnOnce(&mut WallLog) -> Result<(T, bool), ApiError>,
    ) -> Result<T, ApiError> {
        let storage = self.storage()?;
        let key = self.key(wall);
        let mut log = read_log(&storage, &key);
        let (value, changed) = change(&mut log)?;
        if changed {
            let json = serde_json::to_string(&log).map_err(|_| {
                ApiError::new(
                    ErrorCode::Internal,
                    "The wall could not be saved in this browser.",
                )
            })?;
            storage.set_item(&key, &json).map_err(|_| {
                ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    "This browser's storage for the wall is full, so the message could not be saved here.",
                )
            })?;
            if let Some(window) = &self.window {
                notify_same_document(window, &key);
            }
        }
        Ok(value)
    }
}

fn storage_of(window: Option<&web_sys::Window>) -> Result<web_sys::Storage, ApiError> {
    window
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unavailable,
                "This browser does not let the wall save messages (storage is turned off).",
            )
        })
}

/// A wall's document; missing means empty. A document that does not parse
/// (edited by hand, or from an incompatible version) is reported to the
/// operator and treated as empty rather than breaking the wall for good.
fn read_log(storage: &web_sys::Storage, key: &str) -> WallLog {
    match storage.get_item(key).ok().flatten() {
        None => WallLog::new(),
        Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
            web_sys::console::warn_1(
                &format!("hugops: the saved wall {key:?} could not be read ({e}); starting afresh")
                    .into(),
            );
            WallLog::new()
        }),
    }
}

fn notify_same_document(window: &web_sys::Window, key: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(key));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(CHANGED_EVENT, &init) {
        let _ = window.dispatch_event(&event);
    }
}

impl WallStore for LocalWallStore {
    fn list(
        &self,
        wall: &WallSlug,
        page: PageRequest,
    ) -> LocalFuture<'_, Result<MessagePage, ApiError>> {
        let result = self.load(wall).map(|log| log.page(page));
        Box::pin(async move { result })
    }

    fn post(
        &self,
        wall: &WallSlug,
        message: NewMessage,
    ) -> LocalFuture<'_, Result<Message, ApiError>> {
        let wall = wall.clone();
        Box::pin(async move {
            self.update(&wall, |log| {
                let posted = log.post(&wall, message, now())?;
                Ok((posted.message, posted.created))
            })
        })
    }

    fn hug(
        &self,
        wall: &WallSlug,
        message: MessageId,
        client_id: &str,
    ) -> LocalFuture<'_, Result<HugCount, ApiError>> {
        let wall = wall.clone();
        let client_id = client_id.to_owned();
        Box::pin(async move { self.update(&wall, |log| log.hug(message, &client_id)) })
    }

    fn subscribe(
        &self,
        wall: &WallSlug,
        after: Option<MessageId>,
        on_event: Rc<dyn Fn(WallEvent)>,
    ) -> Subscription {
        let key = self.key(wall);
        let Some(window) = self.window.clone() else {
            return Subscription::new(|| ());
        };
        let log = storage_of(Some(&window))
            .map(|s| read_log(&s, &key))
            .unwrap_or_default();
        let cursor = after.unwrap_or_else(|| log.last_id().unwrap_or(0));
        let follower = Rc::new(Follower {
            window: window.clone(),
            key: key.clone(),
            cursor: Cell::new(cursor),
            hugs_seen: RefCell::new(
                log.messages()
                    .iter()
                    .filter(|m| m.id <= cursor)
                    .map(|m| (m.id, m.hugs))
                    .collect(),
            ),
            active: Cell::new(true),
            on_event,
        });

        let on_storage = {
            let follower = follower.clone();
            Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
                // `key` is null when the whole storage was cleared.
                match event.key() {
                    Some(k) if k != follower.key => {}
                    _ => follower.catch_up(),
                }
            })
        };
        let on_changed = {
            let follower = follower.clone();
            Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                if event.detail().as_string().as_deref() == Some(follower.key.as_str()) {
                    follower.catch_up();
                }
            })
        };
        let _ =
            window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        let _ = window
            .add_event_listener_with_callback(CHANGED_EVENT, on_changed.as_ref().unchecked_ref());

        // The backlog after `after` arrives on the next tick, as it would
        // from a network stream, not from inside `subscribe`.
        {
            let follower = follower.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if follower.active.get() {
                    (follower.on_event)(WallEvent::Live(Liveness::ThisBrowser));
                    follower.catch_up();
                }
            });
        }

        Subscription::new(move || {
            follower.active.set(false);
            let _ = window.remove_event_listener_with_callback(
                "storage",
                on_storage.as_ref().unchecked_ref(),
            );
            let _ = window.remove_event_listener_with_callback(
                CHANGED_EVENT,
                on_changed.as_ref().unchecked_ref(),
            );
            drop((on_storage, on_changed));
        })
    }
}

/// One subscription's view of a wall document: how far it has delivered
/// messages, and the hug counts it has reported.
struct Follower {
    window: web_sys::Window,
    key: String,
    cursor: Cell<MessageId>,
    hugs_seen: RefCell<HashMap<MessageId, u32>>,
    active: Cell<bool>,
    on_event: Rc<dyn Fn(WallEvent)>,
}

impl Follower {
    /// Re-reads the document and delivers what changed since last time:
    /// new visible messages in order, then changed hug counts.
    fn catch_up(&self) {
        if !self.active.get() {
            return;
        }
        let Ok(storage) = storage_of(Some(&self.window)) else {
            return;
        };
        let log = read_log(&storage, &self.key);
        let mut events = Vec::new();
        {
            let mut seen = self.hugs_seen.borrow_mut();
            for message in log.visible_after(self.cursor.get()) {
                self.cursor.set(message.id);
                seen.insert(message.id, message.hugs);
                events.push(StreamEvent::Message { message });
            }
            for message in log.messages().iter().filter(|m| is_public(m)) {
                let before = seen.entry(message.id).or_insert(0);
                if *before != message.hugs {
                    *before = message.hugs;
                    events.push(StreamEvent::Hugs(HugCount {
                        message_id: message.id,
                        hugs: message.hugs,
                    }));
                }
            }
        }
        for event in events {
            if !self.active.get() {
                return;
            }
            (self.on_event)(WallEvent::Stream(event));
        }
    }
}
