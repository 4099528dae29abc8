//! The `statuspage` status source over real HTTP, against the real
//! hugops-server that `cargo xtask test` starts (its `/api/v1/status` is a
//! Statuspage v2 summary with an ETag): what a refresh brings, what an
//! unchanged one says, and the plain words of each way it can fail.
#![cfg(target_arch = "wasm32")]

mod common;

use common::test_server;
use hugops_widget::backend::statuspage::StatuspageSource;
use hugops_widget::backend::StatusSource;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn reads_the_servers_summary_then_reports_it_unchanged() {
    let source = StatuspageSource::new(format!("{}/api/v1/status", test_server()));
    let summary = source
        .fetch()
        .await
        .expect("the demo status")
        .expect("a first fetch brings a summary");
    assert!(!summary.status.description.is_empty());
    assert!(!summary.components.is_empty());
    // The browser revalidates with the server's ETag; the same status again
    // is "unchanged", so the panel keeps what it shows. (The demo status
    // is rendered once a minute: a fetch across a minute's turn may bring
    // a new one, the next may not.)
    let mut unchanged = false;
    for _ in 0..3 {
        if source.fetch().await.expect("still reachable").is_none() {
            unchanged = true;
            break;
        }
    }
    assert!(unchanged, "an unchanged status is reported as unchanged");
}

#[wasm_bindgen_test]
async fn an_http_error_is_named_with_its_code() {
    // Outside /api/ the server answers a plain 404, as any web server would.
    let source = StatuspageSource::new(format!("{}/no-such-summary.json", test_server()));
    let problem = source.fetch().await.unwrap_err();
    assert_eq!(
        problem.to_string(),
        "The status source answered with an error (HTTP 404)."
    );
}

#[wasm_bindgen_test]
async fn a_hugops_refusal_is_shown_in_its_plain_words() {
    let source = StatuspageSource::new(format!("{}/api/v2/no-such-summary.json", test_server()));
    let problem = source.fetch().await.unwrap_err();
    assert_eq!(
        problem.to_string(),
        "There is no such API endpoint; see docs/api.md."
    );
}

#[wasm_bindgen_test]
async fn json_that_is_no_summary_is_refused_in_plain_words() {
    // A wall's messages: JSON, but no status page (no status, no
    // components).
    let source = StatuspageSource::new(format!("{}/api/v1/walls/general/messages", test_server()));
    let problem = source.fetch().await.unwrap_err();
    assert!(!problem.to_string().is_empty());
    assert!(
        !problem.to_string().contains("line 1") && !problem.to_string().contains("serde"),
        "plain words, not a parser's: {problem}"
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_source_says_so() {
    // Nothing listens on the discard port, and Chromium refuses it as an
    // unsafe port anyway: a network error either way, as for a host that
    // is down.
    let source = StatuspageSource::new("http://127.0.0.1:9/api/v2/summary.json");
    let problem = source.fetch().await.unwrap_err();
    assert_eq!(
        problem.to_string(),
        "Could not reach the status source (network error)."
    );
}

/// Puts `request` where the loader (`hugops.js`) leaves its early status
/// request for `url`, and returns the map it left.
fn prefetched(url: &str, request: js_sys::Promise) -> js_sys::Map {
    let map = js_sys::Map::new();
    map.set(&url.into(), &request);
    js_sys::Reflect::set(&js_sys::global(), &"__hugopsStatus".into(), &map).unwrap();
    map
}

// That the first read then makes no request of its own is counted in the
// real page: tests/e2e/status_first.test.mjs.
#[wasm_bindgen_test]
async fn the_first_read_takes_the_loaders_answer_once() {
    let url = format!("{}/api/v1/status?prefetched=1", test_server());
    let map = prefetched(&url, web_sys::window().unwrap().fetch_with_str(&url));
    let source = StatuspageSource::new(url.clone());
    let summary = source.fetch().await.expect("the demo status");
    assert!(
        summary.is_some(),
        "the loader's answer is read as a summary"
    );
    assert!(!map.has(&url.into()), "taken, so no later read reuses it");
    // An unrelated URL's request stays for its own source.
    let other = format!("{}/api/v1/status?prefetched=other", test_server());
    let map = prefetched(&other, web_sys::window().unwrap().fetch_with_str(&other));
    source.fetch().await.expect("still reachable");
    assert!(map.has(&other.into()));
}

#[wasm_bindgen_test]
async fn a_failed_early_request_is_asked_again_by_the_source() {
    let url = format!("{}/api/v1/status?prefetched=2", test_server());
    prefetched(&url, js_sys::Promise::reject(&"network error".into()));
    let source = StatuspageSource::new(url.clone());
    let summary = source.fetch().await.expect("the source asks itself");
    assert!(summary.is_some());
}
