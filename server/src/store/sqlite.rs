//! The embedded store: one SQLite file in WAL mode.
//!
//! Durability: `journal_mode=WAL` with `synchronous=FULL`. In WAL mode
//! `NORMAL` already survives a killed process (a commit is in the OS's page
//! cache before `COMMIT` returns), but not a power cut or kernel panic,
//! where the last commits can vanish after their 201 went out. `FULL` syncs
//! the WAL on every commit, so a 201 means "on disk". Its cost is one fsync
//! per write transaction, and the writer commits many waiting writes in one
//! transaction (group commit, `sqlite_writer`), so under load many posts
//! share one fsync.
//!
//! Reads go through a pool (WAL lets them run beside the writer); writes go
//! through the one writer task, which also publishes events in commit
//! (= `seq`) order: that is what lets an SSE stream skip by `seq` what it
//! already sent.

use super::sqlite_writer::Writer;
use super::StoreResult;
use crate::broadcast::Broadcaster;
use hugops_core::time::Timestamp;
use hugops_core::wire::{Message, WallSlug};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::ConnectOptions;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
    writer: Writer,
}

/// The columns of `messages`, in the order `MessageRow` reads them.
pub(super) const MESSAGE_COLUMNS: &str =
    "id, client_id, author, body, created_at, hugs, pinned, hidden, held, official";

#[derive(sqlx::FromRow)]
pub(super) struct MessageRow {
    pub id: i64,
    pub client_id: String,
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub hugs: i64,
    pub pinned: bool,
    pub hidden: bool,
    pub held: bool,
    pub official: bool,
}

impl MessageRow {
    pub fn into_message(self, wall: &WallSlug) -> Message {
        Message {
            id: self.id,
            wall: wall.clone(),
            author: self.author,
            body: self.body,
            created_at: Timestamp::from_millis(self.created_at),
            hugs: u32::try_from(self.hugs).unwrap_or(u32::MAX),
            pinned: self.pinned,
            hidden: self.hidden,
            held: self.held,
            client_id: Some(self.client_id),
            official: self.official,
        }
    }

    pub fn visible(&self) -> bool {
        hugops_core::wall::Flags {
            pinned: self.pinned,
            hidden: self.hidden,
            held: self.held,
        }
        .is_public()
    }
}

impl SqliteStore {
    /// Opens (creating when missing) the database file and brings its
    /// schema up to date.
    pub async fn open(path: &Path, broadcaster: Arc<dyn Broadcaster>) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // A checkpoint or a second process may hold the lock briefly.
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            // Readers run in parallel under WAL.
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let writer = Writer::spawn(options.connect().await?, broadcaster);
        Ok(SqliteStore { pool, writer })
    }

    /// The message an earlier post with this `client_id` stored, if any.
    async fn find_posted(&self, wall: &WallSlug, client_id: &str) -> StoreResult<Option<Message>> {
        super::sqlite_writer::find_posted(&self.pool, wall, client_id).await
    }

    /// Finishes queued writes; closing the last connection checkpoints the
    /// WAL into the main file.
    async fn shutdown(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

// The SQLite spelling of "visible" is the one of the `messages_visible`
// partial index.
super::shared::wall_store!(
    SqliteStore,
    sql = super::shared::as_is,
    visible = "hidden = 0 AND held = 0"
);
