//! The Unicode operations the widget gives core's message rules and kindness
//! check ([`UnicodeOps`]): in the browser, the browser's own. Core's tables
//! (NFC, NFKD, combining marks, grapheme clusters) were the largest items in
//! the bundle (161 KB of its wasm, 80 KB gzip), and every browser already
//! carries the same data for `String.prototype.normalize`, `Intl.Segmenter`
//! and `/\p{M}/u`.
//!
//! Natively (the widget's logic under plain `cargo test`) there is no
//! browser, so core's tables stand in; the wasm build never has them.
//! tests/unicode_equivalence.rs checks in Chromium that both give the same
//! results.

use hugops_core::unicode::UnicodeOps;

/// The Unicode operations to pass to core's `_with` functions.
pub fn ops() -> &'static dyn UnicodeOps {
    #[cfg(target_arch = "wasm32")]
    {
        &Browser
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        &hugops_core::unicode::Tables
    }
}

/// [`UnicodeOps`] answered by the browser.
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Browser;

#[cfg(target_arch = "wasm32")]
impl UnicodeOps for Browser {
    fn nfc(&self, text: &str) -> String {
        js_sys::JsString::from(text).normalize("NFC").into()
    }

    fn nfkd(&self, text: &str) -> String {
        js_sys::JsString::from(text).normalize("NFKD").into()
    }

    fn is_mark(&self, c: char) -> bool {
        thread_local! {
            // General_Category=Mark, as core's tables mean it.
            static MARK: js_sys::RegExp = js_sys::RegExp::new(r"^\p{M}$", "u");
        }
        let mut buf = [0; 4];
        MARK.with(|mark| mark.test(c.encode_utf8(&mut buf)))
    }

    fn graphemes<'a>(&self, text: &'a str) -> Vec<&'a str> {
        use wasm_bindgen::JsCast;
        thread_local! {
            static SEGMENTER: js_sys::Intl::Segmenter = {
                let options = js_sys::Intl::SegmenterOptions::new();
                options.set_granularity(js_sys::Intl::SegmenterGranularity::Grapheme);
                js_sys::Intl::Segmenter::new(&js_sys::Array::new(), &options)
            };
        }
        let segments = SEGMENTER.with(|segmenter| segmenter.segment(text));
        let segments = js_sys::Array::from(&segments);
        // Each segment's start, in UTF-16 code units, as JavaScript counts.
        let starts = (0..segments.length()).map(|i| {
            segments
                .get(i)
                .unchecked_into::<js_sys::Intl::SegmentData>()
                .index() as usize
        });
        split_at_utf16(text, starts)
    }
}

/// Cuts `text` where the given UTF-16 offsets (increasing) fall. Segmenters
/// cut between code points, so an offset inside a surrogate pair cannot
/// come; it would cut after that character.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn split_at_utf16(text: &str, starts: impl Iterator<Item = usize>) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut chars = text.char_indices();
    let (mut byte, mut utf16) = (0, 0);
    let mut piece_start = 0;
    for start in starts.skip_while(|&s| s == 0) {
        while utf16 < start {
            let Some((_, c)) = chars.next() else { break };
            byte += c.len_utf8();
            utf16 += c.len_utf16();
        }
        if byte > piece_start {
            pieces.push(&text[piece_start..byte]);
            piece_start = byte;
        }
    }
    if piece_start < text.len() {
        pieces.push(&text[piece_start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::split_at_utf16;

    #[test]
    fn utf16_offsets_cut_at_the_right_bytes() {
        let text = "a\u{E9}\u{1F44D}\u{1F3FD}b";
        // a=0, é=1, 👍=2..4, 🏽=4..6, b=6
        let cut = |starts: &[usize]| split_at_utf16(text, starts.iter().copied());
        assert_eq!(
            cut(&[0, 1, 2, 6]),
            ["a", "\u{E9}", "\u{1F44D}\u{1F3FD}", "b"]
        );
        assert_eq!(cut(&[0]), [text]);
        assert_eq!(cut(&[]), [text]);
        assert!(split_at_utf16("", [0].into_iter()).is_empty());
    }
}
