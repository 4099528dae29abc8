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
//! - `client_cpu_pct`/`server_cpu_pct`: CPU time used while posting and
//!   delivering, over that wall-clock time (100 = one core busy). A client
//!   near 100 on its core measures itself, not the server.
//! - `server_us_per_delivery`: the servers' CPU time over that span divided
//!   by the deliveries: times the subscribers, what one post's fan-out
//!   costs a core.
//!
//! Lean on purpose, so that the client is not what is measured when it
//! shares a small machine with the server: one thread for all subscribers
//! (plain sockets, no HTTP client), each reading into a buffer of its own
//! and scanning the bytes for the message id, with no allocation per
//! event; the posts go from a thread of their own over blocking sockets,
//! so their timestamps do not wait for the subscribers' work.
//!
//! Every wait is bounded by `--timeout-secs`; nothing here fails on a slow
//! number, it only reports it.

use clap::Parser;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{watch, Semaphore};

#[derive(Parser, Debug)]
struct Args {
    /// Server base URLs (comma-separated, `http://host:port`); subscribers
    /// are spread over all, posts go to the first.
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
    /// Server process ids whose memory and CPU to report (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pid: Vec<u32>,
    /// Bound on each phase (connecting; posting and delivery).
    #[arg(long, default_value_t = 60)]
    timeout_secs: u64,
}

/// One subscriber's arrivals: (message id, when).
type Arrivals = Vec<(i64, Instant)>;

