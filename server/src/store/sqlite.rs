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

use super::sqlite_writer::{Done, Op, Writer};
use super::{BoxFuture, Hugged, NewPost, Posted, StoreError, StoreResult, WallEvent, WallStore};
use crate::broadcast::Broadcaster;
use hugops_core::time::Timestamp;
use hugops_core::wire::{Message, MessageId, MessagePage, ModerationAction, PageRequest, WallSlug};
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
    "id, client_id, author, body, created_at, hugs, pinned, hidden, held";

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
            client_id: self.client_id,
        }
    }

    pub fn visible(&self) -> bool {
        !self.hidden && !self.held
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    name: String,
    data: String,
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

    async fn list_visible(&self, wall: &WallSlug, page: PageRequest) -> StoreResult<MessagePage> {
        let limit = i64::from(page.effective_limit());
        let visible = "wall = ? AND hidden = 0 AND held = 0";
        // One query fetches one row more than the page in the direction of
        // travel, to learn whether there is more that way; the other
        // direction is one indexed EXISTS.
        let (mut rows, forward) = match (page.after, page.before) {
            (Some(after), before) => {
                let sql = format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {visible} AND id > ? AND id < ? \
                     ORDER BY id ASC LIMIT ?"
                );
                let rows = sqlx::query_as::<_, MessageRow>(&sql)
                    .bind(wall.as_str())
                    .bind(after)
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(limit + 1)
                    .fetch_all(&self.pool)
                    .await?;
                (rows, true)
            }
            (None, before) => {
                let sql = format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {visible} AND id < ? \
                     ORDER BY id DESC LIMIT ?"
                );
                let mut rows = sqlx::query_as::<_, MessageRow>(&sql)
                    .bind(wall.as_str())
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(limit + 1)
                    .fetch_all(&self.pool)
                    .await?;
                rows.reverse();
                (rows, false)
            }
        };
        let more_in_direction = rows.len() as i64 > limit;
        if more_in_direction {
            if forward {
                rows.pop();
            } else {
                rows.remove(0);
            }
        }
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(MessagePage::default());
        };
        let (first_id, last_id) = (first.id, last.id);
        let exists = |sql: &'static str, id: i64| {
            sqlx::query_scalar::<_, bool>(sql)
                .bind(wall.as_str())
                .bind(id)
                .fetch_one(&self.pool)
        };
        let (newer, older) = if forward {
            let older = exists(
                "SELECT EXISTS (SELECT 1 FROM messages WHERE wall = ? AND hidden = 0 AND held = 0 AND id < ?)",
                first_id,
            )
            .await?;
            (more_in_direction, older)
        } else {
            let newer = exists(
                "SELECT EXISTS (SELECT 1 FROM messages WHERE wall = ? AND hidden = 0 AND held = 0 AND id > ?)",
                last_id,
            )
            .await?;
            (newer, more_in_direction)
        };
        Ok(MessagePage {
            messages: rows.into_iter().map(|r| r.into_message(wall)).collect(),
            next_after: newer.then_some(last_id),
            prev_before: older.then_some(first_id),
        })
    }

    async fn find(&self, wall: &WallSlug, client_id: &str) -> StoreResult<Option<Message>> {
        let sql =
            format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = ? AND client_id = ?");
        let row = sqlx::query_as::<_, MessageRow>(&sql)
            .bind(wall.as_str())
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.into_message(wall)))
    }
}

impl WallStore for SqliteStore {
    fn list(&self, wall: WallSlug, page: PageRequest) -> BoxFuture<'_, StoreResult<MessagePage>> {
        Box::pin(async move { self.list_visible(&wall, page).await })
    }

    fn find_by_client_id(
        &self,
        wall: WallSlug,
        client_id: String,
    ) -> BoxFuture<'_, StoreResult<Option<Message>>> {
        Box::pin(async move { self.find(&wall, &client_id).await })
    }

    fn post(&self, wall: WallSlug, post: NewPost) -> BoxFuture<'_, StoreResult<Posted>> {
        Box::pin(async move {
            match self.writer.write(Op::Post { wall, post }).await? {
                Done::Posted(posted) => Ok(posted),
                _ => Err(mismatch()),
            }
        })
    }

    fn hug(
        &self,
        wall: WallSlug,
        id: MessageId,
        client_id: String,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Option<Hugged>>> {
        Box::pin(async move {
            let op = Op::Hug {
                wall,
                id,
                client_id,
                at,
            };
            match self.writer.write(op).await? {
                Done::Hugged(hugged) => Ok(hugged),
                _ => Err(mismatch()),
            }
        })
    }

    fn moderate(
        &self,
        wall: WallSlug,
        id: MessageId,
        action: ModerationAction,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Option<Message>>> {
        Box::pin(async move {
            let op = Op::Moderate {
                wall,
                id,
                action,
                at,
            };
            match self.writer.write(op).await? {
                Done::Moderated(message) => Ok(message),
                _ => Err(mismatch()),
            }
        })
    }

    fn all(&self, wall: WallSlug) -> BoxFuture<'_, StoreResult<Vec<Message>>> {
        Box::pin(async move {
            let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = ? ORDER BY id");
            let rows = sqlx::query_as::<_, MessageRow>(&sql)
                .bind(wall.as_str())
                .fetch_all(&self.pool)
                .await?;
            Ok(rows.into_iter().map(|r| r.into_message(&wall)).collect())
        })
    }

    fn events_after(
        &self,
        wall: WallSlug,
        after: i64,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<Vec<WallEvent>>> {
        Box::pin(async move {
            let rows = sqlx::query_as::<_, EventRow>(
                "SELECT seq, name, data FROM events WHERE wall = ? AND seq > ? ORDER BY seq LIMIT ?",
            )
            .bind(wall.as_str())
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| WallEvent {
                    seq: r.seq,
                    wall: wall.clone(),
                    name: r.name,
                    data: r.data.into(),
                })
                .collect())
        })
    }

    fn latest_seq(&self) -> BoxFuture<'_, StoreResult<i64>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events")
                    .fetch_one(&self.pool)
                    .await?,
            )
        })
    }

    fn team_status(&self) -> BoxFuture<'_, StoreResult<Option<String>>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT summary FROM team_status WHERE id = 1")
                    .fetch_optional(&self.pool)
                    .await?,
            )
        })
    }

    fn set_team_status(
        &self,
        summary: Option<String>,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<()>> {
        Box::pin(async move {
            match self.writer.write(Op::TeamStatus { summary, at }).await? {
                Done::TeamStatusSet => Ok(()),
                _ => Err(mismatch()),
            }
        })
    }

    fn ping(&self) -> BoxFuture<'_, StoreResult<()>> {
        Box::pin(async move {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
    }

    /// Finishes queued writes; closing the last connection checkpoints the
    /// WAL into the main file.
    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.writer.close().await;
            self.pool.close().await;
        })
    }
}

/// The writer answered a write with another kind of outcome: a bug.
fn mismatch() -> StoreError {
    StoreError::new("the writer answered with the wrong kind of outcome")
}
