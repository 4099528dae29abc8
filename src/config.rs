//! The embed's configuration, read from the `<hugops-widget>` attributes.
//!
//! Parsing is a plain function of an attribute lookup so it is tested
//! natively; a bad value never stops the widget, it falls back to the
//! default and is reported in `problems` (logged to the console for the
//! operator, who is the one who can fix it).

use crate::locale;
use hugops_core::wire::WallSlug;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChoice {
    /// The bundled demo status (no network).
    Demo,
    /// A Statuspage v2 `summary.json` URL, or the server's `/api/v1/status`.
    Url(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreChoice {
    /// In this browser only (localStorage): the zero-server demo.
    Local,
    /// A HugOps server at this base URL.
    Http(String),
    /// Nothing persisted; for tests. Only in builds with the
    /// `test-adapters` feature (never in release).
    #[cfg(feature = "test-adapters")]
    Memory,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the visitor's `prefers-color-scheme`.
    Auto,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Status panel and wall, always shown.
    Inline,
    /// Nothing while all is well; a small toast during an incident.
    Toast,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    pub status: StatusChoice,
    pub store: StoreChoice,
    pub wall: WallSlug,
    /// The operator set a valid `wall=`: that wall only, no switcher.
    /// Otherwise the wall follows the incidents (see `wall::choice`).
    pub wall_pinned: bool,
    pub theme: Theme,
    pub mode: Mode,
    pub lang: String,
    pub refresh_seconds: u32,
    /// Attribute values that were not understood, in words for the operator.
    pub problems: Vec<String>,
}

/// The attributes the element observes; a change to any remounts it.
pub const ATTRIBUTES: &[&str] = &[
    "api", "wall", "status", "store", "theme", "mode", "lang", "refresh",
];

pub const DEFAULT_REFRESH_SECONDS: u32 = 60;
/// Polling a status page faster than this helps nobody and costs its owner.
pub const MIN_REFRESH_SECONDS: u32 = 10;
/// A day. Far beyond any sensible interval, and far below what would
/// overflow the interval in milliseconds (a `u32`) or the browser's timer
/// (which treats delays over 2^31 - 1 ms as 0, and would then poll nonstop).
pub const MAX_REFRESH_SECONDS: u32 = 86_400;

impl WidgetConfig {
    /// The configuration with no page around it (English as the last resort).
    pub fn from_attributes(attr: impl Fn(&str) -> Option<String>) -> WidgetConfig {
        WidgetConfig::from_attributes_in_page(attr, &[])
    }

    /// `page_languages`: the host page's `<html lang>`, then the browser's
    /// languages, used when `lang` is absent or malformed.
    pub fn from_attributes_in_page(
        attr: impl Fn(&str) -> Option<String>,
        page_languages: &[String],
    ) -> WidgetConfig {
        let mut problems = Vec::new();
        let attr = |name: &str| {
            attr(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let api = attr("api").map(|base| base.trim_end_matches('/').to_owned());

        let status = match attr("status") {
            Some(v) if v == "demo" => StatusChoice::Demo,
            Some(url) => StatusChoice::Url(url),
            None => match &api {
                Some(base) => StatusChoice::Url(format!("{base}/api/v1/status")),
                None => StatusChoice::Demo,
            },
        };
        let store = store_choice(attr("store").as_deref(), api.as_deref(), &mut problems);
        let pinned = attr("wall").and_then(|v| match WallSlug::parse(&v) {
            Ok(wall) => Some(wall),
            Err(e) => {
                problems.push(format!("wall=\"{v}\": {e} Using \"general\"."));
                None
            }
        });
        let wall_pinned = pinned.is_some();
        let wall = pinned.unwrap_or_else(WallSlug::general);
        let theme = match attr("theme").as_deref() {
            None | Some("auto") => Theme::Auto,
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => {
                problems.push(format!(
                    "theme=\"{other}\" is not light, dark or auto; using auto."
                ));
                Theme::Auto
            }
        };
        let mode = match attr("mode").as_deref() {
            None | Some("inline") => Mode::Inline,
            Some("toast") => Mode::Toast,
            Some(other) => {
                problems.push(format!(
                    "mode=\"{other}\" is not inline or toast; using inline."
                ));
                Mode::Inline
            }
        };
        let refresh_seconds = match attr("refresh") {
            None => DEFAULT_REFRESH_SECONDS,
            Some(v) => match v.parse::<u32>() {
                Ok(s) if (MIN_REFRESH_SECONDS..=MAX_REFRESH_SECONDS).contains(&s) => s,
                _ => {
                    problems.push(format!(
                        "refresh=\"{v}\" is not a whole number of seconds from {MIN_REFRESH_SECONDS} to {MAX_REFRESH_SECONDS}; using {DEFAULT_REFRESH_SECONDS}."
                    ));
                    DEFAULT_REFRESH_SECONDS
                }
            },
        };
        let lang_attribute = attr("lang").filter(|tag| {
            let usable = locale::is_well_formed(tag);
            if !usable {
                problems.push(format!(
                    "lang=\"{tag}\" is not a language tag such as en, de-AT or pt-BR; using the page's language."
                ));
            }
            usable
        });
        let lang = locale::choose(
            lang_attribute
                .iter()
                .chain(page_languages)
                .map(String::as_str),
        );
        WidgetConfig {
            status,
            store,
            wall,
            wall_pinned,
            theme,
            mode,
            lang,
            refresh_seconds,
            problems,
        }
    }
}

/// The wall store `store=` names (`api` is the API's base URL, if any).
fn store_choice(store: Option<&str>, api: Option<&str>, problems: &mut Vec<String>) -> StoreChoice {
    match (store, api) {
        (Some("memory"), _) => memory_store(problems),
        (Some("local"), _) | (None, None) => StoreChoice::Local,
        (None | Some("http"), Some(base)) => StoreChoice::Http(base.to_owned()),
        (Some(other), _) => {
            problems.push(format!(
                "store=\"{other}\" is not one of local, memory, http (http needs api=\"…\"); using local."
            ));
            StoreChoice::Local
        }
    }
}

#[cfg(feature = "test-adapters")]
fn memory_store(_problems: &mut [String]) -> StoreChoice {
    StoreChoice::Memory
}

/// A release build has no `memory` store: a page that asks for it (a test
/// page served from a release build) keeps its wall in this browser
/// instead, and the operator is told why.
#[cfg(not(feature = "test-adapters"))]
fn memory_store(problems: &mut Vec<String>) -> StoreChoice {
    problems.push(MEMORY_STORE_NOT_BUILT.to_owned());
    StoreChoice::Local
}

#[cfg(not(feature = "test-adapters"))]
const MEMORY_STORE_NOT_BUILT: &str = "store=\"memory\" is for tests and is not in this build (built without the test-adapters feature); using local.";

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> WidgetConfig {
        WidgetConfig::from_attributes(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn no_attributes_is_the_zero_server_demo() {
        let c = config(&[]);
        assert_eq!(c.status, StatusChoice::Demo);
        assert_eq!(c.store, StoreChoice::Local);
        assert_eq!(c.wall.as_str(), "general");
        assert!(!c.wall_pinned);
        assert_eq!(c.theme, Theme::Auto);
        assert_eq!(c.mode, Mode::Inline);
        assert_eq!(c.refresh_seconds, 60);
        assert!(c.problems.is_empty());
    }

    #[test]
    fn an_api_serves_both_status_and_wall() {
        let c = config(&[("api", "https://hugops.example.com/"), ("wall", "inc-42")]);
        assert_eq!(
            c.status,
            StatusChoice::Url("https://hugops.example.com/api/v1/status".into())
        );
        assert_eq!(
            c.store,
            StoreChoice::Http("https://hugops.example.com".into())
        );
        assert_eq!(c.wall.as_str(), "inc-42");
        assert!(c.wall_pinned, "an explicit wall= pins it");
    }

    #[test]
    fn an_explicit_status_url_wins_over_the_api() {
        let c = config(&[
            ("api", "/"),
            ("status", "https://x.test/api/v2/summary.json"),
        ]);
        assert_eq!(
            c.status,
            StatusChoice::Url("https://x.test/api/v2/summary.json".into())
        );
        assert_eq!(c.store, StoreChoice::Http("".into()));
    }

    #[test]
    fn bad_values_fall_back_and_are_reported() {
        let c = config(&[
            ("wall", "Not A Slug"),
            ("theme", "purple"),
            ("mode", "popup"),
            ("refresh", "2"),
            ("store", "http"),
        ]);
        assert_eq!(c.wall.as_str(), "general");
        assert_eq!(c.theme, Theme::Auto);
        assert_eq!(c.mode, Mode::Inline);
        assert_eq!(c.refresh_seconds, 60);
        assert_eq!(c.store, StoreChoice::Local);
        assert_eq!(c.problems.len(), 5, "{:?}", c.problems);
    }

    #[test]
    fn a_malformed_lang_falls_back_to_the_page_and_is_reported() {
        let page = ["de-AT".to_owned(), "fr".to_owned()];
        let attrs =
            |lang: &'static str| move |name: &str| (name == "lang").then(|| lang.to_owned());
        let c = WidgetConfig::from_attributes_in_page(attrs("en_US"), &page);
        assert_eq!(c.lang, "de-AT");
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        let c = WidgetConfig::from_attributes_in_page(attrs("xx-invalid!"), &[]);
        assert_eq!(c.lang, "en");
        let c = WidgetConfig::from_attributes_in_page(attrs("ja"), &page);
        assert_eq!(c.lang, "ja");
        assert!(c.problems.is_empty());
        let c = WidgetConfig::from_attributes_in_page(|_| None, &page);
        assert_eq!(c.lang, "de-AT");
        assert!(c.problems.is_empty());
    }

    #[cfg(feature = "test-adapters")]
    #[test]
    fn a_build_with_test_adapters_keeps_the_wall_in_memory() {
        let c = config(&[("store", "memory"), ("api", "/")]);
        assert_eq!(c.store, StoreChoice::Memory);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    /// What a release build does: `cargo xtask test` runs the widget's
    /// logic tests once more without default features for this.
    #[cfg(not(feature = "test-adapters"))]
    #[test]
    fn a_release_build_asked_for_memory_falls_back_to_local_and_says_why() {
        let c = config(&[("store", "memory"), ("api", "/")]);
        assert_eq!(c.store, StoreChoice::Local);
        assert_eq!(c.problems, [MEMORY_STORE_NOT_BUILT]);
    }

    #[test]
    fn refresh_is_bounded_both_ways() {
        for (value, expected) in [
            ("10", 10),
            ("86400", 86_400),
            ("86401", DEFAULT_REFRESH_SECONDS),
            ("4294968", DEFAULT_REFRESH_SECONDS),
            ("99999999999", DEFAULT_REFRESH_SECONDS),
        ] {
            let c = config(&[("refresh", value)]);
            assert_eq!(c.refresh_seconds, expected, "refresh={value}");
        }
        // The largest accepted value still fits the millisecond interval.
        assert!(MAX_REFRESH_SECONDS.checked_mul(1_000).is_some());
    }
}
