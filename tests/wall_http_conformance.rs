//! The `WallStore` conformance suite against the `http` adapter talking to
//! the real hugops-server (started by `cargo xtask test`, which compiles
//! its URL in as `HUGOPS_TEST_API`).
#![cfg(target_arch = "wasm32")]

mod common;

use common::test_server;
use common::wall_conformance::wall_store_conformance;
use hugops_widget::backend::http::HttpWallStore;
use hugops_widget::backend::WallStore;
use std::rc::Rc;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

wall_store_conformance!(http, || {
    Rc::new(HttpWallStore::new(test_server())) as Rc<dyn WallStore>
});
