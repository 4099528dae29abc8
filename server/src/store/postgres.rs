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
//! (group commit) on a connection of its own.

use super::postgres_writer::Writer;
use super::sqlite_writer::{Done, Op};
use super::StoreResult;
use crate::broadcast::Broadcaster;
use crate::broadcast_pg::{PgFanOut, LISTENER_NAME};
use hugops_core::wire::{Message, WallSlug};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Connections each instance opens for reads (plus one for its writer and
/// one for LISTEN). Instances × (this + 2) must stay under the server's
/// `max_connections` (100 by default): a handful of instances fit.
pub const POOL_SIZE: u32 = 10;
/// How long a request waits for a connection before it fails (503-like
/// behaviour is better than a request hanging on a dead database).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

pub struct PostgresStore {
    pool: PgPool,
    /// The writer's own connection: a burst of reads holding every
    /// connection of `pool` cannot make a write wait for one.
    write_pool: PgPool,
    writer: Writer,
    fan_out: Arc<PgFanOut>,
}

/// `application_name` of the writer's connection.
const WRITER_NAME: &str = "hugops-writer";
/// The fan-out's log reader, by the same token.
const LOG_READER_NAME: &str = "hugops-log-reader";

/// Whether `database` names a PostgreSQL database rather than a file.
pub fn is_url(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
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
            .connect_lazy_with(options.clone().application_name(LISTENER_NAME));
        // The fan-out reads the event log (to fill a gap, or after a
        // reconnect) through a pool of its own: the writer waits for its
        // events to be published, so through the read pool a burst of slow
        // reads would hold up every write.
        let log_pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options.clone().application_name(LOG_READER_NAME));
        let fan_out = PgFanOut::start(log_pool, listen_pool, subscribers).await?;
        // One connection: the writer runs one transaction at a time.
        let write_pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options.application_name(WRITER_NAME));
        let writer = Writer::spawn(write_pool.clone(), fan_out.clone());
        let store = PostgresStore {
            pool,
            write_pool,
            writer,
            fan_out: fan_out.clone(),
        };
        Ok((store, fan_out))
    }

    /// The message an earlier post with this `client_id` stored, if any:
    /// the first step of every post, so it goes where the post goes, to
    /// the writer's own connection. Through the read pool, a burst of
    /// reads holding every connection would make each post wait for the
    /// pool's acquire timeout and fail.
    async fn find_posted(&self, wall: &WallSlug, client_id: &str) -> StoreResult<Option<Message>> {
        let find = Op::Find {
            wall: wall.clone(),
            client_id: client_id.to_owned(),
        };
        match self.writer.write(find).await? {
            Done::Found(message) => Ok(message),
            _ => Err(super::shared::mismatch()),
        }
    }

    /// Finishes queued writes (and their publication), then stops
    /// listening and closes the connections.
    async fn shutdown(&self) {
        self.writer.close().await;
        self.fan_out.stop().await;
        self.write_pool.close().await;
        self.pool.close().await;
    }

    /// The read pool, for tests that need to exhaust it.
    #[doc(hidden)]
    pub fn read_pool(&self) -> &PgPool {
        &self.pool
    }
}

// The reads are the SQLite store's, with PostgreSQL's placeholders and
// booleans.
super::shared::wall_store!(
    PostgresStore,
    sql = super::shared::numbered,
    visible = "NOT hidden AND NOT held"
);
