//! The single writer of the SQLite store, with group commit.
//!
//! SQLite has one writer at a time, and with `synchronous=FULL` every
//! commit costs an fsync. So all writes go to one task owning one
//! connection: it takes every write that is waiting (up to
//! [`MAX_BATCH`]), runs each in its own savepoint inside one transaction
//! (a write that fails is rolled back alone), commits once, and only then
//! answers each caller and hands the events to the broadcaster. A post is
//! still answered only after its commit is on disk; under load many posts
//! share one fsync, so durability costs little throughput.
//!
//! One writer also gives the event log its order for free: `seq` is
//! assigned in the order the writer runs, and events are published in that
//! order after the commit that made them durable.

use super::{Hugged, IncidentRecord, NewPost, Posted, StoreError, StoreResult, WallEvent};
use crate::broadcast::Broadcaster;
use hugops_core::time::Timestamp;
use hugops_core::wire::{Message, MessageId, ModerationAction, WallSlug};
use sqlx::sqlite::SqliteConnection;
use sqlx::Connection;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most writes committed together.
pub const MAX_BATCH: usize = 256;
/// Writes that may wait for the writer before callers wait to queue.
const QUEUE: usize = 4096;

/// A write to perform.
pub enum Op {
    Post {
        wall: WallSlug,
        post: NewPost,
    },
    Hug {
        wall: WallSlug,
        id: MessageId,
        client_id: String,
        at: Timestamp,
    },
    Moderate {
        wall: WallSlug,
        id: MessageId,
        action: ModerationAction,
        at: Timestamp,
    },
    TeamStatus {
        summary: Option<String>,
        at: Timestamp,
    },
    /// `wall: None` is the global gap; `seconds: None` removes the setting.
    SlowMode {
        wall: Option<WallSlug>,
        seconds: Option<u32>,
    },
    Incidents {
        seen: Vec<IncidentRecord>,
        at: Timestamp,
    },
    /// Proves the writer can write (`/healthz`); changes nothing.
    Probe,
    /// Reads the message an earlier post with this `client_id` stored, on
    /// the writer's connection (PostgreSQL's retry check: see
    /// `PostgresStore::find_posted`).
    Find {
        wall: WallSlug,
        client_id: String,
    },
}

/// What a write did.
pub enum Done {
    Posted(Posted),
    Hugged(Option<Hugged>),
    Moderated(Option<Message>),
    TeamStatusSet,
    /// A write whose only outcome is that it committed.
    Written,
    Probed,
    Found(Option<Message>),
}

enum Command {
    Write {
        op: Op,
        reply: oneshot::Sender<StoreResult<Done>>,
    },
    Close(oneshot::Sender<()>),
}

/// The handle to the writer task.
pub struct Writer {
    sender: mpsc::Sender<Command>,
}

fn closed() -> StoreError {
    StoreError::new("the store is closed")
}

impl Writer {
    pub fn spawn(connection: SqliteConnection, broadcaster: Arc<dyn Broadcaster>) -> Writer {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(run(connection, receiver, broadcaster));
        Writer { sender }
    }

    /// Performs `op`; answers once it is committed (and its event
    /// published).
    pub async fn write(&self, op: Op) -> StoreResult<Done> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Command::Write { op, reply })
            .await
            .map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// Finishes the writes already queued, then closes the connection.
    pub async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.sender.send(Command::Close(reply)).await.is_ok() {
            let _ = done.await;
        }
    }
}

async fn run(
    mut connection: SqliteConnection,
    mut receiver: mpsc::Receiver<Command>,
    broadcaster: Arc<dyn Broadcaster>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut closing = None;
    while closing.is_none() {
        let Some(first) = receiver.recv().await else {
            break;
        };
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Write { op, reply } => batch.push((op, reply)),
                Command::Close(reply) => {
                    closing = Some(reply);
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = receiver.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            commit_batch(&mut connection, &mut batch, broadcaster.as_ref()).await;
        }
    }
    if let Err(error) = connection.close().await {
        tracing::warn!(%error, "closing the writer connection failed");
    }
    if let Some(reply) = closing {
        let _ = reply.send(());
    }
}

type Pending = (Op, oneshot::Sender<StoreResult<Done>>);

async fn commit_batch(
    connection: &mut SqliteConnection,
    batch: &mut Vec<Pending>,
    broadcaster: &dyn Broadcaster,
) {
    let mut outcomes: Vec<StoreResult<(Done, Option<WallEvent>)>> = Vec::with_capacity(batch.len());
    let committed = async {
        let mut tx = connection.begin().await?;
        for (op, _) in batch.iter() {
            // A savepoint per write: one failing write is undone alone.
            let mut savepoint = tx.begin().await?;
            let outcome = perform(&mut savepoint, op).await;
            if outcome.is_ok() {
                savepoint.commit().await?;
            } else {
                savepoint.rollback().await?;
            }
            outcomes.push(outcome);
        }
        tx.commit().await
    }
    .await;
    match committed {
        Ok(()) => {
            for ((_, reply), outcome) in batch.drain(..).zip(outcomes) {
                let answer = outcome.map(|(done, event)| {
                    if let Some(event) = event {
                        broadcaster.publish(Arc::new(event));
                    }
                    done
                });
                let _ = reply.send(answer);
            }
        }
        Err(error) => {
            tracing::error!(%error, writes = batch.len(), "a write transaction failed");
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(Err(StoreError::new(format!("the write failed: {error}"))));
            }
        }
    }
}

async fn perform(
    connection: &mut SqliteConnection,
    op: &Op,
) -> StoreResult<(Done, Option<WallEvent>)> {
    match op {
        Op::Post { wall, post } => {
            let (posted, event) = insert(connection, wall, post).await?;
            Ok((Done::Posted(posted), event))
        }
        Op::Hug {
            wall,
            id,
            client_id,
            at,
        } => {
            let (hugged, event) = hug(connection, wall, *id, client_id, *at).await?;
            Ok((Done::Hugged(hugged), event))
        }
        Op::Moderate {
            wall,
            id,
            action,
            at,
        } => {
            let (message, event) = moderate(connection, wall, *id, *action, *at).await?;
            Ok((Done::Moderated(message), event))
        }
        Op::TeamStatus { summary, at } => {
            set_team_status(connection, summary.as_deref(), *at).await?;
            Ok((Done::TeamStatusSet, None))
        }
        Op::SlowMode { wall, seconds } => {
            set_slow_mode(connection, wall.as_ref(), *seconds).await?;
            Ok((Done::Written, None))
        }
        Op::Incidents { seen, at } => {
            record_incidents(connection, seen, *at).await?;
            Ok((Done::Written, None))
        }
        Op::Probe => {
            probe(connection).await?;
            Ok((Done::Probed, None))
        }
        Op::Find { wall, client_id } => {
            Ok((Done::Found(find(connection, wall, client_id).await?), None))
        }
    }
}

/// The retry check of a post on SQLite, on a connection of the read pool:
/// under WAL a reader never waits for the writer, so it needs no place in
/// the writer's queue (where it would wait for a batch's fsync).
pub(super) async fn find_posted(
    pool: &sqlx::SqlitePool,
    wall: &WallSlug,
    client_id: &str,
) -> StoreResult<Option<Message>> {
    let mut connection = pool.acquire().await?;
    find(&mut connection, wall, client_id).await
}

super::shared::write_queries!(
    sqlx::sqlite::SqliteConnection,
    sql = crate::store::shared::as_is
);
