//! The status panel, mounted in headless Chromium on each real Statuspage
//! fixture: asserts what a person would see.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{fixture, mount, Mounted};
use hugops_widget::backend::memory::ScriptedStatusSource;
use hugops_widget::backend::{StatusProblem, StatusSource};
use hugops_widget::status::StatusPanel;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn panel(source: Rc<dyn StatusSource>, refresh_ms: u32) -> Mounted {
    mount(move || view! { <StatusPanel source=source refresh_ms=refresh_ms/> })
}

fn scripted(answers: Vec<Result<String, StatusProblem>>) -> Rc<ScriptedStatusSource> {
    Rc::new(ScriptedStatusSource::new(answers))
}

fn open_groups(m: &Mounted) -> Vec<String> {
    m.all("details.hugops-group")
        .into_iter()
        .filter(|d| {
            d.has_attribute("open") || d.unchecked_ref::<web_sys::HtmlDetailsElement>().open()
        })
        .map(|d| d.get_attribute("data-group-id").unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn instructure_shows_banner_incident_timeline_and_open_degraded_groups() {
    let m = panel(scripted(vec![Ok(fixture("instructure"))]), 60_000);
    m.wait_for_text("Minor service outage").await;

    let banner = m.one(".hugops-banner");
    assert_eq!(
        banner.get_attribute("data-indicator").as_deref(),
        Some("minor")
    );
    let banner_text = banner.unchecked_ref::<web_sys::HtmlElement>().inner_text();
    assert!(banner_text.contains("Instructure"), "{banner_text}");
    assert!(
        banner_text.contains("Minor service outage"),
        "icon is backed by words: {banner_text}"
    );
    // One word for one status: the page's own "Partially Degraded Service"
    // is not said beside ours.
    assert!(
        !banner_text.contains("Partially Degraded Service"),
        "{banner_text}"
    );
    assert_eq!(m.all(".hugops-banner .hugops-icon").len(), 1);

    // The unresolved incident, with its 11 updates newest first.
    let incident = m.one(".hugops-incident");
    let text = incident
        .unchecked_ref::<web_sys::HtmlElement>()
        .inner_text();
    assert!(
        text.contains("Amazon Web Services (AWS) is currently experiencing an outage"),
        "{text}"
    );
    assert!(text.contains("Minor impact"), "{text}");
    assert!(text.contains("Status: Identified"), "{text}");
    assert!(text.contains("Started "), "{text}");
    let times: Vec<String> = m
        .all(".hugops-timeline__entry time")
        .iter()
        .map(|t| t.get_attribute("datetime").unwrap())
        .collect();
    assert_eq!(times.len(), 11);
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "timeline is newest first");
    assert_eq!(
        times[0], "2021-12-07T17:39:58.000Z",
        "display_at, -07:00 offset honoured"
    );

    // Degraded groups open by themselves and name their degraded members.
    let open = open_groups(&m);
    assert_eq!(
        open.len(),
        3,
        "Canvas, Portfolium and MasteryConnect: {open:?}"
    );
    let page = m.text();
    assert!(
        page.contains("Affected: Assessments, Benchmarks, Portal, Reporting"),
        "{page}"
    );
    assert!(
        page.contains("Affected: Website, Web Application, EDU Platform"),
        "{page}"
    );
}

#[wasm_bindgen_test]
async fn github_names_the_one_partial_outage() {
    let m = panel(scripted(vec![Ok(fixture("github"))]), 60_000);
    m.wait_for(".hugops-component rows", |m| {
        m.all(".hugops-component").len() >= 10
    })
    .await;
    let rows = m.all(".hugops-component[data-status=partial_outage]");
    assert_eq!(rows.len(), 1);
    let text = rows[0].unchecked_ref::<web_sys::HtmlElement>().inner_text();
    assert!(
        text.contains("GitHub Actions") && text.contains("Partial outage"),
        "{text}"
    );
    assert_eq!(m.all(".hugops-component[data-status=operational]").len(), 9);
    // No status object in components.json: the banner is derived from the
    // components (core::status::derive): one partial outage among many is
    // a minor outage, said in words beside the icon.
    let banner = m.one(".hugops-banner");
    assert_eq!(
        banner.get_attribute("data-indicator").as_deref(),
        Some("minor")
    );
    let words = banner.unchecked_ref::<web_sys::HtmlElement>().inner_text();
    assert!(words.contains("Minor service outage"), "{words}");
}

/// An RFC 3339 time `hours` from now (negative: in the past).
fn hours_from_now(hours: f64) -> String {
    let at = js_sys::Date::new(&(js_sys::Date::now() + hours * 3_600_000.0).into());
    at.to_iso_string().into()
}

#[wasm_bindgen_test]
async fn maintenance_in_progress_and_upcoming_with_their_windows() {
    let payload = format!(
        r#"{{"page": {{"name": "Example", "updated_at": "{now}"}},
            "status": {{"indicator": "maintenance", "description": "Service under maintenance"}},
            "components": [{{"id": "db", "name": "Database", "status": "under_maintenance", "position": 1}}],
            "scheduled_maintenances": [
              {{"id": "up", "name": "Network upgrade", "status": "scheduled",
                "scheduled_for": "{up_from}", "scheduled_until": "{up_until}", "incident_updates": []}},
              {{"id": "now", "name": "Database failover drill", "status": "in_progress",
                "scheduled_for": "{now_from}", "scheduled_until": "{now_until}",
                "incident_updates": [{{"id": "u1", "status": "in_progress", "body": "The drill has begun.",
                                       "created_at": "{now_from}"}}]}}
            ]}}"#,
        now = hours_from_now(0.0),
        up_from = hours_from_now(48.0),
        up_until = hours_from_now(50.0),
        now_from = hours_from_now(-1.0),
        now_until = hours_from_now(1.0),
    );
    let m = panel(scripted(vec![Ok(payload)]), 60_000);
    m.wait_for_text("Database failover drill").await;

    let groups = m.all(".hugops-maintenance-group");
    assert_eq!(groups.len(), 2, "in progress, then upcoming");
    let now_text = groups[0]
        .unchecked_ref::<web_sys::HtmlElement>()
        .inner_text();
    assert!(now_text.starts_with("In progress"), "{now_text}");
    assert!(now_text.contains("Database failover drill"), "{now_text}");
    assert!(now_text.contains("The drill has begun."), "{now_text}");
    assert!(
        now_text.contains(" – "),
        "a window from – until: {now_text}"
    );
    let upcoming = groups[1]
        .unchecked_ref::<web_sys::HtmlElement>()
        .inner_text();
    assert!(upcoming.starts_with("Upcoming"), "{upcoming}");
    assert!(upcoming.contains("Network upgrade"), "{upcoming}");
    assert!(upcoming.contains(" – "), "{upcoming}");

    // The maintenance indicator and component status are words, not colour.
    let banner = m.one(".hugops-banner");
    assert_eq!(
        banner.get_attribute("data-indicator").as_deref(),
        Some("maintenance")
    );
    assert!(m.text().to_lowercase().contains("under maintenance"));
}