/// A post the server acknowledged: (message id, sent, 201 received).
type Posted = (i64, Instant, Instant);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let timeout = Duration::from_secs(args.timeout_secs);
    let hosts: Vec<String> = args.url.iter().map(|u| host_of(u)).collect();
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
        let host = hosts[n % hosts.len()].clone();
        let path = format!("/api/v1/walls/{}/stream", args.wall);
        subscribers.push(tokio::spawn(subscribe(
            host,
            path,
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

    let (client_cpu, server_cpu) = (cpu_ticks(&[std::process::id()]), cpu_ticks(&args.pid));
    let posting = Instant::now();
    let poster = {
        let (host, wall) = (hosts[0].clone(), args.wall.clone());
        let (posts, interval) = (args.posts, Duration::from_millis(args.interval_ms));
        std::thread::spawn(move || post_all(&host, &wall, posts, interval, timeout))
    };
    // Wait for the poster without blocking the subscribers' thread.
    while !poster.is_finished() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let posts = poster.join().unwrap_or_default();
    let expected = posts.len() * connected;
    wait_until(timeout, || received.load(Ordering::SeqCst) >= expected).await;
    let busy = posting.elapsed().as_secs_f64();
    let percent = |ticks: u64| ticks as f64 / CLOCK_TICKS_PER_SEC / busy * 100.0;
    let client_cpu_pct = percent(cpu_ticks(&[std::process::id()]).saturating_sub(client_cpu));
    let server_ticks = cpu_ticks(&args.pid).saturating_sub(server_cpu);
    let server_cpu_pct = percent(server_ticks);
    stop.send_replace(true);
    let _ = sampler.await;

    let mut arrivals: Vec<Arrivals> = Vec::with_capacity(subscribers.len());
    for subscriber in subscribers {
        arrivals.push(subscriber.await.unwrap_or_default());
    }
    let report = Report::compute(&posts, &arrivals, connected);
    // What one delivery costs the servers (the posts' own work is in it,
    // a few hundred microseconds each against thousands of deliveries).
    let server_us_per_delivery =
        server_ticks as f64 / CLOCK_TICKS_PER_SEC * 1e6 / report.deliveries.max(1) as f64;
    let peak = peak.load(Ordering::SeqCst);
    println!(
        "fanout subscribers={} connected={connected} connect_s={connect_secs:.2} posts={} \
         deliveries={} missing={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} send_p50_ms={:.2} \
         send_p99_ms={:.2} rss_idle_kb={rss_idle} rss_connected_kb={rss_connected} rss_peak_kb={peak} \
         client_cpu_pct={client_cpu_pct:.0} server_cpu_pct={server_cpu_pct:.0} \
         server_us_per_delivery={server_us_per_delivery:.1}",
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

/// `127.0.0.1:8080` from `http://127.0.0.1:8080` (plain HTTP only).
fn host_of(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    rest.split('/').next().unwrap_or(rest).to_owned()
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

/// Posts `count` messages one after the other, `interval` apart, each on a
/// connection of its own: the acknowledged ones.
fn post_all(
    host: &str,
    wall: &str,
    count: usize,
    interval: Duration,
    timeout: Duration,
) -> Vec<Posted> {
    let started = Instant::now();
    let mut posts = Vec::with_capacity(count);
    for n in 0..count {
        if started.elapsed() > timeout {
            eprintln!("fanout: posting took too long; stopped after {n} posts");
            break;
        }
        let body = format!(
            r#"{{"body": "Fan-out {n}: thank you for working on this", "client_id": "fanout-{}-{n}"}}"#,
            std::process::id()
        );
        let sent = Instant::now();
        match post(host, wall, &body) {
            Ok(answer) if answer.starts_with("HTTP/1.1 201") => match message_id(&answer) {
                Some(id) => posts.push((id, sent, Instant::now())),
                None => eprintln!("fanout: a 201 without an id: {answer}"),
            },
            Ok(answer) => eprintln!(
                "fanout: post {n} answered {}",
                answer.lines().next().unwrap_or("")
            ),
            Err(e) => eprintln!("fanout: post {n} failed: {e}"),
        }
        std::thread::sleep(interval);
    }
    posts
}

/// One POST over a fresh connection: the whole answer, read until the
/// server closes.
fn post(host: &str, wall: &str, body: &str) -> std::io::Result<String> {
    let mut stream = std::net::TcpStream::connect(host)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST /api/v1/walls/{wall}/messages HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

/// One subscriber: opens the stream (through `gate`), counts itself open
/// once the answer's head is in, then notes each message's arrival until
/// it has `posts` of them or is told to stop.
async fn subscribe(
    host: String,
    path: String,
    posts: usize,
    gate: Arc<Semaphore>,
    opened: Arc<AtomicUsize>,
    received: Arc<AtomicUsize>,
    mut stopped: watch::Receiver<bool>,
) -> Arrivals {
    let mut arrivals = Vec::with_capacity(posts);
    // Held only while connecting.
    let mut permit = Some(gate.acquire_owned().await);
    let mut stream = match TcpStream::connect(&host).await {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("fanout: cannot open the stream: {e}");
            return arrivals;
        }
    };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n");
    if let Err(e) = stream.write_all(request.as_bytes()).await {
        eprintln!("fanout: cannot ask for the stream: {e}");
        return arrivals;
    }
    let mut frames = Frames::default();
    let mut head = true;
    while arrivals.len() < posts {
        let read = tokio::select! {
            read = stream.read(frames.spare()) => read,
            _ = stopped.changed() => break,
        };
        let n = match read {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let now = Instant::now();
        frames.filled(n);
        if head {
            // The head and the greeting come first; nothing else is sent
            // before the stream is open.
            let Some(end) = frames.head_end() else {
                continue;
            };
            if !frames.pending().starts_with(b"HTTP/1.1 200") {
                let line = frames
                    .pending()
                    .split(|&b| b == b'\r')
                    .next()
                    .unwrap_or(&[]);
                eprintln!(
                    "fanout: the stream answered {}",
                    String::from_utf8_lossy(line)
                );
                return arrivals;
            }
            frames.consume(end);
            head = false;
            permit.take();
            opened.fetch_add(1, Ordering::SeqCst);
        }
        frames.each_message(|id| {
            arrivals.push((id, now));
            received.fetch_add(1, Ordering::Relaxed);
        });
    }
    arrivals
}

/// A subscriber's read buffer: bytes read but not yet scanned. Frames are
/// scanned in place and the rest moved to the front, so reading allocates
/// nothing after the first frames.
struct Frames {
    buffer: Vec<u8>,
    /// Bytes in `buffer`.
    len: usize,
}

impl Default for Frames {
    fn default() -> Frames {
        Frames {
            buffer: vec![0; 4096],
            len: 0,
        }
    }
}

/// What starts a message event (`sse.rs` writes `event:` first).
const MESSAGE: &[u8] = b"event: message\n";

impl Frames {
    /// Room to read into (grown when one frame outgrows the buffer).
    fn spare(&mut self) -> &mut [u8] {
        if self.len == self.buffer.len() {
            self.buffer.resize(self.buffer.len() * 2, 0);
        }
        &mut self.buffer[self.len..]
    }

    fn filled(&mut self, n: usize) {
        self.len += n;
    }

    fn pending(&self) -> &[u8] {
        &self.buffer[..self.len]
    }

    fn consume(&mut self, n: usize) {
        self.buffer.copy_within(n..self.len, 0);
        self.len -= n;
    }

    /// Where the HTTP head ends, if it is all in.
    fn head_end(&self) -> Option<usize> {
        find(self.pending(), b"\r\n\r\n").map(|at| at + 4)
    }

    /// Calls `seen` with the message id of each complete message frame and
    /// drops the complete frames. (The chunked encoding's size lines fall
    /// between frames, since the server writes each frame as one chunk.)
    fn each_message(&mut self, mut seen: impl FnMut(i64)) {
        let mut start = 0;
        while let Some(end) = find(&self.buffer[start..self.len], b"\n\n") {
            let frame = &self.buffer[start..start + end];
            if let Some(at) = find(frame, MESSAGE) {
                if let Some(id) = first_id(&frame[at..]) {
                    seen(id);
                }
            }
            start += end + 2;
        }
        self.consume(start);
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut from = 0;
    while let Some(at) = haystack[from..].iter().position(|&b| b == first) {
        let at = from + at;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The number after the first `"id":`: in a message's JSON, the message id
/// (quotes inside texts are escaped, so none of them can match).
fn first_id(json: &[u8]) -> Option<i64> {
    let start = find(json, b"\"id\":")? + 5;
    let digits = json[start..]
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| b.is_ascii_digit());
    let mut id: i64 = 0;
    let mut any = false;
    for digit in digits {
        id = id.checked_mul(10)?.checked_add(i64::from(digit - b'0'))?;
        any = true;
    }
    any.then_some(id)
}

/// The message id in a POST's answer (its body is the message).
fn message_id(answer: &str) -> Option<i64> {
    let body = &answer[answer.find("\r\n\r\n")? + 4..];
    first_id(body.as_bytes())
}

struct Report {
    deliveries: usize,
    missing: usize,
    /// p50, p99, max in milliseconds.
    from_ack: (f64, f64, f64),
    from_send: (f64, f64, f64),
}

impl Report {
    fn compute(posts: &[Posted], arrivals: &[Arrivals], connected: usize) -> Report {
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

/// CPU time (user and system, all threads) the processes have used, in
/// clock ticks.
fn cpu_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| {
            // After the command name (in parentheses, which may hold
            // spaces): state is field 3, utime 14 and stime 15.
            let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .sum()
}

/// The unit of `/proc/PID/stat` times (`USER_HZ`): 100 on every Linux
/// architecture, whatever the kernel's own tick rate.
const CLOCK_TICKS_PER_SEC: f64 = 100.0;
