//! The few words the server writes into a page itself (the `/embed`
//! page's title), from the widget's own translation tables
//! (`i18n/<tag>.json` at the repository root), so each language's words
//! live in one place.

use hugops_core::language::Language;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every table, compiled in: together about 50 KB, read once.
fn table_source(language: Language) -> &'static str {
    match language {
        Language::English => include_str!("../../i18n/en.json"),
        Language::German => include_str!("../../i18n/de.json"),
        Language::French => include_str!("../../i18n/fr.json"),
        Language::Spanish => include_str!("../../i18n/es.json"),
        Language::PortugueseBrazil => include_str!("../../i18n/pt-BR.json"),
        Language::Japanese => include_str!("../../i18n/ja.json"),
        Language::Arabic => include_str!("../../i18n/ar.json"),
    }
}

type Table = HashMap<String, serde_json::Value>;

fn tables() -> &'static HashMap<Language, Table> {
    static TABLES: OnceLock<HashMap<Language, Table>> = OnceLock::new();
    TABLES.get_or_init(|| {
        Language::ALL
            .into_iter()
            .map(|language| {
                // The widget's native tests hold every table to valid JSON
                // with English's keys; a broken one falls back to English.
                let table = serde_json::from_str(table_source(language)).unwrap_or_default();
                (language, table)
            })
            .collect()
    })
}

/// The plain text under `key` in `language`, else in English, else the key.
pub fn text(language: Language, key: &str) -> String {
    [language, Language::English]
        .into_iter()
        .find_map(|l| tables().get(&l)?.get(key)?.as_str().map(str::to_owned))
        .unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_own_title_for_the_wall() {
        assert_eq!(text(Language::English, "wall.title"), "HugOps wall");
        for language in Language::ALL {
            let title = text(language, "wall.title");
            assert!(title.contains("HugOps"), "{language:?}: {title}");
            if language != Language::English {
                assert_ne!(title, "HugOps wall", "{language:?} is not translated");
            }
        }
        assert_eq!(text(Language::German, "no.such.key"), "no.such.key");
    }
}
