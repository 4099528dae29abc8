//! The real binary: acknowledged posts survive `kill -9`, and SIGTERM shuts
//! down gracefully (in-flight requests finish, SSE streams end, exit 0,
//! and the team token never reaches the log).

use crate::common::*;
use hugops_core::wire::Message;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

/// Starts the binary on a free port with `db`; stderr goes to a log file.
fn launch(db: &Path, name: &str) -> Server {
    launch_with_token(db, name, TOKEN)
}

/// [`launch`] with `HUGOPS_TEAM_TOKEN` set to `token`.
pub fn launch_with_token(db: &Path, name: &str, token: &str) -> Server {
    launch_configured(db, name, token, |_| {})
}

/// [`launch_with_token`], with `configure` applied to the command last.
pub fn launch_configured(
    db: &Path,
    name: &str,
    token: &str,
    configure: impl FnOnce(&mut Command),
) -> Server {
    let log = db.with_file_name(format!("{name}.log"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_hugops-server"));
    command
        .args(["--bind", "127.0.0.1:0", "--rate-per-minute", "0"])
        .arg("--database")
        .arg(db)
        .arg("--static-dir")
        .arg(db.with_file_name("no-dist"))
        .env("HUGOPS_TEAM_TOKEN", token)
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap());
    configure(&mut command);
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(line)) = lines.next() {
            let _ = sender.send(line);
        }
        // Keep the pipe drained for the life of the process.
        for _ in lines {}
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("no address line; log: {}", read(&log)));
    let base = line
        .strip_prefix("hugops-server listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_owned();
    Server { child, base, log }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "did not exit; log: {}",
                read(&self.log)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    async fn export(&self, client: &reqwest::Client) -> Vec<Message> {
        let export: Value = client
            .get(self.url("/api/v1/walls/storm/export"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        serde_json::from_value(export["messages"].clone()).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body_of(client_id: &str) -> String {
    format!("hang in there ({client_id})")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_posts_survive_kill_9_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("storm.db");
    let mut server = launch(&db, "first");
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let attempted = Arc::new(Mutex::new(Vec::<String>::new()));

    const WRITERS: usize = 4;
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let url = server.url("/api/v1/walls/storm/messages");
        let (acknowledged, attempted) = (acknowledged.clone(), attempted.clone());
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            // Bounded: the kill comes long before this.
            for n in 0..20_000 {
                let client_id = format!("storm-{w}-{n}");
                attempted.lock().unwrap().push(client_id.clone());
                let sent = client
                    .post(&url)
                    .json(&json!({"body": body_of(&client_id), "client_id": client_id}))
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == 201 => {
                        acknowledged.lock().unwrap().push(client_id);
                    }
                    Ok(response) => panic!("unexpected {}", response.status()),
                    // The server is gone: this post may or may not be stored.
                    Err(_) => return,
                }
            }
        }));
    }

    // Kill mid-storm, once a good number of posts were acknowledged.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 300 {
        assert!(Instant::now() < deadline, "the storm is too slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no checkpoint.
    server.child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let attempted = attempted.lock().unwrap().clone();
    assert!(
        attempted.len() > acknowledged.len(),
        "killed while posts were in flight"
    );

    let mut server = launch(&db, "second");
    let client = reqwest::Client::new();
    let stored = server.export(&client).await;
    let mut count: HashMap<&str, usize> = HashMap::new();
    for m in &stored {
        // The team's export keeps each message's client_id.
        let client_id = m.client_id.as_deref().unwrap();
        *count.entry(client_id).or_default() += 1;
        assert_eq!(m.body, body_of(client_id));
    }
    for id in &acknowledged {
        assert_eq!(
            count.get(id.as_str()),
            Some(&1),
            "acknowledged {id} is stored once"
        );
    }
    assert!(count.values().all(|c| *c == 1));

    // Retrying every attempt doubles nothing: stored ones answer 200 with
    // the stored message, the rest are stored now.
    for id in &attempted {
        let response = client
            .post(server.url("/api/v1/walls/storm/messages"))
            .json(&json!({"body": body_of(id), "client_id": id}))
            .send()
            .await
            .unwrap();
        let expected = if count.contains_key(id.as_str()) {
            200
        } else {
            201
        };
        assert_eq!(response.status(), expected, "{id}");
    }
    let after = server.export(&client).await;
    assert_eq!(after.len(), attempted.len());
    let mut ids: Vec<&str> = after
        .iter()
        .filter_map(|m| m.client_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), attempted.len());

    server.terminate();
    assert!(server.wait_exit(Duration::from_secs(15)).success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_in_flight_requests_ends_streams_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = launch(&dir.path().join("term.db"), "term");
    let client = reqwest::Client::new();

    // A team request, so the log would show the token if anything logged it.
    let export = client
        .get(server.url("/api/v1/walls/general/export?format=md"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);

    let mut sse = SseClient::connect(&server.url("/api/v1/walls/general/stream"), None).await;
    assert!(sse.next_block(Duration::from_secs(10)).await.is_some());

    // A request in flight: headers and half the body sent.
    let body = json!({"body": "sent across a shutdown", "client_id": "in-flight-1"}).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request = format!(
        "POST /api/v1/walls/general/messages HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{head}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.terminate();

    // The stream ends, so EventSource would reconnect.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while sse.next_block(Duration::from_secs(10)).await.is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the SSE stream ended after SIGTERM");

    // The in-flight request is finished, not cut.
    tokio::time::sleep(Duration::from_millis(200)).await;
    socket.write_all(tail.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut answer))
        .await
        .expect("an answer to the in-flight request")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("sent across a shutdown"), "{answer}");

    let status = server.wait_exit(Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
    let log = read(&server.log);
    assert!(log.contains("shutting down"), "{log}");
    assert!(!log.contains(TOKEN), "the team token is in the log:\n{log}");

    // And the in-flight post was stored.
    let mut restarted = launch(&dir.path().join("term.db"), "term-again");
    let page: Value = client
        .get(restarted.url("/api/v1/walls/general/export"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The team's export shows the client_id (the public list does not).
    assert_eq!(page["messages"][0]["client_id"], "in-flight-1");
    restarted.terminate();
    assert!(restarted.wait_exit(Duration::from_secs(15)).success());
}
