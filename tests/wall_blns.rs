//! Every string of the Big List of Naughty Strings, typed into the composer
//! of a mounted wall and sent: each is shown exactly as normalised, as a
//! single text node, or refused with the reason in the composer — and none
//! runs script, adds an element or changes the page.
#![cfg(target_arch = "wasm32")]

mod common;

use common::en;

use common::wall::{fresh_wall, mount_wall, options, prefix};
use hugops_core::message::prepare;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BLNS: &str = include_str!("fixtures/hostile/blns.json");

/// Elements a string must never manage to add.
const DANGEROUS: &str =
    "script, img, iframe, object, embed, svg, math, video, audio, link, style, meta, base, form, input, textarea, a";

/// Canaries: anything that manages to run script trips one of these.
fn install_canaries() {
    let f = js_sys::Function::new_no_args(
        "window.__hugops_pwned = undefined;
         const trip = () => { window.__hugops_pwned = true; };
         window.alert = trip; window.confirm = trip; window.prompt = trip;
         window.print = trip;",
    );
    f.call0(&JsValue::NULL).unwrap();
}

fn pwned() -> JsValue {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"__hugops_pwned".into()).unwrap()
}

/// Elements matching `DANGEROUS`, in the document and in every open shadow
/// root (the wall is mounted in one, as in production).
fn count_dangerous() -> u32 {
    let f = js_sys::Function::new_with_args(
        "selector",
        "let n = 0;
         const walk = (root) => {
           n += root.querySelectorAll(selector).length;
           for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
         };
         walk(document);
         return n;",
    );
    f.call1(&JsValue::NULL, &DANGEROUS.into())
        .unwrap()
        .as_f64()
        .unwrap() as u32
}

/// Attribute names starting with `on` anywhere under `root`.
fn event_handler_attributes(root: &web_sys::Element) -> Vec<String> {
    let mut found = Vec::new();
    let all = root.query_selector_all("*").unwrap();
    for i in 0..all.length() {
        let el: web_sys::Element = all.item(i).unwrap().unchecked_into();
        for name in el.get_attribute_names().iter() {
            let name = name.as_string().unwrap_or_default();
            if name.to_ascii_lowercase().starts_with("on") {
                found.push(format!("{} {name}", el.tag_name()));
            }
        }
    }
    found
}

#[wasm_bindgen_test]
async fn every_naughty_string_is_shown_as_normalised_text_or_refused_with_the_reason() {
    let strings: Vec<String> = serde_json::from_str(BLNS).unwrap();
    assert!(strings.len() > 500, "the whole list: {}", strings.len());
    install_canaries();
    let document = web_sys::window().unwrap().document().unwrap();
    let title = document.title();

    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let mut opts = options(&prefix());
    opts.announce_gap_ms = 60_000;
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), opts);
    m.wait_for_text(&en("wall.empty")).await;
    let dangerous_before = count_dangerous();

    let started = js_sys::Date::now();
    let (mut accepted, mut refused) = (0usize, 0usize);
    // A few at a time, so the newest cards are all in the rendered window
    // when they are checked.
    for batch in strings.chunks(6) {
        let mut expected = Vec::new();
        for text in batch {
            let typed = m.type_message(text);
            match prepare(Some(""), &typed) {
                Ok(clean) => {
                    m.send();
                    expected.push(clean.body);
                }
                Err(reason) => {
                    let queued = m.all(".hugops-message--pending").len();
                    m.send();
                    let reason = reason.to_string();
                    m.wait_for("the reason in the composer", |m| m.problem() == reason)
                        .await;
                    assert_eq!(m.textarea().value(), typed, "the text stays to be fixed");
                    assert!(
                        m.all(".hugops-message--pending").len() <= queued,
                        "nothing queued for {text:?}"
                    );
                    refused += 1;
                }
            }
        }
        accepted += expected.len();
        m.wait_for("the batch on the wall", |m| {
            m.list_count() == accepted && m.all(".hugops-message--pending").is_empty()
        })
        .await;
        // Exactly the accepted ones were stored: none of the refused.
        assert_eq!(store.count(&wall), accepted);

        // The newest cards, newest first, hold the batch, as text.
        let stored = store.all(&wall);
        for (message, body) in stored[accepted - expected.len()..].iter().zip(&expected) {
            assert_eq!(&message.body, body);
            let selector = format!("[data-row-id=\"{}\"] .hugops-message__body", message.id);
            let shown = m.one(&selector);
            // Text nodes only (Leptos may add an empty marker comment beside
            // the text), holding exactly the body: nothing was parsed as
            // markup.
            assert_eq!(shown.children().length(), 0, "no element in {body:?}");
            let nodes = shown.child_nodes();
            let mut text = String::new();
            for i in 0..nodes.length() {
                let node = nodes.item(i).unwrap();
                match node.node_type() {
                    web_sys::Node::TEXT_NODE => text.push_str(&node.text_content().unwrap()),
                    web_sys::Node::COMMENT_NODE => {
                        assert_eq!(node.text_content().as_deref(), Some(""), "{body:?}")
                    }
                    other => panic!("a node of type {other} in {body:?}"),
                }
            }
            assert_eq!(&text, body);
        }
    }
    assert!(refused > 0, "the list has strings the rules refuse");
    assert_eq!(accepted + refused, strings.len());

    assert_eq!(
        count_dangerous(),
        dangerous_before,
        "no element was injected"
    );
    assert_eq!(event_handler_attributes(&m.root), Vec::<String>::new());
    assert!(pwned().is_undefined(), "no script ran");
    assert_eq!(document.title(), title, "the page is unchanged");
    web_sys::console::log_1(
        &format!(
            "BLNS: {accepted} shown, {refused} refused, in {:.0} ms",
            js_sys::Date::now() - started
        )
        .into(),
    );
}
