//! A wall per incident, in the whole widget: with an active incident the
//! wall switcher offers its wall (named by the incident) beside `general`
//! and opens it; posts land there; switching shows `general`'s messages;
//! with no incident there is no switcher.
#![cfg(target_arch = "wasm32")]

mod common;

use common::wall::{fire, mount_styled, new_message, options, prefix, Styled};
use common::Mounted;
use hugops_core::wire::WallSlug;
use hugops_widget::app::WidgetOn;
use hugops_widget::backend::flaky::FlakyWallStore;
use hugops_widget::backend::memory::ScriptedStatusSource;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::WallStore;
use hugops_widget::config::WidgetConfig;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ALL_GOOD: &str = r#"{"page":{"name":"Acme"},"status":{"indicator":"none","description":"All Systems Operational"}}"#;

/// A status with one incident going on.
fn outage(id: &str, name: &str) -> String {
    format!(
        r#"{{"page":{{"name":"Acme"}},"status":{{"indicator":"major","description":"Partial outage"}},
           "incidents":[{{"id":"{id}","name":"{name}","status":"investigating","impact":"major",
                          "created_at":"2024-03-01T17:00:00.000Z"}}]}}"#
    )
}

/// The widget with no `wall=` (so the wall follows the incidents), on a
/// scripted status and the given in-memory wall store.
fn widget(status: String, store: &MemoryWallStore) -> Styled {
    widget_on(status, Rc::new(store.clone()))
}

fn widget_on(status: String, store: Rc<dyn WallStore>) -> Styled {
    let config = WidgetConfig::from_attributes(|_| None);
    assert!(!config.wall_pinned);
    let source = Rc::new(ScriptedStatusSource::new([Ok(status)]));
    let opts = options(&prefix());
    mount_styled(move || {
        view! { <WidgetOn config=config source=source store=store options=opts/> }
    })
}

fn chosen(m: &Mounted) -> String {
    m.one(".hugops-walls__select option:checked")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn an_active_incident_gets_its_wall_chosen_beside_general() {
    let store = MemoryWallStore::new();
    let general = WallSlug::general();
    store
        .post_now(&general, new_message("General news", None))
        .unwrap();
    let incident = WallSlug::for_incident("p31zjtct2jer");
    let m = widget(outage("p31zjtct2jer", "Slow logins"), &store);

    m.wait_for("the switcher on the incident's wall", |m| {
        !m.all(".hugops-walls__select").is_empty() && chosen(m) == "Slow logins"
    })
    .await;
    let label = m.one(".hugops-walls__switch");
    assert_eq!(label.tag_name(), "LABEL", "the select is labelled");
    let offered: Vec<String> = m
        .all(".hugops-walls__select option")
        .iter()
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(offered, ["Slow logins", "General"]);
    m.wait_for_text("Be the first").await;

    m.type_message("Hang in there, logins team");
    m.send();
    m.wait_for("the post", |m| {
        m.list_bodies() == ["Hang in there, logins team"]
    })
    .await;
    let on_incident: Vec<String> = store.all(&incident).into_iter().map(|m| m.body).collect();
    assert_eq!(on_incident, ["Hang in there, logins team"]);
    assert_eq!(store.count(&general), 1, "general untouched");

    // Switching to general shows general's messages.
    let select = m.one(".hugops-walls__select");
    js_sys::Reflect::set(&select, &"value".into(), &JsValue::from_str("general")).unwrap();
    fire(&select, "change");
    m.wait_for("general's messages", |m| {
        m.list_bodies() == ["General news"] && chosen(m) == "General"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_post_still_waiting_goes_to_its_wall_after_the_visitor_switched() {
    let memory = MemoryWallStore::new();
    let general = WallSlug::general();
    memory
        .post_now(&general, new_message("General news", None))
        .unwrap();
    let incident = WallSlug::for_incident("p31zjtct2jer");
    let flaky = Rc::new(FlakyWallStore::new(Rc::new(memory.clone()), 1, 0.0, 0.0));
    let m = widget_on(outage("p31zjtct2jer", "Slow logins"), flaky.clone());
    m.wait_for("the incident's wall", |m| {
        !m.all(".hugops-walls__select").is_empty()
            && chosen(m) == "Slow logins"
            && m.text().contains("Be the first")
    })
    .await;

    // The server is down: the post waits in the outbox.
    flaky.set_down(true);
    m.type_message("Written for the logins team");
    m.send();
    m.wait_for("the post waiting", |m| {
        flaky.failures() > 0 && !m.all(".hugops-pending li").is_empty()
    })
    .await;
    let select = m.one(".hugops-walls__select");
    js_sys::Reflect::set(&select, &"value".into(), &JsValue::from_str("general")).unwrap();
    fire(&select, "change");
    m.wait_for("general chosen", |m| chosen(m) == "General")
        .await;

    // Back up: the post reaches the incident's wall, not the one shown.
    flaky.set_down(false);
    m.wait_for("general's messages and the post delivered", |m| {
        m.list_bodies() == ["General news"] && memory.count(&incident) == 1
    })
    .await;
    assert_eq!(memory.count(&general), 1, "nothing posted on general");
}

#[wasm_bindgen_test]
async fn no_incident_means_general_and_no_switcher() {
    let store = MemoryWallStore::new();
    store
        .post_now(&WallSlug::general(), new_message("All calm", None))
        .unwrap();
    let m = widget(ALL_GOOD.to_owned(), &store);
    m.wait_for("the status and general's wall", |m| {
        m.text().contains("All systems operational") && m.list_bodies() == ["All calm"]
    })
    .await;
    hugops_widget::browser::sleep(200).await;
    assert!(m.all(".hugops-walls__select").is_empty(), "no switcher");
    assert!(m.all("select").is_empty());
}
