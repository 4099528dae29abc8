//! Slow and idle clients over real sockets: connections that send nothing
//! are closed after the header timeout, a stalled upload after the idle
//! timeout, connections over the cap wait their turn, live streams are
//! capped per IP and in total, and `/healthz` and posts still answer while
//! hundreds of idle connections are open.

use crate::common::*;
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; `None` when it has not
/// within `within`. (A reset counts as closed.)
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read_all).await.ok()?;
    Some(received)
}

async fn idle_connections(addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut open = Vec::with_capacity(count);
    for _ in 0..count {
        open.push(TcpStream::connect(addr).await.unwrap());
    }
    open
}

#[tokio::test]
async fn connections_that_send_nothing_are_closed_after_the_header_timeout() {
    let app = start_with(|c| c.header_timeout = 1).await;
    let served = serve(app.state.clone()).await;
    let started = Instant::now();
    let mut idle = idle_connections(served.addr, 250).await;
    // And a slow-loris: a head that never ends, a byte now and then.
    let mut loris = TcpStream::connect(served.addr).await.unwrap();
    loris.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = loris.write_all(b"X-A: b\r\n").await;
    }
    for (n, stream) in idle.iter_mut().enumerate() {
        let left = Duration::from_secs(5).saturating_sub(started.elapsed());
        assert!(
            closed_within(stream, left).await.is_some(),
            "idle connection {n} still open after {:?}",
            started.elapsed()
        );
    }
    assert!(
        closed_within(&mut loris, Duration::from_secs(2))
            .await
            .is_some(),
        "the slow head is cut too"
    );
    served.stop().await;
}

#[tokio::test]
async fn a_stalled_upload_is_closed_after_the_idle_timeout() {
    let app = start_with(|c| {
        c.idle_timeout = 2;
        c.keep_alive = 1;
    })
    .await;
    let served = serve(app.state.clone()).await;
    let mut stream = TcpStream::connect(served.addr).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(
            b"POST /api/v1/walls/general/messages HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"body\":",
        )
        .await
        .unwrap();
    // Without the idle limit only the 30 s request timeout would end it.
    assert!(
        closed_within(&mut stream, Duration::from_secs(6))
            .await
            .is_some(),
        "still open after {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() >= Duration::from_millis(1_500));
    served.stop().await;
}

#[tokio::test]
async fn healthz_and_posts_answer_while_hundreds_of_idle_connections_are_open() {
    let app = start().await;
    let served = serve(app.state.clone()).await;
    let _idle = idle_connections(served.addr, 1_000).await;
    let client = reqwest::Client::new();
    let started = Instant::now();
    let health = client.get(served.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "/healthz took {:?}",
        started.elapsed()
    );
    let post = client
        .post(served.url("/api/v1/walls/general/messages"))
        .json(&json!({"body": "still here", "client_id": unique_id()}))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 201);
    served.stop().await;
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_one_is_free() {
    let app = start_with(|c| {
        c.max_connections = Some(20);
        c.header_timeout = 1;
    })
    .await;
    let served = serve(app.state.clone()).await;
    let idle = idle_connections(served.addr, 20).await;
    let client = reqwest::Client::new();
    let started = Instant::now();
    let health = client
        .get(served.url("/healthz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    // Not before the idle ones were cut by the header timeout.
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "answered after {:?} with every slot taken",
        started.elapsed()
    );
    drop(idle);
    served.stop().await;
}

async fn stream_status(url: &str) -> (u16, serde_json::Value, Option<reqwest::Response>) {
    let response = reqwest::Client::new()
        .get(url)
        .header("accept", "text/event-stream")
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status == 200 {
        return (status, serde_json::Value::Null, Some(response));
    }
    (status, response.json().await.unwrap(), None)
}

#[tokio::test]
async fn live_streams_over_the_per_ip_cap_are_429_and_free_again_when_closed() {
    let app = start_with(|c| {
        c.max_streams_per_ip = 3;
        c.keep_alive = 1;
        c.idle_timeout = 5;
    })
    .await;
    let served = serve(app.state.clone()).await;
    let url = served.url("/api/v1/walls/general/stream");
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(SseClient::connect(&url, None).await);
    }
    let (status, error, _) = stream_status(&url).await;
    assert_eq!(status, 429, "{error}");
    assert_eq!(error["error"], "rate_limited");
    assert!(error["retry_after"].as_u64().is_some(), "{error}");
    // Other requests of the same client are not affected.
    let health = reqwest::get(served.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    // Closing one frees its place (once the server notices, at the latest
    // on the next keep-alive comment).
    drop(open.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, _, stream) = stream_status(&url).await;
        if status == 200 {
            drop(stream);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the closed stream's place was never freed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    served.stop().await;
}

#[tokio::test]
async fn live_streams_over_the_total_cap_are_503() {
    let app = start_with(|c| {
        c.max_streams = Some(2);
        c.max_streams_per_ip = 0;
    })
    .await;
    let served = serve(app.state.clone()).await;
    let url = served.url("/api/v1/walls/general/stream");
    let _a = SseClient::connect(&url, None).await;
    let _b = SseClient::connect(&served.url("/api/v1/walls/other/stream"), None).await;
    let (status, error, _) = stream_status(&url).await;
    assert_eq!(status, 503, "{error}");
    assert_eq!(error["error"], "unavailable");
    served.stop().await;
}
