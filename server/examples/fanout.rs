//! SSE fan-out benchmark client (`cargo xtask bench server` runs it).
//!
//! Connects N subscribers to a wall's stream (spread over one or more
//! server URLs: several instances on one PostgreSQL database), waits until
//! every one has its stream open, then posts M messages one at a time and
//! records when each arrives at each subscriber. Prints one line of
//! `key=value` results for xtask to tabulate:
//!
//! - `p50_ms`/`p99_ms`/`max_ms`: from a post's 201 to its arrival, over
//!   every (post, subscriber) pair. An arrival before the 201 (the server
//!   publishes before it answers) counts as 0.
//! - `send_p50_ms`/`send_p99_ms`: the same from the moment the POST was sent.
//! - `missing`: arrivals that did not happen before the deadline.
//! - `rss_*_kb`: the servers' resident memory (VmRSS, summed over `--pid`s)
//!   before the subscribers, with all connected, and the peak while posting.
//!
//! Every wait is bounded by `--timeout-secs`; nothing here fails on a slow
//! number, it only reports it.

use clap::Parser;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};

#[derive(Parser, Debug)]
struct Args {
    /// Server base URLs (comma-separated); subscribers are spread over all,
    /// posts go to the first.
    #[arg(long, value_delimiter = ',', required = true)]
    url: Vec<String>,
    #[arg(long, default_value = "fanout")]
    wall: String,
    #[arg(long, default_value_t = 1000)]
    subscribers: usize,
    #[arg(long, default_value_t = 200)]
    posts: usize,
    /// Pause between two posts.
    #[arg(long, default_value_t = 20)]
    interval_ms: u64,
    /// Server process ids whose memory to report (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pid: Vec<u32>,
    /// Bound on each phase (connecting; posting and delivery).
    #[arg(long, default_value_t = 60)]
    timeout_secs: u64,
}

