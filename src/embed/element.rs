//! Defines the custom element. The class itself must be JavaScript (a class
//! extending `HTMLElement`); wasm-bindgen emits this snippet as a module file
//! next to the glue, so no inline script is ever needed and a strict CSP
//! (`script-src 'self'`, no `'unsafe-inline'`) holds.

use crate::app::Widget;
use crate::browser::on_next_frame;
use crate::config::{WidgetConfig, ATTRIBUTES};
use crate::wall::draft_keeper::{Draft, DraftKeeper};
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = r#"
export function defineElement(tag, attributes, connect, disconnect, remount) {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    static get observedAttributes() { return attributes; }
    connectedCallback() { if (this.__hugops === undefined) this.__hugops = connect(this); }
    disconnectedCallback() {
      if (this.__hugops !== undefined) { disconnect(this.__hugops); this.__hugops = undefined; }
    }
    attributeChangedCallback(name, before, after) {
      if (this.__hugops === undefined || before === after || this.__hugopsQueued) return;
      // Several attributes set in one go remount once, after the last.
      this.__hugopsQueued = true;
      queueMicrotask(() => {
        this.__hugopsQueued = false;
        if (this.__hugops !== undefined) this.__hugops = remount(this.__hugops, this);
      });
    }
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(
        tag: &str,
        attributes: js_sys::Array,
        connect: &Closure<dyn FnMut(web_sys::HtmlElement) -> u32>,
        disconnect: &Closure<dyn FnMut(u32)>,
        remount: &Closure<dyn FnMut(u32, web_sys::HtmlElement) -> u32>,
    );
}

pub const TAG: &str = "hugops-widget";

/// A widget on the page.
struct Mounted {
    /// Dropping it unmounts the widget and runs its cleanups (timers,
    /// listeners, streams).
    _handle: Box<dyn std::any::Any>,
    /// What the visitor is typing, for the next mount of the same element.
    keeper: DraftKeeper,
}

thread_local! {
    /// Mounted widgets by handle.
    static MOUNTED: RefCell<HashMap<u32, Mounted>> = RefCell::default();
    static NEXT_HANDLE: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// Registers `<hugops-widget>`; elements already in the page upgrade at once.
pub fn define_custom_element() {
    let connect = Closure::<dyn FnMut(web_sys::HtmlElement) -> u32>::new(|host| {
        mount_into(host, Carried::default())
    });
    let disconnect = Closure::<dyn FnMut(u32)>::new(|handle: u32| {
        let unmounted = MOUNTED.with(|m| m.borrow_mut().remove(&handle));
        drop(unmounted);
    });
    let remount = Closure::<dyn FnMut(u32, web_sys::HtmlElement) -> u32>::new(remount);
    let attributes = ATTRIBUTES.iter().map(|a| JsValue::from_str(a)).collect();
    define_element(TAG, attributes, &connect, &disconnect, &remount);
    // The element class holds these for the life of the page.
    connect.forget();
    disconnect.forget();
    remount.forget();
}

/// What a remount carries from the old widget to the new one: the draft,
/// and the caret if the visitor was typing in the message box.
#[derive(Default)]
struct Carried {
    draft: Option<Draft>,
    /// Selection start and end in the message box, when it had focus.
    caret: Option<(u32, u32)>,
}

/// An observed attribute changed: the widget is mounted again with the new
/// configuration (new stores, new streams, the old ones stopped), and the
/// visitor's draft and caret are carried over.
fn remount(handle: u32, host: web_sys::HtmlElement) -> u32 {
    let old = MOUNTED.with(|m| m.borrow_mut().remove(&handle));
    let carried = Carried {
        draft: old.as_ref().and_then(|m| m.keeper.draft()),
        caret: message_box(&host)
            .filter(|body| is_focused(&host, body))
            .map(|body| {
                let start = body.selection_start().ok().flatten().unwrap_or(0);
                let end = body.selection_end().ok().flatten().unwrap_or(start);
                (start, end)
            }),
    };
    drop(old);
    mount_into(host, carried)
}

/// How many frames a remount waits for the message box to come back
/// (about a second) before giving up on putting the caret back.
const CARET_FRAMES: u32 = 60;

/// The visitor goes on typing where they were: the caret goes back into
/// the message box as soon as it is on screen (at once when the widget
/// renders it in the mount; a few frames later if a part of it loads
/// first).
fn restore_caret(host: web_sys::HtmlElement, (start, end): (u32, u32), frames_left: u32) {
    match message_box(&host) {
        Some(body) => {
            let _ = body.focus();
            let _ = body.set_selection_range(start, end);
        }
        None if frames_left > 0 => on_next_frame(move || {
            restore_caret(host, (start, end), frames_left - 1);
        }),
        None => {}
    }
}

/// The composer's message box in `host`'s shadow root, if one is shown.
fn message_box(host: &web_sys::HtmlElement) -> Option<web_sys::HtmlTextAreaElement> {
    host.shadow_root()?
        .query_selector("textarea.hugops-composer__body")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

fn is_focused(host: &web_sys::HtmlElement, element: &web_sys::HtmlTextAreaElement) -> bool {
    let active = host.shadow_root().and_then(|root| root.active_element());
    active.is_some_and(|active| active == ***element)
}

/// Mounts a widget into `host`'s shadow root and returns its handle.
fn mount_into(host: web_sys::HtmlElement, carried: Carried) -> u32 {
    let config =
        WidgetConfig::from_attributes_in_page(|name| host.get_attribute(name), &page_languages());
    for problem in &config.problems {
        web_sys::console::warn_1(&format!("<{TAG}>: {problem}").into());
    }
    let Some(container) = shadow_container(&host) else {
        web_sys::console::error_1(&format!("<{TAG}>: could not attach a shadow root").into());
        return 0;
    };
    let keeper = DraftKeeper::seeded(carried.draft);
    let context = keeper.clone();
    let handle = mount_to(container, move || {
        context.provide();
        view! { <Widget config=config.clone()/> }
    });
    if let Some(caret) = carried.caret {
        restore_caret(host.clone(), caret, CARET_FRAMES);
    }
    let id = NEXT_HANDLE.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1).max(1));
        id
    });
    MOUNTED.with(|m| {
        m.borrow_mut().insert(
            id,
            Mounted {
                _handle: Box::new(handle),
                keeper,
            },
        )
    });
    id
}

/// The host page's `<html lang>`, then the browser's preferred languages:
/// where the widget's language comes from when the operator sets none.
fn page_languages() -> Vec<String> {
    let mut languages = Vec::new();
    let Some(window) = web_sys::window() else {
        return languages;
    };
    if let Some(lang) = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|html| html.get_attribute("lang"))
    {
        languages.push(lang);
    }
    let navigator = window.navigator();
    languages.extend(navigator.languages().iter().filter_map(|l| l.as_string()));
    languages
}

/// The element the widget renders into: a fresh `<div>` in the host's
/// (open) shadow root, which carries the widget's stylesheet.
fn shadow_container(host: &web_sys::HtmlElement) -> Option<web_sys::HtmlElement> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .ok()?,
    };
    root.set_inner_html("");
    super::adopt_widget_styles(&root);
    let document = host.owner_document()?;
    let container = document.create_element("div").ok()?;
    container.set_class_name("hugops-root");
    root.append_child(&container).ok()?;
    container.dyn_into().ok()
}
