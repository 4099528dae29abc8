//! The browser's `Intl` for what depends on the language beyond a table:
//! plural categories (CLDR rules, e.g. Arabic's six), numbers, relative
//! and absolute times. Natively (unit tests) there is no `Intl`, so English
//! rules stand in; the browser tests check the real thing. Tags reaching
//! here were checked by `locale::is_well_formed`, which is what `Intl`
//! accepts.
//!
//! Each formatter is made once per language and kept (`formatter`): making
//! one loads the language's locale data, and `Date.toLocaleString` and
//! `Number.toLocaleString` make a new one on every call. Before this, the
//! status panel's first render spent about 39 ms of a profiled cold load
//! in `toLocaleString` alone, before the banner could paint.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::{JsCast, JsValue};

/// The CLDR plural category of `n` in `tag`: "zero", "one", "two", "few",
/// "many" or "other".
pub fn plural_category(tag: &str, n: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let rules: js_sys::Intl::PluralRules = formatter(Kind::Plural, tag).unchecked_into();
        rules.select(n as f64).into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = tag;
        if n == 1 { "one" } else { "other" }.to_owned()
    }
}

/// `n` written the way `tag` writes numbers (Arabic digits in Arabic).
pub fn number(tag: &str, n: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        format_value(Kind::Number, tag, n as f64).unwrap_or_else(|| n.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = tag;
        n.to_string()
    }
}

/// `amount` `unit`s ago ("minute", "hour", "day"), e.g. "vor 5 Minuten".
pub fn ago(tag: &str, amount: u64, unit: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let format: js_sys::Intl::RelativeTimeFormat =
            formatter(Kind::Relative, tag).unchecked_into();
        format.format(-(amount as f64), unit).into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = tag;
        let plural = if amount == 1 { "" } else { "s" };
        format!("{amount} {unit}{plural} ago")
    }
}

/// The date and time at `millis` (since the epoch) in `tag`'s medium date
/// and short time, in the visitor's time zone ("May 1, 2024, 1:35 PM");
/// `None` for a time `Intl` cannot show.
pub fn date_time(tag: &str, millis: i64) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        format_value(Kind::DateTime, tag, millis as f64).filter(|text| !text.is_empty())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (tag, millis);
        None
    }
}

#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plural,
    Number,
    Relative,
    DateTime,
}

/// How many formatters are kept: a page shows a few languages at most; a
/// host that keeps changing `lang` only makes the oldest be made again.
#[cfg(target_arch = "wasm32")]
const KEPT: usize = 16;

#[cfg(target_arch = "wasm32")]
thread_local! {
    static FORMATTERS: std::cell::RefCell<Vec<(Kind, String, JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// `value` through the `kind` formatter's `format`, the bound function
/// `Intl.NumberFormat` and `Intl.DateTimeFormat` both have; `None` where
/// it throws (an invalid date).
#[cfg(target_arch = "wasm32")]
fn format_value(kind: Kind, tag: &str, value: f64) -> Option<String> {
    let format: js_sys::Function = js_sys::Reflect::get(&formatter(kind, tag), &"format".into())
        .ok()?
        .dyn_into()
        .ok()?;
    format
        .call1(&JsValue::NULL, &value.into())
        .ok()?
        .as_string()
}

/// The `kind` formatter for `tag`, made on first use.
#[cfg(target_arch = "wasm32")]
fn formatter(kind: Kind, tag: &str) -> JsValue {
    let kept = FORMATTERS.with_borrow(|all| {
        all.iter()
            .find(|(k, t, _)| *k == kind && t == tag)
            .map(|(_, _, f)| f.clone())
    });
    if let Some(formatter) = kept {
        return formatter;
    }
    let locales = js_sys::Array::of1(&tag.into());
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    let made: JsValue = match kind {
        Kind::Plural => js_sys::Intl::PluralRules::new(&locales, &options).into(),
        Kind::Number => js_sys::Intl::NumberFormat::new(&locales, &options).into(),
        Kind::Relative => {
            set("numeric", "always");
            js_sys::Intl::RelativeTimeFormat::new(&locales, &options).into()
        }
        Kind::DateTime => {
            set("dateStyle", "medium");
            set("timeStyle", "short");
            js_sys::Intl::DateTimeFormat::new(&locales, &options).into()
        }
    };
    FORMATTERS.with_borrow_mut(|all| {
        if all.len() == KEPT {
            all.remove(0);
        }
        all.push((kind, tag.to_owned(), made.clone()));
    });
    made
}
