//! The wire types of the HTTP contract (`/api/v1`), shared by the server and
//! the widget's `http` adapter so the two cannot drift apart.
//!
//! Every type here is plain data with serde derives; the rules that decide
//! what a valid message is live in `crate::message`.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies a message within the whole store. Assigned by the store, in
/// increasing order of acceptance, so it doubles as the list cursor.
pub type MessageId = i64;

/// A wall's name: `[a-z0-9-]{1,64}` (`general`, or an incident id).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct WallSlug(String);

impl WallSlug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Result<WallSlug, ApiError> {
        let valid = !text.is_empty()
            && text.len() <= Self::MAX_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(WallSlug(text.to_owned()))
        } else {
            Err(ApiError::new(
                ErrorCode::InvalidWall,
                "A wall name uses 1 to 64 lowercase letters, digits or dashes.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The wall every page has, whatever its incidents.
    pub fn general() -> WallSlug {
        WallSlug(GENERAL_WALL.to_owned())
    }

    /// The wall of a Statuspage incident, from the incident's id. The one
    /// rule the server (naming incident walls for the team) and the widget
    /// (showing an incident's wall) share:
    ///
    /// - An id that is already a valid slug is the slug, unchanged. Real
    ///   Statuspage ids are 12 lowercase letters and digits
    ///   (`p31zjtct2jer`), so this is the case that matters.
    /// - Anything else (an upper-case letter, a space, a dot, non-ASCII, over
    ///   64 bytes, empty, or `general` itself) is mapped: ASCII letters are
    ///   lowercased, every other character not in `[a-z0-9-]` becomes `-`,
    ///   runs of `-` become one, `-` at either end goes, the result is cut to
    ///   55 bytes, and `-` plus 8 hex digits of a stable hash (32-bit FNV-1a)
    ///   of the original id are appended: `INC 42` → `inc-42-1a2b3c4d`, `""`
    ///   → the hash alone.
    ///
    /// The hash is added whenever the id had to be changed, not only when
    /// nothing or too much is left: so `INC 42` cannot share a wall with an
    /// incident whose id really is `inc-42`, nor two ids that differ only in
    /// case or punctuation with each other. The mapping never changes for a
    /// given id (walls outlive the incident), and the result always parses.
    pub fn for_incident(id: &str) -> WallSlug {
        if id != GENERAL_WALL {
            if let Ok(slug) = WallSlug::parse(id) {
                return slug;
            }
        }
        let mut base = String::with_capacity(id.len().min(Self::MAX_LEN));
        for c in id.chars() {
            let c = c.to_ascii_lowercase();
            let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            };
            if !(c == '-' && (base.is_empty() || base.ends_with('-'))) {
                base.push(c);
            }
        }
        let suffix = format!("{:08x}", fnv1a_32(id.as_bytes()));
        // All ASCII by now, so any byte index is a char boundary.
        base.truncate(Self::MAX_LEN - 1 - suffix.len());
        let base = base.trim_end_matches('-');
        if base.is_empty() {
            WallSlug(suffix)
        } else {
            WallSlug(format!("{base}-{suffix}"))
        }
    }
}

/// The name of the wall every page has.
pub const GENERAL_WALL: &str = "general";

/// 32-bit FNV-1a: tiny, and stable across versions and platforms (unlike
/// `std`'s hasher), which a wall name derived from it must be.
fn fnv1a_32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, b| {
        (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

impl<'de> Deserialize<'de> for WallSlug {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        WallSlug::parse(&text).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl fmt::Display for WallSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A message as stored and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub wall: WallSlug,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Empty (and absent on the wire) only in the withheld form of a
    /// message the reader may not see (`crate::wall::withheld`): the message
    /// rules never store an empty body.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    pub created_at: Timestamp,
    #[serde(default)]
    pub hugs: u32,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub hidden: bool,
    /// Held for the team's review (the kindness check flagged it and the
    /// server is configured to hold such messages). Only its author and the
    /// team ever see a held message.
    #[serde(default)]
    pub held: bool,
    /// The id the posting client chose: its idempotency key, so only the
    /// poster (in the answer to its post) and the team ever see it; absent
    /// everywhere else (`crate::wall::public_view`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Posted by the team (`POST /api/v1/walls/{wall}/official`, which needs
    /// the team's token). This flag is the only mark of a team message: an
    /// author name is whatever the poster typed, so a customer can type any.
    #[serde(default)]
    pub official: bool,
}

/// `POST /api/v1/walls/{wall}/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub body: String,
    /// Chosen by the client, unique per post attempt series: a retry with the
    /// same `client_id` returns the first message instead of a second one.
    pub client_id: String,
    /// Honeypot: a field no person fills in; a bot that fills it is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// `POST /api/v1/walls/{wall}/official` (team only): a message from the
/// team, stored with `official` and `pinned` set. Never held, never slowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialMessage {
    /// Optional, as for customers; it carries no authority (`official` does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub body: String,
    /// As for customers: a retry with the same `client_id` returns the
    /// first message.
    pub client_id: String,
}

/// The longest `client_id` accepted: a UUID is 36 characters.
pub const MAX_CLIENT_ID_LEN: usize = 64;

/// A client id is chosen by the client; it only has to be a short token
/// that cannot smuggle anything into logs or exports. Every wall store (the
/// server and the in-browser ones) applies this same rule.
pub fn check_client_id(id: &str) -> Result<(), ApiError> {
    let valid =
        !id.is_empty() && id.len() <= MAX_CLIENT_ID_LEN && id.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::BadRequest,
            format!(
                "`client_id` must be 1 to {MAX_CLIENT_ID_LEN} printable ASCII characters without spaces."
            ),
        )
        .with_field("client_id"))
    }
}

