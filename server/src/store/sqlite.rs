//! The embedded store: one SQLite file in WAL mode.
//!
//! Durability: `journal_mode=WAL` with `synchronous=FULL`. In WAL mode
//! `NORMAL` already survives a killed process (a commit is in the OS's page
//! cache before `COMMIT` returns), but not a power cut or kernel panic,
//! where the last commits can vanish after their 201 went out. `FULL` syncs
//! the WAL on every commit, so a 201 means "on disk". Its cost is one fsync
//! per write transaction; writes are serialised in-process anyway (SQLite
//! has one writer), so that is the whole price, measured in the report.
//!
//! Writes hold an async mutex from `BEGIN` until the event is handed to the
//! broadcaster, so the broadcaster sees events in commit (= `seq`) order,
//! which is what lets an SSE stream skip what it already sent by `seq`.

use super::{BoxFuture, Hugged, NewPost, Posted, StoreError, StoreResult, WallEvent, WallStore};
use crate::broadcast::Broadcaster;
use hugops_core::time::Timestamp;
use hugops_core::wire::{
    HugCount, Message, MessageId, MessagePage, ModerationAction, PageRequest, StreamEvent, WallSlug,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

pub struct SqliteStore {
    pool: SqlitePool,
    /// Serialises write transactions and their publication; see the module
    /// comment.
    write: Mutex<()>,
    broadcaster: Arc<dyn Broadcaster>,
}

/// The columns of `messages`, in the order `MessageRow` reads them.
const MESSAGE_COLUMNS: &str = "id, client_id, author, body, created_at, hugs, pinned, hidden, held";

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    client_id: String,
    author: Option<String>,
    body: String,
    created_at: i64,
    hugs: i64,
    pinned: bool,
    hidden: bool,
    held: bool,
}

impl MessageRow {
    fn into_message(self, wall: &WallSlug) -> Message {
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

    fn visible(&self) -> bool {
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
            // Readers run in parallel under WAL; writes go one at a time.
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(SqliteStore {
            pool,
            write: Mutex::new(()),
            broadcaster,
        })
    }

    async fn message_in_tx(
        tx: &mut Transaction<'static, Sqlite>,
        wall: &WallSlug,
        id: MessageId,
    ) -> StoreResult<Option<MessageRow>> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ? AND wall = ?");
        Ok(sqlx::query_as::<_, MessageRow>(&sql)
            .bind(id)
            .bind(wall.as_str())
            .fetch_optional(&mut **tx)
            .await?)
    }

    async fn append_event(
        tx: &mut Transaction<'static, Sqlite>,
        wall: &WallSlug,
        event: &StreamEvent,
        at: Timestamp,
    ) -> StoreResult<WallEvent> {
        let data = serde_json::to_string(event).map_err(StoreError::new)?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO events (wall, name, data, created_at) VALUES (?, ?, ?, ?) RETURNING seq",
        )
        .bind(wall.as_str())
        .bind(event.name())
        .bind(&data)
        .bind(at.millis())
        .fetch_one(&mut **tx)
        .await?;
        Ok(WallEvent {
            seq,
            wall: wall.clone(),
            name: event.name().to_owned(),
            data: data.into(),
        })
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

    async fn insert(&self, wall: &WallSlug, post: NewPost) -> StoreResult<Posted> {
        let _writer = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "INSERT INTO messages (wall, client_id, author, body, created_at, held) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (wall, client_id) DO NOTHING \
             RETURNING {MESSAGE_COLUMNS}"
        );
        let inserted = sqlx::query_as::<_, MessageRow>(&sql)
            .bind(wall.as_str())
            .bind(&post.client_id)
            .bind(&post.author)
            .bind(&post.body)
            .bind(post.created_at.millis())
            .bind(post.held)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = inserted else {
            // A retry: the first attempt's row is the answer.
            let sql =
                format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = ? AND client_id = ?");
            let row = sqlx::query_as::<_, MessageRow>(&sql)
                .bind(wall.as_str())
                .bind(&post.client_id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(Posted {
                message: row.into_message(wall),
                created: false,
            });
        };
        let visible = row.visible();
        let message = row.into_message(wall);
        let event = if visible {
            let event = StreamEvent::Message {
                message: message.clone(),
            };
            Some(Self::append_event(&mut tx, wall, &event, post.created_at).await?)
        } else {
            None
        };
        tx.commit().await?;
        if let Some(event) = event {
            self.broadcaster.publish(Arc::new(event));
        }
        Ok(Posted {
            message,
            created: true,
        })
    }

