//! The widget in other languages, in headless Chromium: German, Arabic
//! (right to left, six plural forms), Japanese, Portuguese from Portugal
//! (Brazilian words), and a malformed `lang` that falls back to English.
//! Plurals, numbers and relative times come from the browser's `Intl`, so
//! they are tested here rather than natively.
#![cfg(target_arch = "wasm32")]

mod common;

use common::en;
use common::wall::{fresh_wall, mount_styled, new_message, options, prefix, Styled};
use hugops_core::kindness::Lexicon;
use hugops_core::wire::WallSlug;
use hugops_widget::app::{Widget, WidgetOn};
use hugops_widget::backend::local::LocalWallStore;
use hugops_widget::backend::memory::ScriptedStatusSource;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::WallStore;
use hugops_widget::config::WidgetConfig;
use hugops_widget::i18n::Texts;
use hugops_widget::locale;
use hugops_widget::unicode::ops;
use hugops_widget::wall::Wall;
use leptos::prelude::*;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ALL_GOOD: &str = r#"{"page":{"name":"Acme"},"status":{"indicator":"none","description":"All Systems Operational"}}"#;

/// A status with an incident that started `minutes` ago.
fn outage(minutes: f64) -> String {
    let started = js_sys::Date::new(&(js_sys::Date::now() - minutes * 60_000.0).into())
        .to_iso_string()
        .as_string()
        .unwrap();
    format!(
        r#"{{"page":{{"name":"Acme"}},"status":{{"indicator":"major","description":"Partial outage"}},
           "incidents":[{{"id":"inc1","name":"Slow logins","status":"investigating","impact":"major",
                          "created_at":"{started}"}}]}}"#
    )
}

/// The texts the widget would load for `tag`: its language's table.
fn texts_for(tag: &str) -> Arc<Texts> {
    let json = match locale::table_for(tag).expect("a language with a table") {
        "en" => return Texts::english(tag),
        "de" => include_str!("../i18n/de.json"),
        "fr" => include_str!("../i18n/fr.json"),
        "es" => include_str!("../i18n/es.json"),
        "pt-BR" => include_str!("../i18n/pt-BR.json"),
        "ja" => include_str!("../i18n/ja.json"),
        "ar" => include_str!("../i18n/ar.json"),
        other => panic!("no table {other}"),
    };
    Texts::parse(tag, json)
}

fn config(pairs: &[(&str, &str)]) -> WidgetConfig {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    WidgetConfig::from_attributes(move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

/// The whole widget with `lang`, on a scripted status and `store`, pinned
/// to `wall`.
fn widget(lang: &str, status: String, store: Rc<dyn WallStore>, wall: &WallSlug) -> Styled {
    let config = config(&[("lang", lang), ("wall", wall.as_str())]);
    assert_eq!(config.lang, lang);
    let texts = texts_for(&config.lang);
    let source = Rc::new(ScriptedStatusSource::new([Ok(status)]));
    let opts = options(&prefix());
    mount_styled(move || {
        view! { <WidgetOn config=config source=source store=store options=opts texts=texts/> }
    })
}

fn root(m: &Styled) -> web_sys::Element {
    m.one(".hugops--with-wall")
}

#[wasm_bindgen_test]
async fn german_widget_speaks_german_with_german_times() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = widget("de-AT", outage(25.0), Rc::new(store), &wall);
    m.wait_for_text("Aktuelle Störungen").await;
    m.wait_for_text("Noch ist die Wand leer").await;
    let text = m.text();
    for expected in [
        "Begonnen vor 25 Minuten",
        &format!("HugOps-Wand: {}", wall.as_str()),
        "Das Team arbeitet mit Hochdruck an einer Lösung.",
        "Deine Nachricht",
        "Senden",
        "Haltet durch, Team.",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(!text.contains("Send the team"), "no English left: {text}");
    let root = root(&m);
    assert_eq!(root.get_attribute("lang").as_deref(), Some("de-AT"));
    assert_eq!(root.get_attribute("dir").as_deref(), Some("ltr"));
}

#[wasm_bindgen_test]
async fn arabic_is_right_to_left_with_its_six_plural_forms() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    // Messages with 0, 1, 2, 3 and 11 hugs, each hug from another visitor.
    for hugs in [0, 1, 2, 3, 11] {
        let message = store
            .post_now(&wall, new_message(&format!("hugs {hugs}"), None))
            .unwrap();
        for visitor in 0..hugs {
            store
                .hug(&wall, message.id, &format!("visitor-{visitor}"))
                .await
                .unwrap();
        }
    }
    let mixed = "شكرًا يا فريق — the API is back 🎉";
    store
        .post_now(&wall, new_message(mixed, Some("Ana María")))
        .unwrap();
    let m = widget("ar-EG", outage(3.0 * 60.0), Rc::new(store), &wall);
    m.wait_for("six messages", |m| m.list_count() == 6).await;

    let root = root(&m);
    assert_eq!(root.get_attribute("dir").as_deref(), Some("rtl"));
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&root)
        .unwrap()
        .unwrap();
    assert_eq!(style.get_property_value("direction").unwrap(), "rtl");

    // Hug counts, read out in the form Arabic uses for each number.
    let spoken: Vec<String> = m
        .all(".hugops-wall__list .hugops-hug .hugops-visually-hidden")
        .iter()
        .map(|e| e.text_content().unwrap_or_default().trim().to_owned())
        .collect();
    for expected in ["لا عناق", "عناق واحد", "عناقان", "٣ عناقات", "١١ عناقًا"]
    {
        assert!(
            spoken.iter().any(|s| s == expected),
            "{expected} in {spoken:?}"
        );
    }

    // A mixed-direction body keeps its own direction; the name is isolated.
    let body = m
        .all(".hugops-wall__list .hugops-message__body")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some(mixed))
        .expect("the mixed message");
    assert_eq!(body.get_attribute("dir").as_deref(), Some("auto"));
    let author = m.all(".hugops-wall__list .hugops-message__author");
    assert!(author.iter().all(|a| a.tag_name() == "BDI"));

    // Words and times in Arabic.
    let text = m.text();
    for expected in [
        "الأعطال الجارية",
        "بدأ قبل ٣ ساعات",
        "يعمل الفريق جاهدًا",
        "الآن",
        "إرسال",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
}

