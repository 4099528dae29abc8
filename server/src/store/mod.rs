//! Storage of walls behind one object-safe trait, so the handlers hold an
//! `Arc<dyn WallStore>` and a PostgreSQL implementation can sit next to the
//! SQLite one without touching them.
//!
//! Every change a live client must see (a new visible message, a hug count,
//! a moderation) is written as a row of an append-only event log in the same
//! transaction as the change itself. The log's sequence number is the SSE
//! `id:`, so a client resuming from `Last-Event-ID` reads exactly the rows
//! after it: no gaps, no repeats. After committing, the store hands the
//! event to its [`Broadcaster`](crate::broadcast::Broadcaster) in commit
//! order; that is only the fast path, the log is the truth.

pub mod postgres;
mod postgres_writer;
mod shared;
pub mod sqlite;
mod sqlite_writer;

use hugops_core::time::Timestamp;
use hugops_core::wire::{
    HugCount, Message, MessageId, MessagePage, ModerationAction, PageRequest, RecentWall, WallSlug,
    WallSummary,
};
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, so the trait stays object-safe (`dyn WallStore`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub type StoreResult<T> = Result<T, StoreError>;

/// A failure of the storage itself (I/O, a broken database). Never shown to
/// clients; see `crate::error`.
#[derive(Debug)]
pub struct StoreError(Box<dyn std::error::Error + Send + Sync>);

impl StoreError {
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> StoreError {
        StoreError(e.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError(Box::new(e))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError(Box::new(e))
    }
}

/// A message that passed every check and is ready to be stored.
#[derive(Clone, Debug)]
pub struct NewPost {
    pub client_id: String,
    pub author: Option<String>,
    pub body: String,
    /// Held for review: stored, but neither listed nor streamed publicly.
    pub held: bool,
    /// The team's message: stored pinned, with `official` set. Only the
    /// team's endpoint sets it.
    pub official: bool,
    pub created_at: Timestamp,
}

/// An incident the status service saw, and the wall it gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentRecord {
    /// `WallSlug::for_incident(&incident_id)`.
    pub wall: WallSlug,
    pub incident_id: String,
    pub name: String,
    /// When it began, if the status says.
    pub started_at: Option<Timestamp>,
    /// When it was resolved; `None` while it is going on.
    pub resolved_at: Option<Timestamp>,
}

/// The slow mode the team stored: the global gap, if the team set one
/// (else the server's `--slow-mode` applies), and the per-wall overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredSlowMode {
    pub global: Option<u32>,
    pub walls: BTreeMap<WallSlug, u32>,
}

/// The outcome of a post: the stored message, and whether this call stored
/// it (`false`: a retry of an earlier post with the same `client_id`).
#[derive(Clone, Debug)]
pub struct Posted {
    pub message: Message,
    pub created: bool,
}

/// The outcome of a hug: the count after it, and whether this call added
/// it (`false`: this client had already hugged the message).
#[derive(Clone, Copy, Debug)]
pub struct Hugged {
    pub count: HugCount,
    pub added: bool,
}

/// One row of the event log: the SSE event as it goes on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WallEvent {
    /// Strictly increasing over the whole store; the SSE `id:`.
    pub seq: i64,
    pub wall: WallSlug,
    /// `wire::StreamEvent::name()`.
    pub name: String,
    /// JSON of the `wire::StreamEvent`, serialised once for every listener.
    pub data: Arc<str>,
}

/// The wall storage. Methods take owned arguments so the futures borrow
/// nothing but `self`.
pub trait WallStore: Send + Sync + 'static {
    /// A page of visible messages (neither hidden nor held), oldest first,
    /// in their public view (no `client_id`).
    fn list(&self, wall: WallSlug, page: PageRequest) -> BoxFuture<'_, StoreResult<MessagePage>>;

    /// The message an earlier post with this `client_id` stored, if any,
    /// as stored (the caller decides what of it to answer).
    fn find_by_client_id(
        &self,
        wall: WallSlug,
        client_id: String,
    ) -> BoxFuture<'_, StoreResult<Option<Message>>>;

    /// Stores a message, unless one with the same `client_id` is already on
    /// this wall; then returns that one. Enforced by a unique constraint,
    /// so concurrent retries cannot make two rows.
    fn post(&self, wall: WallSlug, post: NewPost) -> BoxFuture<'_, StoreResult<Posted>>;

    /// Adds this client's hug to a visible message; `None` when there is no
    /// such visible message on this wall.
    fn hug(
        &self,
        wall: WallSlug,
        id: MessageId,
        client_id: String,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Option<Hugged>>>;

    /// Applies a team action; `None` when the message is not on this wall.
    fn moderate(
        &self,
        wall: WallSlug,
        id: MessageId,
        action: ModerationAction,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Option<Message>>>;

    /// Every message of the wall, hidden and held ones included, oldest
    /// first (team only: export and review).
    fn all(&self, wall: WallSlug) -> BoxFuture<'_, StoreResult<Vec<Message>>>;

    /// Up to `limit` events of the wall with `seq > after`, in order, as
    /// the public may receive them now: an event about a message that is
    /// hidden or held at the time of reading is replaced, at its `seq`, by
    /// that message's removal (`hugops_core::wall::replayed`), so a replay
    /// never brings back what the team took down.
    fn events_after(
        &self,
        wall: WallSlug,
        after: i64,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<Vec<WallEvent>>>;

    /// The highest event `seq` of the whole store (0 when empty).
    fn latest_seq(&self) -> BoxFuture<'_, StoreResult<i64>>;

    /// The status summary the team set (JSON), if any.
    fn team_status(&self) -> BoxFuture<'_, StoreResult<Option<String>>>;

    /// Sets (or with `None`, clears) the team's status summary.
    fn set_team_status(
        &self,
        summary: Option<String>,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Every wall that holds a message or belongs to an incident the
    /// status service saw, and `general` always, with their facts; in no
    /// particular order.
    fn walls(&self) -> BoxFuture<'_, StoreResult<Vec<WallSummary>>>;

    /// The incident walls whose incident is going on or was resolved at
    /// `resolved_since` or later, newest start first (then by wall).
    fn recent_incident_walls(
        &self,
        resolved_since: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Vec<RecentWall>>>;

    /// The slow mode the team set.
    fn slow_mode(&self) -> BoxFuture<'_, StoreResult<StoredSlowMode>>;

    /// Sets the gap of `wall` (`None`: the global one) to `seconds`; `None`
    /// seconds removes the setting (a wall falls back to the global gap,
    /// the global gap to `--slow-mode`).
    fn set_slow_mode(
        &self,
        wall: Option<WallSlug>,
        seconds: Option<u32>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Records the incidents a fresh status lists (their walls and names),
    /// and marks every recorded incident it no longer lists as going on
    /// resolved at `at`.
    fn record_incidents(
        &self,
        seen: Vec<IncidentRecord>,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Whether the store answers at all (for /healthz).
    fn ping(&self) -> BoxFuture<'_, StoreResult<()>>;

    /// Closes the store at shutdown, after the last request.
    fn close(&self) -> BoxFuture<'_, ()>;
}
