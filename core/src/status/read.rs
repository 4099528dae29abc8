//! Reading one field of a JSON value leniently.
//!
//! Real status servers send `null` for arrays, numbers as strings, a lone
//! string where a list belongs, and timestamps in any offset. Each helper
//! here takes whatever arrived (or nothing) and returns the closest useful
//! reading, or nothing — never an error, never a panic.

use crate::time::Timestamp;
use serde_json::Value;

/// Text that identifies or names something: a string (trimmed) or a number;
/// `None` when blank or of another kind.
pub(super) fn text(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Prose such as a description or an update body: a string kept as written
/// (only blank text counts as absent), or a number.
pub(super) fn prose(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A wire word for an enum, trimmed; empty when absent or unreadable, which
/// the enums keep as `Unknown("")`.
pub(super) fn word(value: Option<&Value>) -> String {
    text(value).unwrap_or_default()
}

/// A flag: a boolean, `"true"`/`"false"`/`"yes"`/`"no"`/`"1"`/`"0"`, or a
/// number (non-zero is true). Anything else is false, the API's default.
pub(super) fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "1")
        }
        _ => false,
    }
}

/// A whole number, from a number or from text holding one (`"3"`, `"3.0"`).
/// Fractions and values out of range read as `None`.
pub(super) fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)),
        Value::String(s) => {
            let s = s.trim();
            // serde_json's float reader, not `str::parse::<f64>`: it is in
            // every build already, where std's brings about 13 KB (gzip) of
            // tables into the widget's wasm.
            s.parse::<i64>()
                .ok()
                .or_else(|| serde_json::from_str::<f64>(s).ok().and_then(whole))
        }
        _ => None,
    }
}

fn whole(f: f64) -> Option<i64> {
    // The bounds are exact powers of two, so the comparison is exact.
    let in_range = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f);
    (f.is_finite() && f.fract() == 0.0 && in_range).then_some(f as i64)
}

/// The first and last instants whose UTC form has a four-digit year, the
/// only ones RFC 3339 can write: `0000-01-01T00:00:00Z` and
/// `9999-12-31T23:59:59.999Z`.
const WRITABLE_MILLIS: std::ops::RangeInclusive<i64> = -62_167_219_200_000..=253_402_300_799_999;

/// An instant in RFC 3339 with any offset; anything unparsable is `None`,
/// and so is an instant that an extreme offset pushes out of years 0–9999
/// in UTC, which could not be written back for re-serving.
pub(super) fn time(value: Option<&Value>) -> Option<Timestamp> {
    match value? {
        Value::String(s) => {
            Timestamp::parse_rfc3339(s).filter(|t| WRITABLE_MILLIS.contains(&t.millis()))
        }
        _ => None,
    }
}

/// The items of a documented array: `null` or absence is empty, and a lone
/// value stands for a list of one. Callers skip the items they cannot use.
pub(super) fn items(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => &[],
        Some(single) => std::slice::from_ref(single),
    }
}

/// A list of ids: each item read as [`text`], blanks and non-text skipped,
/// so a single id string gives a one-element list.
pub(super) fn ids(value: Option<&Value>) -> Vec<String> {
    items(value).iter().filter_map(|v| text(Some(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_takes_strings_and_numbers_and_drops_blanks() {
        assert_eq!(text(Some(&json!(" api "))), Some("api".into()));
        assert_eq!(text(Some(&json!(42))), Some("42".into()));
        assert_eq!(text(Some(&json!("  "))), None);
        assert_eq!(text(Some(&json!(null))), None);
        assert_eq!(text(Some(&json!(["a"]))), None);
        assert_eq!(text(None), None);
    }

    #[test]
    fn prose_keeps_its_spacing() {
        assert_eq!(
            prose(Some(&json!("Line one.\n\nLine two. "))),
            Some("Line one.\n\nLine two. ".into())
        );
        assert_eq!(prose(Some(&json!(""))), None);
    }

    #[test]
    fn numbers_may_arrive_as_strings() {
        assert_eq!(integer(Some(&json!(7))), Some(7));
        assert_eq!(integer(Some(&json!("7"))), Some(7));
        assert_eq!(integer(Some(&json!(" 7 "))), Some(7));
        assert_eq!(integer(Some(&json!(7.0))), Some(7));
        assert_eq!(integer(Some(&json!("7.0"))), Some(7));
        assert_eq!(integer(Some(&json!(7.5))), None);
        assert_eq!(integer(Some(&json!("seven"))), None);
        assert_eq!(integer(Some(&json!(1e300))), None);
        assert_eq!(integer(Some(&json!(u64::MAX))), None);
        assert_eq!(integer(Some(&json!(null))), None);
    }

    #[test]
    fn flags_may_arrive_as_strings_or_numbers() {
        assert!(flag(Some(&json!(true))));
        assert!(flag(Some(&json!("true"))));
        assert!(flag(Some(&json!("TRUE"))));
        assert!(flag(Some(&json!(1))));
        assert!(!flag(Some(&json!("false"))));
        assert!(!flag(Some(&json!(0))));
        assert!(!flag(Some(&json!(null))));
        assert!(!flag(None));
    }

    #[test]
    fn timestamps_take_any_offset_and_garbage_is_none() {
        let denver = time(Some(&json!("2021-12-07T11:07:15.773-07:00"))).unwrap();
        let utc = time(Some(&json!("2021-12-07T18:07:15.773Z"))).unwrap();
        assert_eq!(denver, utc);
        assert_eq!(time(Some(&json!("last Tuesday"))), None);
        assert_eq!(time(Some(&json!(1_639_000_000))), None);
        assert_eq!(time(Some(&json!(null))), None);
    }

    #[test]
    fn timestamps_that_cannot_be_written_back_are_none() {
        for edge in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"] {
            let t = time(Some(&json!(edge))).unwrap();
            assert_eq!(t.to_rfc3339(), edge.replace("00Z", "00.000Z"));
        }
        assert_eq!(time(Some(&json!("0000-01-01T00:00:00+00:01"))), None);
        assert_eq!(time(Some(&json!("9999-12-31T23:59:59-00:01"))), None);
    }

    #[test]
    fn arrays_tolerate_null_and_lone_values() {
        assert!(items(Some(&json!(null))).is_empty());
        assert!(items(None).is_empty());
        assert_eq!(items(Some(&json!({"a": 1}))).len(), 1);
        assert_eq!(ids(Some(&json!("abc"))), vec!["abc".to_owned()]);
        assert_eq!(ids(Some(&json!(""))), Vec::<String>::new());
        assert_eq!(
            ids(Some(&json!(["a", null, 3, {"x": 1}, " "]))),
            vec!["a".to_owned(), "3".to_owned()]
        );
    }
}
