//! The writer of the PostgreSQL store: group commit under one advisory
//! lock, so ids and event `seq`s are drawn in commit order across every
//! instance on the database.
//!
//! Why a lock: sequence values are handed out when asked for, not when the
//! asking transaction commits. Writer A draws id 10, writer B draws 11, B
//! commits first; a client listing `after=9` in between gets 11 and moves
//! its cursor past 10, which it then never sees (the same goes for SSE
//! `seq`s and `Last-Event-ID`). Each write transaction here first takes
//! `pg_advisory_xact_lock(LOCK_KEY)`, which PostgreSQL releases only after
//! the commit is visible, so the next holder draws strictly larger values
//! and any snapshot that sees a value sees every smaller one: cursors and
//! event resumption keep the SQLite store's "no gaps" property, and NOTIFYs
//! (delivered in commit order) arrive in `seq` order.
//!
//! The cost is that writes to the whole database are serialised. To keep
//! that cheap, each instance has one writer task that commits every write
//! waiting for it (up to [`MAX_BATCH`]) in one transaction: one lock hold
//! and one WAL flush per batch, as the SQLite writer does. (A lock per wall would allow parallel walls, but
//! `latest_seq` is global, so the event log would need per-wall ordering
//! first; one busy incident wall is the load that matters anyway.)

// The kinds of write and their outcomes are the SQLite writer's: the two
// stores answer the same questions.
use super::sqlite_writer::{Done, Op};
use super::{StoreError, StoreResult, WallEvent};
use crate::broadcast_pg::{PgFanOut, EVENTS_CHANNEL, STATUS_CHANNEL};
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::Connection;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The advisory lock every write transaction holds (an arbitrary constant:
/// "hugops" in ASCII, so it does not collide with other applications'
/// small numbers on a shared database).
pub const LOCK_KEY: i64 = 0x6875_676f_7073;
/// The most writes committed together.
pub const MAX_BATCH: usize = 256;
/// Writes that may wait for the writer before callers wait to queue.
const QUEUE: usize = 4096;

enum Command {
    Write {
        op: Op,
        reply: oneshot::Sender<StoreResult<Done>>,
    },
    Close(oneshot::Sender<()>),
}

type Pending = (Op, oneshot::Sender<StoreResult<Done>>);

/// The handle to the writer task.
pub struct Writer {
    sender: mpsc::Sender<Command>,
}

fn closed() -> StoreError {
    StoreError::new("the store is closed")
}

impl Writer {
    pub fn spawn(pool: PgPool, fan_out: Arc<PgFanOut>) -> Writer {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, receiver, fan_out));
        Writer { sender }
    }

    /// Performs `op`; answers once it is committed and its event published
    /// on this instance.
    pub async fn write(&self, op: Op) -> StoreResult<Done> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Command::Write { op, reply })
            .await
            .map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// Finishes the writes already queued, then stops.
    pub async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.sender.send(Command::Close(reply)).await.is_ok() {
            let _ = done.await;
        }
    }
}

async fn run(pool: PgPool, mut receiver: mpsc::Receiver<Command>, fan_out: Arc<PgFanOut>) {
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
            commit_batch(&pool, &mut batch, &fan_out).await;
        }
    }
    if let Some(reply) = closing {
        let _ = reply.send(());
    }
}

/// What one write did, and what it tells others.
struct Outcome {
    done: Done,
    event: Option<WallEvent>,
    status_changed: bool,
}

async fn commit_batch(pool: &PgPool, batch: &mut Vec<Pending>, fan_out: &PgFanOut) {
    // First without savepoints, two round trips fewer per write: a write
    // almost never fails on its own (conflicts are answered by ON
    // CONFLICT). If one does, PostgreSQL has aborted the whole
    // transaction, so the batch runs again with a savepoint per write and
    // only the failing write fails.
    let mut attempt = run_batch(pool, batch, false).await;
    if let Err(Failed::Write) = attempt {
        attempt = run_batch(pool, batch, true).await;
    }
    match attempt {
        Ok(mut outcomes) => {
            let events: Vec<WallEvent> = outcomes
                .iter_mut()
                .flatten()
                .filter_map(|o| o.event.take())
                .collect();
            // Published on this instance before anyone is answered, so a
            // client holding its 201 never reads a page cached before it.
            fan_out.committed(events).await;
            for ((_, reply), outcome) in batch.drain(..).zip(outcomes) {
                let _ = reply.send(outcome.map(|o| o.done));
            }
        }
        Err(failed) => {
            let error = match failed {
                Failed::Transaction(error) => error.to_string(),
                Failed::Write => "a write failed outside any savepoint".to_owned(),
            };
            tracing::error!(%error, writes = batch.len(), "a write transaction failed");
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(Err(StoreError::new(format!("the write failed: {error}"))));
            }
        }
    }
}

