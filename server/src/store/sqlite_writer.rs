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

use super::sqlite::{MessageRow, MESSAGE_COLUMNS};
use super::{Hugged, NewPost, Posted, StoreError, StoreResult, WallEvent};
use crate::broadcast::Broadcaster;
use hugops_core::time::Timestamp;
use hugops_core::wire::{HugCount, Message, MessageId, ModerationAction, StreamEvent, WallSlug};
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
}

/// What a write did.
pub enum Done {
    Posted(Posted),
    Hugged(Option<Hugged>),
    Moderated(Option<Message>),
    TeamStatusSet,
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
            match summary {
                Some(summary) => {
                    sqlx::query(
                        "INSERT INTO team_status (id, summary, set_at) VALUES (1, ?, ?) \
                         ON CONFLICT (id) DO UPDATE SET summary = excluded.summary, \
                         set_at = excluded.set_at",
                    )
                    .bind(summary)
                    .bind(at.millis())
                    .execute(&mut *connection)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM team_status")
                        .execute(&mut *connection)
                        .await?;
                }
            }
            Ok((Done::TeamStatusSet, None))
        }
    }
}

async fn message(
    connection: &mut SqliteConnection,
    wall: &WallSlug,
    id: MessageId,
) -> StoreResult<Option<MessageRow>> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ? AND wall = ?");
    Ok(sqlx::query_as::<_, MessageRow>(&sql)
        .bind(id)
        .bind(wall.as_str())
        .fetch_optional(&mut *connection)
        .await?)
}

async fn append_event(
    connection: &mut SqliteConnection,
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
    .fetch_one(&mut *connection)
    .await?;
    Ok(WallEvent {
        seq,
        wall: wall.clone(),
        name: event.name().to_owned(),
        data: data.into(),
    })
}

async fn insert(
    connection: &mut SqliteConnection,
    wall: &WallSlug,
    post: &NewPost,
) -> StoreResult<(Posted, Option<WallEvent>)> {
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
        .fetch_optional(&mut *connection)
        .await?;
    let Some(row) = inserted else {
        // A retry: the first attempt's row is the answer.
        let sql =
            format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = ? AND client_id = ?");
        let row = sqlx::query_as::<_, MessageRow>(&sql)
            .bind(wall.as_str())
            .bind(&post.client_id)
            .fetch_one(&mut *connection)
            .await?;
        let posted = Posted {
            message: row.into_message(wall),
            created: false,
        };
        return Ok((posted, None));
    };
    let visible = row.visible();
    let message = row.into_message(wall);
    let event = if visible {
        let event = StreamEvent::Message {
            message: message.clone(),
        };
        Some(append_event(connection, wall, &event, post.created_at).await?)
    } else {
        None
    };
    let posted = Posted {
        message,
        created: true,
    };
    Ok((posted, event))
}

fn count(hugs: i64) -> u32 {
    u32::try_from(hugs).unwrap_or(u32::MAX)
}

async fn hug(
    connection: &mut SqliteConnection,
    wall: &WallSlug,
    id: MessageId,
    client_id: &str,
    at: Timestamp,
) -> StoreResult<(Option<Hugged>, Option<WallEvent>)> {
    let Some(row) = message(connection, wall, id).await? else {
        return Ok((None, None));
    };
    if !row.visible() {
        return Ok((None, None));
    }
    let added = sqlx::query(
        "INSERT INTO hugs (message_id, client_id, created_at) VALUES (?, ?, ?) \
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(client_id)
    .bind(at.millis())
    .execute(&mut *connection)
    .await?
    .rows_affected()
        == 1;
    let mut hugs = row.hugs;
    let mut event = None;
    if added {
        hugs =
            sqlx::query_scalar("UPDATE messages SET hugs = hugs + 1 WHERE id = ? RETURNING hugs")
                .bind(id)
                .fetch_one(&mut *connection)
                .await?;
        let counted = StreamEvent::Hugs(HugCount {
            message_id: id,
            hugs: count(hugs),
        });
        event = Some(append_event(connection, wall, &counted, at).await?);
    }
    let hugged = Hugged {
        count: HugCount {
            message_id: id,
            hugs: count(hugs),
        },
        added,
    };
    Ok((Some(hugged), event))
}

async fn moderate(
    connection: &mut SqliteConnection,
    wall: &WallSlug,
    id: MessageId,
    action: ModerationAction,
    at: Timestamp,
) -> StoreResult<(Option<Message>, Option<WallEvent>)> {
    let Some(mut row) = message(connection, wall, id).await? else {
        return Ok((None, None));
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
        return Ok((Some(row.into_message(wall)), None));
    }
    sqlx::query("UPDATE messages SET pinned = ?, hidden = ?, held = ? WHERE id = ?")
        .bind(row.pinned)
        .bind(row.hidden)
        .bind(row.held)
        .bind(id)
        .execute(&mut *connection)
        .await?;
    let message = row.into_message(wall);
    let event = match super::moderation_event(action, was_visible, &message) {
        Some(e) => Some(append_event(connection, wall, &e, at).await?),
        None => None,
    };
    Ok((Some(message), event))
}
