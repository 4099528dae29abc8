//! One word and one shape per status, for every surface that shows a
//! status: the widget's banner and component rows, the SVG badge, the
//! iframe page. They used to disagree: the banner said "Partial System
//! Outage" (the page's own description) beside "Major outage" (our label)
//! for one status, and the badge drew a diamond where the widget drew a
//! square. Now each status has one [`Look`] and one word per language, here.
//!
//! # Words
//!
//! The words follow Statuspage's own meaning of its values, so that our
//! word and an upstream's description agree: indicator `major` is a
//! *partial* system outage and `critical` a *major* one (see
//! `derive.rs`). Each language is written as real status pages in it
//! write (German "Teilweiser Systemausfall", Japanese "部分的な障害").
//!
//! # Looks
//!
//! Statuses are ranked on one scale, [`Level`], shared by the page's
//! indicator and a component's status: indicator `minor` looks like
//! degraded performance, `major` like a partial outage, `critical` like a
//! major outage. Each level has a shape (drawn by the widget's CSS and the
//! badge's SVG alike), a mark inside it and a tone (the colour's meaning),
//! so that the status is never told by colour alone (WCAG 1.4.1), and no
//! two levels share both shape and mark.

use super::{ComponentStatus, Indicator};
use crate::language::Language;

/// Where a status stands, best to worst apart from maintenance and
/// unknown, which are neither fine nor broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Operational,
    Maintenance,
    Unknown,
    Degraded,
    PartialOutage,
    MajorOutage,
}

/// The outline of a status icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Circle,
    Square,
    /// A square standing on a corner.
    Diamond,
}

/// The mark drawn inside the shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    Check,
    Info,
    Question,
    /// A wave: working, but not well.
    Wave,
    Exclamation,
    Cross,
}

impl Shape {
    /// The shape's name, for class names and attributes: `circle`,
    /// `square`, `diamond`.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Diamond => "diamond",
        }
    }
}

impl Mark {
    /// The mark's name, for class names and attributes: `check`, `info`,
    /// `question`, `wave`, `exclamation`, `cross`.
    pub fn name(self) -> &'static str {
        match self {
            Mark::Check => "check",
            Mark::Info => "info",
            Mark::Question => "question",
            Mark::Wave => "wave",
            Mark::Exclamation => "exclamation",
            Mark::Cross => "cross",
        }
    }

    /// The mark as one text character, for surfaces that draw it as text.
    pub fn glyph(self) -> &'static str {
        match self {
            Mark::Check => "✓",
            Mark::Info => "i",
            Mark::Question => "?",
            Mark::Wave => "~",
            Mark::Exclamation => "!",
            Mark::Cross => "✕",
        }
    }
}

/// What a status's colour means; each surface picks its own colour for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    Ok,
    Maintenance,
    Unknown,
    Warning,
    Bad,
}

/// How a status looks, everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Look {
    pub shape: Shape,
    pub mark: Mark,
    pub tone: Tone,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Operational,
        Level::Maintenance,
        Level::Unknown,
        Level::Degraded,
        Level::PartialOutage,
        Level::MajorOutage,
    ];

    pub fn look(self) -> Look {
        let (shape, mark, tone) = match self {
            Level::Operational => (Shape::Circle, Mark::Check, Tone::Ok),
            Level::Maintenance => (Shape::Square, Mark::Info, Tone::Maintenance),
            Level::Unknown => (Shape::Circle, Mark::Question, Tone::Unknown),
            Level::Degraded => (Shape::Diamond, Mark::Wave, Tone::Warning),
            Level::PartialOutage => (Shape::Diamond, Mark::Exclamation, Tone::Warning),
            Level::MajorOutage => (Shape::Square, Mark::Cross, Tone::Bad),
        };
        Look { shape, mark, tone }
    }
}

impl Indicator {
    /// Where the page's indicator stands on the scale components share.
    pub fn level(&self) -> Level {
        match self {
            Indicator::None => Level::Operational,
            Indicator::Maintenance => Level::Maintenance,
            Indicator::Unknown(_) => Level::Unknown,
            Indicator::Minor => Level::Degraded,
            Indicator::Major => Level::PartialOutage,
            Indicator::Critical => Level::MajorOutage,
        }
    }

    pub fn look(&self) -> Look {
        self.level().look()
    }

    /// The page's status in `language`'s words.
    pub fn word(&self, language: Language) -> &'static str {
        words(language).indicator[level_index(self.level())]
    }

    /// The word in English, e.g. for logs and tests.
    pub fn label(&self) -> &'static str {
        self.word(Language::English)
    }
}

