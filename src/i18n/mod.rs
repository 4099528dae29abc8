//! The widget's words in the visitor's language.
//!
//! Every user-facing text comes from a table, `i18n/<tag>.json` (flat keys;
//! a text that counts something is an object by CLDR plural category;
//! `{name}` placeholders). English is compiled in: it is the fallback for
//! a missing key and what the native tests read. Other languages are
//! fetched from next to the bundle when a widget in that language mounts,
//! so a visitor downloads only its own (see `load`). The kindness check's
//! word list for the language comes the same way (`kindness/<tag>.txt`).
//!
//! `Texts` is provided as a Leptos context by `WidgetOn`; components read
//! it with [`use_texts`]. It does not change while a widget is mounted (a
//! `lang` change remounts the element), so views read it once.

pub mod intl;
mod load;
pub mod table;
mod texts;

pub use load::load;
pub use texts::{Texts, ENGLISH_JSON};

use leptos::prelude::*;
use std::sync::Arc;

/// The texts of the widget this component is in (English outside one).
pub fn use_texts() -> Arc<Texts> {
    use_context::<Arc<Texts>>().unwrap_or_else(|| Texts::english("en"))
}

#[cfg(test)]
mod tests {
    //! Every table against English: the same keys, the same placeholders,
    //! and the plural forms its language's rules ask for.
    use super::table::{placeholders, Entry, Table};
    use super::ENGLISH_JSON;
    use std::collections::BTreeSet;

    /// Each table, and the CLDR plural categories its language uses for
    /// whole numbers (`many` in French, Spanish and Portuguese is for
    /// millions, where `other` reads right, so it may be left out).
    const TABLES: &[(&str, &str, &[&str])] = &[
        ("de", include_str!("../../i18n/de.json"), &["one", "other"]),
        ("fr", include_str!("../../i18n/fr.json"), &["one", "other"]),
        ("es", include_str!("../../i18n/es.json"), &["one", "other"]),
        (
            "pt-BR",
            include_str!("../../i18n/pt-BR.json"),
            &["one", "other"],
        ),
        ("ja", include_str!("../../i18n/ja.json"), &["other"]),
        (
            "ar",
            include_str!("../../i18n/ar.json"),
            &["zero", "one", "two", "few", "many", "other"],
        ),
    ];

    fn english() -> Table {
        Table::parse(ENGLISH_JSON).expect("en.json parses")
    }

    #[test]
    fn every_language_hugops_speaks_has_a_table_here() {
        let here: BTreeSet<&str> = TABLES.iter().map(|(tag, ..)| *tag).chain(["en"]).collect();
        let spoken: BTreeSet<&str> = hugops_core::language::Language::ALL
            .iter()
            .map(|l| l.tag())
            .collect();
        assert_eq!(here, spoken);
    }

    #[test]
    fn every_table_has_exactly_the_english_keys() {
        let en = english();
        let en_keys: BTreeSet<&str> = en.keys().collect();
        for (tag, json, _) in TABLES {
            let table = Table::parse(json).unwrap_or_else(|e| panic!("{tag}.json: {e}"));
            let keys: BTreeSet<&str> = table.keys().collect();
            let missing: Vec<_> = en_keys.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&en_keys).collect();
            assert!(missing.is_empty(), "{tag}.json lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{tag}.json has keys English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn every_text_has_the_english_placeholders() {
        let en = english();
        for (tag, json, categories) in TABLES {
            let table = Table::parse(json).unwrap();
            for key in en.keys() {
                let (Some(english), Some(entry)) = (en.get(key), table.get(key)) else {
                    continue;
                };
                let wanted: BTreeSet<&str> =
                    english.texts().into_iter().flat_map(placeholders).collect();
                match entry {
                    Entry::Text(text) => {
                        assert!(
                            matches!(english, Entry::Text(_)),
                            "{tag} {key}: English counts here, so must this"
                        );
                        let got: BTreeSet<&str> = placeholders(text).into_iter().collect();
                        assert_eq!(got, wanted, "{tag} {key}: {text}");
                    }
                    Entry::Plural(forms) => {
                        let got: BTreeSet<&str> = forms.keys().map(String::as_str).collect();
                        let needed: BTreeSet<&str> = categories.iter().copied().collect();
                        assert!(got.is_superset(&needed), "{tag} {key}: forms {got:?}");
                        for (category, text) in forms {
                            let names: BTreeSet<&str> = placeholders(text).into_iter().collect();
                            // A form may spell its number out ("one
                            // message", Arabic's dual), but never invent a
                            // placeholder, and `other` carries them all.
                            assert!(names.is_subset(&wanted), "{tag} {key}.{category}: {text}");
                            if category == "other" {
                                assert_eq!(names, wanted, "{tag} {key}.other: {text}");
                            }
                        }
                    }
                }
            }
        }
    }
}
