//! The outbox as saved in localStorage, and what to do with a saved queue
//! this version cannot fully read (corrupt, or written by a newer version).
//!
//! The rule: a visitor's unsent text is never deleted, silently or not.
//! - This version's format (`v: 1`) is read as is.
//! - Anything else is read leniently, entry by entry: an entry with a
//!   `client_id` and a `body` is recovered (unknown fields are ignored,
//!   missing optional ones take their defaults), so a newer version's
//!   posts still go.
//! - The saved text itself is then kept aside, under a key of its own that
//!   nothing here overwrites or removes, before the queue's key is written
//!   in this version's format.
//! - When some posts could not be recovered, the visitor is told in plain
//!   words (see [`Loaded::notice`]).
//!
//! Plain Rust: the runner does the storage.

use super::queue::Entry;
use crate::i18n::Texts;
use hugops_core::time::Timestamp;
use hugops_core::wire::WallSlug;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version of the format this code writes.
pub const VERSION: u32 = 1;

/// The persisted form, versioned so a future format can read this one.
#[derive(Serialize, Deserialize)]
struct Persisted {
    v: u32,
    entries: Vec<Entry>,
}

/// The saved form of `entries`.
pub fn to_json(entries: &[Entry]) -> String {
    serde_json::to_string(&Persisted {
        v: VERSION,
        entries: entries.to_vec(),
    })
    .unwrap_or_default()
}

/// A saved queue as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The posts to keep sending.
    pub entries: Vec<Entry>,
    /// The saved text was not (all) this version's: keep it aside before
    /// writing over its key.
    pub keep_aside: bool,
    /// Posts that could not be recovered.
    pub lost: Lost,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lost {
    Nothing,
    /// This many entries had no readable `client_id` and `body`.
    Entries(usize),
    /// The text is not a queue at all (corrupt): how many is unknown.
    Unknown,
}

/// Reads a saved queue. `now` stands in for a missing `queued_at`.
pub fn read(json: &str, now: Timestamp) -> Loaded {
    if let Ok(persisted) = serde_json::from_str::<Persisted>(json) {
        if persisted.v == VERSION {
            return Loaded {
                entries: persisted.entries,
                keep_aside: false,
                lost: Lost::Nothing,
            };
        }
    }
    let Some(items) = serde_json::from_str::<Value>(json)
        .ok()
        .and_then(|v| v.get("entries").and_then(Value::as_array).cloned())
    else {
        return Loaded {
            entries: Vec::new(),
            keep_aside: true,
            lost: Lost::Unknown,
        };
    };
    let recovered: Vec<Entry> = items.iter().filter_map(|v| lenient(v, now)).collect();
    let lost = match items.len() - recovered.len() {
        0 => Lost::Nothing,
        n => Lost::Entries(n),
    };
    Loaded {
        entries: recovered,
        keep_aside: true,
        lost,
    }
}

/// An entry from a format that is not quite ours: the fields this version
/// knows, when they are there and of the right kind.
fn lenient(value: &Value, now: Timestamp) -> Option<Entry> {
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    let client_id = text("client_id").filter(|id| !id.trim().is_empty())?;
    let body = text("body")?;
    Some(Entry {
        client_id,
        wall: text("wall").and_then(|w| WallSlug::parse(&w).ok()),
        author: text("author"),
        body,
        website: text("website"),
        queued_at: value
            .get("queued_at")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or(now),
        // A fresh start: another version's back-off state means little here.
        failures: 0,
        retry_at: None,
        last_error: None,
    })
}

/// The key the unreadable text of `key` is kept under: named after the
/// text (FNV-1a), so the same text kept twice is one copy, and two
/// different texts never overwrite each other.
pub fn aside_key(key: &str, text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{key}:unreadable:{hash:016x}")
}

impl Loaded {
    /// What to tell the visitor, if anything: only when some of their
    /// unsent text could not be recovered (recovered posts simply show in
    /// the list of what is waiting).
    pub fn notice(&self, texts: &Texts) -> Option<String> {
        self.lost.notice(texts)
    }
}

