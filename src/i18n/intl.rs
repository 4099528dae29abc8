//! The browser's `Intl` for what depends on the language beyond a table:
//! plural categories (CLDR rules, e.g. Arabic's six), numbers and relative
//! times. Natively (unit tests) there is no `Intl`, so English rules stand
//! in; the browser tests check the real thing. Tags reaching here were
//! checked by `locale::is_well_formed`, which is what `Intl` accepts.

#[cfg(target_arch = "wasm32")]
fn locales(tag: &str) -> js_sys::Array {
    js_sys::Array::of1(&tag.into())
}

/// The CLDR plural category of `n` in `tag`: "zero", "one", "two", "few",
/// "many" or "other".
pub fn plural_category(tag: &str, n: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let rules = js_sys::Intl::PluralRules::new(&locales(tag), &js_sys::Object::new());
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
        js_sys::Number::from(n as f64).to_locale_string(tag).into()
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
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"numeric".into(), &"always".into());
        js_sys::Intl::RelativeTimeFormat::new(&locales(tag), &options)
            .format(-(amount as f64), unit)
            .into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = tag;
        let plural = if amount == 1 { "" } else { "s" };
        format!("{amount} {unit}{plural} ago")
    }
}
