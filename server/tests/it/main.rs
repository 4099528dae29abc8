//! Integration tests of hugops-server through its HTTP interface, on real
//! SQLite files in temp dirs: in-process with `oneshot`, on a real port for
//! SSE and the status upstream, and as the real binary for durability and
//! shutdown. One test binary, so the build links once.

mod common;

mod abuse;
mod api_doc;
mod client_ip;
mod connections;
mod health;
mod languages;
mod media_type;
mod messages;
mod naughty;
mod pages;
mod postgres;
mod privacy;
mod process;
mod startup;
mod status_proxy;
mod stream;
mod team;
mod team_settings;
mod team_walls;
mod upgrade;