/// `POST /api/v1/walls/{wall}/messages/{id}/hugs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HugRequest {
    pub client_id: String,
}

/// A message's hug count after a hug, and on the live stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HugCount {
    pub message_id: MessageId,
    pub hugs: u32,
}

/// Which page of a wall to list. `after` pages forward (oldest first from a
/// cursor); `before` pages backward from a cursor, for "load older". With
/// neither, the newest `limit` messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 200;

    /// The limit actually applied: the default when absent, clamped to 1..=MAX.
    pub fn effective_limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }

    /// The newest page, which also carries the pinned messages.
    pub fn is_first(&self) -> bool {
        self.after.is_none() && self.before.is_none()
    }
}

/// A page of visible messages, always oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Pass as `after` to continue forward; absent when this page reached the
    /// newest message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<MessageId>,
    /// Pass as `before` to load older messages; absent when this page holds
    /// the oldest message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_before: Option<MessageId>,
    /// On the first page only (neither `after` nor `before`): the wall's
    /// visible pinned messages, newest first, however old they are, so the
    /// team's message is on top of the wall without loading its history.
    /// (A pinned message in the page's range is in `messages` too.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<Message>,
    /// On a server's first page: the id of the newest stream event the page
    /// reflects (or an earlier one). Resuming the stream, or the events
    /// list, after it misses no hide, hug or approval made after the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_id: Option<i64>,
}

/// How many pinned messages a first page carries at most.
pub const MAX_PINNED: u32 = 10;

/// One event of the live stream (`GET /api/v1/walls/{wall}/stream`). On the
/// wire each is an SSE event whose `event:` is the variant's tag and whose
/// `data:` is the JSON of this enum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    /// A new visible message.
    Message { message: Message },
    /// A message's hug count changed.
    Hugs(HugCount),
    /// A message was hidden, unhidden, pinned or unpinned by the team:
    /// the public view when it is visible now, its withheld form (id and
    /// flags, no body, author or `client_id`) when it left the wall.
    Moderated { message: Message },
}

impl StreamEvent {
    /// The SSE `event:` name.
    pub fn name(&self) -> &'static str {
        match self {
            StreamEvent::Message { .. } => "message",
            StreamEvent::Hugs(_) => "hugs",
            StreamEvent::Moderated { .. } => "moderated",
        }
    }

    /// The message the event is about.
    pub fn message_id(&self) -> MessageId {
        match self {
            StreamEvent::Message { message } | StreamEvent::Moderated { message } => message.id,
            StreamEvent::Hugs(count) => count.message_id,
        }
    }
}

