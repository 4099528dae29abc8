//! The status request the loader (`hugops.js`, written by `cargo xtask
//! build`) started before the wasm was even downloaded: a map on
//! `globalThis.__hugopsStatus` from status URL to the promise of its
//! `fetch` response. The status source takes its URL's promise for its
//! first read, so the first read costs no second request and no wait for
//! the wasm to start one. Taken once: a later read, or a widget mounted
//! again, fetches afresh.

use wasm_bindgen::{JsCast, JsValue};

/// Where the loader leaves the map.
const GLOBAL: &str = "__hugopsStatus";

/// The loader's pending request for `url`, if it made one and nobody has
/// taken it yet.
pub fn take(url: &str) -> Option<js_sys::Promise> {
    let map = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(GLOBAL)).ok()?;
    let map = map.dyn_into::<js_sys::Map>().ok()?;
    let key = JsValue::from_str(url);
    let promise = map.get(&key).dyn_into::<js_sys::Promise>().ok()?;
    map.delete(&key);
    Some(promise)
}