#[wasm_bindgen_test]
async fn japanese_uses_its_table_and_polite_words() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = widget("ja", ALL_GOOD.to_owned(), Rc::new(store), &wall);
    m.wait_for_text("最初の応援メッセージを送りましょう。")
        .await;
    let text = m.text();
    for expected in [
        "HugOps ウォール",
        "チームに温かいひと言を送りましょう。",
        "送信",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(
        !text.contains("全力で対応"),
        "no incident, no 'working hard': {text}"
    );
}

#[wasm_bindgen_test]
async fn portuguese_from_portugal_reads_the_brazilian_table() {
    assert_eq!(locale::table_for("pt-PT"), Some("pt-BR"));
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = widget("pt-PT", ALL_GOOD.to_owned(), Rc::new(store), &wall);
    m.wait_for_text("Seja a primeira pessoa").await;
    assert!(m.text().contains("Mural HugOps"), "{}", m.text());
    assert_eq!(root(&m).get_attribute("lang").as_deref(), Some("pt-PT"));
}

#[wasm_bindgen_test]
async fn a_malformed_lang_falls_back_to_english_without_an_exception() {
    let wall = fresh_wall();
    let config = config(&[
        ("lang", "xx-invalid!"),
        ("store", "memory"),
        ("status", "demo"),
        ("wall", wall.as_str()),
    ]);
    assert_eq!(config.lang, "en");
    assert_eq!(config.problems.len(), 1, "{:?}", config.problems);
    // The real entry point, which loads the language's table.
    let m = mount_styled(move || view! { <Widget config=config/> });
    m.wait_for_text(&en("wall.empty")).await;
    let root = root(&m);
    assert_eq!(root.get_attribute("dir").as_deref(), Some("ltr"));
    assert!(m.text().contains(&en("composer.body")));
}

#[wasm_bindgen_test]
fn plural_categories_and_numbers_come_from_intl() {
    // Egypt writes Arabic-Indic digits; the numbers are Intl's, per region.
    let ar = texts_for("ar-EG");
    let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
        .into_iter()
        .map(|n| ar.count("wall.new_messages", n, &[]))
        .collect();
    assert_eq!(
        forms,
        [
            "لا رسائل جديدة",
            "رسالة جديدة واحدة",
            "رسالتان جديدتان",
            "٣ رسائل جديدة",
            "١١ رسالة جديدة",
            "١٠٠ رسالة جديدة",
        ]
    );
    let plain_ar = texts_for("ar");
    assert_eq!(
        plain_ar.count("wall.new_messages", 3, &[]),
        format!("{} رسائل جديدة", plain_ar.number(3))
    );
    let de = texts_for("de");
    assert_eq!(de.count("wall.new_messages", 1, &[]), "1 neue Nachricht");
    assert_eq!(
        de.count("wall.new_messages", 1_000, &[]),
        "1.000 neue Nachrichten"
    );
    let ja = texts_for("ja");
    assert_eq!(ja.count("wall.new_messages", 1, &[]), "新着メッセージ 1 件");
}

