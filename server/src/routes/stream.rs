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
//!
//! What one stream holds, so that ten thousand of them stay small: its
//! wall's [`Subscription`], at most one page of the log while catching up
//! ([`CATCH_UP_BATCH`] events, however long the history), and a keep-alive
//! timer. Live frames are the broadcaster's shared bytes, not copies.

use crate::broadcast::{Frame, RecvError, Subscription};
use crate::error::AppError;
use crate::extract::{ApiQuery, WallPath};
use crate::limits::ClientIp;
use crate::sse;
use crate::store::{WallEvent, WallStore};
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use hugops_core::wire::WallSlug;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::{Instant, Sleep};

/// Events read from the log at a time while catching up: the most a
/// stream holds however long the history it replays (a message event is
/// well under 1 KB in practice and about 11 KB at the very most).
pub const CATCH_UP_BATCH: u32 = 100;

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
    let live = state.events.subscribe(&wall);
    let latest = state.store.latest_seq().await?;
    // An id from the future (another database, a reset) would wait forever
    // for events that have come and gone; treat it as "now".
    let last = resume.map_or(latest, |id| id.min(latest));
    let keep_alive = state.settings.keep_alive;
    let mut stopping = state.shutdown.clone();
    let feed = Feed {
        store: state.store.clone(),
        wall,
        live,
        shutdown: state.shutdown.clone(),
        stopping: Box::pin(async move {
            let _ = stopping.wait_for(|s| *s).await;
        }),
        last,
        backlog: VecDeque::new(),
        catching_up: resume.is_some(),
        greeted: false,
        keep_alive,
        ping: Box::pin(tokio::time::sleep(keep_alive)),
    };
    let mut response = Body::from_stream(slot.hold(feed.into_stream())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(sse::CONTENT_TYPE),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Tell nginx-style proxies not to buffer the stream.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

struct Feed {
    store: Arc<dyn WallStore>,
    wall: WallSlug,
    live: Subscription,
    /// Read with `has_changed` (an atomic load): the only value ever sent
    /// is `true`, and no clone of the state's receiver marks it seen.
    shutdown: watch::Receiver<bool>,
    /// Resolves at shutdown. Made once per stream, so that it stays
    /// registered between events: waiting on `changed()` anew for each
    /// event would register and unregister every reader with the watch's
    /// waiter list once per event.
    stopping: Pin<Box<dyn Future<Output = ()> + Send>>,
    /// The `seq` of the last event sent (or the starting point).
    last: i64,
    /// At most one page of the log.
    backlog: VecDeque<WallEvent>,
    /// Whether the log may hold events after `last` not yet in `backlog`.
    catching_up: bool,
    greeted: bool,
    keep_alive: Duration,
    /// When the next keep-alive comment is due. Not reset by events: one
    /// timer update per interval, not one per event and reader.
    ping: Pin<Box<Sleep>>,
}

impl Feed {
    fn into_stream(self) -> impl Stream<Item = Result<Bytes, Infallible>> {
        stream::unfold(self, |mut feed| async move {
            let frame = feed.next().await?;
            Some((Ok(frame), feed))
        })
    }

    /// The next SSE frame, or `None` when the stream should end (shutdown,
    /// or the store failed: the client reconnects and resumes).
    async fn next(&mut self) -> Option<Bytes> {
        if !self.greeted {
            self.greeted = true;
            return Some(sse::greeting(super::reconnect::hint()));
        }
        loop {
            if self.shutdown.has_changed().unwrap_or(true) {
                return None;
            }
            if let Some(event) = self.backlog.pop_front() {
                if event.seq > self.last {
                    self.last = event.seq;
                    return Some(Frame::of(&event).bytes);
                }
                continue;
            }
            if self.catching_up {
                match self
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
            // Caught up: let go of the page's room until the next lag.
            if self.backlog.capacity() > 0 {
                self.backlog = VecDeque::new();
            }
            // In this order, without drawing a random one per call (the
            // default): a reader woken for an event finds it in the first
            // branch and polls neither the shutdown nor the timer.
            tokio::select! {
                biased;
                received = self.live.recv() => match received {
                    Ok(frame) => {
                        if frame.seq > self.last {
                            self.last = frame.seq;
                            return Some(frame.bytes);
                        }
                    }
                    Err(RecvError::Lagged(_)) => self.catching_up = true,
                    Err(RecvError::Closed) => return None,
                },
                () = self.stopping.as_mut() => return None,
                _ = self.ping.as_mut() => {
                    self.ping.as_mut().reset(Instant::now() + self.keep_alive);
                    return Some(sse::KEEP_ALIVE);
                }
            }
        }
    }
}
