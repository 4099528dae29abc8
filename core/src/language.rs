//! The languages HugOps speaks, and which one serves a language tag.
//!
//! One rule for the whole product, so that the badge, the iframe page, the
//! kindness check and the status words agree on what `de-AT` or `pt-PT`
//! means: the tag's primary language subtag decides, compared without
//! regard to case; a region or script never hides a language we have
//! (`de-AT` → German, `pt-PT` → Portuguese (Brazil), our only Portuguese);
//! anything else, including a malformed tag (`en_US`, `xx-invalid!`), is
//! English. Nothing here fails.

/// A language with its own words in HugOps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    English,
    German,
    French,
    Spanish,
    /// Portuguese as written in Brazil; every `pt` tag is served by it.
    PortugueseBrazil,
    Japanese,
    Arabic,
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Language; 7] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::PortugueseBrazil,
        Language::Japanese,
        Language::Arabic,
    ];

    /// The language that serves `tag`, or `None` when none does (or the tag
    /// is malformed): for a caller with more candidates to try, such as a
    /// browser's list of languages.
    pub fn supporting(tag: &str) -> Option<Language> {
        let tag = tag.trim();
        let primary = tag.split('-').next().unwrap_or("");
        let well_formed = matches!(primary.len(), 2..=3)
            && primary.bytes().all(|b| b.is_ascii_alphabetic())
            && tag.split('-').all(|s| {
                !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !well_formed {
            return None;
        }
        Some(match primary.to_ascii_lowercase().as_str() {
            "en" => Language::English,
            "de" => Language::German,
            "fr" => Language::French,
            "es" => Language::Spanish,
            "pt" => Language::PortugueseBrazil,
            "ja" => Language::Japanese,
            "ar" => Language::Arabic,
            _ => return None,
        })
    }

    /// The language that serves `tag`; English when none does.
    pub fn from_tag(tag: &str) -> Language {
        Language::supporting(tag).unwrap_or_default()
    }

    /// The first of `tags` (in order of preference) that a language serves,
    /// else English. Reads an `Accept-Language` header's entries too: a
    /// `;q=` weight after a tag is ignored, the order is kept.
    pub fn first_supported<'a>(tags: impl IntoIterator<Item = &'a str>) -> Language {
        tags.into_iter()
            .find_map(|tag| Language::supporting(tag.split(';').next().unwrap_or("")))
            .unwrap_or_default()
    }

    /// The BCP 47 tag to write in `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::PortugueseBrazil => "pt-BR",
            Language::Japanese => "ja",
            Language::Arabic => "ar",
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        self == Language::Arabic
    }

    /// The value for an HTML `dir` attribute: `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_subtag_decides() {
        assert_eq!(Language::from_tag("de-AT"), Language::German);
        assert_eq!(Language::from_tag("DE"), Language::German);
        assert_eq!(Language::from_tag("fr-CA"), Language::French);
        assert_eq!(Language::from_tag("es-419"), Language::Spanish);
        assert_eq!(Language::from_tag("pt-PT"), Language::PortugueseBrazil);
        assert_eq!(Language::from_tag("pt"), Language::PortugueseBrazil);
        assert_eq!(Language::from_tag("ar-EG"), Language::Arabic);
        assert_eq!(Language::from_tag("ja-JP"), Language::Japanese);
        assert_eq!(Language::from_tag("zh-Hant-TW"), Language::English);
    }

    #[test]
    fn malformed_tags_fall_back_to_english() {
        for tag in [
            "en_US",
            "de_DE",
            "xx-invalid!",
            "",
            "-",
            "de--AT",
            "d",
            "deutsch",
            "de-ATATATATAT",
        ] {
            assert_eq!(Language::supporting(tag), None, "{tag:?}");
            assert_eq!(Language::from_tag(tag), Language::English, "{tag:?}");
        }
    }

    #[test]
    fn a_list_gives_its_first_supported_language() {
        assert_eq!(
            Language::first_supported("it-IT, fr;q=0.8, de;q=0.5".split(',')),
            Language::French
        );
        assert_eq!(
            Language::first_supported(["xx", "en_US"]),
            Language::English
        );
    }

    #[test]
    fn tags_and_directions() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), language);
        }
        assert_eq!(Language::Arabic.dir(), "rtl");
        assert_eq!(Language::German.dir(), "ltr");
    }
}
