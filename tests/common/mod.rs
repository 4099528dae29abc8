//! Helpers for the browser tests: mount a view into a fresh element, wait
//! for the DOM to show something, read what a person would read.
#![allow(dead_code)]

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A mounted view; unmounts and removes its element when dropped.
pub struct Mounted {
    pub root: web_sys::HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

pub fn mount<F, N>(view: F) -> Mounted
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(root.clone(), move || view().into_any());
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    /// The text a sighted reader sees (innerText: hidden elements excluded).
    pub fn text(&self) -> String {
        self.root.inner_text()
    }

    pub fn all(&self, selector: &str) -> Vec<web_sys::Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .collect()
    }

    pub fn one(&self, selector: &str) -> web_sys::Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector:?} in:\n{}", self.text()))
    }

    /// Waits (up to 5 s) until `ready` holds, then returns; panics with the
    /// page's text otherwise.
    pub async fn wait_for(&self, what: &str, ready: impl Fn(&Mounted) -> bool) {
        for _ in 0..250 {
            if ready(self) {
                return;
            }
            hugops_widget::browser::sleep(20).await;
        }
        panic!(
            "timed out waiting for {what}; the widget shows:\n{}",
            self.text()
        );
    }

    pub async fn wait_for_text(&self, needle: &str) {
        self.wait_for(&format!("text {needle:?}"), |m| m.text().contains(needle))
            .await
    }
}

/// The real hugops-server that `cargo xtask test` starts for the browser
/// tests (with `--demo`). Its URL is compiled in, because a test in the
/// browser cannot read the environment; a missing server is a failure,
/// never a skip.
pub fn test_server() -> &'static str {
    match option_env!("HUGOPS_TEST_API") {
        Some(url) => url,
        None => panic!(
            "HUGOPS_TEST_API is unset: run through `cargo xtask test`, which starts a server"
        ),
    }
}

pub fn fixture(name: &str) -> String {
    match name {
        "instructure" => include_str!("../fixtures/statuspage/instructure-summary.json"),
        "qualys" => include_str!("../fixtures/statuspage/qualys-components.json"),
        "linode" => include_str!("../fixtures/statuspage/linode-components-problems.json"),
        "github" => include_str!("../fixtures/statuspage/github-components-with-problem.json"),
        other => panic!("no fixture {other}"),
    }
    .to_owned()
}

pub mod wall;
pub mod wall_conformance;

/// The English text under `key`: what the widget says when no other
/// language is asked for.
#[allow(dead_code)]
pub fn en(key: &str) -> String {
    hugops_widget::i18n::Texts::english("en").t(key)
}
