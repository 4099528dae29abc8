//! Which language the widget speaks, and the tag it formats times in.
//!
//! The operator's `lang` attribute wins, then the host page's `<html lang>`,
//! then the visitor's browser languages, then English; a candidate in a
//! language the widget has no table for is passed over like a malformed one
//! (a page in Italian whose visitor's browser asks for German gets German,
//! not English words with Italian dates). A tag the browser's
//! `Intl` would reject (`en_US`, `xx-invalid!`) must never reach it: `Intl`
//! throws on such a tag, and an exception in the middle of rendering took the
//! banner, the incidents and the whole wall off the page. So every candidate
//! is checked here first and a malformed one is skipped, with a warning for
//! the operator when it was theirs.

use hugops_core::language::Language;

/// The language used when nothing else is usable.
pub const FALLBACK: &str = "en";

/// The first well-formed tag among `candidates` (in order of preference)
/// whose language has a table, else [`FALLBACK`].
pub fn choose<'a>(candidates: impl IntoIterator<Item = &'a str>) -> String {
    candidates
        .into_iter()
        .map(str::trim)
        .find(|tag| is_well_formed(tag) && table_for(tag).is_some())
        .unwrap_or(FALLBACK)
        .to_owned()
}

/// The table (`i18n/<tag>.json`) a `tag` is spoken from: its language's,
/// whatever the region (`de-AT` → `de`, `ar-EG` → `ar`), by core's one
/// rule (`hugops_core::language`). Portuguese has one table, Brazilian,
/// for every region: `pt-PT` reads `pt-BR` words (the differences in a UI
/// this small are few and mutually understood), while dates and numbers
/// still follow `pt-PT`.
pub fn table_for(tag: &str) -> Option<&'static str> {
    Language::supporting(tag).map(Language::tag)
}

/// The writing direction of `tag`'s table: "rtl" for Arabic, else "ltr".
pub fn direction(tag: &str) -> &'static str {
    Language::from_tag(tag).dir()
}

/// Whether `tag` is a language tag `Intl` accepts: BCP 47's
/// `language[-script][-region](-variant)*`, which covers every tag a page
/// or a browser sends in practice. Extensions and private-use subtags
/// (`-u-…`, `-x-…`) are refused rather than half-checked; such a tag falls
/// back to the next candidate.
pub fn is_well_formed(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let Some(language) = subtags.next() else {
        return false;
    };
    let language_ok = matches!(language.len(), 2..=3 | 5..=8) && is_alpha(language);
    if !language_ok {
        return false;
    }
    // What may still come, in order: script, region, variants.
    let mut stage = 0;
    let mut variants: Vec<String> = Vec::new();
    for subtag in subtags {
        let len = subtag.len();
        if stage < 1 && len == 4 && is_alpha(subtag) {
            stage = 1;
        } else if stage < 2
            && ((len == 2 && is_alpha(subtag))
                || (len == 3 && subtag.bytes().all(|b| b.is_ascii_digit())))
        {
            stage = 2;
        } else if is_variant(subtag) {
            stage = 3;
            // `Intl` refuses a tag that repeats a variant.
            let variant = subtag.to_ascii_lowercase();
            if variants.contains(&variant) {
                return false;
            }
            variants.push(variant);
        } else {
            return false;
        }
    }
    true
}

fn is_alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn is_variant(s: &str) -> bool {
    let alnum = s.bytes().all(|b| b.is_ascii_alphanumeric());
    let starts_with_digit = s.bytes().next().is_some_and(|b| b.is_ascii_digit());
    alnum && (matches!(s.len(), 5..=8) || (s.len() == 4 && starts_with_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_that_pages_and_browsers_send_are_accepted() {
        for tag in [
            "en",
            "de",
            "ar",
            "ja",
            "pt-BR",
            "pt-PT",
            "de-AT",
            "en-US",
            "es-419",
            "zh-Hant-TW",
            "sr-Latn",
            "de-CH-1996",
            "EN-us",
        ] {
            assert!(is_well_formed(tag), "{tag}");
        }
    }

    #[test]
    fn tags_intl_would_throw_on_are_refused() {
        for tag in [
            "",
            "en_US",
            "xx-invalid!",
            "e",
            "en-",
            "-en",
            "en--US",
            "en-US-US",
            "de-1996-1996",
            "en US",
            "en-u-ca-gregory",
            "x-private",
            "12",
        ] {
            assert!(!is_well_formed(tag), "{tag:?}");
        }
    }

    #[test]
    fn the_first_usable_candidate_wins_and_english_is_the_last_resort() {
        assert_eq!(choose(["de-AT", "fr"]), "de-AT");
        assert_eq!(choose(["en_US", "fr-CA", "de"]), "fr-CA");
        assert_eq!(choose([" ja "]), "ja");
        assert_eq!(choose(["xx-invalid!", ""]), "en");
        assert_eq!(choose([]), "en");
    }

    #[test]
    fn a_language_without_a_table_is_passed_over() {
        assert_eq!(choose(["it", "de-AT"]), "de-AT");
        assert_eq!(choose(["it", "zh-Hant-TW"]), "en");
    }

    #[test]
    fn regions_fall_back_to_their_languages_table() {
        assert_eq!(table_for("de-AT"), Some("de"));
        assert_eq!(table_for("ar-EG"), Some("ar"));
        assert_eq!(table_for("pt-PT"), Some("pt-BR"));
        assert_eq!(table_for("pt"), Some("pt-BR"));
        assert_eq!(table_for("PT-br"), Some("pt-BR"));
        assert_eq!(table_for("JA"), Some("ja"));
        assert_eq!(table_for("en-US"), Some("en"));
        assert_eq!(table_for("it"), None);
    }
}