impl ComponentStatus {
    /// Where the component stands.
    pub fn level(&self) -> Level {
        match self {
            ComponentStatus::Operational => Level::Operational,
            ComponentStatus::UnderMaintenance => Level::Maintenance,
            ComponentStatus::Unknown(_) => Level::Unknown,
            ComponentStatus::DegradedPerformance => Level::Degraded,
            ComponentStatus::PartialOutage => Level::PartialOutage,
            ComponentStatus::MajorOutage => Level::MajorOutage,
        }
    }

    pub fn look(&self) -> Look {
        self.level().look()
    }

    /// The component's status in `language`'s words.
    pub fn word(&self, language: Language) -> &'static str {
        words(language).component[level_index(self.level())]
    }

    /// The word in English, e.g. for logs and tests.
    pub fn label(&self) -> &'static str {
        self.word(Language::English)
    }
}

/// The word that captions a status ("status" on the badge), in `language`.
pub fn status_caption(language: Language) -> &'static str {
    words(language).caption
}

/// Whether `description` merely names a status, as an upstream's
/// `status.description` does ("Partial System Outage"), in any language we
/// speak or in Statuspage's own phrases. Such a description is not shown
/// beside our word for the status: that would be two words for one status,
/// and only ours is in the visitor's language. A description that says
/// more ("Slow logins", set by the team) is shown.
pub fn is_status_phrase(description: &str) -> bool {
    let wanted = simplify(description);
    if wanted.is_empty() {
        return true;
    }
    STATUSPAGE_PHRASES.iter().any(|p| simplify(p) == wanted)
        || Language::ALL.iter().any(|language| {
            let words = words(*language);
            words
                .indicator
                .iter()
                .chain(words.component.iter())
                .any(|w| simplify(w) == wanted)
        })
}

/// Lower case, one space between words, no surrounding punctuation.
fn simplify(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_lowercase()
}

/// What Statuspage and its look-alikes write in `status.description`.
const STATUSPAGE_PHRASES: &[&str] = &[
    "All Systems Operational",
    "Partially Degraded Service",
    "Degraded System Service",
    "Minor Service Outage",
    "Partial System Outage",
    "Major Service Outage",
    "Major System Outage",
    "Service Under Maintenance",
    "Some components report an unknown status",
];

fn level_index(level: Level) -> usize {
    match level {
        Level::Operational => 0,
        Level::Maintenance => 1,
        Level::Unknown => 2,
        Level::Degraded => 3,
        Level::PartialOutage => 4,
        Level::MajorOutage => 5,
    }
}

