//! The Unicode operations the message rules and the kindness check are built
//! on, behind a trait, so each build chooses where the Unicode data comes
//! from.
//!
//! The server uses [`Tables`] (the `unicode-tables` feature, on by default):
//! the `unicode-normalization` and `unicode-segmentation` crates. The
//! widget's wasm build turns the feature off and passes the browser's own
//! operations (`String.prototype.normalize`, `Intl.Segmenter`, `/\p{M}/u`) to
//! the `_with` functions instead, since the tables would be over a hundred
//! kilobytes of its bundle and every browser already ships them.
//!
//! The operations are passed explicitly (`&dyn UnicodeOps`), never installed
//! in a global: nothing can run before its provider is set, a test can
//! compare two providers in one process, and nothing needs to be `Sync`.
//!
//! The functions here never ask the operations about ASCII text, which
//! needs no tables (see [`is_mark`] and the callers' fast paths): most
//! messages are mostly ASCII, and in the browser every question crosses
//! into JavaScript.

/// Unicode operations whose answers depend on the Unicode Character
/// Database. Implementations must agree with the Unicode Standard; two
/// implementations differ only where their Unicode versions do.
pub trait UnicodeOps {
    /// The text in Normalization Form C (canonical composition).
    fn nfc(&self, text: &str) -> String;
    /// The text in Normalization Form KD (compatibility decomposition).
    fn nfkd(&self, text: &str) -> String;
    /// Whether `c` is a combining mark: General_Category Mark (Mn, Mc or Me).
    fn is_mark(&self, c: char) -> bool;
    /// The text's extended grapheme clusters (Unicode Standard Annex #29), in
    /// order; together they are the whole text.
    fn graphemes<'a>(&self, text: &'a str) -> Vec<&'a str>;
}

/// Whether `c` is a combining mark, without asking `ops` below U+0300: no
/// character below the Combining Diacritical Marks block is a mark.
pub(crate) fn is_mark(ops: &dyn UnicodeOps, c: char) -> bool {
    c >= '\u{300}' && ops.is_mark(c)
}

/// [`UnicodeOps`] from the `unicode-normalization` and `unicode-segmentation`
/// crates: the tables are compiled in.
#[cfg(feature = "unicode-tables")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Tables;

#[cfg(feature = "unicode-tables")]
impl UnicodeOps for Tables {
    fn nfc(&self, text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        text.nfc().collect()
    }

    fn nfkd(&self, text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        text.nfkd().collect()
    }

    fn is_mark(&self, c: char) -> bool {
        unicode_normalization::char::is_combining_mark(c)
    }

    fn graphemes<'a>(&self, text: &'a str) -> Vec<&'a str> {
        use unicode_segmentation::UnicodeSegmentation;
        text.graphemes(true).collect()
    }
}

/// Operations that answer only for ASCII text, where no tables are needed:
/// ASCII is its own NFC and NFKD, holds no marks, and every character but
/// CR LF is a cluster of its own. For the English lexicon, which is ASCII,
/// so that it reads the same, and is read once, whatever the build.
pub(crate) struct AsciiOnly;

impl UnicodeOps for AsciiOnly {
    fn nfc(&self, text: &str) -> String {
        assert!(text.is_ascii(), "AsciiOnly was given {text:?}");
        text.to_owned()
    }

    fn nfkd(&self, text: &str) -> String {
        self.nfc(text)
    }

    fn is_mark(&self, c: char) -> bool {
        assert!(c.is_ascii(), "AsciiOnly was given {c:?}");
        false
    }

    fn graphemes<'a>(&self, text: &'a str) -> Vec<&'a str> {
        assert!(text.is_ascii(), "AsciiOnly was given {text:?}");
        let mut clusters = Vec::with_capacity(text.len());
        let mut rest = text;
        while !rest.is_empty() {
            let len = if rest.starts_with("\r\n") { 2 } else { 1 };
            let (cluster, tail) = rest.split_at(len);
            clusters.push(cluster);
            rest = tail;
        }
        clusters
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kindness::{check_with_ops, Lexicon, NudgeKind};
    use crate::message::{grapheme_len_with, normalize_with, prepare_with, CleanMessage};

    /// Operations that must not be asked.
    struct Refuse;

    impl UnicodeOps for Refuse {
        fn nfc(&self, text: &str) -> String {
            panic!("nfc asked about {text:?}")
        }
        fn nfkd(&self, text: &str) -> String {
            panic!("nfkd asked about {text:?}")
        }
        fn is_mark(&self, c: char) -> bool {
            panic!("is_mark asked about {c:?}")
        }
        fn graphemes<'a>(&self, text: &'a str) -> Vec<&'a str> {
            panic!("graphemes asked about {text:?}")
        }
    }

    /// ASCII messages never reach the operations: in the browser, each
    /// question is a call into JavaScript.
    #[test]
    fn ascii_messages_ask_nothing() {
        assert_eq!(
            normalize_with(&Refuse, " hi\u{200B}\r\n\r\n\r\nthere \t"),
            "hi\n\nthere"
        );
        assert_eq!(grapheme_len_with(&Refuse, "a\r\nb\n"), 4);
        assert_eq!(
            prepare_with(&Refuse, Some(" Ann\n"), "#HugOps "),
            Ok(CleanMessage {
                author: Some("Ann".into()),
                body: "#HugOps".into()
            })
        );
        let nudge = check_with_ops(&Refuse, Lexicon::english(), "You IDIOTS broke it");
        assert_eq!(nudge.map(|n| n.kind), Some(NudgeKind::Insult));
        assert_eq!(AsciiOnly.graphemes("a\r\n\rb"), ["a", "\r\n", "\r", "b"]);
    }

    /// The premises of the ASCII shortcuts, checked against the tables.
    #[cfg(feature = "unicode-tables")]
    #[test]
    fn ascii_needs_no_tables() {
        let all_ascii: String = (0u8..=0x7F).map(char::from).collect();
        let text = format!("{all_ascii}\r\n\n\r\r\n{all_ascii}");
        assert_eq!(Tables.nfc(&text), text);
        assert_eq!(Tables.nfkd(&text), text);
        assert_eq!(Tables.graphemes(&text), AsciiOnly.graphemes(&text));
        assert_eq!(AsciiOnly.nfc(&text), text);
        let early: Vec<char> = ('\0'..'\u{300}').filter(|&c| Tables.is_mark(c)).collect();
        assert!(early.is_empty(), "marks below U+0300: {early:?}");
        assert!(Tables.is_mark('\u{300}') && Tables.is_mark('\u{20DD}'));
        assert!(Tables.is_mark('\u{903}'), "Mc is a mark too");
    }
}
