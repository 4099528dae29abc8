//! Helpers shared by the integration tests: an app on a real SQLite file in
//! a temp dir, called in-process with `oneshot` or served on a real port,
//! and a small SSE client.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use hugops_server::{app, AppState, Config};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;

pub const TOKEN: &str = "test-team-token-7f3a9c";

/// The reference fixture of a real Statuspage summary (indicator `minor`).
pub const INSTRUCTURE: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/statuspage/instructure-summary.json"
));

/// Defaults as a user gets them, but on a temp database and static dir,
/// with the team token set and the write limits off (tests that want them
/// turn them on).
pub fn config(dir: &Path) -> Config {
    let mut config = Config::defaults();
    config.database = dir.join("hugops.db");
    config.static_dir = dir.join("dist");
    config.team_token = Some(TOKEN.into());
    config.rate_per_minute = 0;
    config
}

pub struct TestApp {
    pub dir: TempDir,
    pub state: AppState,
    pub router: Router,
}

pub async fn start() -> TestApp {
    start_with(|_| {}).await
}

pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    tweak(&mut config);
    let state = AppState::open(&config).await.unwrap();
    let router = app(state.clone());
    TestApp { dir, state, router }
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not the expected JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn value(&self) -> Value {
        self.json()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// Asserts a refusal: the status and the `wire::ApiError` code.
    #[track_caller]
    pub fn assert_refused(&self, status: u16, code: &str) -> Value {
        let value = self.value();
        assert_eq!(self.status.as_u16(), status, "{value}");
        assert_eq!(value["error"], code, "{value}");
        assert!(value["message"].as_str().is_some_and(|m| !m.is_empty()));
        value
    }
}

pub struct Call {
    request: Request<Body>,
}

impl Call {
    pub fn new(method: Method, path: &str) -> Call {
        Call {
            request: Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap(),
        }
    }

    pub fn json(mut self, body: &Value) -> Call {
        *self.request.body_mut() = Body::from(serde_json::to_vec(body).unwrap());
        self.request
            .headers_mut()
            .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        self
    }

    pub fn raw(mut self, body: impl Into<Body>) -> Call {
        *self.request.body_mut() = body.into();
        self
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Call {
        self.request
            .headers_mut()
            .append(name, value.parse().unwrap());
        self
    }

    pub fn team(self) -> Call {
        self.header("authorization", &format!("Bearer {TOKEN}"))
    }
}

impl TestApp {
    pub async fn call(&self, call: Call) -> Reply {
        let response = self.router.clone().oneshot(call.request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        // A stream never ends by itself: only its head is looked at here.
        let streaming = headers
            .get("content-type")
            .is_some_and(|v| v == "text/event-stream");
        let body = if streaming {
            Bytes::new()
        } else {
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Call::new(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Call::new(Method::POST, path).json(&body)).await
    }

    /// Posts `body` to `wall` with a fresh client id; asserts 201.
    pub async fn post_message(&self, wall: &str, body: &str) -> Value {
        let id = unique_id();
        let reply = self
            .post(
                &format!("/api/v1/walls/{wall}/messages"),
                serde_json::json!({"body": body, "client_id": id}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.value()
    }

    pub async fn team(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut call = Call::new(method, path).team();
        if let Some(body) = body {
            call = call.json(&body);
        }
        self.call(call).await
    }

    /// The team's `action` on message `id` of `wall`, which must succeed.
    pub async fn moderate(&self, wall: &str, id: i64, action: &str) {
        let reply = self
            .team(
                Method::PATCH,
                &format!("/api/v1/walls/{wall}/messages/{id}"),
                Some(serde_json::json!({ "action": action })),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
}

pub fn unique_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "t-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The app served on a real loopback port, in this process.
pub struct Served {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<()>,
}

impl Served {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Shuts down gracefully, as on SIGTERM, and waits for the server.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(15), self.handle)
            .await
            .expect("server did not stop")
            .unwrap();
    }
}

pub async fn serve(state: AppState) -> Served {
    serve_on(TcpListener::bind("127.0.0.1:0").await.unwrap(), state)
}

/// [`serve`] on a listener of the test's choosing (e.g. `[::]:0`).
pub fn serve_on(listener: TcpListener, state: AppState) -> Served {
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        hugops_server::serve(listener, state, async move {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Served {
        addr,
        stop: Some(stop),
        handle,
    }
}

/// One SSE event as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
    pub retry: Option<u64>,
    pub comments: Vec<String>,
}

impl SseEvent {
    pub fn seq(&self) -> i64 {
        self.id.as_deref().unwrap().parse().unwrap()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap()
    }
}

/// A minimal EventSource: reads a `text/event-stream` response and splits
/// it into events, keeping comment-only and retry-only blocks too.
pub struct SseClient {
    pub response: reqwest::Response,
    buffer: String,
}

impl SseClient {
    pub async fn connect(url: &str, last_event_id: Option<&str>) -> SseClient {
        let client = reqwest::Client::new();
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        SseClient {
            response,
            buffer: String::new(),
        }
    }

    /// The next block (event, comment or retry), `None` when the stream
    /// ended. Panics after `wait` without one.
    pub async fn next_block(&mut self, wait: Duration) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                return Some(parse_block(&block));
            }
            let chunk = tokio::time::timeout(wait, self.response.chunk())
                .await
                .expect("no SSE data in time")
                .expect("SSE stream failed");
            match chunk {
                Some(bytes) => self.buffer.push_str(std::str::from_utf8(&bytes).unwrap()),
                None => return None,
            }
        }
    }

    /// The next block that carries data (a real event).
    pub async fn next_event(&mut self, wait: Duration) -> Option<SseEvent> {
        loop {
            let block = self.next_block(wait).await?;
            if !block.data.is_empty() {
                return Some(block);
            }
        }
    }

    /// Whether an event arrives within `wait` (`false`: none did).
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.next_event(wait * 10))
            .await
            .is_err()
    }
}

fn parse_block(block: &str) -> SseEvent {
    let mut event = SseEvent::default();
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        if let Some(comment) = line.strip_prefix(':') {
            event.comments.push(comment.trim().to_owned());
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" => event.id = Some(value.to_owned()),
            "event" => event.event = Some(value.to_owned()),
            "data" => data.push(value),
            "retry" => event.retry = value.parse().ok(),
            _ => {}
        }
    }
    event.data = data.join("\n");
    event
}

/// A CSV parser for checking exports (RFC 4180: quotes, doubled quotes,
/// CRLF rows, line breaks inside quoted cells).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}
