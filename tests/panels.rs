//! The widget's parts, each on its own: a part that fails shows a plain
//! sentence in its place while the status panel and the wall stay and keep
//! working; the banner is a polite live region that speaks when the status
//! changes, and only then.
#![cfg(target_arch = "wasm32")]

mod common;

use common::fixture;
use common::wall::{fresh_wall, mount_styled, options, prefix, Styled};
use hugops_widget::backend::memory::ScriptedStatusSource;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::i18n::Texts;
use hugops_widget::panel::{once, panel, PanelError};
use hugops_widget::status::StatusPanel;
use hugops_widget::wall::Wall;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The status panel and a wall as the widget lays them out, plus a test
/// part between them that renders while `broken` is false and fails
/// while it is true.
fn widget_with_a_part(broken: RwSignal<bool>, status: Rc<ScriptedStatusSource>) -> Styled {
    let store = Rc::new(MemoryWallStore::new());
    let wall = fresh_wall();
    let wall_options = options(&prefix());
    mount_styled(move || {
        let wall = view! { <Wall store=store wall=wall options=wall_options/> }.into_any();
        view! {
            <div class="hugops-layout">
                <StatusPanel source=status refresh_ms=100/>
                {panel("test part", move || {
                    if broken.get() {
                        Err(PanelError("the test part cannot render this".into()))
                    } else {
                        Ok(view! { <p class="test-part">"The test part"</p> })
                    }
                })}
                {panel("wall", once(wall))}
            </div>
        }
    })
}

#[wasm_bindgen_test]
async fn a_part_that_fails_leaves_the_status_and_the_wall_working() {
    let broken = RwSignal::new(true);
    let status = Rc::new(ScriptedStatusSource::new(vec![Ok(fixture("github"))]));
    let m = widget_with_a_part(broken, status.clone());
    m.wait_for_text(&Texts::english("en").t("panel.failed"))
        .await;
    m.wait_for_text("GitHub Actions").await;
    m.wait_for_text(&Texts::english("en").t("wall.empty")).await;
    assert!(m.all(".test-part").is_empty());
    let failed = m.one(".hugops-panel-failed");
    assert_eq!(
        failed.get_attribute("data-panel").as_deref(),
        Some("test part")
    );
    assert_eq!(
        m.all(".hugops-panel-failed").len(),
        1,
        "only the part that failed"
    );

    // The others keep working: the wall posts, the status refreshes.
    m.type_message("Thank you, all of you");
    m.send();
    m.wait_for("the post", |m| m.list_bodies() == ["Thank you, all of you"])
        .await;
    let fetched = status.fetches();
    m.wait_for("another status refresh", |_| status.fetches() > fetched + 1)
        .await;
    assert!(m.text().contains("GitHub Actions"));

    // And the part comes back by itself once it can render again.
    broken.set(false);
    m.wait_for("the part to recover", |m| {
        !m.all(".test-part").is_empty() && m.all(".hugops-panel-failed").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_part_that_fails_later_takes_nothing_else_with_it() {
    let broken = RwSignal::new(false);
    let status = Rc::new(ScriptedStatusSource::new(vec![Ok(fixture("github"))]));
    let m = widget_with_a_part(broken, status);
    m.wait_for_text("The test part").await;
    m.wait_for_text("GitHub Actions").await;
    m.wait_for_text(&Texts::english("en").t("wall.empty")).await;
    m.type_message("a draft in progress");

    broken.set(true);
    m.wait_for_text(&Texts::english("en").t("panel.failed"))
        .await;
    assert!(m.text().contains("GitHub Actions"));
    assert!(!m.all(".hugops-banner").is_empty());
    assert_eq!(
        m.textarea().value(),
        "a draft in progress",
        "the draft stays"
    );
    m.send();
    m.wait_for("the post", |m| m.list_bodies() == ["a draft in progress"])
        .await;
}

/// A summary with the given indicator, description and page update time.
fn summary(indicator: &str, description: &str, updated_at: &str) -> String {
    format!(
        r#"{{"page":{{"id":"p","name":"Example","updated_at":"{updated_at}"}},
            "status":{{"indicator":"{indicator}","description":"{description}"}},
            "components":[],"incidents":[],"scheduled_maintenances":[]}}"#
    )
}

/// Records every change under `target` (text, nodes, attributes) with a
/// MutationObserver; `count` is how many so far.
struct Changes(js_sys::Array);

impl Changes {
    fn watch(target: &web_sys::Node) -> Changes {
        let watch = js_sys::Function::new_with_args(
            "target",
            "const seen = [];
             new MutationObserver((list) => { for (const m of list) seen.push(m.type); })
               .observe(target, { subtree: true, childList: true, characterData: true, attributes: true });
             return seen;",
        );
        Changes(
            watch
                .call1(&JsValue::NULL, target)
                .unwrap()
                .unchecked_into(),
        )
    }

    fn count(&self) -> u32 {
        self.0.length()
    }
}

#[wasm_bindgen_test]
async fn the_banner_speaks_when_the_status_changes_and_only_then() {
    let source = Rc::new(ScriptedStatusSource::new(vec![Ok(summary(
        "minor",
        "Slow logins",
        "2024-05-01T12:00:00Z",
    ))]));
    let m = mount_styled({
        let source = source.clone();
        move || view! { <StatusPanel source=source refresh_ms=100/> }
    });
    m.wait_for_text("Slow logins").await;
    let live = m.one(".hugops-banner [role=status]");
    assert!(
        live.text_content()
            .unwrap_or_default()
            .contains("Slow logins"),
        "the status is inside the live region"
    );
    assert!(
        !live.text_content().unwrap_or_default().contains("Updated"),
        "the update time, which changes with every refresh, is outside it"
    );
    let changes = Changes::watch(&live);

    // Refreshes with the same status, the page's update time moving on:
    // nothing in the live region changes, so nothing is read out again.
    for minute in 1..=3 {
        source.push(Ok(summary(
            "minor",
            "Slow logins",
            &format!("2024-05-01T12:0{minute}:00Z"),
        )));
    }
    let fetched = source.fetches();
    m.wait_for("three refreshes", |_| source.fetches() >= fetched + 4)
        .await;
    hugops_widget::browser::sleep(50).await;
    assert_eq!(
        changes.count(),
        0,
        "an unchanged status is not announced again"
    );
    assert!(live.is_connected(), "the live region stays on the page");

    // A new status: the same region says it.
    source.push(Ok(summary(
        "major",
        "Logins are failing",
        "2024-05-01T12:10:00Z",
    )));
    m.wait_for_text("Logins are failing").await;
    assert!(live.is_connected());
    assert!(changes.count() > 0);
    assert!(live
        .text_content()
        .unwrap_or_default()
        .contains("Logins are failing"));
    let banner = m.one(".hugops-banner");
    assert_eq!(
        banner.get_attribute("data-indicator").as_deref(),
        Some("major")
    );
}