/// One language's words, by [`Level`] in [`Level::ALL`]'s order.
struct Words {
    caption: &'static str,
    /// The page as a whole.
    indicator: [&'static str; 6],
    /// One component.
    component: [&'static str; 6],
}

fn words(language: Language) -> &'static Words {
    match language {
        Language::English => &ENGLISH,
        Language::German => &GERMAN,
        Language::French => &FRENCH,
        Language::Spanish => &SPANISH,
        Language::PortugueseBrazil => &PORTUGUESE_BRAZIL,
        Language::Japanese => &JAPANESE,
        Language::Arabic => &ARABIC,
    }
}

//                          operational, maintenance, unknown, degraded, partial outage, major outage
const ENGLISH: Words = Words {
    caption: "status",
    indicator: [
        "All systems operational",
        "Service under maintenance",
        "Status unknown",
        "Minor service outage",
        "Partial system outage",
        "Major system outage",
    ],
    component: [
        "Operational",
        "Under maintenance",
        "Status unknown",
        "Degraded performance",
        "Partial outage",
        "Major outage",
    ],
};

const GERMAN: Words = Words {
    caption: "Status",
    indicator: [
        "Alle Systeme betriebsbereit",
        "Wartungsarbeiten",
        "Status unbekannt",
        "Geringfügige Störung",
        "Teilweiser Systemausfall",
        "Schwerer Systemausfall",
    ],
    component: [
        "Betriebsbereit",
        "Wartungsarbeiten",
        "Status unbekannt",
        "Eingeschränkte Leistung",
        "Teilausfall",
        "Schwerer Ausfall",
    ],
};

const FRENCH: Words = Words {
    caption: "état",
    indicator: [
        "Tous les systèmes sont opérationnels",
        "Maintenance en cours",
        "État inconnu",
        "Perturbation mineure du service",
        "Panne partielle du système",
        "Panne majeure du système",
    ],
    component: [
        "Opérationnel",
        "En maintenance",
        "État inconnu",
        "Performances dégradées",
        "Panne partielle",
        "Panne majeure",
    ],
};

const SPANISH: Words = Words {
    caption: "estado",
    indicator: [
        "Todos los sistemas funcionan con normalidad",
        "Servicio en mantenimiento",
        "Estado desconocido",
        "Interrupción leve del servicio",
        "Interrupción parcial del sistema",
        "Interrupción grave del sistema",
    ],
    component: [
        "Operativo",
        "En mantenimiento",
        "Estado desconocido",
        "Rendimiento degradado",
        "Interrupción parcial",
        "Interrupción grave",
    ],
};

const PORTUGUESE_BRAZIL: Words = Words {
    caption: "status",
    indicator: [
        "Todos os sistemas operacionais",
        "Serviço em manutenção",
        "Status desconhecido",
        "Interrupção leve do serviço",
        "Interrupção parcial do sistema",
        "Interrupção grave do sistema",
    ],
    component: [
        "Operacional",
        "Em manutenção",
        "Status desconhecido",
        "Desempenho degradado",
        "Interrupção parcial",
        "Interrupção grave",
    ],
};

const JAPANESE: Words = Words {
    caption: "ステータス",
    indicator: [
        "すべてのシステムが正常に稼働中",
        "メンテナンス中",
        "ステータス不明",
        "軽微なサービス障害",
        "一部のシステムで障害が発生中",
        "大規模なシステム障害が発生中",
    ],
    component: [
        "正常稼働",
        "メンテナンス中",
        "ステータス不明",
        "パフォーマンス低下",
        "部分的な障害",
        "大規模な障害",
    ],
};

const ARABIC: Words = Words {
    caption: "الحالة",
    indicator: [
        "جميع الأنظمة تعمل بشكل طبيعي",
        "الخدمة قيد الصيانة",
        "الحالة غير معروفة",
        "انقطاع طفيف في الخدمة",
        "انقطاع جزئي في النظام",
        "انقطاع كبير في النظام",
    ],
    component: [
        "يعمل بشكل طبيعي",
        "قيد الصيانة",
        "الحالة غير معروفة",
        "تراجع في الأداء",
        "انقطاع جزئي",
        "انقطاع كبير",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_per_status_per_language() {
        for language in Language::ALL {
            let words = words(language);
            for list in [words.indicator, words.component] {
                for (i, word) in list.iter().enumerate() {
                    assert!(!word.trim().is_empty(), "{language:?}");
                    // No two statuses share a word, or the word says nothing.
                    // (Maintenance and unknown read the same for a page and a
                    // component; that is one status, one word.)
                    assert!(!list[i + 1..].contains(word), "{language:?}: {word} twice");
                }
            }
            assert!(!words.caption.is_empty());
            if language != Language::English {
                assert_ne!(words.indicator, ENGLISH.indicator, "{language:?}");
            }
        }
    }

    #[test]
    fn the_words_agree_with_what_upstreams_write() {
        // Statuspage's "major" is a partial system outage: our word for it
        // must not say "major outage" beside it.
        assert_eq!(Indicator::Major.label(), "Partial system outage");
        assert_eq!(Indicator::Critical.label(), "Major system outage");
        assert_eq!(Indicator::Minor.label(), "Minor service outage");
        assert_eq!(
            Indicator::Major.word(Language::German),
            "Teilweiser Systemausfall"
        );
        assert_eq!(
            ComponentStatus::MajorOutage.word(Language::Japanese),
            "大規模な障害"
        );
        assert_eq!(
            Indicator::None.word(Language::from_tag("ar-EG")),
            "جميع الأنظمة تعمل بشكل طبيعي"
        );
    }

    #[test]
    fn an_indicator_looks_like_the_components_that_cause_it() {
        assert_eq!(
            Indicator::Minor.look(),
            ComponentStatus::DegradedPerformance.look()
        );
        assert_eq!(
            Indicator::Major.look(),
            ComponentStatus::PartialOutage.look()
        );
        assert_eq!(
            Indicator::Critical.look(),
            ComponentStatus::MajorOutage.look()
        );
        assert_eq!(Indicator::None.look(), ComponentStatus::Operational.look());
        assert_eq!(
            Indicator::Maintenance.look(),
            ComponentStatus::UnderMaintenance.look()
        );
        assert_eq!(
            Indicator::Unknown("x".into()).look(),
            ComponentStatus::Unknown("y".into()).look()
        );
    }

    #[test]
    fn no_two_levels_look_alike_without_colour() {
        for (i, a) in Level::ALL.iter().enumerate() {
            for b in &Level::ALL[i + 1..] {
                let (a, b) = (a.look(), b.look());
                assert!((a.shape, a.mark) != (b.shape, b.mark), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn status_phrases_are_recognised_in_any_language_and_case() {
        assert!(is_status_phrase("Partial System Outage"));
        assert!(is_status_phrase("  all systems  operational. "));
        assert!(is_status_phrase("Teilweiser Systemausfall"));
        assert!(is_status_phrase("انقطاع جزئي في النظام"));
        assert!(is_status_phrase(""));
        assert!(!is_status_phrase("Slow logins"));
        assert!(!is_status_phrase("Partial outage of the EU database"));
    }
}