#[wasm_bindgen_test]
async fn the_wall_says_only_what_is_true() {
    // No server: the local store's wall lives in this browser, so nothing
    // is "Live", and without an incident nobody is "working hard to fix".
    let wall = fresh_wall();
    let store = Rc::new(LocalWallStore::with_prefix(&prefix()));
    let opts = options(&prefix());
    let m = mount_styled(move || view! { <Wall store=store wall=wall options=opts/> });
    m.wait_for_text(&en("wall.local")).await;
    let dot = m.one(".hugops-wall__live-dot");
    let shown = web_sys::window()
        .unwrap()
        .get_computed_style(&dot)
        .unwrap()
        .unwrap()
        .get_property_value("display")
        .unwrap();
    assert_eq!(shown, "none", "no live dot");
    assert_eq!(
        m.one(".hugops-wall__live")
            .get_attribute("data-live")
            .as_deref(),
        Some("false")
    );
    let text = m.text();
    assert!(!text.contains("Live"), "{text}");
    assert!(text.contains(&en("wall.intro")), "{text}");
    assert!(!text.contains("working hard"), "{text}");

    // A server's stream is live; and two walls name themselves apart.
    let store = MemoryWallStore::new();
    let (a, b) = (fresh_wall(), fresh_wall());
    let (sa, sb) = (Rc::new(store.clone()), Rc::new(store));
    let (oa, ob) = (options(&prefix()), options(&prefix()));
    let m = mount_styled(move || {
        view! {
            <Wall store=sa wall=a options=oa/>
            <Wall store=sb wall=b options=ob/>
        }
    });
    m.wait_for("both walls live", |m| {
        m.all(".hugops-wall__live[data-live=\"true\"]").len() == 2
    })
    .await;
    let headings: Vec<String> = m
        .all(".hugops-wall__header h2")
        .iter()
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    assert_eq!(headings.len(), 2);
    assert_ne!(headings[0], headings[1], "each heading names its wall");
    assert!(
        headings.iter().all(|h| h.starts_with("HugOps wall: ")),
        "{headings:?}"
    );
}

#[wasm_bindgen_test]
async fn the_composer_checks_kindness_with_the_languages_word_list() {
    // A word list as a language's `kindness/<tag>.txt` would bring it.
    let lexicon = Lexicon::parse_with(
        ops(),
        "[insult]\ntrottel\n[nudge]\ninsult = Beschimpfungen treffen echte Menschen.\nsuggestion = Danke fürs Reparieren. #HugOps\n",
    )
    .unwrap();
    let texts = texts_for("de").with_lexicon(lexicon);
    let store = Rc::new(MemoryWallStore::new());
    let wall = fresh_wall();
    let opts = options(&prefix());
    let m = mount_styled(move || {
        provide_context(texts);
        view! { <Wall store=store wall=wall options=opts/> }
    });
    m.type_message("Ihr Trottel");
    m.wait_for_text("Beschimpfungen treffen echte Menschen.")
        .await;
    assert!(m.text().contains("Danke fürs Reparieren."), "{}", m.text());
    // English's list does not know the word: the nudge came from the file.
    assert!(hugops_core::kindness::check("Ihr Trottel").is_none());
}

#[wasm_bindgen_test]
fn absolute_times_read_as_the_browser_writes_them() {
    let at = hugops_core::time::Timestamp::parse_rfc3339("2024-05-01T13:35:00Z").unwrap();
    for tag in ["en", "de", "ja", "ar-EG", "pt-BR"] {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into()).unwrap();
        js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into()).unwrap();
        let browser: String = js_sys::Date::new(&(at.millis() as f64).into())
            .to_locale_string(tag, &options)
            .into();
        assert_eq!(
            hugops_widget::time_format::absolute(at, tag),
            browser,
            "{tag}"
        );
    }
}

/// Making an `Intl` formatter loads its language's data, slow enough to
/// hold up the banner when every time on the panel made its own.
#[wasm_bindgen_test]
fn each_formatter_is_made_once_per_language() {
    js_sys::Function::new_no_args(
        "const Made = Intl.DateTimeFormat;
         globalThis.__hugopsMade = 0;
         globalThis.__hugopsRestore = () => { Intl.DateTimeFormat = Made; };
         Intl.DateTimeFormat = function (...args) { globalThis.__hugopsMade++; return new Made(...args); };",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap();
    let at = hugops_core::time::Timestamp::parse_rfc3339("2024-05-01T13:35:00Z").unwrap();
    // Italian: a tag no other test formats in, so nothing was kept before.
    let first = hugops_widget::time_format::absolute(at, "it");
    for _ in 0..20 {
        assert_eq!(hugops_widget::time_format::absolute(at, "it"), first);
    }
    let made = js_sys::Reflect::get(&js_sys::global(), &"__hugopsMade".into()).unwrap();
    js_sys::Function::new_no_args("globalThis.__hugopsRestore()")
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
    assert_eq!(made.as_f64(), Some(1.0));
}
