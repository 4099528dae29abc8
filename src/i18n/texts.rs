//! `Texts`: the words of the language the widget speaks, with English
//! behind them for any key the language's table lacks.

use super::intl;
use super::table::{fill, Table};
use hugops_core::kindness::Lexicon;
use std::sync::{Arc, OnceLock};

/// English, compiled in: the fallback for every language, and what the
/// native tests compare against.
pub const ENGLISH_JSON: &str = include_str!("../../i18n/en.json");

fn english_table() -> &'static Table {
    static ENGLISH: OnceLock<Table> = OnceLock::new();
    ENGLISH.get_or_init(|| Table::parse(ENGLISH_JSON).unwrap_or_default())
}

#[derive(Debug, PartialEq)]
pub struct Texts {
    /// The tag `Intl` formats in (the visitor's region kept: `de-AT`).
    tag: String,
    /// The language's own table; empty for English.
    table: Table,
    /// The kindness check's word list for the language, when it has one.
    lexicon: Option<Lexicon>,
}

impl Texts {
    /// English, formatting in `tag` (`en-GB` dates stay British).
    pub fn english(tag: &str) -> Arc<Texts> {
        Arc::new(Texts {
            tag: tag.to_owned(),
            table: Table::default(),
            lexicon: None,
        })
    }

    /// `json`'s table over English; an unreadable table is English.
    pub fn parse(tag: &str, json: &str) -> Arc<Texts> {
        Arc::new(Texts {
            tag: tag.to_owned(),
            table: Table::parse(json).unwrap_or_default(),
            lexicon: None,
        })
    }

    /// The same words, checking kindness with `lexicon`.
    pub fn with_lexicon(self: Arc<Self>, lexicon: Lexicon) -> Arc<Texts> {
        Arc::new(Texts {
            tag: self.tag.clone(),
            table: self.table.clone(),
            lexicon: Some(lexicon),
        })
    }

    /// The word list the composer's kindness check uses: the language's,
    /// else English.
    pub fn lexicon(&self) -> &Lexicon {
        self.lexicon.as_ref().unwrap_or_else(|| Lexicon::english())
    }

    /// Whether these are the compiled-in English words.
    pub fn is_english(&self) -> bool {
        self.table == Table::default()
    }

    pub fn tag(&self) -> &str {
        &self.tag
    }

    fn text<'a>(&'a self, key: &'a str, category: &str) -> &'a str {
        self.table
            .get(key)
            .or_else(|| english_table().get(key))
            .and_then(|entry| entry.form(category))
            .unwrap_or(key)
    }

    /// The text under `key`.
    pub fn t(&self, key: &str) -> String {
        self.text(key, "other").to_owned()
    }

    /// The text under `key` with its placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key, "other"), args)
    }

    /// The form of `key` for `n` (by the language's plural rules), with
    /// `{count}` as the language writes `n`, and `args` filled.
    pub fn count(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let category = intl::plural_category(&self.tag, n);
        let number = intl::number(&self.tag, n);
        let mut all = vec![("count", number.as_str())];
        all.extend_from_slice(args);
        fill(self.text(key, &category), &all)
    }

    /// `n` as the language writes it.
    pub fn number(&self, n: u64) -> String {
        intl::number(&self.tag, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_missing_from_a_language_is_english() {
        let de = Texts::parse("de", r#"{"wall.live": "Live dabei"}"#);
        assert_eq!(de.t("wall.live"), "Live dabei");
        assert_eq!(de.t("wall.connecting"), "Connecting…");
        assert_eq!(de.t("no.such.key"), "no.such.key");
        let broken = Texts::parse("de", "{not json");
        assert_eq!(broken.t("wall.live"), "Live");
    }

    #[test]
    fn counts_pick_the_plural_form_and_write_the_number() {
        let en = Texts::english("en");
        assert_eq!(en.count("wall.new_messages", 1, &[]), "1 new message");
        assert_eq!(en.count("wall.new_messages", 3, &[]), "3 new messages");
    }
}
