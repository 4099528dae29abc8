//! The outbox: nothing lost, nothing doubled.
//!
//! A post is written to a persistent queue (localStorage) before it is
//! sent, shown at once as "sending", and retried with back-off across
//! failures, reloads and going offline. Each post carries a `client_id`
//! chosen when it was written, and every `WallStore` is idempotent on it,
//! so a retry of a post the store did take (but whose answer was lost)
//! returns the stored message instead of making a second one. A refusal
//! that retrying cannot fix (the message breaks a rule) leaves the queue
//! and goes back to the composer with the reason.
//!
//! `queue`, `saved` and `backoff` are plain Rust with native tests;
//! `runner` wires them to the browser (storage, timers, `online` and
//! `storage` events). A saved queue this version cannot read is kept
//! aside, never deleted (see `saved`).

/// The widget's one back-off, here under its old path too.
pub use crate::backoff;
pub mod client_id;
pub mod queue;
mod runner;
pub mod saved;
pub mod storage;

pub use backoff::Backoff;
pub use queue::{Entry, Refused};
pub use runner::{Outbox, OutboxEvent, OutboxOptions, Pending, PendingState};
pub use saved::{Loaded, Lost};
