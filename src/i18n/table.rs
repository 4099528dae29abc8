//! One language's words: a flat JSON object from key to text, where a text
//! that depends on a number is an object from CLDR plural category
//! (`zero`, `one`, `two`, `few`, `many`, `other`) to text. Placeholders are
//! `{name}`. Plain data, so its rules are tested natively.

use serde_json::{Map, Value};
use std::collections::HashMap;

/// A text, or a text per plural category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Text(String),
    Plural(HashMap<String, String>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table(HashMap<String, Entry>);

impl Table {
    /// Read through `serde_json::Value`, which the bundle has anyway: a
    /// serde `untagged` enum would bring its buffering deserializer (KBs).
    /// A value that is neither a text nor an object of texts is skipped
    /// (English stands in for it).
    pub fn parse(json: &str) -> Result<Table, serde_json::Error> {
        let object: Map<String, Value> = serde_json::from_str(json)?;
        let entries = object
            .into_iter()
            .filter_map(|(key, value)| {
                let entry = match value {
                    Value::String(text) => Entry::Text(text),
                    Value::Object(forms) => Entry::Plural(
                        forms
                            .into_iter()
                            .filter_map(|(category, text)| match text {
                                Value::String(text) => Some((category, text)),
                                _ => None,
                            })
                            .collect(),
                    ),
                    _ => return None,
                };
                Some((key, entry))
            })
            .collect();
        Ok(Table(entries))
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.0.get(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl Entry {
    /// The text for plural `category`; `other` is the form every language
    /// has, so it stands in for a category the table leaves out.
    pub fn form(&self, category: &str) -> Option<&str> {
        match self {
            Entry::Text(text) => Some(text),
            Entry::Plural(forms) => forms
                .get(category)
                .or_else(|| forms.get("other"))
                .map(String::as_str),
        }
    }

    /// Every text of the entry (one, or one per category).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Entry::Text(text) => vec![text],
            Entry::Plural(forms) => forms.values().map(String::as_str).collect(),
        }
    }
}

/// `text` with each `{name}` replaced by its value; an unknown placeholder
/// stays as written (visible in review rather than silently dropped).
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, args.iter().find(|(k, _)| *k == &after[..close])?)));
        match value {
            Some((close, (_, value))) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names in `text`, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name_and_unknown_ones_stay() {
        assert_eq!(
            fill("{a} and {b}, {a}", &[("a", "1"), ("b", "2")]),
            "1 and 2, 1"
        );
        assert_eq!(fill("{missing} {", &[("a", "1")]), "{missing} {");
        assert_eq!(placeholders("{b} {a} {b}"), ["a", "b"]);
    }

    #[test]
    fn a_plural_entry_falls_back_to_other() {
        let table =
            Table::parse(r#"{"n": {"one": "1 hug", "other": "{count} hugs"}, "t": "x"}"#).unwrap();
        let n = table.get("n").unwrap();
        assert_eq!(n.form("one"), Some("1 hug"));
        assert_eq!(n.form("few"), Some("{count} hugs"));
        assert_eq!(table.get("t").unwrap().form("one"), Some("x"));
    }
}
