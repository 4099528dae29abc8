//! The HugOps widget: a status panel and a HugOps wall, as a custom element
//! (`<hugops-widget>`) rendered with Leptos into its own shadow root.
//!
//! Code map: `embed` (custom element, shadow root, styles), `config`
//! (attributes), `backend` (the adapter traits and their implementations;
//! the only code that touches the network or storage), `status` (the status
//! panel), `app` (the widget's top-level view), `browser` and `time_format`
//! (small helpers).

pub mod app;
pub mod backend;
pub mod backoff;
pub mod browser;
pub mod clock;
pub mod config;
pub mod embed;
pub mod i18n;
pub mod locale;
pub mod outbox;
pub mod panel;
pub mod status;
pub mod time_format;
pub mod unicode;
pub mod wall;

/// Entry point of the release bundle: registers `<hugops-widget>`.
pub fn start() {
    embed::define_custom_element();
}