/// `GET /api/v1/walls/{wall}/events?after=&limit=`: the live stream's
/// events as a list, for clients that cannot keep a stream open (a proxy
/// that buffers or cuts Server-Sent Events).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    /// Oldest first; exactly what the stream sends after `after`.
    pub events: Vec<LoggedEvent>,
    /// Pass as `after` next time: the last event's id, or where the list
    /// started when there was none.
    pub last_event_id: i64,
    /// Whether more events follow at once (the page was full).
    #[serde(default)]
    pub more: bool,
}

/// One event as the stream sends it: its SSE `id:`, `event:` and `data:`
/// (the JSON of a [`StreamEvent`], kept as text so a client reads it
/// exactly as it reads the stream).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedEvent {
    pub id: i64,
    pub event: String,
    pub data: String,
}

impl EventPage {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 500;
}

/// `PATCH /api/v1/walls/{wall}/messages/{id}` (team only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    Hide,
    Unhide,
    Pin,
    Unpin,
    /// Release a message the kindness check held for review.
    Approve,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationRequest {
    pub action: ModerationAction,
}

/// One wall as the team sees it (`GET /api/v1/walls`): what it holds, over
/// which time, and the incident it belongs to. The counts follow the
/// export's (`counts` of `GET .../export?format=json`): `hidden` counts
/// every hidden message, `held` those held and not hidden, `visible` the
/// rest; `pinned` and `hugs` count over all messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallSummary {
    pub wall: WallSlug,
    /// The incident's name, when the wall is an incident's.
    #[serde(default)]
    pub title: Option<String>,
    /// The Statuspage incident id the wall was derived from
    /// ([`WallSlug::for_incident`]).
    #[serde(default)]
    pub incident_id: Option<String>,
    /// When the incident began (or when the server first saw it).
    #[serde(default)]
    pub incident_started_at: Option<Timestamp>,
    /// When the incident was resolved; absent while it is going on (and
    /// for walls that are no incident's).
    #[serde(default)]
    pub incident_resolved_at: Option<Timestamp>,
    /// Every message, hidden and held included.
    #[serde(default)]
    pub messages: u32,
    #[serde(default)]
    pub visible: u32,
    #[serde(default)]
    pub hidden: u32,
    #[serde(default)]
    pub held: u32,
    #[serde(default)]
    pub pinned: u32,
    #[serde(default)]
    pub hugs: u32,
    /// The oldest and newest message's `created_at`, any message.
    #[serde(default)]
    pub first_at: Option<Timestamp>,
    #[serde(default)]
    pub last_at: Option<Timestamp>,
    /// This wall's own slow mode, overriding the global one; `0` is "off
    /// here". Absent: the global setting applies.
    #[serde(default)]
    pub slow_mode_seconds: Option<u32>,
}

impl WallSummary {
    /// What "newest activity first" sorts by: the last message, or the
    /// incident's start when that is later (a new incident with no message
    /// yet is news).
    pub fn last_activity(&self) -> Option<Timestamp> {
        self.last_at.max(self.incident_started_at)
    }
}

/// `GET /api/v1/walls` (team only): newest activity first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallList {
    pub walls: Vec<WallSummary>,
}

/// How long a resolved incident's wall stays offered to visitors ("Recent
/// incidents" in the widget): seven days after it was resolved.
pub const RECENT_INCIDENT_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

/// One incident wall as anyone may see it (`GET /api/v1/walls/recent`):
/// the wall and the incident's public name and times, nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentWall {
    pub wall: WallSlug,
    /// The incident's name; absent when the source gave none.
    #[serde(default)]
    pub title: Option<String>,
    pub started_at: Timestamp,
    /// Absent while the incident is going on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
}

/// `GET /api/v1/walls/recent` (anyone): the walls of incidents going on or
/// resolved within [`RECENT_INCIDENT_MILLIS`], newest start first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentWalls {
    pub walls: Vec<RecentWall>,
}

