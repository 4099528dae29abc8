//! The widget's stylesheet, adopted into each shadow root as a constructed
//! stylesheet: no `<style>` element and no `style=""` attribute, so a host
//! CSP without `'unsafe-inline'` in `style-src` does not block it.

use super::css;
use wasm_bindgen::JsValue;

/// The base and status styles, then the wall's: one sheet, parsed once.
pub(super) const WIDGET_CSS_SOURCE: &str = concat!(
    include_str!("../../style/widget.css"),
    include_str!("../../style/wall.css")
);

/// What the wasm carries: the sheet minified at compile time.
pub(super) const WIDGET_CSS: &str = {
    const BYTES: [u8; css::minified_len(WIDGET_CSS_SOURCE)] = css::minify(WIDGET_CSS_SOURCE);
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("minifying keeps UTF-8 whole"),
    }
};

thread_local! {
    /// One parsed sheet shared by every widget on the page.
    static SHEET: Option<web_sys::CssStyleSheet> = {
        let sheet = web_sys::CssStyleSheet::new().ok();
        if let Some(sheet) = &sheet {
            let _ = sheet.replace_sync(WIDGET_CSS);
        }
        sheet
    };
}

pub fn adopt_widget_styles(root: &web_sys::ShadowRoot) {
    SHEET.with(|sheet| {
        if let Some(sheet) = sheet {
            let sheets = js_sys::Array::of1(sheet);
            let _ = js_sys::Reflect::set(root, &JsValue::from_str("adoptedStyleSheets"), &sheets);
        }
    });
}
