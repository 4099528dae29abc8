//! Helpers for the wall's browser tests: isolated storage, a mounted wall
//! with short waits, and driving the composer the way a person does
//! (through the DOM, with events that bubble like real ones).

use super::Mounted;
use hugops_core::wire::{Message, NewMessage, WallSlug};
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::WallStore;
use hugops_widget::outbox::Backoff;
use hugops_widget::wall::{Wall, WallOptions};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static NEXT: Cell<u32> = const { Cell::new(0) };
}

/// A string unique in this test run (and across runs: it has the time).
pub fn unique(what: &str) -> String {
    let n = NEXT.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    format!("{what}{}-{n}", js_sys::Date::now() as u64)
}

/// A fresh localStorage key prefix, so tests never see each other's data.
pub fn prefix() -> String {
    format!("{}:", unique("t"))
}

/// A fresh wall name (a shared server keeps every wall).
pub fn fresh_wall() -> WallSlug {
    WallSlug::parse(&unique("w")).unwrap()
}

/// Wall options for tests: isolated storage, waits in milliseconds.
pub fn options(prefix: &str) -> WallOptions {
    WallOptions {
        storage_prefix: prefix.to_owned(),
        send_backoff: tiny_backoff(),
        load_backoff: tiny_backoff(),
        seed: Some(7),
        announce_gap_ms: 300,
        ..WallOptions::default()
    }
}

pub fn tiny_backoff() -> Backoff {
    Backoff {
        initial_ms: 2,
        max_ms: 10,
        max_retry_after_ms: 60_000,
    }
}

/// A view mounted as the widget is: in a shadow root that carries the
/// widget's stylesheet, inside a `.hugops` element (which defines the
/// theme variables). Layout-dependent behaviour (the scroll box, windowed
/// rendering) needs the real styles.
pub struct Styled {
    mounted: Mounted,
    host: web_sys::HtmlElement,
}

impl std::ops::Deref for Styled {
    type Target = Mounted;
    fn deref(&self) -> &Mounted {
        &self.mounted
    }
}

impl Drop for Styled {
    fn drop(&mut self) {
        self.host.remove();
    }
}

pub fn mount_styled<F, N>(view: F) -> Styled
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let shadow = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    hugops_widget::embed::adopt_widget_styles(&shadow);
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    shadow.append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <div class="hugops" data-theme="light">{view()}</div> }.into_any()
    });
    Styled {
        mounted: Mounted {
            root,
            _handle: Box::new(handle),
        },
        host,
    }
}

pub fn mount_wall(store: Rc<dyn WallStore>, wall: WallSlug, options: WallOptions) -> Styled {
    mount_styled(move || view! { <Wall store=store wall=wall options=options/> })
}

pub fn new_message(body: &str, author: Option<&str>) -> NewMessage {
    NewMessage {
        author: author.map(str::to_owned),
        body: body.to_owned(),
        client_id: unique("c"),
        website: None,
    }
}

/// Posts directly to the store, as another visitor would.
pub fn post_as_someone(
    store: &MemoryWallStore,
    wall: &WallSlug,
    body: &str,
    author: Option<&str>,
) -> Message {
    store.post_now(wall, new_message(body, author)).unwrap()
}

/// Calls `element.dispatchEvent(new ctor(type, init))`: events made this
/// way bubble like a person's, which Leptos's delegated handlers need.
fn dispatch(target: &JsValue, ctor: &str, event: &str, init: &JsValue) {
    let f = js_sys::Function::new_with_args(
        "target, ctor, type, init",
        "return target.dispatchEvent(new globalThis[ctor](type, Object.assign({bubbles: true, cancelable: true, composed: true}, init)));",
    );
    let args = js_sys::Array::of4(target, &ctor.into(), &event.into(), init);
    let _ = f.apply(&JsValue::NULL, &args);
}

/// Fires a bubbling `Event` of `kind` at `target`.
pub fn fire(target: &web_sys::EventTarget, kind: &str) {
    dispatch(target, "Event", kind, &js_sys::Object::new());
}

/// Presses a key (keydown) on `target` with modifiers.
pub fn press(target: &web_sys::EventTarget, key: &str, shift: bool, ctrl: bool) {
    let init = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&init, &"key".into(), &key.into());
    let _ = js_sys::Reflect::set(&init, &"shiftKey".into(), &shift.into());
    let _ = js_sys::Reflect::set(&init, &"ctrlKey".into(), &ctrl.into());
    dispatch(target, "KeyboardEvent", "keydown", &init);
}

impl Mounted {
    pub fn textarea(&self) -> web_sys::HtmlTextAreaElement {
        self.one(".hugops-composer__body").unchecked_into()
    }

    pub fn name_input(&self) -> web_sys::HtmlInputElement {
        self.one(".hugops-composer__name").unchecked_into()
    }

    /// Types `text` into the message box as a person would end up with it
    /// (the value, then an `input` event); returns what the box holds
    /// (browsers turn CR LF into LF in a textarea's value).
    pub fn type_message(&self, text: &str) -> String {
        let textarea = self.textarea();
        textarea.set_value(text);
        fire(&textarea, "input");
        textarea.value()
    }

    pub fn type_name(&self, text: &str) {
        let input = self.name_input();
        input.set_value(text);
        fire(&input, "input");
    }

    pub fn click(&self, selector: &str) {
        self.one(selector)
            .unchecked_into::<web_sys::HtmlElement>()
            .click();
    }

    pub fn send(&self) {
        self.click(".hugops-composer__send");
    }

    /// The bodies of the list's rendered cards, top (newest) first.
    pub fn list_bodies(&self) -> Vec<String> {
        self.all(".hugops-wall__list .hugops-message__body")
            .iter()
            .map(|b| b.text_content().unwrap_or_default())
            .collect()
    }

    /// How many messages the list holds (rendered or not).
    pub fn list_count(&self) -> usize {
        self.one(".hugops-wall__list")
            .get_attribute("data-count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    pub fn scroller(&self) -> web_sys::HtmlElement {
        self.one(".hugops-wall__scroller").unchecked_into()
    }

    pub fn problem(&self) -> String {
        self.one(".hugops-composer__problem")
            .text_content()
            .unwrap_or_default()
    }

    pub fn announcement(&self) -> String {
        self.one("[data-hugops-announcer]")
            .text_content()
            .unwrap_or_default()
    }
}

/// Waits (up to `seconds`) until `ready` holds.
pub async fn eventually(what: &str, seconds: u32, ready: impl Fn() -> bool) {
    let deadline = js_sys::Date::now() + f64::from(seconds) * 1_000.0;
    while js_sys::Date::now() < deadline {
        if ready() {
            return;
        }
        hugops_widget::browser::sleep(10).await;
    }
    assert!(ready(), "timed out after {seconds} s waiting for {what}");
}
