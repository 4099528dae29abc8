//! The PostgreSQL store, on a real PostgreSQL server (`cargo xtask test`
//! starts a throwaway one and sets `HUGOPS_TEST_POSTGRES_URL`; without it
//! these tests fail, saying so, rather than pass unseen).
//!
//! The suites that exercise the store through the API run here a second
//! time, unchanged: each file is compiled again inside this module, where
//! `super::common` is `postgres/common.rs`, whose `start` opens the app on
//! a fresh PostgreSQL database instead of a SQLite file. Then the tests
//! only PostgreSQL has: several instances on one database.

// Loading those files twice is the point (see above).
#![allow(clippy::duplicate_mod)]

mod batch;
mod common;
mod instances;
mod reconnect;
mod team_instances;
mod writer;

#[path = "messages.rs"]
mod messages;
#[path = "naughty.rs"]
mod naughty;
#[path = "privacy.rs"]
mod privacy;
#[path = "stream.rs"]
mod stream;
#[path = "team.rs"]
mod team;
#[path = "team_walls.rs"]
mod team_walls;
