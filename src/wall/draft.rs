//! The composer's rules as plain functions: the live character count, what
//! sending would do, and the one-tap starters.

use crate::i18n::Texts;
use crate::unicode::ops;
use hugops_core::message::{
    grapheme_len_with, normalize_with, prepare_with, CleanMessage, MessageError, MAX_AUTHOR_CHARS,
    MAX_BODY_CHARS,
};

/// Ready-made messages a customer can send in one tap (and edit first):
/// their keys in the language tables.
pub const STARTERS: &[&str] = &[
    "composer.starter1",
    "composer.starter2",
    "composer.starter3",
    "composer.starter4",
];

/// A field's length as the customer sees it counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// User-perceived characters, counted on the normalised text (what the
    /// server will count).
    pub chars: usize,
    pub max: usize,
}

impl Count {
    pub fn body(text: &str) -> Count {
        Count {
            chars: grapheme_len_with(ops(), &normalize_with(ops(), text)),
            max: MAX_BODY_CHARS,
        }
    }

    /// The name as it will be stored: one line, so counted on one line.
    pub fn author(text: &str) -> Count {
        let one_line = normalize_with(ops(), text)
            .split('\n')
            .collect::<Vec<_>>()
            .join(" ");
        Count {
            chars: grapheme_len_with(ops(), &one_line),
            max: MAX_AUTHOR_CHARS,
        }
    }

    pub fn is_over(&self) -> bool {
        self.chars > self.max
    }

    pub fn over_by(&self) -> usize {
        self.chars.saturating_sub(self.max)
    }

    /// "123 / 500", and when over, how far over in words (so the state is
    /// never told by colour alone).
    pub fn label(&self, texts: &Texts) -> String {
        let n = |v: usize| texts.number(v as u64);
        if self.is_over() {
            texts.fill(
                "composer.over",
                &[
                    ("chars", &n(self.chars)),
                    ("max", &n(self.max)),
                    ("over", &n(self.over_by())),
                ],
            )
        } else {
            format!("{} / {}", n(self.chars), n(self.max))
        }
    }
}

/// What pressing "Send" does with the composer's fields: the message ready
/// for the outbox, or the reason it cannot go, in plain words.
pub fn ready_to_send(author: &str, body: &str) -> Result<CleanMessage, MessageError> {
    prepare_with(ops(), Some(author), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::kindness::{check_with_ops, Lexicon};

    #[test]
    fn counts_what_a_person_sees() {
        assert_eq!(Count::body("👍🏽 ok").chars, 4);
        assert_eq!(Count::body("  padded \n\n\n\n").chars, 6);
        assert_eq!(
            Count::body(&"a".repeat(500)).label(&Texts::english("en")),
            "500 / 500"
        );
        let over = Count::body(&"a".repeat(512));
        assert!(over.is_over());
        assert_eq!(
            over.label(&Texts::english("en")),
            "512 / 500 — 12 over the limit"
        );
        assert_eq!(Count::author("Ana\nMaria").chars, 9);
        assert!(Count::author(&"n".repeat(41)).is_over());
    }

    #[test]
    fn sending_applies_the_message_rules() {
        let clean = ready_to_send("  ", " #HugOps ").unwrap();
        assert_eq!(clean.author, None);
        assert_eq!(clean.body, "#HugOps");
        assert_eq!(
            ready_to_send("", "\n \n").unwrap_err(),
            MessageError::EmptyBody
        );
        assert!(matches!(
            ready_to_send(&"n".repeat(41), "hi").unwrap_err(),
            MessageError::AuthorTooLong { chars: 41, .. }
        ));
    }

    #[test]
    fn starters_are_valid_and_kind() {
        let en = Texts::english("en");
        for key in STARTERS {
            let starter = en.t(key);
            let starter = starter.as_str();
            assert_ne!(starter, *key, "{key} is in the English table");
            assert!(ready_to_send("", starter).is_ok(), "{starter}");
            let nudge = check_with_ops(ops(), Lexicon::english(), starter);
            assert!(nudge.is_none(), "{starter}");
        }
    }
}
