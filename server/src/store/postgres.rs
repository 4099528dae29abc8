//! The shared store: PostgreSQL, for running many server instances on one
//! database (`--database postgres://…`).
//!
//! It answers exactly as the SQLite store does; what differs is how order
//! and fan-out are kept when several processes write:
//! - ids and event `seq`s are drawn under one advisory lock, in commit
//!   order (`postgres_writer`), so list cursors and `Last-Event-ID` never
//!   step over a row that commits late;
//! - every instance publishes every event, whichever instance wrote it,
//!   from the shared event log, woken by LISTEN/NOTIFY (`broadcast_pg`);
//! - a change of the team's status is NOTIFYed too, and each instance
//!   reloads its in-memory copy.
//!
//! Reads go through a pool; writes through this instance's one writer task
//! (group commit).

use super::postgres_writer::Writer;
use super::sqlite::{MessageRow, MESSAGE_COLUMNS};
use super::sqlite_writer::{Done, Op};
use super::{BoxFuture, Hugged, NewPost, Posted, StoreError, StoreResult, WallEvent, WallStore};
use crate::broadcast::Broadcaster;
use crate::broadcast_pg::{PgFanOut, LISTENER_NAME};
use hugops_core::time::Timestamp;
use hugops_core::wire::{Message, MessageId, MessagePage, ModerationAction, PageRequest, WallSlug};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Connections each instance opens for requests (plus one for LISTEN).
/// Instances × (this + 1) must stay under the server's `max_connections`
/// (100 by default): a handful of instances fit.
pub const POOL_SIZE: u32 = 10;
/// How long a request waits for a connection before it fails (503-like
/// behaviour is better than a request hanging on a dead database).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

pub struct PostgresStore {
    pool: PgPool,
    writer: Writer,
    fan_out: Arc<PgFanOut>,
}

/// Whether `database` names a PostgreSQL database rather than a file.
pub fn is_url(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    name: String,
    data: String,
}

impl PostgresStore {
    /// Connects, brings the schema up to date (sqlx's migrator holds an
    /// advisory lock, so instances starting together do not race) and
    /// starts listening. Events go to `subscribers` through the returned
    /// fan-out, which is this instance's `Broadcaster`.
    pub async fn open(
        url: &str,
        subscribers: Arc<dyn Broadcaster>,
    ) -> StoreResult<(PostgresStore, Arc<PgFanOut>)> {
        let options = PgConnectOptions::from_str(url)?.application_name("hugops-server");
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations_postgres").run(&pool).await?;
        // Its own pool of one, so LISTEN never waits for a request's
        // connection, and its reconnects never take one.
        let listen_pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with(options.application_name(LISTENER_NAME));
        let fan_out = PgFanOut::start(pool.clone(), listen_pool, subscribers).await?;
        let writer = Writer::spawn(pool.clone(), fan_out.clone());
        let store = PostgresStore {
            pool,
            writer,
            fan_out: fan_out.clone(),
        };
        Ok((store, fan_out))
    }

    async fn list_visible(&self, wall: &WallSlug, page: PageRequest) -> StoreResult<MessagePage> {
        let limit = i64::from(page.effective_limit());
        let visible = "wall = $1 AND NOT hidden AND NOT held";
        // As in the SQLite store: one row more than the page in the
        // direction of travel says whether there is more that way; the
        // other direction is one indexed EXISTS.
        let (mut rows, forward) = match (page.after, page.before) {
            (Some(after), before) => {
                let sql = format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {visible} AND id > $2 AND id < $3 \
                     ORDER BY id ASC LIMIT $4"
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
                    "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {visible} AND id < $2 \
                     ORDER BY id DESC LIMIT $3"
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
                "SELECT EXISTS (SELECT 1 FROM messages WHERE wall = $1 AND NOT hidden AND NOT held AND id < $2)",
                first_id,
            )
            .await?;
            (more_in_direction, older)
        } else {
            let newer = exists(
                "SELECT EXISTS (SELECT 1 FROM messages WHERE wall = $1 AND NOT hidden AND NOT held AND id > $2)",
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
            format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = $1 AND client_id = $2");
        let row = sqlx::query_as::<_, MessageRow>(&sql)
            .bind(wall.as_str())
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.into_message(wall)))
    }
}

impl WallStore for PostgresStore {
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
            let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = $1 ORDER BY id");
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
                "SELECT seq, name, data FROM events WHERE wall = $1 AND seq > $2 ORDER BY seq LIMIT $3",
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

    /// Finishes queued writes (and their publication), then stops
    /// listening and closes the connections.
    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.writer.close().await;
            self.fan_out.stop().await;
            self.pool.close().await;
        })
    }
}

/// The writer answered a write with another kind of outcome: a bug.
fn mismatch() -> StoreError {
    StoreError::new("the writer answered with the wrong kind of outcome")
}
