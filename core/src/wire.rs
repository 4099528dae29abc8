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
