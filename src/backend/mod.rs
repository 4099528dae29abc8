//! The backend adapter: the only way the widget talks to the outside world.
//!
//! Architecture invariant: components never call `fetch`, `EventSource` or
//! `localStorage` themselves; they hold an `Rc<dyn StatusSource>` and an
//! `Rc<dyn WallStore>` chosen from the embed's configuration.
//!
//! Futures are boxed and need not be `Send` (browser futures are not), which
//! keeps the traits object-safe so the adapter can be picked at run time.

pub mod demo;
pub mod memory;
pub mod statuspage;

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

/// Why the status could not be refreshed, in words for the customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusProblem(pub String);

impl std::fmt::Display for StatusProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
