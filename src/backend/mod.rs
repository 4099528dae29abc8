//! The backend adapter: the only way the widget talks to the outside world.
//!
//! Architecture invariant: components never call `fetch`, `EventSource` or
//! `localStorage` themselves; they hold an `Rc<dyn StatusSource>` and an
//! `Rc<dyn WallStore>` chosen from the embed's configuration.
//!
//! Futures are boxed and need not be `Send` (browser futures are not), which
//! keeps the traits object-safe so the adapter can be picked at run time.

mod delivery;
pub mod demo;
pub mod http;
pub mod local;
mod prefetch;
pub mod statuspage;
pub mod wall_log;

// The adapters only tests use (`memory` status and wall, `flaky`): built
// only with the `test-adapters` feature, which the widget's own tests turn
// on (Cargo.toml), so a visitor never downloads them.
#[cfg(feature = "test-adapters")]
pub mod flaky;
#[cfg(feature = "test-adapters")]
pub mod memory;
#[cfg(feature = "test-adapters")]
pub mod memory_wall;

use hugops_core::status::Summary;
use std::future::Future;
use std::pin::Pin;

/// A boxed, single-threaded future.
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Where the current status comes from (Statuspage v2 `summary.json` shape).
pub trait StatusSource {
    /// Fetches the current summary. `Ok(None)` means "unchanged since the
    /// last successful fetch" (the source revalidated and got a 304 or the
    /// same body), so the caller keeps what it shows.
    fn fetch(&self) -> LocalFuture<'_, Result<Option<Summary>, StatusProblem>>;
}

/// Why the status could not be refreshed. The panel says it in the
/// visitor's language (`status::problem`); `Display` is the English, for the
/// console and for English visitors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusProblem {
    /// No answer within the source's time limit.
    TimedOut { seconds: u32 },
    /// The request failed (network error, CORS, DNS).
    Unreachable,
    /// The answer stopped before its end.
    CutOff,
    /// An HTTP error with no explanation.
    Refused { status: u16 },
    /// A HugOps server's refusal, with its reason (`wire::ApiError`).
    Explained { status: u16, error: ApiError },
    /// The answer is not a status page's summary; the reader's reason.
    Unreadable(String),
}

impl std::fmt::Display for StatusProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusProblem::TimedOut { seconds } => write!(
                f,
                "The status source did not answer within {seconds} seconds."
            ),
            StatusProblem::Unreachable => {
                f.write_str("Could not reach the status source (network error).")
            }
            StatusProblem::CutOff => f.write_str("The status source's answer was cut off."),
            StatusProblem::Refused { status } => write!(
                f,
                "The status source answered with an error (HTTP {status})."
            ),
            StatusProblem::Explained { error, .. } => f.write_str(&error.message),
            StatusProblem::Unreadable(reason) => f.write_str(reason),
        }
    }
}

use hugops_core::wire::{
    ApiError, HugCount, Message, MessageId, MessagePage, NewMessage, PageRequest, RecentWall,
    StreamEvent, WallSlug,
};
use std::rc::Rc;

/// Where a wall's messages live. Every refusal is an `ApiError`: its code
/// says whether trying again later may work (`ErrorCode::is_retryable`), its
/// message says what happened in words the widget shows as they are.
pub trait WallStore {
    /// A page of visible messages, oldest first (see `PageRequest`).
    fn list(
        &self,
        wall: &WallSlug,
        page: PageRequest,
    ) -> LocalFuture<'_, Result<MessagePage, ApiError>>;

    /// Posts a message. Idempotent on `client_id`: posting the same
    /// `client_id` again returns the first message, never a second one.
    fn post(
        &self,
        wall: &WallSlug,
        message: NewMessage,
    ) -> LocalFuture<'_, Result<Message, ApiError>>;

    /// Adds this client's hug to a message; a second hug from the same
    /// client changes nothing. Returns the message's hug count.
    fn hug(
        &self,
        wall: &WallSlug,
        message: MessageId,
        client_id: &str,
    ) -> LocalFuture<'_, Result<HugCount, ApiError>>;

    /// Delivers each event after `after` once, as it happens, until the
    /// returned `Subscription` is dropped. Adapters that cannot push poll.
    fn subscribe(
        &self,
        wall: &WallSlug,
        after: Option<MessageId>,
        on_event: Rc<dyn Fn(WallEvent)>,
    ) -> Subscription;

    /// The walls of incidents going on or resolved in the last seven days,
    /// newest first (the server's `GET /api/v1/walls/recent`). A store
    /// that keeps no incidents has none.
    fn recent_walls(&self) -> LocalFuture<'_, Result<Vec<RecentWall>, ApiError>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// What a subscription reports.
#[derive(Clone, Debug, PartialEq)]
pub enum WallEvent {
    /// Something happened on the wall.
    Stream(StreamEvent),
    /// How new messages reach the wall now.
    Live(Liveness),
}

/// How new messages reach a wall, so the wall says only what is true
/// ("Live" where they are pushed as posted, and nowhere else).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Liveness {
    /// Not reaching us: connecting, or reconnecting.
    #[default]
    Down,
    /// Pushed as they are posted (a stream).
    Live,
    /// Asked for every few seconds (the polling fallback).
    Polling,
    /// There is no server: the wall lives in this browser (the local store).
    ThisBrowser,
}

impl Liveness {
    pub fn as_str(self) -> &'static str {
        match self {
            Liveness::Down => "down",
            Liveness::Live => "live",
            Liveness::Polling => "polling",
            Liveness::ThisBrowser => "this-browser",
        }
    }
}

/// Ends a subscription when dropped.
pub struct Subscription {
    cancel: Option<Box<dyn FnOnce()>>,
}

impl Subscription {
    pub fn new(cancel: impl FnOnce() + 'static) -> Self {
        Subscription {
            cancel: Some(Box::new(cancel)),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }
}
