//! The `http` wall store: the HTTP contract of `/api/v1` (docs/api.md),
//! spoken to a HugOps server. Requests go through gloo-net; live updates
//! come from an `EventSource`, with polling (backing off) when the stream
//! is unavailable — some proxies buffer or cut Server-Sent Events.

use super::delivery::Delivery;
use super::{Liveness, LocalFuture, Subscription, WallEvent, WallStore};
use crate::backoff::{Backoff, Jitter};
use crate::browser::{sleep, AbortAfter};
use gloo_net::http::{Request, RequestBuilder, Response};
use hugops_core::wire::{
    ApiError, ErrorCode, EventPage, HugCount, HugRequest, Message, MessageId, MessagePage,
    NewMessage, PageRequest, RecentWall, RecentWalls, StreamEvent, WallSlug,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How long a request may take before it counts as failed (and, for a
/// post, is retried by the outbox with the same client_id).
const REQUEST_TIMEOUT_MS: u32 = 15_000;
/// Stream errors in a row, without a successful open, before falling back
/// to polling.
const STREAM_FAILURES_BEFORE_POLLING: u32 = 3;
/// The polling fallback's waits while nothing changes (the widget's one
/// back-off): 2 s on average, doubling to 30 s.
const POLL_BACKOFF: Backoff = Backoff {
    initial_ms: 4_000,
    max_ms: 60_000,
    max_retry_after_ms: 60_000,
};

pub struct HttpWallStore {
    /// Base URL of the server, without a trailing slash ("" = same origin).
    base: String,
    /// Per wall, the stream event the last first page listed reflects
    /// (`MessagePage::last_event_id`): where a subscription's stream, or
    /// its polling, starts, so nothing the team did after the page is
    /// missed even if the stream never works.
    page_events: RefCell<HashMap<WallSlug, i64>>,
}

impl HttpWallStore {
    pub fn new(base: impl Into<String>) -> Self {
        HttpWallStore {
            base: base.into().trim_end_matches('/').to_owned(),
            page_events: RefCell::new(HashMap::new()),
        }
    }

    fn wall_url(&self, wall: &WallSlug, rest: &str) -> String {
        format!("{}/api/v1/walls/{}{rest}", self.base, wall.as_str())
    }
}

impl WallStore for HttpWallStore {
    fn list(
        &self,
        wall: &WallSlug,
        page: PageRequest,
    ) -> LocalFuture<'_, Result<MessagePage, ApiError>> {
        let url = self.wall_url(wall, "/messages");
        let wall = wall.clone();
        Box::pin(async move {
            let listed = list_page(&url, page).await?;
            if let (true, Some(id)) = (page.is_first(), listed.last_event_id) {
                self.page_events.borrow_mut().insert(wall, id);
            }
            Ok(listed)
        })
    }

    fn post(
        &self,
        wall: &WallSlug,
        message: NewMessage,
    ) -> LocalFuture<'_, Result<Message, ApiError>> {
        let url = self.wall_url(wall, "/messages");
        Box::pin(async move { send_json(Request::post(&url), &message).await })
    }

    fn hug(
        &self,
        wall: &WallSlug,
        message: MessageId,
        client_id: &str,
    ) -> LocalFuture<'_, Result<HugCount, ApiError>> {
        let url = self.wall_url(wall, &format!("/messages/{message}/hugs"));
        let body = HugRequest {
            client_id: client_id.to_owned(),
        };
        Box::pin(async move { send_json(Request::post(&url), &body).await })
    }

    fn subscribe(
        &self,
        wall: &WallSlug,
        after: Option<MessageId>,
        on_event: Rc<dyn Fn(WallEvent)>,
    ) -> Subscription {
        let live = Rc::new(LiveFeed {
            stream_url: self.wall_url(wall, "/stream"),
            list_url: self.wall_url(wall, "/messages"),
            events_url: self.wall_url(wall, "/events"),
            on_event,
            delivery: RefCell::new(Delivery::new(after)),
            last_event_id: RefCell::new(
                self.page_events.borrow().get(wall).map(|id| id.to_string()),
            ),
            stopped: Cell::new(false),
            source: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            failures: Cell::new(0),
        });
        LiveFeed::start(&live);
        Subscription::new(move || live.stop())
    }

    fn recent_walls(&self) -> LocalFuture<'_, Result<Vec<RecentWall>, ApiError>> {
        let url = format!("{}/api/v1/walls/recent", self.base);
        Box::pin(async move {
            let list: RecentWalls = get_json(Request::get(&url)).await?;
            Ok(list.walls)
        })
    }
}

