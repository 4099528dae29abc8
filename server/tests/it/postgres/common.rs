//! `crate::common`, except that apps run on PostgreSQL: each `start` gets a
//! database of its own on the server `HUGOPS_TEST_POSTGRES_URL` names.

pub use crate::common::*;

use hugops_server::{app, AppState, Config};
use sqlx::{Connection, PgConnection};

pub const URL_VAR: &str = "HUGOPS_TEST_POSTGRES_URL";

/// The superuser URL of the test server. Panics, saying what to do, when
/// it is not set: a PostgreSQL test that is skipped looks like one that
/// passed.
pub fn server_url() -> String {
    std::env::var(URL_VAR)
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| {
            panic!(
                "{URL_VAR} is not set, so the PostgreSQL tests cannot run. Run `cargo xtask test` \
             (it starts a throwaway PostgreSQL and sets it), or start one with \
             `cargo xtask postgres` and set {URL_VAR} to the URL it prints."
            )
        })
}

/// `url` with another database (its path) and, if given, another user.
pub fn with(url: &str, database: &str, user: Option<&str>) -> String {
    let mut url = reqwest::Url::parse(url).expect("HUGOPS_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{database}"));
    if let Some(user) = user {
        url.set_username(user).unwrap();
    }
    url.to_string()
}

/// A connection to the test server's own database, as its superuser.
pub async fn admin() -> PgConnection {
    let url = server_url();
    PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR}={url}: {e}"))
}

/// A name no other test (in this run or an earlier one) uses.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}_{}", unique_id().replace('-', "_")) + &format!("_{nanos}")
}

/// A new, empty database; its URL.
pub async fn fresh_database() -> String {
    let name = unique_name("hugops_it");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin().await)
        .await
        .unwrap();
    with(&server_url(), &name, None)
}

pub async fn start() -> TestApp {
    start_with(|_| {}).await
}

/// As `crate::common::start_with`, on a fresh database.
pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    start_on(&fresh_database().await, tweak).await
}

/// An instance on the database at `url` (several may share one).
pub async fn start_on(url: &str, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    tweak(&mut config);
    config.database = url.into();
    let state = AppState::open(&config).await.unwrap();
    let router = app(state.clone());
    TestApp { dir, state, router }
}
