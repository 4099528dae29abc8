//! The few browser APIs the page needs besides the network (which is
//! `api.rs`'s alone): the tab's sessionStorage, timers, visibility, focus,
//! random ids and saving a file.

use crate::token::KeyValue;
use leptos::prelude::set_timeout;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The tab's sessionStorage (nothing is kept when it is unavailable).
pub struct SessionStorage;

impl SessionStorage {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }
}

impl KeyValue for SessionStorage {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) {
        if let Some(storage) = Self::storage() {
            let _ = storage.set_item(key, value);
        }
    }
    fn remove(&self, key: &str) {
        if let Some(storage) = Self::storage() {
            let _ = storage.remove_item(key);
        }
    }
}

/// Resolves after `millis`.
pub async fn sleep(millis: u32) {
    let (sender, receiver) = futures_channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = sender.send(());
        },
        Duration::from_millis(u64::from(millis)),
    );
    let _ = receiver.await;
}

/// Whether the tab is in the background (polling pauses then).
pub fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

/// Moves the keyboard focus to the element with `id`.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Whether a key press is typing into a text field.
pub fn typing_in_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// A fresh client id for a post (crypto.randomUUID; the time as a last
/// resort on a browser without it).
pub fn new_client_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("team-{}", js_sys::Date::now() as u64))
}

/// Saves `text` as a file named `name`: a Blob behind a short-lived object
/// URL and a click on a detached link, so the token never becomes part of
/// a URL.
pub fn save_file(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let failed = |_| "The browser would not save the file.".to_owned();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("No document.")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Revoked on the next turn: the click has started the download by then.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_millis(1_000),
    );
    Ok(())
}