impl Lost {
    /// The words for the visitor, if anything was lost.
    pub fn notice(&self, texts: &Texts) -> Option<String> {
        match *self {
            Lost::Nothing => None,
            Lost::Unknown => Some(texts.t("wall.unreadable")),
            Lost::Entries(n) => Some(texts.count("wall.unreadable_count", n as u64, &[])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> std::sync::Arc<Texts> {
        Texts::english("en")
    }

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    fn entry(client_id: &str, body: &str) -> Entry {
        Entry {
            client_id: client_id.into(),
            wall: None,
            author: None,
            body: body.into(),
            website: None,
            queued_at: at(5),
            failures: 0,
            retry_at: None,
            last_error: None,
        }
    }

    #[test]
    fn this_versions_queue_reads_back_as_is() {
        let entries = vec![entry("a", "one"), entry("b", "two")];
        let loaded = read(&to_json(&entries), at(0));
        assert_eq!(
            loaded,
            Loaded {
                entries,
                keep_aside: false,
                lost: Lost::Nothing
            }
        );
        assert_eq!(loaded.notice(&en()), None);
    }

    #[test]
    fn a_corrupt_queue_is_kept_aside_and_the_visitor_told() {
        for text in [
            "not json",
            r#"{"v":1,"entries":[{"client_id":"a","bo"#,
            "[]",
            "{}",
        ] {
            let loaded = read(text, at(0));
            assert!(loaded.entries.is_empty(), "{text}");
            assert!(loaded.keep_aside, "{text}: never overwritten in place");
            assert_eq!(loaded.lost, Lost::Unknown, "{text}");
            let notice = loaded.notice(&en()).unwrap();
            assert!(notice.contains("could not be read"), "{notice}");
            assert!(notice.contains("not deleted"), "{notice}");
        }
    }

    #[test]
    fn a_newer_versions_posts_are_recovered_leniently_and_the_original_kept() {
        let newer = r#"{"v":2,"device":"x","entries":[
            {"client_id":"a","body":"hello","author":"Ana","queued_at":"1970-01-01T00:00:00.007Z",
             "attachments":[1,2],"failures":3,"retry_at":{"at":9}},
            {"client_id":"b","body":"no time, new fields","priority":"high"}
        ]}"#;
        let loaded = read(newer, at(42));
        assert!(loaded.keep_aside);
        assert_eq!(loaded.lost, Lost::Nothing);
        assert_eq!(loaded.notice(&en()), None, "nothing lost, nothing to say");
        let ids: Vec<&str> = loaded
            .entries
            .iter()
            .map(|e| e.client_id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(loaded.entries[0].body, "hello");
        assert_eq!(loaded.entries[0].author.as_deref(), Some("Ana"));
        assert_eq!(loaded.entries[0].queued_at, at(7));
        assert_eq!(loaded.entries[0].retry_at, None);
        assert_eq!(loaded.entries[1].queued_at, at(42), "missing: now");
    }

    #[test]
    fn entries_without_text_are_counted_as_lost_and_said() {
        let odd = r#"{"v":1,"entries":[
            {"client_id":"a","body":"fine"},
            {"client_id":"b","body":{"rich":"text"}},
            {"body":"no id"}
        ]}"#;
        let loaded = read(odd, at(0));
        assert!(loaded.keep_aside);
        assert_eq!(loaded.entries.len(), 1);
        assert_eq!(loaded.lost, Lost::Entries(2));
        let notice = loaded.notice(&en()).unwrap();
        assert!(notice.starts_with("2 messages"), "{notice}");
        assert!(notice.contains("not deleted"), "{notice}");
        let one = read(r#"{"v":3,"entries":[{"client_id":"x"}]}"#, at(0));
        assert!(one.notice(&en()).unwrap().starts_with("One message"));
    }

    #[test]
    fn aside_keys_follow_the_text_and_never_the_queue_key() {
        let key = "hugops:outbox:general";
        let a = aside_key(key, "one");
        assert!(a.starts_with("hugops:outbox:general:unreadable:"), "{a}");
        assert_ne!(a, key);
        assert_eq!(a, aside_key(key, "one"));
        assert_ne!(a, aside_key(key, "two"));
    }
}