/// Why a batch did not commit.
enum Failed {
    /// A write failed in a batch run without savepoints: run it again with.
    Write,
    /// The transaction itself failed: every write of the batch fails.
    Transaction(StoreError),
}

impl From<sqlx::Error> for Failed {
    fn from(e: sqlx::Error) -> Self {
        Failed::Transaction(e.into())
    }
}

/// Runs the batch in one transaction under the lock and commits it; the
/// outcome of each write, in order. With `isolate`, each write runs in its
/// own savepoint, and one that fails is undone alone.
async fn run_batch(
    pool: &PgPool,
    batch: &[Pending],
    isolate: bool,
) -> Result<Vec<StoreResult<Outcome>>, Failed> {
    let mut outcomes = Vec::with_capacity(batch.len());
    // From the pool, not one held connection: a connection the database
    // dropped is replaced on the next batch.
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(LOCK_KEY)
        .execute(&mut *tx)
        .await?;
    for (op, _) in batch {
        let outcome = if isolate {
            let mut savepoint = tx.begin().await?;
            let outcome = perform(&mut savepoint, op).await;
            if outcome.is_ok() {
                savepoint.commit().await?;
            } else {
                savepoint.rollback().await?;
            }
            outcome
        } else {
            // Dropping `tx` on the way out rolls everything back.
            Ok(perform(&mut tx, op).await.map_err(|_| Failed::Write)?)
        };
        outcomes.push(outcome);
    }
    // The doorbells for the other instances, delivered at commit. The
    // payload is only the newest `seq`: listeners read the events from the
    // log (a NOTIFY payload is limited to 8000 bytes, and the log has to be
    // read after a reconnect anyway).
    let newest = outcomes
        .iter()
        .flatten()
        .filter_map(|o: &Outcome| o.event.as_ref().map(|e| e.seq))
        .max();
    if let Some(seq) = newest {
        notify(&mut tx, EVENTS_CHANNEL, &seq.to_string())
            .await
            .map_err(Failed::Transaction)?;
    }
    if outcomes.iter().flatten().any(|o| o.status_changed) {
        notify(&mut tx, STATUS_CHANNEL, "")
            .await
            .map_err(Failed::Transaction)?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

async fn notify(connection: &mut PgConnection, channel: &str, payload: &str) -> StoreResult<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

async fn perform(connection: &mut PgConnection, op: &Op) -> StoreResult<Outcome> {
    let (done, event) = match op {
        Op::Post { wall, post } => {
            let (posted, event) = insert(connection, wall, post).await?;
            (Done::Posted(posted), event)
        }
        Op::Hug {
            wall,
            id,
            client_id,
            at,
        } => {
            let (hugged, event) = hug(connection, wall, *id, client_id, *at).await?;
            (Done::Hugged(hugged), event)
        }
        Op::Moderate {
            wall,
            id,
            action,
            at,
        } => {
            let (message, event) = moderate(connection, wall, *id, *action, *at).await?;
            (Done::Moderated(message), event)
        }
        Op::TeamStatus { summary, at } => {
            set_team_status(connection, summary.as_deref(), *at).await?;
            return Ok(Outcome {
                done: Done::TeamStatusSet,
                event: None,
                status_changed: true,
            });
        }
        Op::SlowMode { wall, seconds } => {
            set_slow_mode(connection, wall.as_ref(), *seconds).await?;
            (Done::Written, None)
        }
        Op::Incidents { seen, at } => {
            record_incidents(connection, seen, *at).await?;
            (Done::Written, None)
        }
        Op::Probe => {
            probe(connection).await?;
            // A transaction id makes the commit write WAL: a full disk or
            // a read-only server fails here.
            sqlx::query("SELECT txid_current()")
                .execute(&mut *connection)
                .await?;
            (Done::Probed, None)
        }
        Op::Find { wall, client_id } => {
            (Done::Found(find(connection, wall, client_id).await?), None)
        }
    };
    Ok(Outcome {
        done,
        event,
        status_changed: false,
    })
}

super::shared::write_queries!(
    sqlx::postgres::PgConnection,
    sql = crate::store::shared::numbered
);