    async fn add_hug(
        &self,
        wall: &WallSlug,
        id: MessageId,
        client_id: &str,
        at: Timestamp,
    ) -> StoreResult<Option<Hugged>> {
        let _writer = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let Some(row) = Self::message_in_tx(&mut tx, wall, id).await? else {
            return Ok(None);
        };
        if !row.visible() {
            return Ok(None);
        }
        let added = sqlx::query(
            "INSERT INTO hugs (message_id, client_id, created_at) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(client_id)
        .bind(at.millis())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let mut hugs = row.hugs;
        let mut event = None;
        if added {
            hugs = sqlx::query_scalar(
                "UPDATE messages SET hugs = hugs + 1 WHERE id = ? RETURNING hugs",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let count = HugCount {
                message_id: id,
                hugs: u32::try_from(hugs).unwrap_or(u32::MAX),
            };
            event = Some(Self::append_event(&mut tx, wall, &StreamEvent::Hugs(count), at).await?);
        }
        tx.commit().await?;
        if let Some(event) = event {
            self.broadcaster.publish(Arc::new(event));
        }
        Ok(Some(Hugged {
            count: HugCount {
                message_id: id,
                hugs: u32::try_from(hugs).unwrap_or(u32::MAX),
            },
            added,
        }))
    }

    async fn apply(
        &self,
        wall: &WallSlug,
        id: MessageId,
        action: ModerationAction,
        at: Timestamp,
    ) -> StoreResult<Option<Message>> {
        let _writer = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let Some(mut row) = Self::message_in_tx(&mut tx, wall, id).await? else {
            return Ok(None);
        };
        let was_visible = row.visible();
        let before = (row.pinned, row.hidden, row.held);
        match action {
            ModerationAction::Hide => row.hidden = true,
            ModerationAction::Unhide => row.hidden = false,
            ModerationAction::Pin => row.pinned = true,
            ModerationAction::Unpin => row.pinned = false,
            ModerationAction::Approve => row.held = false,
        }
        if (row.pinned, row.hidden, row.held) == before {
            // Nothing changed: no write, no event.
            tx.commit().await?;
            return Ok(Some(row.into_message(wall)));
        }
        sqlx::query("UPDATE messages SET pinned = ?, hidden = ?, held = ? WHERE id = ?")
            .bind(row.pinned)
            .bind(row.hidden)
            .bind(row.held)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let is_visible = row.visible();
        let message = row.into_message(wall);
        // The public sees a message appear the first time it becomes
        // visible (an approval); any other change to something the public
        // saw, or now sees, is a moderation event.
        let event = if is_visible && !was_visible && action == ModerationAction::Approve {
            Some(StreamEvent::Message {
                message: message.clone(),
            })
        } else if was_visible || is_visible {
            Some(StreamEvent::Moderated {
                message: message.clone(),
            })
        } else {
            None
        };
        let event = match event {
            Some(e) => Some(Self::append_event(&mut tx, wall, &e, at).await?),
            None => None,
        };
        tx.commit().await?;
        if let Some(event) = event {
            self.broadcaster.publish(Arc::new(event));
        }
        Ok(Some(message))
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
        Box::pin(async move { self.insert(&wall, post).await })
    }

    fn hug(
        &self,
        wall: WallSlug,
        id: MessageId,
        client_id: String,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Option<Hugged>>> {
        Box::pin(async move { self.add_hug(&wall, id, &client_id, at).await })
    }

    fn moderate(
        &self,
        wall: WallSlug,
        id: MessageId,
        action: ModerationAction,
        at: Timestamp,
    ) -> BoxFuture<'_, StoreResult<Option<Message>>> {
        Box::pin(async move { self.apply(&wall, id, action, at).await })
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
            let _writer = self.write.lock().await;
            match summary {
                Some(summary) => {
                    sqlx::query(
                        "INSERT INTO team_status (id, summary, set_at) VALUES (1, ?, ?) \
                         ON CONFLICT (id) DO UPDATE SET summary = excluded.summary, set_at = excluded.set_at",
                    )
                    .bind(summary)
                    .bind(at.millis())
                    .execute(&self.pool)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM team_status")
                        .execute(&self.pool)
                        .await?;
                }
            }
            Ok(())
        })
    }

    fn ping(&self) -> BoxFuture<'_, StoreResult<()>> {
        Box::pin(async move {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
    }

    /// Closing the last connection checkpoints the WAL into the main file.
    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.pool.close())
    }
}
