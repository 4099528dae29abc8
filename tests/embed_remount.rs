//! The `<hugops-widget>` element remounted over and over while messages
//! arrive: nothing the old mount left scheduled (a frame, a timer, a
//! stream callback) may touch it once it is gone. Such a callback reading a
//! disposed signal panics, and a panic stops all of the widget's wasm: in
//! the release build the page sees only `RuntimeError: unreachable`.
#![cfg(target_arch = "wasm32")]

mod common;

use common::wall::{eventually, fresh_wall, new_message};
use hugops_widget::backend::local::LocalWallStore;
use hugops_widget::backend::WallStore;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Remounts in the test: enough that a remount lands between a live
/// message's render and the next frame many times over.
const ROUNDS: u32 = 30;

/// Every uncaught error on the page from now on (what Playwright reports
/// as a page error).
fn page_errors() -> Rc<RefCell<Vec<String>>> {
    let errors = Rc::new(RefCell::new(Vec::new()));
    let seen = errors.clone();
    let listener = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        seen.borrow_mut().push(e.message());
    });
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback("error", listener.as_ref().unchecked_ref())
        .unwrap();
    // Listens for the rest of the page's life, as the test needs.
    listener.forget();
    errors
}

fn shadow_text(element: &web_sys::HtmlElement) -> String {
    element
        .shadow_root()
        .and_then(|root| root.query_selector(".hugops-root").ok().flatten())
        .and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|root| root.inner_text())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn remounting_while_messages_arrive_leaves_nothing_behind_to_fail() {
    let errors = page_errors();
    hugops_widget::embed::define_custom_element();
    let wall = fresh_wall();
    // Another visitor in this browser: the widget's `local` store hears
    // its posts live.
    let someone = LocalWallStore::new();
    let document = web_sys::window().unwrap().document().unwrap();
    let element: web_sys::HtmlElement = document
        .create_element("hugops-widget")
        .unwrap()
        .unchecked_into();
    for (name, value) in [
        ("status", "demo"),
        ("store", "local"),
        ("wall", wall.as_str()),
    ] {
        element.set_attribute(name, value).unwrap();
    }
    document.body().unwrap().append_child(&element).unwrap();

    for round in 0..ROUNDS {
        let body = format!("Hang in there, round {round}");
        someone.post(&wall, new_message(&body, None)).await.unwrap();
        // As soon as the message is on screen (its row rendered, the list
        // about to measure it on the next frame), remount.
        let shown = element.clone();
        eventually("the live message", 5, || {
            shadow_text(&shown).contains(&body)
        })
        .await;
        let theme = if round % 2 == 0 { "dark" } else { "light" };
        element.set_attribute("theme", theme).unwrap();
        let seen = errors.borrow().clone();
        assert!(seen.is_empty(), "round {round}: {seen:?}");
    }
    // Frames and timers the last mounts asked for come and go.
    hugops_widget::browser::sleep(200).await;
    let last = format!("Hang in there, round {}", ROUNDS - 1);
    let shown = element.clone();
    eventually("the wall after the last remount", 5, || {
        shadow_text(&shown).contains(&last)
    })
    .await;
    element.remove();
    hugops_widget::browser::sleep(100).await;
    let seen = errors.borrow().clone();
    assert!(seen.is_empty(), "{seen:?}");
}
