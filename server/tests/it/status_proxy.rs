//! The status proxy against a real upstream on a loopback port, serving
//! real Statuspage fixture bytes, then failing in the ways upstreams fail.

use crate::common::*;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

#[derive(Clone, Copy)]
enum Mode {
    /// The fixture, with this ETag and Cache-Control; 304 when revalidated.
    Serve {
        etag: &'static str,
        cache_control: &'static str,
    },
    Fail(u16),
    /// A 200 that is no summary: a maintenance page.
    Garbage,
    /// Answers after this many milliseconds.
    Slow(u64),
}

#[derive(Default)]
struct Log {
    hits: usize,
    /// The If-None-Match of each request.
    validators: Vec<Option<String>>,
}

#[derive(Clone)]
struct Upstream {
    mode: Arc<Mutex<Mode>>,
    log: Arc<Mutex<Log>>,
}

struct RunningUpstream {
    url: String,
    upstream: Upstream,
    task: JoinHandle<()>,
}

impl RunningUpstream {
    fn set(&self, mode: Mode) {
        *self.upstream.mode.lock().unwrap() = mode;
    }

    fn hits(&self) -> usize {
        self.upstream.log.lock().unwrap().hits
    }

    fn validators(&self) -> Vec<Option<String>> {
        self.upstream.log.lock().unwrap().validators.clone()
    }
}

async fn summary(State(up): State<Upstream>, headers: HeaderMap) -> Response {
    let validator = headers
        .get("if-none-match")
        .map(|v| v.to_str().unwrap().to_owned());
    {
        let mut log = up.log.lock().unwrap();
        log.hits += 1;
        log.validators.push(validator.clone());
    }
    let mode = *up.mode.lock().unwrap();
    match mode {
        Mode::Serve {
            etag,
            cache_control,
        } => {
            if validator.as_deref() == Some(etag) {
                return (
                    StatusCode::NOT_MODIFIED,
                    [("etag", etag), ("cache-control", cache_control)],
                )
                    .into_response();
            }
            (
                [
                    ("content-type", "application/json"),
                    ("etag", etag),
                    ("cache-control", cache_control),
                ],
                INSTRUCTURE,
            )
                .into_response()
        }
        Mode::Fail(status) => (
            StatusCode::from_u16(status).unwrap(),
            "upstream is having a bad day",
        )
            .into_response(),
        Mode::Slow(ms) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            (StatusCode::OK, "too late").into_response()
        }
        Mode::Garbage => (
            [("content-type", "text/html")],
            "<html><body>Down for maintenance</body></html>",
        )
            .into_response(),
    }
}

async fn upstream(mode: Mode) -> RunningUpstream {
    let upstream = Upstream {
        mode: Arc::new(Mutex::new(mode)),
        log: Arc::default(),
    };
    let router = Router::new()
        .route("/api/v2/summary.json", get(summary))
        .with_state(upstream.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/api/v2/summary.json",
        listener.local_addr().unwrap()
    );
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    RunningUpstream {
        url,
        upstream,
        task,
    }
}

const FRESH_EVERY_TIME: Mode = Mode::Serve {
    etag: "\"v1\"",
    cache_control: "public, max-age=0",
};

async fn proxy_of(up: &RunningUpstream) -> TestApp {
    let url = up.url.clone();
    start_with(move |c| {
        c.status_url = Some(url);
        c.status_ttl = 0;
    })
    .await
}

fn fixture() -> Value {
    serde_json::from_slice(INSTRUCTURE).unwrap()
}

#[tokio::test]
async fn the_upstream_summary_is_proxied_and_revalidated_with_its_etag() {
    let up = upstream(FRESH_EVERY_TIME).await;
    let app = proxy_of(&up).await;

    let reply = app.get("/api/v1/status").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.value();
    let original = fixture();
    assert_eq!(body["status"]["indicator"], original["status"]["indicator"]);
    assert_eq!(body["status"]["indicator"], "minor");
    assert_eq!(body["page"]["name"], "Instructure");
    assert_eq!(
        body["components"].as_array().unwrap().len(),
        original["components"].as_array().unwrap().len()
    );
    assert_eq!(
        body["incidents"][0]["incident_updates"]
            .as_array()
            .unwrap()
            .len(),
        original["incidents"][0]["incident_updates"]
            .as_array()
            .unwrap()
            .len()
    );
    assert_eq!(body["hugops"]["source"], "upstream");
    assert_eq!(body["hugops"]["stale"], false);
    assert!(body["hugops"]["fetched_at"].is_string());
    assert!(body["hugops"].get("error").is_none());
    let etag = reply.header("etag").unwrap().to_owned();
    assert_eq!(up.hits(), 1);

    // max-age=0: the next request revalidates with the upstream's ETag;
    // the upstream's 304 keeps the copy, and our ETag with it (only
    // `fetched_at` moved).
    let again = app.get("/api/v1/status").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(up.hits(), 2);
    assert_eq!(up.validators(), [None, Some("\"v1\"".to_owned())]);
    assert_eq!(again.value()["status"], body["status"]);
    assert_eq!(again.header("etag"), Some(etag.as_str()));

    // Our own ETag answers the widget's revalidation with 304 (after one
    // more upstream revalidation).
    let not_modified = app
        .call(Call::new(Method::GET, "/api/v1/status").header("if-none-match", &etag))
        .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(up.hits(), 3);
}

