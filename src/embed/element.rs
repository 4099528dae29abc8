//! Defines the custom element. The class itself must be JavaScript (a class
//! extending `HTMLElement`); wasm-bindgen emits this snippet as a module file
//! next to the glue, so no inline script is ever needed and a strict CSP
//! (`script-src 'self'`, no `'unsafe-inline'`) holds.

use crate::app::Widget;
use crate::config::{WidgetConfig, ATTRIBUTES};
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = r#"
export function defineElement(tag, attributes, connect, disconnect) {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    static get observedAttributes() { return attributes; }
    connectedCallback() { if (this.__hugops === undefined) this.__hugops = connect(this); }
    disconnectedCallback() {
      if (this.__hugops !== undefined) { disconnect(this.__hugops); this.__hugops = undefined; }
    }
    attributeChangedCallback(name, before, after) {
      if (this.__hugops !== undefined && before !== after) {
        disconnect(this.__hugops);
        this.__hugops = connect(this);
      }
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
    );
}

pub const TAG: &str = "hugops-widget";

thread_local! {
    /// Mounted widgets by handle; dropping an entry unmounts that widget and
    /// runs its cleanups (timers, listeners, streams).
    static MOUNTED: RefCell<HashMap<u32, Box<dyn std::any::Any>>> = RefCell::default();
    static NEXT_HANDLE: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// Registers `<hugops-widget>`; elements already in the page upgrade at once.
pub fn define_custom_element() {
    let connect = Closure::<dyn FnMut(web_sys::HtmlElement) -> u32>::new(mount_into);
    let disconnect = Closure::<dyn FnMut(u32)>::new(|handle: u32| {
        let unmounted = MOUNTED.with(|m| m.borrow_mut().remove(&handle));
        drop(unmounted);
    });
    let attributes = ATTRIBUTES.iter().map(|a| JsValue::from_str(a)).collect();
    define_element(TAG, attributes, &connect, &disconnect);
    // The element class holds these for the life of the page.
    connect.forget();
    disconnect.forget();
}

/// Mounts a widget into `host`'s shadow root and returns its handle.
pub fn mount_into(host: web_sys::HtmlElement) -> u32 {
    let config =
        WidgetConfig::from_attributes_in_page(|name| host.get_attribute(name), &page_languages());
    for problem in &config.problems {
        web_sys::console::warn_1(&format!("<{TAG}>: {problem}").into());
    }
    let Some(container) = shadow_container(&host) else {
        web_sys::console::error_1(&format!("<{TAG}>: could not attach a shadow root").into());
        return 0;
    };
    let handle = mount_to(container, move || view! { <Widget config=config.clone()/> });
    let id = NEXT_HANDLE.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1).max(1));
        id
    });
    MOUNTED.with(|m| m.borrow_mut().insert(id, Box::new(handle)));
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
