//! Live fan-out across server instances through PostgreSQL's LISTEN/NOTIFY.
//!
//! The event log in the database is the truth; a notification is only a
//! doorbell saying "the log grew up to `seq`". Each instance runs:
//!
//! - a **listener** task on its own connection (`LISTEN hugops_events,
//!   hugops_status`), which turns notifications into bells;
//! - a **pump** task, the only one that publishes to this instance's
//!   subscribers. It keeps a watermark (every event with `seq` at or below
//!   it is published) and, when a bell rings past it, reads the log after
//!   the watermark, in `seq` order. Events this instance wrote itself are
//!   handed over directly and published without a read when they follow
//!   the watermark without a hole.
//!
//! The writer draws `seq`s in commit order (see `store::postgres_writer`),
//! so a read of the log never sees a later event without every earlier one,
//! and publishing strictly in `seq` order keeps the `Broadcaster` contract
//! that SSE streams rely on to skip what they already sent.
//!
//! Notifications sent while the listening connection is down are lost.
//! So whenever the listener had to reconnect, once it is LISTENing again it
//! rings a "resync" bell: the pump reads the log after its watermark, which
//! covers everything missed, and the team status is reloaded too. A
//! subscriber sees a delay during an outage, never a gap.

use crate::broadcast::{Broadcaster, Subscription};
use crate::status::StatusService;
use crate::store::{StoreResult, WallEvent};
use hugops_core::wire::WallSlug;
use sqlx::postgres::{PgListener, PgPool};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

/// Notified (payload: the newest `seq`) by every commit that wrote events.
pub const EVENTS_CHANNEL: &str = "hugops_events";
/// Notified by every change of the team's status.
pub const STATUS_CHANNEL: &str = "hugops_status";
/// `application_name` of the listening connection, as `pg_stat_activity`
/// shows it.
pub const LISTENER_NAME: &str = "hugops-listener";
/// Events read from the log at a time.
const READ_BATCH: i64 = 1000;
/// How long a writer waits for its events to be published here before it
/// answers anyway (they are committed; only this instance's delivery lags).
const PUBLISH_WAIT: Duration = Duration::from_secs(5);
/// Bells handled before the watermark is next announced.
const MAX_BELLS_AT_ONCE: usize = 1024;
/// Retry delays while the database does not answer.
const MIN_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

enum Bell {
    /// Events this instance committed, in `seq` order.
    Local(Vec<Arc<WallEvent>>),
    /// Some instance committed events up to this `seq`.
    Upto(i64),
    /// Notifications may have been lost: read the log.
    Resync,
}

/// The fan-out of one instance. Subscribers get every event of the
/// database, whichever instance wrote it, exactly once and in `seq` order.
pub struct PgFanOut {
    /// This instance's subscribers (the list cache's invalidating wrapper
    /// around a local channel).
    inner: Arc<dyn Broadcaster>,
    bells: mpsc::UnboundedSender<Bell>,
    published: watch::Receiver<i64>,
    status_changes: watch::Receiver<u64>,
    listen_pool: PgPool,
    tasks: Mutex<Vec<AbortHandle>>,
}

impl PgFanOut {
    /// Starts listening on `listen_pool` (one connection of its own), then
    /// publishes every event committed from now on to `inner`.
    pub async fn start(
        pool: PgPool,
        listen_pool: PgPool,
        inner: Arc<dyn Broadcaster>,
    ) -> StoreResult<Arc<PgFanOut>> {
        let listener = listen(&listen_pool).await?;
        // Read after LISTEN: whatever commits later rings a bell.
        let watermark = newest_seq(&pool).await?;
        let (bells, bells_in) = mpsc::unbounded_channel();
        let (published_out, published) = watch::channel(watermark);
        let (status_out, status_changes) = watch::channel(0);
        let pump = tokio::spawn(pump(
            pool,
            bells_in,
            watermark,
            inner.clone(),
            published_out,
        ));
        let listening = tokio::spawn(listen_loop(
            listener,
            listen_pool.clone(),
            bells.clone(),
            status_out,
        ));
        Ok(Arc::new(PgFanOut {
            inner,
            bells,
            published,
            status_changes,
            listen_pool,
            tasks: Mutex::new(vec![pump.abort_handle(), listening.abort_handle()]),
        }))
    }

    /// Publishes events this instance just committed, and waits until they
    /// (and any earlier ones from other instances) are out.
    pub async fn committed(&self, events: Vec<WallEvent>) {
        let Some(newest) = events.last().map(|e| e.seq) else {
            return;
        };
        let events = events.into_iter().map(Arc::new).collect();
        if self.bells.send(Bell::Local(events)).is_err() {
            return;
        }
        let mut published = self.published.clone();
        let out = tokio::time::timeout(PUBLISH_WAIT, published.wait_for(|&p| p >= newest)).await;
        if !matches!(out, Ok(Ok(_))) {
            tracing::warn!(
                seq = newest,
                "events are committed but not yet published here"
            );
        }
    }

    /// Keeps the team status `status` serves in step with the database:
    /// reloads it whenever some instance changes it (or a notification may
    /// have been missed).
    pub fn follow_team_status(&self, status: Weak<StatusService>) {
        let mut changes = self.status_changes.clone();
        let task = tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let Some(status) = status.upgrade() else {
                    break;
                };
                if let Err(error) = status.reload_team().await {
                    tracing::warn!(%error, "reloading the team status failed");
                }
            }
        });
        self.lock_tasks().push(task.abort_handle());
    }

    /// Stops listening and publishing (at shutdown, after the last write).
    pub async fn stop(&self) {
        for task in self.lock_tasks().drain(..) {
            task.abort();
        }
        self.listen_pool.close().await;
    }

    fn lock_tasks(&self) -> std::sync::MutexGuard<'_, Vec<AbortHandle>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Broadcaster for PgFanOut {
    /// An event this instance committed: merged into the ordered stream.
    fn publish(&self, event: Arc<WallEvent>) {
        let _ = self.bells.send(Bell::Local(vec![event]));
    }

    fn subscribe(&self, wall: &WallSlug) -> Subscription {
        self.inner.subscribe(wall)
    }
}

