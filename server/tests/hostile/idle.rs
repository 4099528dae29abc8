//! A slow-loris: thousands of connections that send nothing must not keep
//! an ordinary visitor from posting, nor the health check from answering.

use crate::harness::{self, Server};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const IDLE: usize = 2_000;
/// What the issue asks of `/healthz` during such an attack.
const HEALTHZ_WITHIN: Duration = Duration::from_secs(1);
const POST_WITHIN: Duration = Duration::from_secs(5);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_idle_connections_do_not_starve_a_poster() {
    harness::raise_open_files(3 * IDLE as u64);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::launch(&dir.path().join("idle.db"), "idle");
    let addr = server.addr();

    // Half send nothing at all; half start a request and never finish its
    // head (the classic slow-loris).
    let mut idle = Vec::with_capacity(IDLE);
    let opening = Instant::now();
    while idle.len() < IDLE && opening.elapsed() < Duration::from_secs(30) {
        match TcpStream::connect(&addr).await {
            Ok(mut socket) => {
                if idle.len() % 2 == 1 {
                    let _ = socket
                        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                        .await;
                }
                idle.push(socket);
            }
            // A server that sheds connections may refuse some: fine.
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
    eprintln!(
        "{} idle connections opened in {:.1} s; server RSS {} KiB",
        idle.len(),
        opening.elapsed().as_secs_f64(),
        server.rss_kib()
    );

    let client = harness::client();
    for n in 0..20 {
        let started = Instant::now();
        let health =
            tokio::time::timeout(HEALTHZ_WITHIN, client.get(server.url("/healthz")).send())
                .await
                .unwrap_or_else(|_| panic!("/healthz took over {HEALTHZ_WITHIN:?} (round {n})"))
                .expect("/healthz answers");
        assert_eq!(health.status(), 200);
        let id = format!("poster-{n}");
        let posted = tokio::time::timeout(
            POST_WITHIN,
            harness::post(&client, &server.base, "busy", &id),
        )
        .await
        .unwrap_or_else(|_| panic!("post {n} took over {POST_WITHIN:?}"))
        .expect("the post is answered");
        assert_eq!(posted.0, 201, "post {n}");
        eprintln!("round {n}: healthz and post in {:?}", started.elapsed());
    }
    eprintln!("server RSS with the attack on: {} KiB", server.rss_kib());
    drop(idle);
    assert!(server.log().lines().all(|l| !l.contains("panicked")));
}
