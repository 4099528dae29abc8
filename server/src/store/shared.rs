//! What the SQLite and PostgreSQL stores share: their reads and the writes
//! inside a write transaction are the same queries. They are written once
//! here, as macros over the pool and connection types (sqlx's generic
//! executor bounds would cost more lines than they save), with `?`
//! placeholders that a dialect function turns into the backend's own.
//! What differs stays in each store: opening, the writer task around the
//! writes (group commit; the advisory lock on PostgreSQL), and closing.

use super::{StoreError, StoredSlowMode};
use hugops_core::time::Timestamp;
use hugops_core::wire::{RecentWall, WallSlug, WallSummary};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// SQLite takes `?` placeholders as written.
pub(super) fn as_is(sql: &str) -> Cow<'_, str> {
    Cow::Borrowed(sql)
}

/// PostgreSQL numbers its placeholders: each `?` becomes `$1`, `$2`, … in
/// order. (No query here has a `?` inside a string literal.)
pub(super) fn numbered(sql: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// An event of the log, with the message it is about as that message is
/// now (the columns are NULL for an event about no message).
#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub seq: i64,
    pub name: String,
    pub data: String,
    pub id: Option<i64>,
    pub created_at: Option<i64>,
    pub hugs: Option<i64>,
    pub pinned: Option<bool>,
    pub hidden: Option<bool>,
    pub held: Option<bool>,
    pub official: Option<bool>,
}

/// The log's columns and those of the joined message, as `EventRow` reads
/// them.
pub(super) const EVENT_SELECT: &str =
    "SELECT e.seq, e.name, e.data, m.id, m.created_at, m.hugs, m.pinned, m.hidden, m.held, \
     m.official \
     FROM events e LEFT JOIN messages m ON m.id = e.message_id";

impl EventRow {
    /// The event as the public may receive it now: as stored, or, when its
    /// message is hidden or held now, that message's removal.
    pub fn into_event(
        self,
        wall: &hugops_core::wire::WallSlug,
    ) -> Result<super::WallEvent, StoreError> {
        let now = match (self.id, self.created_at, self.hugs) {
            (Some(id), Some(created_at), Some(hugs)) => Some(hugops_core::wire::Message {
                id,
                wall: wall.clone(),
                author: None,
                body: String::new(),
                created_at: hugops_core::time::Timestamp::from_millis(created_at),
                hugs: u32::try_from(hugs).unwrap_or(u32::MAX),
                pinned: self.pinned.unwrap_or(false),
                hidden: self.hidden.unwrap_or(false),
                held: self.held.unwrap_or(false),
                client_id: None,
                official: self.official.unwrap_or(false),
            }),
            _ => None,
        };
        let (name, data) = match now.as_ref().and_then(hugops_core::wall::replayed) {
            Some(removal) => (
                removal.name().to_owned(),
                serde_json::to_string(&removal).map_err(StoreError::new)?,
            ),
            None => (self.name, self.data),
        };
        Ok(super::WallEvent {
            seq: self.seq,
            wall: wall.clone(),
            name,
            data: data.into(),
        })
    }
}

/// The `slow_mode.scope` of the global gap (not a valid wall slug).
pub(super) const GLOBAL_SCOPE: &str = "*";

/// Per wall: its counts (by the export's rules, see
/// `wire::WallSummary`) and time span. The conditions are spelled so both
/// dialects read them (SQLite's 0/1 integers are truth values too);
/// PostgreSQL's `SUM` of a BIGINT is NUMERIC, hence the casts.
pub(super) const WALL_FACTS: &str = "SELECT wall, COUNT(*) AS messages, \
     CAST(SUM(CASE WHEN NOT hidden AND NOT held THEN 1 ELSE 0 END) AS BIGINT) AS visible, \
     CAST(SUM(CASE WHEN hidden THEN 1 ELSE 0 END) AS BIGINT) AS hidden, \
     CAST(SUM(CASE WHEN held AND NOT hidden THEN 1 ELSE 0 END) AS BIGINT) AS held, \
     CAST(SUM(CASE WHEN pinned THEN 1 ELSE 0 END) AS BIGINT) AS pinned, \
     CAST(SUM(hugs) AS BIGINT) AS hugs, \
     MIN(created_at) AS first_at, MAX(created_at) AS last_at \
     FROM messages GROUP BY wall";