#[wasm_bindgen_test]
async fn the_banner_says_when_it_was_updated_without_re_announcing_it() {
    let m = panel(scripted(vec![Ok(fixture("instructure"))]), 60_000);
    m.wait_for_text("Minor service outage").await;
    let updated = m.one(".hugops-banner .hugops-banner__updated");
    let text = updated.text_content().unwrap_or_default();
    assert!(text.starts_with("Updated "), "{text}");
    // The banner is a live region: the relative words, which change every
    // minute, are hidden from screen readers, who get the exact time.
    let relative = m.one(".hugops-banner__updated time");
    assert_eq!(
        relative.get_attribute("aria-hidden").as_deref(),
        Some("true")
    );
    assert!(relative.get_attribute("datetime").is_some());
    let exact = m.one(".hugops-banner__updated .hugops-visually-hidden");
    assert!(
        exact.text_content().unwrap_or_default().contains("2021"),
        "the page's updated_at, in full"
    );
}

#[wasm_bindgen_test]
async fn an_incident_names_the_components_it_affects() {
    let m = panel(scripted(vec![Ok(fixture("instructure"))]), 60_000);
    m.wait_for_text("Minor service outage").await;
    let incident = m
        .one(".hugops-incident")
        .unchecked_ref::<web_sys::HtmlElement>()
        .inner_text();
    assert!(
        incident.contains(
            "Affects: Assessments, Website, Canvas, Benchmarks, Web Application, Portal, EDU Platform, Reporting"
        ),
        "{incident}"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_component_status_is_shown_as_unknown_not_dropped() {
    let payload = r#"{"status": {"indicator": "none", "description": "All Systems Operational"},
        "components": [
          {"id": "a", "name": "API", "status": "operational", "position": 1},
          {"id": "b", "name": "Billing", "status": "partially_on_fire", "position": 2}
        ]}"#;
    let m = panel(scripted(vec![Ok(payload.into())]), 60_000);
    m.wait_for_text("Billing").await;
    let rows = m.all(".hugops-component");
    assert_eq!(rows.len(), 2);
    let billing = rows
        .iter()
        .map(|r| r.unchecked_ref::<web_sys::HtmlElement>().inner_text())
        .find(|t| t.contains("Billing"))
        .unwrap();
    assert!(billing.to_lowercase().contains("unknown"), "{billing}");
}

#[wasm_bindgen_test]
async fn linode_opens_the_degraded_group_row() {
    let m = panel(scripted(vec![Ok(fixture("linode"))]), 60_000);
    m.wait_for_text("Regions").await;
    let open = open_groups(&m);
    assert!(!open.is_empty());
    let regions = m
        .all("details.hugops-group")
        .into_iter()
        .find(|d| {
            d.text_content()
                .unwrap_or_default()
                .contains("US-East (Newark)")
        })
        .expect("the Regions group");
    assert!(regions.has_attribute("open"));
    let summary = regions.query_selector("summary").unwrap().unwrap();
    let summary_text = summary.text_content().unwrap();
    assert!(summary_text.contains("Partial outage"), "{summary_text}");
    assert!(summary_text.contains("US-East (Newark)"), "{summary_text}");
}

#[wasm_bindgen_test]
async fn qualys_hundreds_of_components_stay_usable() {
    let m = panel(scripted(vec![Ok(fixture("qualys"))]), 60_000);
    m.wait_for(".hugops-group rows", |m| {
        !m.all("details.hugops-group").is_empty()
    })
    .await;
    let groups = m.all("details.hugops-group");
    assert_eq!(groups.len(), 12);
    // Only groups with something wrong are open; every row says its status
    // in words.
    let open = open_groups(&m);
    assert!(
        open.len() < groups.len(),
        "healthy groups start closed: {open:?}"
    );
    let page = m.text();
    assert!(page.contains("Under maintenance"));
    assert!(page.contains("Major outage"));
    // Keyboard: each group is a native <details> whose <summary> takes focus.
    for group in &groups {
        assert!(group.query_selector("summary").unwrap().is_some());
    }
}

#[wasm_bindgen_test]
async fn a_failing_refresh_keeps_the_last_status_and_marks_it_stale_then_recovers() {
    let source = scripted(vec![
        Ok(fixture("github")),
        Err(StatusProblem::Refused { status: 500 }),
    ]);
    let m = panel(source.clone(), 100);
    m.wait_for_text("GitHub Actions").await;
    m.wait_for_text("This status may be out of date").await;
    let page = m.text();
    assert!(page.contains("HTTP 500"), "{page}");
    assert!(page.contains("Last confirmed"), "{page}");
    assert!(
        page.contains("GitHub Actions"),
        "last good status still shown"
    );

    source.push(Ok(fixture("github")));
    m.wait_for("the stale notice to go", |m| {
        !m.text().contains("may be out of date")
    })
    .await;
    assert!(m.text().contains("GitHub Actions"));
}

#[wasm_bindgen_test]
async fn garbage_before_any_status_says_what_is_wrong_in_plain_words() {
    let m = panel(
        scripted(vec![Ok("<html>502 Bad Gateway</html>".into())]),
        60_000,
    );
    m.wait_for_text("We couldn't load the status.").await;
    let page = m.text();
    assert!(page.contains("did not send JSON"), "{page}");
    assert!(m.all(".hugops-banner").is_empty());
}

#[wasm_bindgen_test]
async fn text_from_the_status_source_is_never_markup() {
    let hostile = r#"{"status":{"indicator":"major","description":"<img src=x onerror=alert(1)>"},
        "incidents":[{"id":"x","name":"<script>alert(1)</script>","status":"investigating","impact":"major",
        "incident_updates":[{"id":"u","status":"investigating","body":"<b>bold</b>","created_at":"2024-01-01T00:00:00Z"}]}]}"#;
    let m = panel(scripted(vec![Ok(hostile.into())]), 60_000);
    m.wait_for_text("<script>alert(1)</script>").await;
    assert!(m.text().contains("<img src=x onerror=alert(1)>"));
    assert!(m.text().contains("<b>bold</b>"));
    assert!(m.all("img").is_empty() && m.all("script").is_empty() && m.all("b").is_empty());
}

