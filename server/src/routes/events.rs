//! `GET /api/v1/walls/{wall}/events?after=&limit=`: the live stream's
//! events as a JSON list, for clients whose stream a proxy blocks. The
//! events are the stream's own, read from the same log and withheld the
//! same way (`WallStore::events_after`), so a polling client learns of
//! hides, hug counts and approvals exactly as a streaming one does.

use crate::error::AppError;
use crate::extract::{PageQuery, WallPath};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use hugops_core::wire::{EventPage, LoggedEvent};

/// Without `after`: no events, and the id to start from (now). With it:
/// the events after it, oldest first; an id beyond the newest counts as
/// now, as on the stream.
pub async fn list(
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    PageQuery(page): PageQuery,
) -> Result<impl IntoResponse, AppError> {
    let latest = state.store.latest_seq().await?;
    let answer = match page.after {
        None => EventPage {
            last_event_id: latest,
            ..EventPage::default()
        },
        Some(after) => {
            let after = after.min(latest);
            let limit = page
                .limit
                .unwrap_or(EventPage::DEFAULT_LIMIT)
                .clamp(1, EventPage::MAX_LIMIT);
            // One more than the page, to learn whether more follow.
            let mut events = state.store.events_after(wall, after, limit + 1).await?;
            let more = events.len() > limit as usize;
            events.truncate(limit as usize);
            EventPage {
                last_event_id: events.last().map_or(after, |e| e.seq),
                events: events
                    .into_iter()
                    .map(|e| LoggedEvent {
                        id: e.seq,
                        event: e.name,
                        data: e.data.to_string(),
                    })
                    .collect(),
                more,
            }
        }
    };
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(answer)))
}