#[tokio::test]
async fn max_age_is_honoured() {
    let up = upstream(Mode::Serve {
        etag: "\"v1\"",
        cache_control: "public, max-age=60",
    })
    .await;
    let app = proxy_of(&up).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/status").await.status, StatusCode::OK);
    }
    assert_eq!(up.hits(), 1, "fresh for 60 s: asked once");

    let up = upstream(Mode::Serve {
        etag: "\"v1\"",
        cache_control: "no-cache",
    })
    .await;
    let app = proxy_of(&up).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/status").await.status, StatusCode::OK);
    }
    assert_eq!(up.hits(), 3, "no-cache: asked every time");

    // Concurrent readers of a stale copy send one request upstream.
    let up = upstream(Mode::Serve {
        etag: "\"v1\"",
        cache_control: "max-age=60",
    })
    .await;
    let app = proxy_of(&up).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            let request = axum::http::Request::get("/api/v1/status")
                .body(axum::body::Body::empty())
                .unwrap();
            tower::ServiceExt::oneshot(router, request)
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(up.hits(), 1, "single flight");
}

#[tokio::test]
async fn the_last_good_copy_is_served_when_the_upstream_fails() {
    let up = upstream(FRESH_EVERY_TIME).await;
    let app = proxy_of(&up).await;
    let good = app.get("/api/v1/status").await.value();
    assert_eq!(good["hugops"]["stale"], false);

    let stale = |reply: Reply, says: &str, fetched_at: &Value| {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let body = reply.value();
        assert_eq!(body["status"], good["status"], "the last good copy");
        assert_eq!(body["components"], good["components"]);
        assert_eq!(body["hugops"]["stale"], true);
        assert_eq!(
            &body["hugops"]["fetched_at"], fetched_at,
            "when the copy was last good"
        );
        let error = body["hugops"]["error"].as_str().unwrap();
        assert!(error.contains(says), "{error:?} should say {says:?}");
        // Plain words, no internals.
        assert!(!error.contains("127.0.0.1"), "{error}");
    };

    up.set(Mode::Fail(500));
    stale(
        app.get("/api/v1/status").await,
        "HTTP 500",
        &good["hugops"]["fetched_at"],
    );
    up.set(Mode::Fail(404));
    stale(
        app.get("/api/v1/status").await,
        "HTTP 404",
        &good["hugops"]["fetched_at"],
    );
    up.set(Mode::Garbage);
    stale(
        app.get("/api/v1/status").await,
        "web page",
        &good["hugops"]["fetched_at"],
    );
    // The badge keeps showing the last known status.
    assert!(app.get("/badge.svg").await.text().contains("Minor issues"));

    // Recovery clears the error.
    up.set(FRESH_EVERY_TIME);
    let recovered = app.get("/api/v1/status").await.value();
    assert_eq!(recovered["hugops"]["stale"], false);
    assert!(recovered["hugops"].get("error").is_none());

    // An upstream that is gone altogether.
    up.task.abort();
    let _ = up.task.await;
    stale(
        app.get("/api/v1/status").await,
        "could not be reached",
        &recovered["hugops"]["fetched_at"],
    );
}

#[tokio::test]
async fn without_a_good_copy_a_failing_upstream_is_a_502() {
    let up = upstream(Mode::Fail(503)).await;
    let app = proxy_of(&up).await;
    let reply = app.get("/api/v1/status").await;
    let error = reply.assert_refused(502, "upstream_failed");
    assert!(
        error["message"].as_str().unwrap().contains("HTTP 503"),
        "{error}"
    );
    assert!(app
        .get("/badge.svg")
        .await
        .text()
        .contains("Status unknown"));
}

#[tokio::test]
async fn the_team_status_overrides_the_upstream_until_deleted() {
    let up = upstream(FRESH_EVERY_TIME).await;
    let app = proxy_of(&up).await;
    app.team(
        Method::PUT,
        "/api/v1/status",
        Some(json!({"status": {"indicator": "major", "description": "We know; fixing"}})),
    )
    .await;
    let body = app.get("/api/v1/status").await.value();
    assert_eq!(body["status"]["indicator"], "major");
    assert_eq!(body["hugops"]["source"], "team");
    app.team(Method::DELETE, "/api/v1/status", None).await;
    let body = app.get("/api/v1/status").await.value();
    assert_eq!(body["status"]["indicator"], "minor");
    assert_eq!(body["hugops"]["source"], "upstream");
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_a_503_json() {
    let up = upstream(Mode::Slow(3_000)).await;
    let url = up.url.clone();
    let app = start_with(move |c| {
        c.status_url = Some(url);
        c.request_timeout = 1;
    })
    .await;
    let started = std::time::Instant::now();
    let reply = app.get("/api/v1/status").await;
    reply.assert_refused(503, "unavailable");
    assert!(started.elapsed() < std::time::Duration::from_millis(2_500));
}