/// Sets what `document.visibilityState` answers and tells listeners, as the
/// browser does when the visitor switches tabs.
fn set_tab_hidden(hidden: bool) {
    let document = web_sys::window().unwrap().document().unwrap();
    let state = if hidden { "hidden" } else { "visible" };
    let descriptor = js_sys::Object::new();
    let getter = js_sys::Function::new_no_args(&format!("return '{state}';"));
    js_sys::Reflect::set(&descriptor, &"get".into(), &getter).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&document, &"visibilityState".into(), &descriptor);
    document
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn polling_pauses_while_the_tab_is_hidden_and_resumes_at_once_on_return() {
    let source = scripted(vec![Ok(fixture("github"))]);
    let m = panel(source.clone(), 50);
    m.wait_for_text("GitHub Actions").await;
    m.wait_for("a few refreshes", |_| source.fetches() >= 3)
        .await;

    set_tab_hidden(true);
    hugops_widget::browser::sleep(200).await;
    let while_hidden = source.fetches();
    hugops_widget::browser::sleep(500).await;
    assert_eq!(source.fetches(), while_hidden, "no polling while hidden");

    set_tab_hidden(false);
    m.wait_for("a refresh on return", |_| source.fetches() > while_hidden)
        .await;
    // Restore the real property for the other tests in this page.
    let document = web_sys::window().unwrap().document().unwrap();
    js_sys::Reflect::delete_property(&document, &"visibilityState".into()).unwrap();
}