#[derive(sqlx::FromRow)]
pub(super) struct WallFactsRow {
    pub wall: String,
    pub messages: i64,
    pub visible: i64,
    pub hidden: i64,
    pub held: i64,
    pub pinned: i64,
    pub hugs: i64,
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(super) struct IncidentRow {
    pub wall: String,
    pub incident_id: String,
    pub name: String,
    pub started_at: i64,
    pub resolved_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(super) struct SlowModeRow {
    pub scope: String,
    pub seconds: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// A stored row naming no valid wall is skipped, and said so: only a
/// hand-edited database has one.
fn wall_named(text: &str) -> Option<WallSlug> {
    let wall = WallSlug::parse(text).ok();
    if wall.is_none() {
        tracing::error!(wall = text, "a stored row names no valid wall");
    }
    wall
}

/// The slow-mode rows as settings.
pub(super) fn stored_slow_mode(rows: Vec<SlowModeRow>) -> StoredSlowMode {
    let mut stored = StoredSlowMode::default();
    for row in rows {
        if row.scope == GLOBAL_SCOPE {
            stored.global = Some(count(row.seconds));
        } else if let Some(wall) = wall_named(&row.scope) {
            stored.walls.insert(wall, count(row.seconds));
        }
    }
    stored
}

/// The incident rows as the public sees them: wall, name and times.
pub(super) fn recent_walls(rows: Vec<IncidentRow>) -> Vec<RecentWall> {
    rows.into_iter()
        .filter_map(|row| {
            Some(RecentWall {
                wall: wall_named(&row.wall)?,
                // A source may send an incident without a name.
                title: Some(row.name).filter(|name| !name.is_empty()),
                started_at: Timestamp::from_millis(row.started_at),
                resolved_at: row.resolved_at.map(Timestamp::from_millis),
            })
        })
        .collect()
}

/// Joins the facts of walls with messages, the incident walls and the
/// slow-mode overrides into one summary per wall (`general` always).
pub(super) fn summaries(
    facts: Vec<WallFactsRow>,
    incidents: Vec<IncidentRow>,
    slow_mode: Vec<SlowModeRow>,
) -> Vec<WallSummary> {
    let blank = |wall: WallSlug| WallSummary {
        wall,
        title: None,
        incident_id: None,
        incident_started_at: None,
        incident_resolved_at: None,
        messages: 0,
        visible: 0,
        hidden: 0,
        held: 0,
        pinned: 0,
        hugs: 0,
        first_at: None,
        last_at: None,
        slow_mode_seconds: None,
    };
    let mut walls: BTreeMap<WallSlug, WallSummary> = BTreeMap::new();
    walls.insert(WallSlug::general(), blank(WallSlug::general()));
    for row in facts {
        let Some(wall) = wall_named(&row.wall) else {
            continue;
        };
        let summary = walls.entry(wall.clone()).or_insert_with(|| blank(wall));
        summary.messages = count(row.messages);
        summary.visible = count(row.visible);
        summary.hidden = count(row.hidden);
        summary.held = count(row.held);
        summary.pinned = count(row.pinned);
        summary.hugs = count(row.hugs);
        summary.first_at = row.first_at.map(Timestamp::from_millis);
        summary.last_at = row.last_at.map(Timestamp::from_millis);
    }
    for row in incidents {
        let Some(wall) = wall_named(&row.wall) else {
            continue;
        };
        let summary = walls.entry(wall.clone()).or_insert_with(|| blank(wall));
        // A source may send an incident without a name.
        summary.title = Some(row.name).filter(|name| !name.is_empty());
        summary.incident_id = Some(row.incident_id);
        summary.incident_started_at = Some(Timestamp::from_millis(row.started_at));
        summary.incident_resolved_at = row.resolved_at.map(Timestamp::from_millis);
    }
    // Only walls listed for another reason show their override: an
    // override alone does not make a wall.
    for (wall, seconds) in stored_slow_mode(slow_mode).walls {
        if let Some(summary) = walls.get_mut(&wall) {
            summary.slow_mode_seconds = Some(seconds);
        }
    }
    walls.into_values().collect()
}

/// The size of the row the health probe writes: eight SQLite pages of the
/// default size, more than a post of the longest body changes.
pub(crate) const PROBE_BYTES: usize = 32 * 1024;

/// The probe's row: bytes that do not compress (PostgreSQL would shrink
/// a run of zeros to a few bytes), and different every time (xorshift
/// seeded from the clock): SQLite overwrites a row of the same size in
/// place and skips every page whose bytes did not change, so a repeated
/// row would write nothing.
pub(crate) fn probe_filler() -> Vec<u8> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    // Never 0, where xorshift would stay.
    let mut state: u64 = nanos | 1;
    (0..PROBE_BYTES)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// The writer answered a write with another kind of outcome: a bug.
pub(super) fn mismatch() -> StoreError {
    StoreError::new("the writer answered with the wrong kind of outcome")
}

/// Implements `WallStore` for a store with a read `pool` and a `writer`
/// (`Writer::write(Op) -> StoreResult<Done>`), and inherent
/// `async fn shutdown(&self)` for `close` and `async fn find_posted(&self,
/// &WallSlug, &str) -> StoreResult<Option<Message>>` for
/// `find_by_client_id`.
/// - `sql`: the dialect function (`as_is` or `numbered`);
/// - `visible`: the condition on `hidden` and `held` of a visible message,
///   spelled as the backend's partial index `messages_visible` spells it,
///   so the planner can use that index.
macro_rules! wall_store {
    ($store:ty, sql = $sql:path, visible = $visible:literal) => {
        impl $store {
            async fn list_visible(
                &self,
                wall: &::hugops_core::wire::WallSlug,
                page: ::hugops_core::wire::PageRequest,
            ) -> $crate::store::StoreResult<::hugops_core::wire::MessagePage> {
                use $crate::store::sqlite::{MessageRow, MESSAGE_COLUMNS};
                let limit = i64::from(page.effective_limit());
                let visible = concat!("wall = ? AND ", $visible);
                // One query fetches one row more than the page in the
                // direction of travel, to learn whether there is more that
                // way; the other direction is one indexed EXISTS.
                let (mut rows, forward) = match (page.after, page.before) {
                    (Some(after), before) => {
                        let sql = format!(
                            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {visible} AND id > ? AND id < ? \
                             ORDER BY id ASC LIMIT ?"
                        );
                        let rows = sqlx::query_as::<_, MessageRow>(&$sql(&sql))
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
                        let mut rows = sqlx::query_as::<_, MessageRow>(&$sql(&sql))
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
                // Pinned messages are visible ones, so a wall with none
                // visible has none pinned either.
                let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
                    return Ok(::hugops_core::wire::MessagePage::default());
                };
                let pinned = if page.is_first() {
                    let sql = format!(
                        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE {visible} AND pinned \
                         ORDER BY id DESC LIMIT ?"
                    );
                    sqlx::query_as::<_, MessageRow>(&$sql(&sql))
                        .bind(wall.as_str())
                        .bind(i64::from(::hugops_core::wire::MAX_PINNED))
                        .fetch_all(&self.pool)
                        .await?
                } else {
                    Vec::new()
                };
                let (first_id, last_id) = (first.id, last.id);
                let (cmp, id) = if forward { ("<", first_id) } else { (">", last_id) };
                let sql = format!("SELECT EXISTS (SELECT 1 FROM messages WHERE {visible} AND id {cmp} ?)");
                let other_way = sqlx::query_scalar::<_, bool>(&$sql(&sql))
                    .bind(wall.as_str())
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await?;
                let (newer, older) = if forward {
                    (more_in_direction, other_way)
                } else {
                    (other_way, more_in_direction)
                };
                let public = |r: MessageRow| ::hugops_core::wall::public_view(&r.into_message(wall));
                Ok(::hugops_core::wire::MessagePage {
                    messages: rows.into_iter().map(public).collect(),
                    next_after: newer.then_some(last_id),
                    prev_before: older.then_some(first_id),
                    pinned: pinned.into_iter().map(public).collect(),
                    last_event_id: None,
                })
            }
        }

        impl $crate::store::WallStore for $store {
            fn list(
                &self,
                wall: ::hugops_core::wire::WallSlug,
                page: ::hugops_core::wire::PageRequest,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<::hugops_core::wire::MessagePage>> {
                Box::pin(async move { self.list_visible(&wall, page).await })
            }

            fn find_by_client_id(
                &self,
                wall: ::hugops_core::wire::WallSlug,
                client_id: String,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Option<::hugops_core::wire::Message>>> {
                // Each store says where the retry check reads (`find_posted`).
                Box::pin(async move { self.find_posted(&wall, &client_id).await })
            }

            fn post(
                &self,
                wall: ::hugops_core::wire::WallSlug,
                post: $crate::store::NewPost,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<$crate::store::Posted>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    match self.writer.write(Op::Post { wall, post }).await? {
                        Done::Posted(posted) => Ok(posted),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn hug(
                &self,
                wall: ::hugops_core::wire::WallSlug,
                id: ::hugops_core::wire::MessageId,
                client_id: String,
                at: ::hugops_core::time::Timestamp,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Option<$crate::store::Hugged>>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    let op = Op::Hug {
                        wall,
                        id,
                        client_id,
                        at,
                    };
                    match self.writer.write(op).await? {
                        Done::Hugged(hugged) => Ok(hugged),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn moderate(
                &self,
                wall: ::hugops_core::wire::WallSlug,
                id: ::hugops_core::wire::MessageId,
                action: ::hugops_core::wire::ModerationAction,
                at: ::hugops_core::time::Timestamp,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Option<::hugops_core::wire::Message>>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    let op = Op::Moderate {
                        wall,
                        id,
                        action,
                        at,
                    };
                    match self.writer.write(op).await? {
                        Done::Moderated(message) => Ok(message),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn all(
                &self,
                wall: ::hugops_core::wire::WallSlug,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Vec<::hugops_core::wire::Message>>> {
                use $crate::store::sqlite::{MessageRow, MESSAGE_COLUMNS};
                Box::pin(async move {
                    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = ? ORDER BY id");
                    let rows = sqlx::query_as::<_, MessageRow>(&$sql(&sql))
                        .bind(wall.as_str())
                        .fetch_all(&self.pool)
                        .await?;
                    Ok(rows.into_iter().map(|r| r.into_message(&wall)).collect())
                })
            }

            fn events_after(
                &self,
                wall: ::hugops_core::wire::WallSlug,
                after: i64,
                limit: u32,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Vec<$crate::store::WallEvent>>> {
                use $crate::store::shared::{EventRow, EVENT_SELECT};
                Box::pin(async move {
                    let sql = format!(
                        "{EVENT_SELECT} WHERE e.wall = ? AND e.seq > ? ORDER BY e.seq LIMIT ?"
                    );
                    let rows = sqlx::query_as::<_, EventRow>(&$sql(&sql))
                        .bind(wall.as_str())
                        .bind(after)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.into_iter().map(|r| r.into_event(&wall)).collect()
                })
            }

            fn latest_seq(&self) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<i64>> {
                Box::pin(async move {
                    Ok(
                        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events")
                            .fetch_one(&self.pool)
                            .await?,
                    )
                })
            }

            fn team_status(&self) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Option<String>>> {
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
                at: ::hugops_core::time::Timestamp,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<()>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    match self.writer.write(Op::TeamStatus { summary, at }).await? {
                        Done::TeamStatusSet => Ok(()),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn walls(
                &self,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Vec<::hugops_core::wire::WallSummary>>> {
                use $crate::store::shared::{summaries, IncidentRow, SlowModeRow, WallFactsRow, WALL_FACTS};
                Box::pin(async move {
                    let facts = sqlx::query_as::<_, WallFactsRow>(WALL_FACTS)
                        .fetch_all(&self.pool)
                        .await?;
                    let incidents = sqlx::query_as::<_, IncidentRow>(
                        "SELECT wall, incident_id, name, started_at, resolved_at FROM incident_walls",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    let slow_mode = sqlx::query_as::<_, SlowModeRow>("SELECT scope, seconds FROM slow_mode")
                        .fetch_all(&self.pool)
                        .await?;
                    Ok(summaries(facts, incidents, slow_mode))
                })
            }

            fn recent_incident_walls(
                &self,
                resolved_since: ::hugops_core::time::Timestamp,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<Vec<::hugops_core::wire::RecentWall>>> {
                use $crate::store::shared::{recent_walls, IncidentRow};
                Box::pin(async move {
                    let rows = sqlx::query_as::<_, IncidentRow>(&$sql(
                        "SELECT wall, incident_id, name, started_at, resolved_at FROM incident_walls \
                         WHERE resolved_at IS NULL OR resolved_at >= ? \
                         ORDER BY started_at DESC, wall",
                    ))
                    .bind(resolved_since.millis())
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(recent_walls(rows))
                })
            }

            fn slow_mode(&self) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<$crate::store::StoredSlowMode>> {
                use $crate::store::shared::{stored_slow_mode, SlowModeRow};
                Box::pin(async move {
                    let rows = sqlx::query_as::<_, SlowModeRow>("SELECT scope, seconds FROM slow_mode")
                        .fetch_all(&self.pool)
                        .await?;
                    Ok(stored_slow_mode(rows))
                })
            }

            fn set_slow_mode(
                &self,
                wall: Option<::hugops_core::wire::WallSlug>,
                seconds: Option<u32>,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<()>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    match self.writer.write(Op::SlowMode { wall, seconds }).await? {
                        Done::Written => Ok(()),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn record_incidents(
                &self,
                seen: Vec<$crate::store::IncidentRecord>,
                at: ::hugops_core::time::Timestamp,
            ) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<()>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    match self.writer.write(Op::Incidents { seen, at }).await? {
                        Done::Written => Ok(()),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn ping(&self) -> $crate::store::BoxFuture<'_, $crate::store::StoreResult<()>> {
                use $crate::store::sqlite_writer::{Done, Op};
                Box::pin(async move {
                    sqlx::query("SELECT 1").execute(&self.pool).await?;
                    // Through the writer's queue and transaction: a writer
                    // that cannot write is not healthy, however well reads go.
                    match self.writer.write(Op::Probe).await? {
                        Done::Probed => Ok(()),
                        _ => Err($crate::store::shared::mismatch()),
                    }
                })
            }

            fn close(&self) -> $crate::store::BoxFuture<'_, ()> {
                Box::pin(self.shutdown())
            }
        }
    };
}
pub(super) use wall_store;

/// Defines, for a connection type, the queries one write runs inside the
/// writer's transaction: `set_team_status`, `set_slow_mode`,
/// `record_incidents`, `insert`, `hug` and `moderate` (and their
/// helpers), in a module `queries` whose items are
/// then imported. Paths must be absolute (`sqlx::…`, `$crate::…`): they
/// are resolved inside that module. `sql` is the dialect function.
macro_rules! write_queries {
    ($connection:ty, sql = $sql:path) => {
        mod queries {
            use $crate::store::sqlite::{MessageRow, MESSAGE_COLUMNS};
            use ::hugops_core::time::Timestamp;
            use ::hugops_core::wire::{HugCount, Message, MessageId, ModerationAction, StreamEvent, WallSlug};
            use $crate::store::{
                Hugged, IncidentRecord, NewPost, Posted, StoreError, StoreResult, WallEvent,
            };

            /// Writes a row of [`PROBE_BYTES`](crate::store::shared::PROBE_BYTES)
            /// in place of the previous probe's: the transaction takes the
            /// write lock and must write more pages than a post does, so it
            /// fails where a post would fail for the database's sake
            /// (locked by another process, read-only, a standby after
            /// failover, a full disk or a file that may not grow). A row
            /// inserted and deleted again would not do: SQLite does not
            /// write the pages it frees in the same transaction, so such a
            /// probe fits where a post no longer does.
            pub(super) async fn probe(connection: &mut $connection) -> StoreResult<()> {
                sqlx::query(&$sql(
                    "INSERT INTO health_probe (id, filler) VALUES (1, ?) \
                     ON CONFLICT (id) DO UPDATE SET filler = excluded.filler",
                ))
                .bind($crate::store::shared::probe_filler())
                .execute(&mut *connection)
                .await?;
                Ok(())
            }

            /// The message an earlier post with this `client_id` stored
            /// on `wall`, if any.
            pub(super) async fn find(
                connection: &mut $connection,
                wall: &WallSlug,
                client_id: &str,
            ) -> StoreResult<Option<Message>> {
                let sql = format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages WHERE wall = ? AND client_id = ?"
                );
                let row = sqlx::query_as::<_, MessageRow>(&$sql(&sql))
                    .bind(wall.as_str())
                    .bind(client_id)
                    .fetch_optional(&mut *connection)
                    .await?;
                Ok(row.map(|r| r.into_message(wall)))
            }

            pub(super) async fn set_team_status(
                connection: &mut $connection,
                summary: Option<&str>,
                at: Timestamp,
            ) -> StoreResult<()> {
                match summary {
                    Some(summary) => {
                        sqlx::query(&$sql(
                            "INSERT INTO team_status (id, summary, set_at) VALUES (1, ?, ?) \
                             ON CONFLICT (id) DO UPDATE SET summary = excluded.summary, \
                             set_at = excluded.set_at",
                        ))
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
                Ok(())
            }

            pub(super) async fn set_slow_mode(
                connection: &mut $connection,
                wall: Option<&WallSlug>,
                seconds: Option<u32>,
            ) -> StoreResult<()> {
                let scope = wall.map_or($crate::store::shared::GLOBAL_SCOPE, WallSlug::as_str);
                match seconds {
                    Some(seconds) => {
                        sqlx::query(&$sql(
                            "INSERT INTO slow_mode (scope, seconds) VALUES (?, ?) \
                             ON CONFLICT (scope) DO UPDATE SET seconds = excluded.seconds",
                        ))
                        .bind(scope)
                        .bind(i64::from(seconds))
                        .execute(&mut *connection)
                        .await?;
                    }
                    None => {
                        sqlx::query(&$sql("DELETE FROM slow_mode WHERE scope = ?"))
                            .bind(scope)
                            .execute(&mut *connection)
                            .await?;
                    }
                }
                Ok(())
            }

            pub(super) async fn record_incidents(
                connection: &mut $connection,
                seen: &[IncidentRecord],
                at: Timestamp,
            ) -> StoreResult<()> {
                for incident in seen {
                    // The start is kept from the first sight: a source
                    // that sends none (or one relative to now, as the demo
                    // does) does not move it.
                    sqlx::query(&$sql(
                        "INSERT INTO incident_walls (wall, incident_id, name, started_at, resolved_at) \
                         VALUES (?, ?, ?, ?, ?) ON CONFLICT (wall) DO UPDATE SET \
                         incident_id = excluded.incident_id, name = excluded.name, \
                         resolved_at = excluded.resolved_at",
                    ))
                    .bind(incident.wall.as_str())
                    .bind(&incident.incident_id)
                    .bind(&incident.name)
                    .bind(incident.started_at.unwrap_or(at).millis())
                    .bind(incident.resolved_at.map(Timestamp::millis))
                    .execute(&mut *connection)
                    .await?;
                }
                // An incident the status no longer lists has ended.
                let mut sql =
                    String::from("UPDATE incident_walls SET resolved_at = ? WHERE resolved_at IS NULL");
                if !seen.is_empty() {
                    let places = vec!["?"; seen.len()].join(", ");
                    sql.push_str(&format!(" AND wall NOT IN ({places})"));
                }
                let sql = $sql(&sql);
                let mut query = sqlx::query(&sql).bind(at.millis());
                for incident in seen {
                    query = query.bind(incident.wall.as_str());
                }
                query.execute(&mut *connection).await?;
                Ok(())
            }

            async fn message(
                connection: &mut $connection,
                wall: &WallSlug,
                id: MessageId,
            ) -> StoreResult<Option<MessageRow>> {
                let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ? AND wall = ?");
                Ok(sqlx::query_as::<_, MessageRow>(&$sql(&sql))
                    .bind(id)
                    .bind(wall.as_str())
                    .fetch_optional(&mut *connection)
                    .await?)
            }

            async fn append_event(
                connection: &mut $connection,
                wall: &WallSlug,
                event: &StreamEvent,
                at: Timestamp,
            ) -> StoreResult<WallEvent> {
                let data = serde_json::to_string(event).map_err(StoreError::new)?;
                let seq: i64 = sqlx::query_scalar(&$sql(
                    "INSERT INTO events (wall, name, data, created_at, message_id) \
                     VALUES (?, ?, ?, ?, ?) RETURNING seq",
                ))
                .bind(wall.as_str())
                .bind(event.name())
                .bind(&data)
                .bind(at.millis())
                .bind(event.message_id())
                .fetch_one(&mut *connection)
                .await?;
                Ok(WallEvent {
                    seq,
                    wall: wall.clone(),
                    name: event.name().to_owned(),
                    data: data.into(),
                })
            }

            pub(super) async fn insert(
                connection: &mut $connection,
                wall: &WallSlug,
                post: &NewPost,
            ) -> StoreResult<(Posted, Option<WallEvent>)> {
                // The team's message is pinned from the start.
                let sql = format!(
                    "INSERT INTO messages (wall, client_id, author, body, created_at, held, pinned, official) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (wall, client_id) DO NOTHING \
                     RETURNING {MESSAGE_COLUMNS}"
                );
                let inserted = sqlx::query_as::<_, MessageRow>(&$sql(&sql))
                    .bind(wall.as_str())
                    .bind(&post.client_id)
                    .bind(&post.author)
                    .bind(&post.body)
                    .bind(post.created_at.millis())
                    .bind(post.held)
                    .bind(post.official)
                    .bind(post.official)
                    .fetch_optional(&mut *connection)
                    .await?;
                let Some(row) = inserted else {
                    // A retry: the first attempt's row is the answer.
                    let message = find(connection, wall, &post.client_id)
                        .await?
                        .ok_or_else(|| StoreError::new("a post conflicted with no row"))?;
                    let posted = Posted {
                        message,
                        created: false,
                    };
                    return Ok((posted, None));
                };
                let visible = row.visible();
                let message = row.into_message(wall);
                let event = if visible {
                    let event = StreamEvent::Message {
                        message: ::hugops_core::wall::public_view(&message),
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

            pub(super) async fn hug(
                connection: &mut $connection,
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
                let added = sqlx::query(&$sql(
                    "INSERT INTO hugs (message_id, client_id, created_at) VALUES (?, ?, ?) \
                     ON CONFLICT DO NOTHING",
                ))
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
                    hugs = sqlx::query_scalar(&$sql(
                        "UPDATE messages SET hugs = hugs + 1 WHERE id = ? RETURNING hugs",
                    ))
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

            pub(super) async fn moderate(
                connection: &mut $connection,
                wall: &WallSlug,
                id: MessageId,
                action: ModerationAction,
                at: Timestamp,
            ) -> StoreResult<(Option<Message>, Option<WallEvent>)> {
                let Some(row) = message(connection, wall, id).await? else {
                    return Ok((None, None));
                };
                let mut message = row.into_message(wall);
                let event = match ::hugops_core::wall::moderate(&mut message, action) {
                    // Nothing changed: no write, no event.
                    ::hugops_core::wall::Moderation::Unchanged => return Ok((Some(message), None)),
                    ::hugops_core::wall::Moderation::Changed { event } => event,
                };
                sqlx::query(&$sql(
                    "UPDATE messages SET pinned = ?, hidden = ?, held = ? WHERE id = ?",
                ))
                .bind(message.pinned)
                .bind(message.hidden)
                .bind(message.held)
                .bind(id)
                .execute(&mut *connection)
                .await?;
                let event = match event {
                    Some(e) => Some(append_event(connection, wall, &e, at).await?),
                    None => None,
                };
                Ok((Some(message), event))
            }
        }
        use queries::{
            find, hug, insert, moderate, probe, record_incidents, set_slow_mode, set_team_status,
        };
    };
}
pub(super) use write_queries;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_join_facts_incidents_and_overrides() {
        let facts = vec![WallFactsRow {
            wall: "busy".into(),
            messages: 3,
            visible: 2,
            hidden: 1,
            held: 0,
            pinned: 1,
            hugs: 5,
            first_at: Some(1_000),
            last_at: Some(2_000),
        }];
        let incidents = vec![
            IncidentRow {
                wall: "busy".into(),
                incident_id: "busy".into(),
                name: "Slow logins".into(),
                started_at: 500,
                resolved_at: Some(3_000),
            },
            IncidentRow {
                wall: "quiet".into(),
                incident_id: "quiet".into(),
                name: String::new(),
                started_at: 700,
                resolved_at: None,
            },
            IncidentRow {
                wall: "Not A Wall".into(),
                incident_id: "x".into(),
                name: "x".into(),
                started_at: 0,
                resolved_at: None,
            },
        ];
        let slow_mode = vec![
            SlowModeRow {
                scope: GLOBAL_SCOPE.into(),
                seconds: 30,
            },
            SlowModeRow {
                scope: "quiet".into(),
                seconds: 0,
            },
            SlowModeRow {
                scope: "only-an-override".into(),
                seconds: 9,
            },
        ];
        let walls = summaries(facts, incidents, slow_mode);
        let names: Vec<&str> = walls.iter().map(|w| w.wall.as_str()).collect();
        assert_eq!(names, ["busy", "general", "quiet"]);
        let busy = &walls[0];
        assert_eq!((busy.messages, busy.visible, busy.hidden), (3, 2, 1));
        assert_eq!((busy.pinned, busy.hugs), (1, 5));
        assert_eq!(busy.title.as_deref(), Some("Slow logins"));
        assert_eq!(
            busy.incident_resolved_at,
            Some(Timestamp::from_millis(3_000))
        );
        assert_eq!(busy.slow_mode_seconds, None);
        let quiet = &walls[2];
        assert_eq!((quiet.title.as_deref(), quiet.messages), (None, 0));
        assert_eq!(quiet.incident_id.as_deref(), Some("quiet"));
        assert_eq!(quiet.slow_mode_seconds, Some(0));
        assert_eq!(walls[1].messages, 0);
    }

    #[test]
    fn the_global_gap_is_the_star_row() {
        let stored = stored_slow_mode(vec![
            SlowModeRow {
                scope: GLOBAL_SCOPE.into(),
                seconds: 45,
            },
            SlowModeRow {
                scope: "general".into(),
                seconds: 5,
            },
        ]);
        assert_eq!(stored.global, Some(45));
        assert_eq!(stored.walls.get(&WallSlug::general()), Some(&5));
        assert_eq!(stored_slow_mode(Vec::new()), StoredSlowMode::default());
    }

    #[test]
    fn numbers_placeholders_in_order() {
        assert_eq!(
            numbered("SELECT 1 WHERE a = ? AND b > ? LIMIT ?"),
            "SELECT 1 WHERE a = $1 AND b > $2 LIMIT $3"
        );
        assert_eq!(numbered("SELECT 1"), "SELECT 1");
    }
}
