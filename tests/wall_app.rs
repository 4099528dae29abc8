//! The whole widget with its wall: inline (status and wall side by side,
//! the wall on the configured store) and toast mode (nothing while all is
//! well, an invitation during an incident).
#![cfg(target_arch = "wasm32")]

mod common;

use common::fixture;
use common::wall::{fresh_wall, mount_styled, options, prefix, press};
use hugops_widget::app::Widget;
use hugops_widget::backend::memory::ScriptedStatusSource;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::StatusSource;
use hugops_widget::config::WidgetConfig;
use hugops_widget::wall::WallToast;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ALL_GOOD: &str = r#"{"page":{"name":"Acme"},"status":{"indicator":"none","description":"All Systems Operational"}}"#;

fn config(pairs: &[(&str, &str)]) -> WidgetConfig {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    WidgetConfig::from_attributes(move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

#[wasm_bindgen_test]
async fn inline_mode_shows_status_and_wall_side_by_side() {
    let wall = fresh_wall();
    let config = config(&[
        ("status", "demo"),
        ("store", "memory"),
        ("wall", wall.as_str()),
    ]);
    assert!(config.problems.is_empty(), "{:?}", config.problems);
    let m = mount_styled(move || view! { <Widget config=config/> });
    m.wait_for("the status and the wall", |m| {
        !m.all(".hugops--with-wall .hugops-status .hugops-banner")
            .is_empty()
            && m.text().contains("Be the first")
    })
    .await;
    let layout = m.one(".hugops--with-wall > .hugops-layout");
    assert_eq!(layout.children().length(), 2, "two columns");
    assert!(layout
        .children()
        .item(1)
        .unwrap()
        .class_list()
        .contains("hugops-wall"));

    m.type_message("#HugOps from the demo page");
    m.send();
    m.wait_for("the post", |m| {
        m.list_bodies() == ["#HugOps from the demo page"]
    })
    .await;
}

fn toast(
    source: Rc<dyn StatusSource>,
) -> (
    common::wall::Styled,
    MemoryWallStore,
    hugops_core::wire::WallSlug,
) {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let posted_to = wall.clone();
    let opts = options(&prefix());
    let shared = store.clone();
    let m = mount_styled(move || {
        view! {
            <WallToast source=source refresh_ms=60_000 store=Rc::new(shared) wall=wall options=opts/>
        }
    });
    (m, store, posted_to)
}

#[wasm_bindgen_test]
async fn toast_mode_shows_nothing_while_all_is_well() {
    let (m, _, _) = toast(Rc::new(ScriptedStatusSource::new([
        Ok(ALL_GOOD.to_owned()),
    ])));
    hugops_widget::browser::sleep(300).await;
    assert!(m.all(".hugops-toast").is_empty());
    assert_eq!(m.text().trim(), "");
}

#[wasm_bindgen_test]
async fn toast_mode_invites_a_message_during_an_incident() {
    let (m, store, wall) = toast(Rc::new(ScriptedStatusSource::new([Ok(fixture(
        "instructure",
    ))])));
    m.wait_for_text("Partially Degraded Service").await;
    assert!(m.text().contains("send them some support"));
    assert!(
        m.all("textarea").is_empty(),
        "the wall waits to be asked for"
    );

    m.click(".hugops-toast__invite .hugops-button");
    m.wait_for("the wall, focused", |m| {
        let focused = m
            .root
            .get_root_node()
            .unchecked_into::<web_sys::ShadowRoot>()
            .active_element();
        focused.is_some_and(|f| f.tag_name() == "TEXTAREA")
    })
    .await;
    m.type_message("Hang in there!");
    m.send();
    m.wait_for("the post", |m| m.list_bodies() == ["Hang in there!"])
        .await;
    assert_eq!(store.count(&wall), 1);

    // Escape closes the wall and returns to the invitation.
    press(&m.textarea(), "Escape", false, false);
    m.wait_for("the invitation again", |m| {
        m.one(".hugops-toast__panel").has_attribute("hidden")
            && !m.one(".hugops-toast__invite").has_attribute("hidden")
    })
    .await;

    // "Not now" puts it away.
    m.click(".hugops-toast__invite .hugops-link-button");
    m.wait_for("the toast to go", |m| m.all(".hugops-toast").is_empty())
        .await;
}
