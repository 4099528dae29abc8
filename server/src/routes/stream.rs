//! `GET /api/v1/walls/{wall}/stream`: the live wall as Server-Sent Events.
//!
//! Each event is one row of the store's event log: `event:` is
//! `wire::StreamEvent::name()`, `data:` its JSON, `id:` its `seq`. A client
//! that reconnects sends the last id it saw (`Last-Event-ID`, which
//! EventSource sets itself on reconnect, or `?last_event_id=` on a first
//! connect, where EventSource cannot set headers) and receives exactly the
//! events after it. Without either it receives events from now on; the
//! page of messages it listed before covers the past.
//!
//! How that holds without gaps or repeats: subscribe to the broadcaster
//! first, then read the log; events come from the log until it is drained,
//! then from the broadcaster, skipping any `seq` already sent. If the
//! subscriber falls behind the broadcaster, it reads the log again from the
//! last `seq` it sent.

use crate::error::AppError;
use crate::extract::{ApiQuery, WallPath};
use crate::limits::ClientIp;
use crate::store::WallEvent;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use hugops_core::wire::WallSlug;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::{broadcast, watch};

/// Events read from the log at a time while catching up.
const CATCH_UP_BATCH: u32 = 500;

#[derive(Deserialize)]
pub struct StreamQuery {
    last_event_id: Option<String>,
}

pub async fn stream(
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    ApiQuery(query): ApiQuery<StreamQuery>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let slot = state.streams.open(ip)?;
    // The header wins: on a reconnect EventSource sends it, while the URL
    // still carries the id of the first connect.
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.last_event_id)
        .and_then(|id| id.trim().parse::<i64>().ok())
        .filter(|id| *id >= 0);
    let live = state.events.subscribe();
    let latest = state.store.latest_seq().await?;
    // An id from the future (another database, a reset) would wait forever
    // for events that have come and gone; treat it as "now".
    let last = resume.map_or(latest, |id| id.min(latest));
    let feed = Feed {
        state: state.clone(),
        wall,
        live,
        shutdown: state.shutdown.clone(),
        last,
        backlog: VecDeque::new(),
        catching_up: resume.is_some(),
        greeted: false,
    };
    let keep_alive = KeepAlive::new().interval(state.settings.keep_alive);
    let mut response = Sse::new(slot.hold(feed.into_stream()))
        .keep_alive(keep_alive)
        .into_response();
    // Tell nginx-style proxies not to buffer the stream.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

struct Feed {
    state: AppState,
    wall: WallSlug,
    live: broadcast::Receiver<Arc<WallEvent>>,
    shutdown: watch::Receiver<bool>,
    /// The `seq` of the last event sent (or the starting point).
    last: i64,
    backlog: VecDeque<WallEvent>,
    /// Whether the log may hold events after `last` not yet in `backlog`.
    catching_up: bool,
    greeted: bool,
}

impl Feed {
    fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> {
        stream::unfold(self, |mut feed| async move {
            let event = feed.next().await?;
            Some((Ok(event), feed))
        })
    }

    /// The next SSE event, or `None` when the stream should end (shutdown,
    /// or the store failed: the client reconnects and resumes).
    async fn next(&mut self) -> Option<Event> {
        if !self.greeted {
            self.greeted = true;
            return Some(
                Event::default()
                    .retry(super::reconnect::hint())
                    .comment("hugops"),
            );
        }
        loop {
            if *self.shutdown.borrow() {
                return None;
            }
            if let Some(event) = self.backlog.pop_front() {
                if event.seq > self.last {
                    self.last = event.seq;
                    return Some(to_sse(&event));
                }
                continue;
            }
            if self.catching_up {
                match self
                    .state
                    .store
                    .events_after(self.wall.clone(), self.last, CATCH_UP_BATCH)
                    .await
                {
                    Ok(events) => {
                        self.catching_up = events.len() == CATCH_UP_BATCH as usize;
                        self.backlog.extend(events);
                        continue;
                    }
                    Err(error) => {
                        tracing::error!(%error, "reading the event log failed");
                        return None;
                    }
                }
            }
            tokio::select! {
                received = self.live.recv() => match received {
                    Ok(event) => {
                        if event.wall == self.wall && event.seq > self.last {
                            self.last = event.seq;
                            return Some(to_sse(&event));
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => self.catching_up = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}

fn to_sse(event: &WallEvent) -> Event {
    Event::default()
        .event(&event.name)
        .id(event.seq.to_string())
        .data(&*event.data)
}