fn click(element: &web_sys::Element) {
    element.unchecked_ref::<web_sys::HtmlElement>().click();
}

/// Lets the panel refresh to the same payload with a newer page
/// `updated_at`: a summary that differs, so the panel renders the list
/// anew.
async fn refresh_with(
    m: &Mounted,
    source: &ScriptedStatusSource,
    payload: &str,
    old_updated_at: &str,
) {
    assert!(payload.contains(old_updated_at));
    let fetched = source.fetches();
    source.push(Ok(payload.replacen(
        old_updated_at,
        "2030-01-01T00:00:00Z",
        1,
    )));
    m.wait_for("a refresh", |_| source.fetches() > fetched + 1)
        .await;
    hugops_widget::browser::sleep(100).await;
}

#[wasm_bindgen_test]
async fn groups_the_visitor_opened_or_closed_stay_so_across_refreshes() {
    let qualys = fixture("qualys");
    let source = scripted(vec![Ok(qualys.clone())]);
    let m = panel(source.clone(), 100);
    m.wait_for(".hugops-group rows", |m| {
        !m.all("details.hugops-group").is_empty()
    })
    .await;
    let before = open_groups(&m);
    let groups = m.all("details.hugops-group");
    let closed = groups
        .iter()
        .find(|g| !before.contains(&g.get_attribute("data-group-id").unwrap_or_default()))
        .expect("a healthy group starts closed")
        .get_attribute("data-group-id")
        .unwrap();
    let opened = before
        .first()
        .expect("a degraded group starts open")
        .clone();

    // The visitor opens a healthy group and closes a degraded one.
    click(&m.one(&format!("details[data-group-id='{closed}'] summary")));
    click(&m.one(&format!("details[data-group-id='{opened}'] summary")));
    m.wait_for("the toggles", |m| {
        let open = open_groups(m);
        open.contains(&closed) && !open.contains(&opened)
    })
    .await;
    // `toggle` events are dispatched in a task of their own after the
    // `open` attribute changes: let them reach the widget before the
    // refresh, as they would long before a visitor's next refresh.
    hugops_widget::browser::sleep(50).await;

    // A refresh brings a changed summary: the list is rendered anew.
    refresh_with(&m, &source, &qualys, "2021-12-01T03:04:33.384-08:00").await;
    let after = open_groups(&m);
    assert!(after.contains(&closed), "still open: {after:?}");
    assert!(!after.contains(&opened), "still closed: {after:?}");
}

#[wasm_bindgen_test]
async fn a_long_flat_list_folds_to_the_affected_and_show_all_survives_refreshes() {
    let rows: Vec<String> = (1..=20)
        .map(|n| {
            let status = if n == 7 {
                "major_outage"
            } else {
                "operational"
            };
            format!(
                r#"{{"id": "c{n}", "name": "Service {n}", "status": "{status}", "position": {n}}}"#
            )
        })
        .collect();
    let payload = format!(
        r#"{{"page": {{"name": "Flat", "updated_at": "2024-01-01T00:00:00Z"}},
            "status": {{"indicator": "major", "description": "Partial System Outage"}},
            "components": [{}]}}"#,
        rows.join(",")
    );
    let source = scripted(vec![Ok(payload.clone())]);
    let m = panel(source.clone(), 100);
    m.wait_for_text("Service 7").await;
    // Only the affected row, and a button that says what is folded away.
    assert_eq!(m.all(".hugops-component").len(), 1);
    let button = m.one(".hugops-link-button");
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        button.text_content().unwrap(),
        "Show all 20 components (19 operational)"
    );

    click(&button);
    m.wait_for("all rows", |m| m.all(".hugops-component").len() == 20)
        .await;
    refresh_with(&m, &source, &payload, "2024-01-01T00:00:00Z").await;
    assert_eq!(m.all(".hugops-component").len(), 20, "show all is kept");
    assert_eq!(
        m.one(".hugops-link-button")
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
}