async fn list_page(url: &str, page: PageRequest) -> Result<MessagePage, ApiError> {
    let mut query: Vec<(&str, String)> = Vec::new();
    if let Some(after) = page.after {
        query.push(("after", after.to_string()));
    }
    if let Some(before) = page.before {
        query.push(("before", before.to_string()));
    }
    if let Some(limit) = page.limit {
        query.push(("limit", limit.to_string()));
    }
    get_json(Request::get(url).query(query.iter().map(|(k, v)| (*k, v.as_str())))).await
}

async fn get_json<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    let abort = AbortAfter::new(REQUEST_TIMEOUT_MS);
    let response = request
        .abort_signal(abort.signal().as_ref())
        .send()
        .await
        .map_err(|_| unreachable_error(&abort))?;
    read_json(response).await
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let abort = AbortAfter::new(REQUEST_TIMEOUT_MS);
    let request = request
        .abort_signal(abort.signal().as_ref())
        .json(body)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "The message could not be encoded."))?;
    let response = request
        .send()
        .await
        .map_err(|_| unreachable_error(&abort))?;
    read_json(response).await
}

/// A success body as `T`; an error body as the server's `ApiError`, or, when
/// something in between (a proxy, a crash) answered, an error built from
/// the status code.
async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let text = response.text().await.map_err(|_| {
        ApiError::new(
            ErrorCode::Unavailable,
            "The connection to the wall broke off. We'll try again.",
        )
    })?;
    if response.ok() {
        return serde_json::from_str(&text).map_err(|_| {
            ApiError::new(
                ErrorCode::Unknown,
                "The wall's server sent an answer we could not read. We'll try again.",
            )
        });
    }
    let mut error =
        serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| error_for_status(status));
    if error.retry_after.is_none() {
        error.retry_after = retry_after;
    }
    Err(error)
}

pub fn error_for_status(status: u16) -> ApiError {
    let (code, words) = match status {
        400 => (
            ErrorCode::BadRequest,
            "The wall's server did not understand the request.",
        ),
        401 | 403 => (
            ErrorCode::Unauthorized,
            "The wall's server refused the request.",
        ),
        404 => (
            ErrorCode::NotFound,
            "This wall does not exist on the server.",
        ),
        413 => (
            ErrorCode::PayloadTooLarge,
            "That message is too large to send.",
        ),
        422 => (
            ErrorCode::InvalidMessage,
            "The wall's server did not accept the message.",
        ),
        429 => (
            ErrorCode::RateLimited,
            "Lots of people are posting right now. We'll send yours in a moment.",
        ),
        502..=504 => (
            ErrorCode::Unavailable,
            "The wall's server is not reachable right now. We'll try again.",
        ),
        _ => (
            ErrorCode::Internal,
            "The wall's server had a problem. We'll try again.",
        ),
    };
    ApiError::new(code, words)
}

fn unreachable_error(abort: &AbortAfter) -> ApiError {
    if abort.fired() {
        ApiError::new(
            ErrorCode::Unavailable,
            "The wall's server is taking too long to answer. We'll try again.",
        )
    } else {
        ApiError::new(
            ErrorCode::Unavailable,
            "Can't reach the wall right now. We'll keep trying.",
        )
    }
}

/// A stream event from its SSE `event:` name and `data:`. The name says the
/// variant, so each is read as the plain struct it carries: deriving
/// `Deserialize` for the internally tagged `StreamEvent` makes serde buffer
/// every event and costs the wasm about 7 KB gzip. (The `type` field the
/// data also carries is ignored.)
fn decode_stream_event(name: &str, data: &str) -> Option<StreamEvent> {
    #[derive(serde::Deserialize)]
    struct Carrying {
        message: Message,
    }
    match name {
        "message" => serde_json::from_str::<Carrying>(data)
            .ok()
            .map(|c| StreamEvent::Message { message: c.message }),
        "moderated" => serde_json::from_str::<Carrying>(data)
            .ok()
            .map(|c| StreamEvent::Moderated { message: c.message }),
        "hugs" => serde_json::from_str::<HugCount>(data)
            .ok()
            .map(StreamEvent::Hugs),
        _ => None,
    }
}