/// The most seconds slow mode may space posts: a day.
pub const MAX_SLOW_MODE_SECONDS: u32 = 86_400;

/// A slow-mode gap the server accepts: 0 (off) to a day. `field` names the
/// request field at fault.
pub fn check_slow_mode_seconds(seconds: u32, field: &str) -> Result<(), ApiError> {
    if seconds <= MAX_SLOW_MODE_SECONDS {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("Slow mode is 0 (off) to {MAX_SLOW_MODE_SECONDS} seconds."),
        )
        .with_field(field))
    }
}

/// `GET /api/v1/slow-mode` (team only), also the answer of both `PUT`s.
/// A wall's gap is its own entry in `walls` if it has one, else
/// `global_seconds`; `0` is off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlowModeSettings {
    pub global_seconds: u32,
    /// Per-wall overrides.
    #[serde(default)]
    pub walls: std::collections::BTreeMap<WallSlug, u32>,
}

impl SlowModeSettings {
    /// The gap between two posts of one client on `wall`, in seconds.
    pub fn seconds_for(&self, wall: &WallSlug) -> u32 {
        self.walls.get(wall).copied().unwrap_or(self.global_seconds)
    }
}

/// `PUT /api/v1/slow-mode` (team only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalSlowMode {
    pub global_seconds: u32,
}

/// `PUT /api/v1/walls/{wall}/slow-mode` (team only); `null` clears the
/// wall's override, so the global setting applies again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallSlowMode {
    pub seconds: Option<u32>,
}

/// Machine-readable reason of a refusal; the HTTP status follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The message breaks a rule of `crate::message` (length, emptiness).
    InvalidMessage,
    InvalidWall,
    /// The request body is not the JSON the endpoint takes.
    BadRequest,
    NotFound,
    Unauthorized,
    PayloadTooLarge,
    /// A body sent with a `Content-Type` other than `application/json`.
    UnsupportedMediaType,
    RateLimited,
    /// The wall is in slow mode and this client posted too recently.
    SlowMode,
    /// The status source could not be reached or sent garbage.
    UpstreamFailed,
    /// The server could not be reached, timed out, or is shutting down
    /// (also what a client reports for a network failure).
    Unavailable,
    Internal,
    /// Anything a newer server says that this client does not know.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidMessage => 422,
            ErrorCode::InvalidWall | ErrorCode::BadRequest => 400,
            ErrorCode::NotFound => 404,
            ErrorCode::Unauthorized => 401,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited | ErrorCode::SlowMode => 429,
            ErrorCode::UpstreamFailed => 502,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
        }
    }

    /// Whether sending the same request again later may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited
                | ErrorCode::SlowMode
                | ErrorCode::UpstreamFailed
                | ErrorCode::Unavailable
                | ErrorCode::Internal
                | ErrorCode::Unknown
        )
    }
}

