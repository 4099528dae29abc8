//! The `WallStore` conformance suite (tests/common/wall_conformance.rs),
//! run in headless Chromium against every in-browser adapter. The `http`
//! adapter joins with one more `wall_store_conformance!` line pointing at a
//! running server.
#![cfg(target_arch = "wasm32")]

mod common;

use common::wall::prefix;
use common::wall_conformance::wall_store_conformance;
use hugops_widget::backend::local::LocalWallStore;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::WallStore;
use std::rc::Rc;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

wall_store_conformance!(memory, || {
    Rc::new(MemoryWallStore::new()) as Rc<dyn WallStore>
});

wall_store_conformance!(local, || {
    Rc::new(LocalWallStore::with_prefix(&prefix())) as Rc<dyn WallStore>
});

/// The whole suite in one go, as `run_all` (what a caller without the
/// macro uses), against a store shared by every check.
#[wasm_bindgen_test::wasm_bindgen_test]
async fn run_all_against_one_shared_memory_store() {
    let shared = MemoryWallStore::new();
    common::wall_conformance::run_all(&move || Rc::new(shared.clone()) as Rc<dyn WallStore>).await;
}
