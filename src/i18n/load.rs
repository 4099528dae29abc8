//! Fetching a language's table and word list from next to the bundle.
//!
//! The bundle's directory (where `hugops.js` is) is found from this
//! module's own URL (the wasm-bindgen snippet sits at
//! `widget-<hash>/snippets/<crate>-<hash>/inline0.js`, xtask/src/split.rs),
//! so it works wherever the host loads `hugops.js` from, cross-origin too.

use super::texts::Texts;
use crate::locale;
use crate::unicode::ops;
use hugops_core::kindness::Lexicon;
use hugops_core::language::Language;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function bundleBase() { return new URL('../../../', import.meta.url).href; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = bundleBase)]
    fn bundle_base() -> String;
}

/// The texts for `tag`: English at once for English, else the language's
/// table fetched; English (with a console warning) when it cannot be.
pub async fn load(tag: &str) -> Arc<Texts> {
    let Some(table) = locale::table_for(tag).filter(|t| *t != "en") else {
        return Texts::english(tag);
    };
    let texts = match fetch_text(&format!("i18n/{table}.json")).await {
        Some(json) => Texts::parse(tag, &json),
        None => {
            web_sys::console::warn_1(
                &format!("<hugops-widget>: no {table} table next to the bundle; using English.")
                    .into(),
            );
            return Texts::english(tag);
        }
    };
    // The kindness word list, when the language has its own (core names
    // the file; English is compiled into core).
    let file = Lexicon::file_name(Language::from_tag(tag));
    if file == Lexicon::file_name(Language::English) {
        return texts;
    }
    match fetch_text(&format!("kindness/{file}"))
        .await
        .and_then(|source| Lexicon::parse_with(ops(), &source).ok())
    {
        Some(lexicon) => texts.with_lexicon(lexicon),
        None => texts,
    }
}

async fn fetch_text(path: &str) -> Option<String> {
    let url = format!("{}{path}", bundle_base());
    let response = gloo_net::http::Request::get(&url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.text().await.ok()
}