async fn listen(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener
        .listen_all([EVENTS_CHANNEL, STATUS_CHANNEL])
        .await?;
    Ok(listener)
}

async fn newest_seq(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events")
        .fetch_one(pool)
        .await
}

/// Turns notifications into bells; after any reconnect, rings "resync".
async fn listen_loop(
    mut listener: PgListener,
    pool: PgPool,
    bells: mpsc::UnboundedSender<Bell>,
    status: watch::Sender<u64>,
) {
    let resync = |why: &str| {
        tracing::warn!("{why}; reading the event log for what was missed");
        status.send_modify(|n| *n += 1);
        bells.send(Bell::Resync).is_ok()
    };
    loop {
        let alive = match listener.try_recv().await {
            Ok(Some(notification)) => match notification.channel() {
                EVENTS_CHANNEL => {
                    let bell = notification
                        .payload()
                        .parse()
                        .map_or(Bell::Resync, Bell::Upto);
                    bells.send(bell).is_ok()
                }
                STATUS_CHANNEL => {
                    status.send_modify(|n| *n += 1);
                    true
                }
                _ => true,
            },
            // The connection dropped and the listener has reconnected and
            // LISTENs again (sqlx's eager reconnect).
            Ok(None) => resync("the LISTEN connection was lost and is back"),
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::warn!(%error, "the LISTEN connection failed; reconnecting");
                // The old listener may still hold the pool's one connection
                // (a dead one): let go of it before asking for another.
                drop(listener);
                listener = relisten(&pool).await;
                resync("LISTENing again")
            }
        };
        if !alive {
            return;
        }
    }
}

/// A new listener, retrying with back-off until the database answers.
async fn relisten(pool: &PgPool) -> PgListener {
    let mut delay = MIN_BACKOFF;
    loop {
        tokio::time::sleep(delay).await;
        match listen(pool).await {
            Ok(listener) => return listener,
            Err(error) => tracing::warn!(%error, "cannot LISTEN yet"),
        }
        delay = (delay * 2).min(MAX_BACKOFF);
    }
}

/// Publishes every committed event once, in `seq` order.
async fn pump(
    pool: PgPool,
    mut bells: mpsc::UnboundedReceiver<Bell>,
    mut watermark: i64,
    out: Arc<dyn Broadcaster>,
    published: watch::Sender<i64>,
) {
    while let Some(first) = bells.recv().await {
        let mut must_read = false;
        let mut taken = 0;
        let mut next = Some(first);
        while let Some(bell) = next.take() {
            match bell {
                Bell::Local(events) if !must_read && follows(watermark, &events) => {
                    for event in events {
                        watermark = event.seq;
                        out.publish(event);
                    }
                }
                Bell::Local(events) => {
                    must_read |= events.last().is_some_and(|e| e.seq > watermark);
                }
                Bell::Upto(seq) => must_read |= seq > watermark,
                Bell::Resync => must_read = true,
            }
            // Take what else is waiting (bounded, so a flood of bells
            // still gets its reads and its watermark updates).
            taken += 1;
            if taken < MAX_BELLS_AT_ONCE {
                next = bells.try_recv().ok();
            }
        }
        if must_read {
            watermark = read_log(&pool, watermark, out.as_ref()).await;
        }
        published.send_replace(watermark);
    }
}

/// Whether `events` carry on right after `watermark`, with no `seq` left
/// out that another instance might have written.
fn follows(watermark: i64, events: &[Arc<WallEvent>]) -> bool {
    events
        .iter()
        .enumerate()
        .all(|(i, e)| Some(e.seq) == watermark.checked_add(i as i64 + 1))
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    wall: String,
    name: String,
    data: String,
}

/// Publishes every event after `watermark` in the log; returns the new
/// watermark. Retries until the database answers.
async fn read_log(pool: &PgPool, mut watermark: i64, out: &dyn Broadcaster) -> i64 {
    let mut delay = MIN_BACKOFF;
    loop {
        let rows = sqlx::query_as::<_, EventRow>(
            "SELECT seq, wall, name, data FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(watermark)
        .bind(READ_BATCH)
        .fetch_all(pool)
        .await;
        let rows = match rows {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "reading the event log failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        let complete = rows.len() < READ_BATCH as usize;
        for row in rows {
            watermark = row.seq;
            match WallSlug::parse(&row.wall) {
                Ok(wall) => out.publish(Arc::new(WallEvent {
                    seq: row.seq,
                    wall,
                    name: row.name,
                    data: row.data.into(),
                })),
                Err(_) => tracing::error!(seq = row.seq, "an event names no valid wall"),
            }
        }
        if complete {
            return watermark;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64) -> Arc<WallEvent> {
        Arc::new(WallEvent {
            seq,
            wall: WallSlug::parse("w").unwrap(),
            name: "message".into(),
            data: "{}".into(),
        })
    }

    #[test]
    fn own_events_skip_the_read_only_without_a_hole() {
        assert!(follows(9, &[event(10), event(11)]));
        assert!(!follows(9, &[event(11)]), "10 may be another instance's");
        assert!(!follows(9, &[event(10), event(12)]));
        assert!(!follows(10, &[event(10)]), "already published");
    }
}
