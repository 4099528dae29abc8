//! The status panel: what is broken and since when.

mod banner;
mod components;
pub mod feed;
mod icons;
mod incidents;
mod maintenance;
mod panel;
pub mod poller;
pub mod problem;

pub use panel::StatusPanel;