/// One subscriber's arrivals: (message id, when).
type Arrivals = Vec<(i64, Instant)>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let timeout = Duration::from_secs(args.timeout_secs);
    let client = reqwest::Client::builder()
        .http1_only()
        .pool_max_idle_per_host(0)
        .build()
        .expect("an HTTP client");
    let rss_idle = rss_kb(&args.pid);

    // Connect, a few hundred at a time (a burst of thousands of SYNs would
    // overflow the listen backlog and measure the kernel, not the server).
    let connecting = Instant::now();
    let opened = Arc::new(AtomicUsize::new(0));
    let received = Arc::new(AtomicUsize::new(0));
    let (stop, stopped) = watch::channel(false);
    let gate = Arc::new(Semaphore::new(200));
    let mut subscribers = Vec::with_capacity(args.subscribers);
    for n in 0..args.subscribers {
        let base = &args.url[n % args.url.len()];
        let url = format!("{base}/api/v1/walls/{}/stream", args.wall);
        subscribers.push(tokio::spawn(subscribe(
            client.clone(),
            url,
            args.posts,
            gate.clone(),
            opened.clone(),
            received.clone(),
            stopped.clone(),
        )));
    }
    let all_open = wait_until(timeout, || {
        opened.load(Ordering::SeqCst) >= args.subscribers
    })
    .await;
    let connect_secs = connecting.elapsed().as_secs_f64();
    let connected = opened.load(Ordering::SeqCst);
    if !all_open {
        eprintln!(
            "fanout: only {connected} of {} subscribers connected",
            args.subscribers
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_connected = rss_kb(&args.pid);

    // Sample memory while posting.
    let peak = Arc::new(AtomicU64::new(rss_connected));
    let sampler = {
        let (peak, pids, mut stopped) = (peak.clone(), args.pid.clone(), stopped.clone());
        tokio::spawn(async move {
            loop {
                let done = *stopped.borrow();
                if done {
                    break;
                }
                peak.fetch_max(rss_kb(&pids), Ordering::SeqCst);
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                    _ = stopped.changed() => {}
                }
            }
        })
    };

    let posting = Instant::now();
    let mut posts: Vec<(i64, Instant, Instant)> = Vec::with_capacity(args.posts);
    let post_url = format!("{}/api/v1/walls/{}/messages", args.url[0], args.wall);
    for n in 0..args.posts {
        if posting.elapsed() > timeout {
            eprintln!("fanout: posting took too long; stopped after {n} posts");
            break;
        }
        let body = format!(
            r#"{{"body": "Fan-out {n}: thank you for working on this", "client_id": "fanout-{}-{n}"}}"#,
            std::process::id()
        );
        let sent = Instant::now();
        let response = client
            .post(&post_url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        let acknowledged = Instant::now();
        match response {
            Ok(r) if r.status() == 201 => {
                let text = r.text().await.unwrap_or_default();
                match message_id(&text) {
                    Some(id) => posts.push((id, sent, acknowledged)),
                    None => eprintln!("fanout: a 201 without an id: {text}"),
                }
            }
            Ok(r) => eprintln!("fanout: post {n} answered {}", r.status()),
            Err(e) => eprintln!("fanout: post {n} failed: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(args.interval_ms)).await;
    }
    let expected = posts.len() * connected;
    wait_until(timeout, || received.load(Ordering::SeqCst) >= expected).await;
    stop.send_replace(true);
    let _ = sampler.await;

    let mut arrivals: Vec<Arrivals> = Vec::with_capacity(subscribers.len());
    for subscriber in subscribers {
        arrivals.push(subscriber.await.unwrap_or_default());
    }
    let report = Report::compute(&posts, &arrivals, connected);
    let peak = peak.load(Ordering::SeqCst);
    println!(
        "fanout subscribers={} connected={connected} connect_s={connect_secs:.2} posts={} \
         deliveries={} missing={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} send_p50_ms={:.2} \
         send_p99_ms={:.2} rss_idle_kb={rss_idle} rss_connected_kb={rss_connected} rss_peak_kb={peak}",
        args.subscribers,
        posts.len(),
        report.deliveries,
        report.missing,
        report.from_ack.0,
        report.from_ack.1,
        report.from_ack.2,
        report.from_send.0,
        report.from_send.1,
    );
}

/// Polls `done` every 10 ms until it holds or `timeout` passes.
async fn wait_until(timeout: Duration, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while !done() {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

/// One subscriber: opens the stream (through `gate`), counts itself open on
/// the first bytes (the server's greeting), then notes each message's
/// arrival until it has `posts` of them or is told to stop.
async fn subscribe(
    client: reqwest::Client,
    url: String,
    posts: usize,
    gate: Arc<Semaphore>,
    opened: Arc<AtomicUsize>,
    received: Arc<AtomicUsize>,
    mut stopped: watch::Receiver<bool>,
) -> Arrivals {
    let mut arrivals = Vec::with_capacity(posts);
    // Held only while connecting.
    let mut permit = Some(gate.acquire_owned().await);
    let response = client
        .get(&url)
        .header("accept", "text/event-stream")
        .send()
        .await;
    let mut response = match response {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            eprintln!("fanout: the stream answered {}", r.status());
            return arrivals;
        }
        Err(e) => {
            eprintln!("fanout: cannot open the stream: {e}");
            return arrivals;
        }
    };
    let mut buffer = String::new();
    let mut greeted = false;
    while arrivals.len() < posts {
        let chunk = tokio::select! {
            chunk = response.chunk() => chunk,
            _ = stopped.changed() => break,
        };
        let Ok(Some(chunk)) = chunk else { break };
        let now = Instant::now();
        if !greeted {
            greeted = true;
            permit.take();
            opened.fetch_add(1, Ordering::SeqCst);
        }
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let data = block.lines().find_map(|l| l.strip_prefix("data:"));
            let is_message = block
                .lines()
                .any(|l| l.strip_prefix("event:").map(str::trim) == Some("message"));
            if let (true, Some(id)) = (is_message, data.and_then(message_id)) {
                arrivals.push((id, now));
                received.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
    arrivals
}

/// The first `"id":` number of a message's JSON: the message id (quotes
/// inside texts are escaped, so none of them can match).
fn message_id(json: &str) -> Option<i64> {
    let start = json.find("\"id\":")? + 5;
    let digits: String = json[start..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

struct Report {
    deliveries: usize,
    missing: usize,
    /// p50, p99, max in milliseconds.
    from_ack: (f64, f64, f64),
    from_send: (f64, f64, f64),
}

impl Report {
    fn compute(
        posts: &[(i64, Instant, Instant)],
        arrivals: &[Arrivals],
        connected: usize,
    ) -> Report {
        let by_id: std::collections::HashMap<i64, (Instant, Instant)> = posts
            .iter()
            .map(|&(id, sent, ack)| (id, (sent, ack)))
            .collect();
        let mut from_ack = Vec::new();
        let mut from_send = Vec::new();
        for subscriber in arrivals {
            for (id, at) in subscriber {
                if let Some((sent, ack)) = by_id.get(id) {
                    from_ack.push(at.saturating_duration_since(*ack).as_secs_f64() * 1e3);
                    from_send.push(at.saturating_duration_since(*sent).as_secs_f64() * 1e3);
                }
            }
        }
        let deliveries = from_ack.len();
        Report {
            deliveries,
            missing: (posts.len() * connected).saturating_sub(deliveries),
            from_ack: percentiles(&mut from_ack),
            from_send: percentiles(&mut from_send),
        }
    }
}

fn percentiles(values: &mut [f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.50), at(0.99), values[values.len() - 1])
}

/// Resident memory of the processes, in KiB (0 for those that are gone).
fn rss_kb(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .sum()
}
