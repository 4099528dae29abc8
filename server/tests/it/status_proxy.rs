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
use std::time::{Duration, Instant};
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
    /// The fixture with `Cache-Control: no-cache`, after this many
    /// milliseconds (no ETag: every trip is a whole answer).
    SlowNoCache(u64),
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
        Mode::SlowNoCache(ms) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            (
                [
                    ("content-type", "application/json"),
                    ("cache-control", "no-cache"),
                ],
                INSTRUCTURE,
            )
                .into_response()
        }
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

/// Waits (bounded) until the upstream has been asked `n` times and the
/// answer of that trip is recorded: with a copy in hand readers do not
/// wait for revalidations, so a test that wants their outcome waits here.
async fn settle(up: &RunningUpstream, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while up.hits() < n {
        assert!(
            Instant::now() < deadline,
            "the upstream was asked {} times, not {n}",
            up.hits()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The trip's answer is recorded just after the upstream sends it; give
    // it that moment, so the next read finds no trip in flight.
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Reads until `wanted` holds for the body (bounded): the outcome of a
/// background revalidation shows on a read after it lands.
async fn read_until(app: &TestApp, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = app.get("/api/v1/status").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let body = reply.value();
        if wanted(&body) {
            return body;
        }
        assert!(Instant::now() < deadline, "never got there: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
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

    // max-age=0: the next request is served the copy at once and starts a
    // revalidation with the upstream's ETag; the upstream's 304 keeps the
    // copy, and our ETag with it (only `fetched_at` moved).
    let again = app.get("/api/v1/status").await;
    assert_eq!(again.status, StatusCode::OK);
    settle(&up, 2).await;
    assert_eq!(up.validators(), [None, Some("\"v1\"".to_owned())]);
    assert_eq!(again.value()["status"], body["status"]);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let revalidated = app.get("/api/v1/status").await;
    assert_ne!(
        revalidated.value()["hugops"]["fetched_at"],
        body["hugops"]["fetched_at"]
    );
    assert_eq!(revalidated.header("etag"), Some(etag.as_str()));
    settle(&up, 3).await;

    // Our own ETag answers the widget's revalidation with 304 (and starts
    // one more upstream revalidation).
    let not_modified = app
        .call(Call::new(Method::GET, "/api/v1/status").header("if-none-match", &etag))
        .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    settle(&up, 4).await;
    assert_eq!(up.hits(), 4);
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
    for n in 1..=3 {
        assert_eq!(app.get("/api/v1/status").await.status, StatusCode::OK);
        settle(&up, n).await;
    }
    assert_eq!(up.hits(), 3, "no-cache: asked on every read");

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

    let stale = |body: Value, says: &str, fetched_at: &Value| {
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

    // Each failure shows on a read after the revalidation that met it.
    let says = |words: &'static str| {
        move |body: &Value| {
            body["hugops"]["error"]
                .as_str()
                .is_some_and(|e| e.contains(words))
        }
    };
    up.set(Mode::Fail(500));
    let body = read_until(&app, says("HTTP 500")).await;
    stale(body, "HTTP 500", &good["hugops"]["fetched_at"]);
    up.set(Mode::Fail(404));
    let body = read_until(&app, says("HTTP 404")).await;
    stale(body, "HTTP 404", &good["hugops"]["fetched_at"]);
    up.set(Mode::Garbage);
    let body = read_until(&app, says("web page")).await;
    stale(body, "web page", &good["hugops"]["fetched_at"]);
    // The badge keeps showing the last known status.
    assert!(app
        .get("/badge.svg")
        .await
        .text()
        .contains("Minor service outage"));

    // Recovery clears the error.
    up.set(FRESH_EVERY_TIME);
    let recovered = read_until(&app, |body| body["hugops"]["stale"] == false).await;
    assert!(recovered["hugops"].get("error").is_none());

    // An upstream that is gone altogether.
    up.task.abort();
    let _ = up.task.await;
    // (A revalidation started by the last read may have landed before the
    // upstream went: the copy is that one or the one read.)
    tokio::time::sleep(Duration::from_millis(200)).await;
    let last_good = app.get("/api/v1/status").await.value()["hugops"]["fetched_at"].clone();
    assert!(last_good.as_str() >= recovered["hugops"]["fetched_at"].as_str());
    let body = read_until(&app, says("could not be reached")).await;
    stale(body, "could not be reached", &last_good);
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

/// `n` concurrent `GET path` on the app, each with how long it took.
async fn concurrent_reads(app: &TestApp, path: &str, n: usize) -> Vec<(StatusCode, Duration)> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let router = app.router.clone();
            let request = axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap();
            tokio::spawn(async move {
                let started = Instant::now();
                let reply = tower::ServiceExt::oneshot(router, request).await.unwrap();
                (reply.status(), started.elapsed())
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_readers_share_one_trip_to_a_slow_no_cache_upstream() {
    let up = upstream(Mode::SlowNoCache(1_000)).await;
    let app = proxy_of(&up).await;

    // No copy yet: all twenty wait for the same single trip.
    let started = Instant::now();
    let results = concurrent_reads(&app, "/api/v1/status", 20).await;
    let slowest = results.iter().map(|(_, t)| *t).max().unwrap();
    eprintln!(
        "# 20 readers, no copy, 1 s no-cache upstream: {} upstream hit(s), slowest {slowest:?}",
        up.hits()
    );
    assert!(
        results.iter().all(|(s, _)| *s == StatusCode::OK),
        "{results:?}"
    );
    assert_eq!(up.hits(), 1, "one trip upstream for twenty readers");
    assert!(
        slowest < Duration::from_millis(3_000),
        "the last reader waited {slowest:?} (one trip is 1 s)"
    );
    assert!(started.elapsed() < Duration::from_secs(4));

    // With a copy (expired at once: no-cache), twenty more readers are
    // answered at once and start one revalidation between them.
    let results = concurrent_reads(&app, "/api/v1/status", 20).await;
    assert!(
        results.iter().all(|(s, _)| *s == StatusCode::OK),
        "{results:?}"
    );
    let slowest = results.iter().map(|(_, t)| *t).max().unwrap();
    eprintln!("# 20 readers with a copy: slowest {slowest:?}");
    assert!(slowest < Duration::from_millis(500), "{slowest:?}");
    settle(&up, 2).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(up.hits(), 2, "one revalidation for twenty readers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_upstream_does_not_slow_readers_once_there_is_a_copy() {
    let up = upstream(FRESH_EVERY_TIME).await;
    let app = proxy_of(&up).await;
    let good = app.get("/api/v1/status").await.value();
    assert_eq!(good["hugops"]["stale"], false);

    // Now the upstream takes 2 s (and then sends no summary).
    up.set(Mode::Slow(2_000));
    for path in ["/api/v1/status", "/badge.svg", "/api/v1/status"] {
        let started = Instant::now();
        let reply = app.get(path).await;
        let took = started.elapsed();
        eprintln!("# {path} with a copy and a 2 s upstream: {took:?}");
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(took < Duration::from_millis(300), "{path} took {took:?}");
        if path == "/badge.svg" {
            assert!(reply.text().contains("Minor service outage"));
        } else {
            assert_eq!(
                reply.value()["status"],
                good["status"],
                "the last good copy"
            );
        }
    }
    // One revalidation for all three reads, still in flight.
    settle(&up, 2).await;
    assert_eq!(up.hits(), 2);
    // When it lands, its failure is reported with the copy, still fast.
    let body = read_until(&app, |body| body["hugops"]["stale"] == true).await;
    assert_eq!(body["status"], good["status"]);
    assert_eq!(body["hugops"]["fetched_at"], good["hugops"]["fetched_at"]);
}

#[tokio::test]
async fn the_first_read_of_a_hanging_upstream_is_a_502_after_the_timeout() {
    let up = upstream(Mode::Slow(60_000)).await;
    let app = proxy_of(&up).await;
    let started = Instant::now();
    let reply = app.get("/api/v1/status").await;
    let error = reply.assert_refused(502, "upstream_failed");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("did not answer within 5 s"),
        "{error}"
    );
    let took = started.elapsed();
    assert!(
        (Duration::from_secs(4)..Duration::from_secs(7)).contains(&took),
        "{took:?}"
    );
}