/// An event name and the listener registered for it on the EventSource.
type StreamListener = (&'static str, Closure<dyn FnMut(web_sys::Event)>);

/// One live subscription: an EventSource while it works, polling when it
/// does not. On every (re)connection it catches up with a `list after` the
/// point its lists have covered, so a reconnection never leaves a gap; the
/// `Delivery` ledger keeps the stream and the lists from delivering a
/// message twice, whichever comes first.
struct LiveFeed {
    stream_url: String,
    list_url: String,
    events_url: String,
    on_event: Rc<dyn Fn(WallEvent)>,
    delivery: RefCell<Delivery>,
    /// The id of the last stream event seen (at first, the one the first
    /// page reflects). A new EventSource resumes from it with
    /// `?last_event_id=`, and polling reads the events list after it, so
    /// hug counts and moderation from the meantime are not lost;
    /// EventSource's own reconnects send it as `Last-Event-ID` by
    /// themselves.
    last_event_id: RefCell<Option<String>>,
    stopped: Cell<bool>,
    source: RefCell<Option<web_sys::EventSource>>,
    listeners: RefCell<Vec<StreamListener>>,
    /// Stream errors since the last successful open.
    failures: Cell<u32>,
}

impl LiveFeed {
    fn start(this: &Rc<LiveFeed>) {
        // A first stream starts "now", and the catch-up on `open` fills
        // anything between what the lists have covered and now. A stream
        // opened again after polling resumes from the last event seen; the
        // browser's own reconnects send Last-Event-ID by themselves.
        let url = match this.last_event_id.borrow().as_deref() {
            Some(id) => format!("{}?last_event_id={id}", this.stream_url),
            None => this.stream_url.clone(),
        };
        let Ok(source) = web_sys::EventSource::new(&url) else {
            LiveFeed::poll(this.clone());
            return;
        };
        for name in ["open", "error", "message", "hugs", "moderated"] {
            let feed = Rc::downgrade(this);
            let closure =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                    if let Some(feed) = feed.upgrade() {
                        LiveFeed::on_stream_event(&feed, name, event);
                    }
                });
            let _ = source.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            this.listeners.borrow_mut().push((name, closure));
        }
        *this.source.borrow_mut() = Some(source);
    }

    fn on_stream_event(this: &Rc<LiveFeed>, name: &str, event: web_sys::Event) {
        if this.stopped.get() {
            return;
        }
        match name {
            "open" => {
                this.failures.set(0);
                (this.on_event)(WallEvent::Live(Liveness::Live));
                let feed = this.clone();
                leptos::task::spawn_local(async move {
                    // A failed catch-up is retried on the next (re)open or
                    // poll; live events keep flowing meanwhile.
                    let _ = feed.catch_up().await;
                });
            }
            "error" => {
                (this.on_event)(WallEvent::Live(Liveness::Down));
                this.failures.set(this.failures.get() + 1);
                // The browser reconnects by itself (honouring the server's
                // `retry:`), unless the stream keeps failing or was closed.
                let closed = this
                    .source
                    .borrow()
                    .as_ref()
                    .is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED);
                if closed || this.failures.get() >= STREAM_FAILURES_BEFORE_POLLING {
                    this.close_stream();
                    LiveFeed::poll(this.clone());
                }
            }
            _ => {
                let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                let id = event.last_event_id();
                if !id.is_empty() {
                    *this.last_event_id.borrow_mut() = Some(id);
                }
                let Some(data) = event.data().as_string() else {
                    return;
                };
                if let Some(event) = decode_stream_event(name, &data) {
                    this.deliver(event);
                }
            }
        }
    }

    /// Delivers an event, dropping messages already delivered.
    fn deliver(&self, event: StreamEvent) {
        if let StreamEvent::Message { message } = &event {
            if !self.delivery.borrow_mut().first_time(message.id) {
                return;
            }
        }
        (self.on_event)(WallEvent::Stream(event));
    }

    /// Lists everything after what the lists have covered, page by page.
    async fn catch_up(&self) -> Result<(), ApiError> {
        loop {
            let after = self.delivery.borrow().catch_up_after();
            let page = list_page(
                &self.list_url,
                PageRequest {
                    after: Some(after),
                    before: None,
                    limit: Some(PageRequest::MAX_LIMIT),
                },
            )
            .await?;
            if self.stopped.get() {
                return Ok(());
            }
            let more = page.next_after.is_some() && !page.messages.is_empty();
            let last = page.messages.last().map(|m| m.id);
            for message in page.messages {
                self.deliver(StreamEvent::Message { message });
            }
            if let Some(last) = last {
                self.delivery.borrow_mut().listed(last);
            }
            if !more {
                return Ok(());
            }
        }
    }

    /// Reads the events list after the last event seen, page by page, and
    /// delivers them as the stream would; whether anything arrived. With no
    /// event seen yet (a server whose pages do not say), it only learns
    /// where "now" is, and the messages up to now come from a list.
    async fn poll_events(&self) -> Result<bool, ApiError> {
        let mut arrived = false;
        loop {
            let after = self.last_event_id.borrow().clone();
            let mut request = Request::get(&self.events_url);
            if let Some(after) = &after {
                let limit = EventPage::MAX_LIMIT.to_string();
                request = request.query([("after", after.as_str()), ("limit", limit.as_str())]);
            }
            let page: EventPage = get_json(request).await?;
            if self.stopped.get() {
                return Ok(arrived);
            }
            for logged in page.events {
                if let Some(event) = decode_stream_event(&logged.event, &logged.data) {
                    arrived = true;
                    self.deliver(event);
                }
            }
            *self.last_event_id.borrow_mut() = Some(page.last_event_id.to_string());
            if after.is_none() {
                let before = self.delivery.borrow().count();
                self.catch_up().await?;
                return Ok(arrived || self.delivery.borrow().count() != before);
            }
            if !page.more {
                return Ok(arrived);
            }
        }
    }

    /// Polling fallback: read the stream's events as a list now and then,
    /// backing off while nothing changes or the server is down, and try the
    /// stream again after a while. (A server without the events list is
    /// polled with message lists: new messages only.)
    fn poll(this: Rc<LiveFeed>) {
        leptos::task::spawn_local(async move {
            let mut quiet_rounds = 0u32;
            let mut jitter = Jitter::from_entropy();
            let mut rounds = 0u32;
            let mut lists_only = false;
            while !this.stopped.get() {
                let result = if lists_only {
                    let before = this.delivery.borrow().count();
                    this.catch_up()
                        .await
                        .map(|()| this.delivery.borrow().count() != before)
                } else {
                    match this.poll_events().await {
                        Err(e) if e.error == ErrorCode::NotFound => {
                            lists_only = true;
                            continue;
                        }
                        other => other,
                    }
                };
                (this.on_event)(WallEvent::Live(if result.is_ok() {
                    Liveness::Polling
                } else {
                    Liveness::Down
                }));
                quiet_rounds = if matches!(result, Ok(true)) {
                    0
                } else {
                    quiet_rounds + 1
                };
                rounds += 1;
                if rounds.is_multiple_of(10) && result.is_ok() {
                    // Give the stream another chance now and then.
                    this.failures.set(0);
                    LiveFeed::start(&this);
                    return;
                }
                sleep(POLL_BACKOFF.delay_ms(quiet_rounds + 1, jitter.draw()) as u32).await;
            }
        });
    }

    fn close_stream(&self) {
        if let Some(source) = self.source.borrow_mut().take() {
            for (name, closure) in self.listeners.borrow_mut().drain(..) {
                let _ = source
                    .remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
            source.close();
        }
    }

    fn stop(&self) {
        self.stopped.set(true);
        self.close_stream();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::time::Timestamp;
    use hugops_core::wire::WallSlug;

    /// Every event reads back as the server wrote it, under its SSE name.
    #[test]
    fn stream_events_decode_by_their_name() {
        let message = Message {
            id: 42,
            wall: WallSlug::parse("general").unwrap(),
            author: Some("Sam".into()),
            body: "Hang in there".into(),
            created_at: Timestamp::from_millis(1_700_000_000_000),
            hugs: 3,
            pinned: true,
            hidden: false,
            held: false,
            client_id: None,
            official: false,
        };
        for event in [
            StreamEvent::Message {
                message: message.clone(),
            },
            StreamEvent::Moderated { message },
            StreamEvent::Hugs(HugCount {
                message_id: 42,
                hugs: 4,
            }),
        ] {
            let data = serde_json::to_string(&event).unwrap();
            assert_eq!(decode_stream_event(event.name(), &data), Some(event));
        }
        assert_eq!(decode_stream_event("message", "{not json"), None);
        // A hide, as the server writes it: the id and flags, no body.
        let hide = r#"{"type":"moderated","message":{"id":42,"wall":"general","created_at":"2024-03-01T17:00:00.000Z","hugs":3,"pinned":false,"hidden":true,"held":false}}"#;
        let Some(StreamEvent::Moderated { message }) = decode_stream_event("moderated", hide)
        else {
            panic!("a withheld message decodes")
        };
        assert!(message.hidden && message.body.is_empty() && message.client_id.is_none());
        assert_eq!(decode_stream_event("something-new", "{}"), None);
    }
}
