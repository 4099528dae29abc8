//! Plain types and rules shared by the HugOps widget and server.
//!
//! Architecture invariant: nothing in this crate knows about the browser,
//! Leptos or axum. Everything here is tested with plain `cargo test`.

pub mod demo;
pub mod kindness;
pub mod language;
pub mod message;
pub mod status;
pub mod time;
pub mod unicode;
pub mod wall;
pub mod wire;