/// The body of every refusal: a code for programs, a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorCode,
    /// Plain words the widget may show as they are.
    pub message: String,
    /// Seconds to wait before retrying (429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The request field at fault, when there is one (`body`, `author`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            error,
            message: message.into(),
            retry_after: None,
            field: None,
        }
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_slugs_follow_the_contract() {
        for good in ["general", "inc-2024-01", "a", &"x".repeat(64)] {
            assert!(WallSlug::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "General", "a b", "a_b", "é", &"x".repeat(65), "../etc"] {
            assert_eq!(
                WallSlug::parse(bad).unwrap_err().error,
                ErrorCode::InvalidWall
            );
        }
    }

    #[test]
    fn real_incident_ids_are_their_wall() {
        for id in [
            "p31zjtct2jer",
            "0123456789ab",
            "inc-2024-01",
            &"x".repeat(64),
        ] {
            assert_eq!(WallSlug::for_incident(id).as_str(), id);
        }
    }

    #[test]
    fn other_incident_ids_are_mapped_with_a_stable_hash() {
        let cases = [
            ("INC 42", "inc-42-"),
            ("Database.Outage_2024", "database-outage-2024-"),
            ("  --Ünïcode--  ", "n-code-"),
            ("general", "general-"),
        ];
        for (id, prefix) in cases {
            let slug = WallSlug::for_incident(id);
            let text = slug.as_str();
            assert!(text.starts_with(prefix), "{id:?} -> {text}");
            let hash = &text[prefix.len()..];
            assert_eq!(hash.len(), 8, "{text}");
            assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
            assert_eq!(WallSlug::parse(text).as_ref(), Ok(&slug));
            assert_eq!(WallSlug::for_incident(id), slug, "deterministic");
        }
        // Known values, so the mapping cannot change under existing walls.
        assert_eq!(WallSlug::for_incident("").as_str(), "811c9dc5");
        assert_eq!(WallSlug::for_incident("INC 42").as_str(), "inc-42-a2e71883");
        // Nothing usable left: the hash alone.
        assert_eq!(WallSlug::for_incident("!!!").as_str().len(), 8);
        // Too long: cut, and still distinct.
        let long_a = WallSlug::for_incident(&"a".repeat(100));
        let long_b = WallSlug::for_incident(&"a".repeat(101));
        assert_eq!(long_a.as_str().len(), WallSlug::MAX_LEN);
        assert_ne!(long_a, long_b);
        // Ids that differ only in case or punctuation keep their own walls,
        // and none takes the wall of an id that passed unchanged.
        let walls = ["INC-42", "inc 42", "Inc.42", "inc-42"].map(WallSlug::for_incident);
        for (i, a) in walls.iter().enumerate() {
            for b in &walls[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn slow_mode_overrides_are_per_wall() {
        let general = WallSlug::general();
        let incident = WallSlug::for_incident("p31zjtct2jer");
        let mut settings = SlowModeSettings {
            global_seconds: 30,
            ..Default::default()
        };
        assert_eq!(settings.seconds_for(&incident), 30);
        settings.walls.insert(incident.clone(), 0);
        assert_eq!(settings.seconds_for(&incident), 0);
        assert_eq!(settings.seconds_for(&general), 30);
        let json = serde_json::to_string(&settings).unwrap();
        assert_eq!(json, r#"{"global_seconds":30,"walls":{"p31zjtct2jer":0}}"#);
        assert_eq!(
            serde_json::from_str::<SlowModeSettings>(&json).unwrap(),
            settings
        );
    }

    #[test]
    fn messages_without_the_flag_are_not_official() {
        let json = r#"{"id":1,"wall":"general","body":"hi","created_at":"2024-03-01T17:00:00.000Z","client_id":"c"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert!(!message.official);
    }

    #[test]
    fn stream_events_carry_their_type_tag() {
        let event = StreamEvent::Hugs(HugCount {
            message_id: 7,
            hugs: 3,
        });
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(json, r#"{"type":"hugs","message_id":7,"hugs":3}"#);
        assert_eq!(serde_json::from_str::<StreamEvent>(&json).unwrap(), event);
        assert_eq!(event.name(), "hugs");
    }

    #[test]
    fn unknown_error_codes_from_newer_servers_still_parse() {
        let e: ApiError =
            serde_json::from_str(r#"{"error":"brand_new","message":"Try later."}"#).unwrap();
        assert_eq!(e.error, ErrorCode::Unknown);
        assert!(e.error.is_retryable());
    }

    #[test]
    fn client_ids_are_short_printable_tokens() {
        assert!(check_client_id("3f1c2a9e-0b7d-4a55-9c1e-000000000000").is_ok());
        for bad in ["", "has space", "tab\t", "é", &"x".repeat(65)] {
            let e = check_client_id(bad).unwrap_err();
            assert_eq!(
                (e.error, e.field.as_deref()),
                (ErrorCode::BadRequest, Some("client_id"))
            );
        }
    }

    #[test]
    fn page_limits_are_clamped() {
        assert_eq!(PageRequest::default().effective_limit(), 50);
        let huge = PageRequest {
            limit: Some(10_000),
            ..Default::default()
        };
        assert_eq!(huge.effective_limit(), 200);
    }
}
