//! The team page (`/team`): sign in with the team token, see every wall,
//! read, moderate and export one, post as the team, set slow mode.
//!
//! A bundle of its own (built from team/index.html into dist/team/), so the
//! visitor's widget carries none of it.
//!
//! Code map: plain logic with native tests — `token` (where the token is
//! kept), `review` (states, actions, filters), `keys` (shortcuts), `chart`
//! (activity buckets and bars), `slow`, `export`, `time_text`, `model` (how
//! the page reads core's wire types); the browser — `api` (the only code that talks to the
//! server), `browser` (storage, timers, focus, saving files), `live`
//! (refresh loops), `session` (the signed-in state); `ui/` one component
//! per file.

pub mod api;
pub mod browser;
pub mod chart;
pub mod export;
pub mod keys;
pub mod live;
pub mod model;
pub mod review;
pub mod session;
pub mod slow;
pub mod time_text;
pub mod token;
pub mod ui;

/// Entry point of the bundle: renders the page into `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(ui::app::App);
}
