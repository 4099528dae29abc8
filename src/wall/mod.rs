//! The HugOps wall: customers leave short supportive messages during an
//! outage, see others' arrive live, and hug them.
//!
//! Plain logic, tested natively: `feed` (what the wall shows and how events
//! change it), `window` (which rows of a long list to render), `announcer`
//! (screen-reader announcements, rate-limited), `draft` (the composer's
//! count and rules), `visitor` (the anonymous visitor's id and hugs),
//! `own_posts` (which arrivals are the visitor's own), `choice` (which
//! walls to offer and which one opens),
//! `words` (what the wall says). Hooks: `use_wall_feed`, `use_outbox`,
//! `live_region`. Components, one per file: `wall` (the whole), `composer`,
//! `pending_list`, `message_list`, `message_card`, `hug_button`, `toast`,
//! `incident_walls` (the wall switcher).
//!
//! Architecture invariant: a message body is only ever a text node.

pub mod announcer;
pub mod choice;
mod composer;
pub mod draft;
pub mod draft_keeper;
pub mod feed;
mod hug_button;
mod incident_walls;
pub mod lazy;
mod live_region;
mod message_card;
mod message_list;
pub mod own_posts;
mod pending_list;
mod toast;
pub mod use_outbox;
pub mod use_wall_feed;
pub mod visitor;
#[allow(clippy::module_inception)]
mod wall;
pub mod window;
pub mod words;

pub use composer::{ComposerFields, Field, Problem};
pub use incident_walls::IncidentWalls;
pub use toast::WallToast;
pub use wall::{Wall, WallActions, WallOptions};
