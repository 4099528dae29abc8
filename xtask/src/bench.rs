//! `cargo xtask bench server`: the real server (built with `--profile
//! server`) under a real load generator on loopback, with the numbers in a
//! table. A benchmark, not a test: `cargo xtask test` never runs it, and no
//! number can fail it; only a broken setup (no server, no wrk) does.
//!
//! - messages GET and POST: Debian's `wrk` (installed when missing), POST
//!   through a Lua script that gives every request its own `client_id`;
//! - SSE fan-out: `server/examples/fanout.rs`, N subscribers and M posts,
//!   time from each post's 201 to its arrival at every subscriber, and the
//!   server's resident memory, and the CPU the server and the client used;
//! - on a machine of two cores or more the server runs on one half of the
//!   cores and the load generators (wrk, the fan-out client) on the other
//!   (`taskset`), so that a busy client cannot starve the server it
//!   measures, and the table says so;
//! - with `--postgres`, the same on a throwaway PostgreSQL (fsync turned
//!   back on, so commits cost what they cost in production), with the
//!   fan-out spread over two instances on that one database.

use crate::cmd::{self, Result};
use crate::postgres::TestPostgres;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "\
cargo xtask bench server [options]
  --subscribers N   SSE subscribers for the fan-out (default 1000, at most 10000)
  --posts M         posts during the fan-out (default 200, at most 5000)
  --duration S      seconds of each wrk run (default 10, at most 120)
  --connections C   wrk connections (default 64, at most 1000)
  --postgres        also run everything on PostgreSQL (two instances for the fan-out)
";

/// Messages seeded on the wall the GET benchmark reads (a full page).
const SEED: usize = 100;
/// The fan-out posts one message this often (it measures latency, not
/// throughput, so the posts must not queue behind each other).
const FANOUT_INTERVAL_MS: u64 = 20;

struct Options {
    subscribers: usize,
    posts: usize,
    duration: u64,
    connections: usize,
    postgres: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        if args.first().map(String::as_str) != Some("server") {
            return Err(format!("what to benchmark?\n{USAGE}"));
        }
        let mut options = Options {
            subscribers: 1000,
            posts: 200,
            duration: 10,
            connections: 64,
            postgres: false,
        };
        let mut rest = args[1..].iter();
        while let Some(flag) = rest.next() {
            let mut number = |max: u64| -> Result<u64> {
                let value = rest.next().ok_or(format!("{flag} needs a number"))?;
                let n: u64 = value
                    .parse()
                    .map_err(|_| format!("{flag}: not a number: {value}"))?;
                if n == 0 || n > max {
                    return Err(format!("{flag}: between 1 and {max}"));
                }
                Ok(n)
            };
            match flag.as_str() {
                "--subscribers" => options.subscribers = number(10_000)? as usize,
                "--posts" => options.posts = number(5_000)? as usize,
                "--duration" => options.duration = number(120)?,
                "--connections" => options.connections = number(1_000)? as usize,
                "--postgres" => options.postgres = true,
                _ => return Err(format!("unknown option {flag}\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    ensure_wrk()?;
    let cores = Cores::split();
    cmd::run(cmd::new("cargo").args([
        "build",
        "--profile",
        "server",
        "-p",
        "hugops-server",
        "--bin",
        "hugops-server",
        "--example",
        "fanout",
    ]))?;
    let work = WorkDir::new()?;
    let mut http = Vec::new();
    let mut fanouts = Vec::new();

    eprintln!("\n=== SQLite (WAL, synchronous=FULL)");
    {
        let server = Server::start(
            &work.0,
            "sqlite",
            &work.0.join("bench.db").to_string_lossy(),
            &cores,
        )?;
        http.extend(measure_http("SQLite", &server, &options, &work.0, &cores)?);
        fanouts.push(measure_fanout("SQLite", &[&server], &options, &cores)?);
        server.stop();
    }
    if options.postgres {
        eprintln!("\n=== PostgreSQL (throwaway cluster, fsync on)");
        let postgres = TestPostgres::start()?;
        restart_with_fsync(&postgres.url)?;
        let a = Server::start(&work.0, "pg-a", &postgres.url, &cores)?;
        let b = Server::start(&work.0, "pg-b", &postgres.url, &cores)?;
        http.extend(measure_http("PostgreSQL", &a, &options, &work.0, &cores)?);
        fanouts.push(measure_fanout(
            "PostgreSQL, 2 instances",
            &[&a, &b],
            &options,
            &cores,
        )?);
        a.stop();
        b.stop();
    }
    print_tables(&options, &cores, &http, &fanouts);
    Ok(())
}

/// Which CPUs the servers and the load generators run on. On one machine
/// they compete for the same cores: unpinned, a load client busy parsing
/// ten thousand streams takes the CPU the server needs to write them, and
/// the latency measured is the client's. Split, each has cores of its own
/// (and the server's runtime sizes itself to them).
struct Cores {
    /// `taskset -c` lists; `None` when the machine has one core or no
    /// `taskset` (util-linux), and then nothing is pinned.
    server: Option<String>,
    load: Option<String>,
}

impl Cores {
    fn split() -> Cores {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        Cores::of(n, cmd::probe("taskset", &["--version"]).is_some())
    }

    /// The split of `n` CPUs (numbered from 0), if `taskset` can pin.
    fn of(n: usize, taskset: bool) -> Cores {
        if n < 2 || !taskset {
            return Cores {
                server: None,
                load: None,
            };
        }
        let half = n / 2;
        let list = |from: usize, to: usize| {
            if from + 1 == to {
                from.to_string()
            } else {
                format!("{from}-{}", to - 1)
            }
        };
        Cores {
            server: Some(list(0, half)),
            load: Some(list(half, n)),
        }
    }

    /// `program`, run on the server's cores.
    fn server(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        pinned(self.server.as_deref(), program)
    }

    /// `program`, run on the load generators' cores.
    fn load(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        pinned(self.load.as_deref(), program)
    }

    fn describe(&self) -> String {
        match (&self.server, &self.load) {
            (Some(server), Some(load)) => {
                format!("server on CPU {server}, load generators on CPU {load} (taskset)")
            }
            _ => "server and load generators share every CPU (not pinned)".into(),
        }
    }
}

/// `taskset -c CPUS program` (which execs `program`, so the child's pid is
/// the program's), or `program` alone; as `cmd::new` runs it.
fn pinned(cpus: Option<&str>, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = match cpus {
        Some(cpus) => {
            let mut command = Command::new("taskset");
            command.args(["-c", cpus]).arg(program);
            command
        }
        None => Command::new(program),
    };
    command
        .current_dir(cmd::root())
        .env("PATH", cmd::tool_path());
    command
}

/// The throwaway cluster runs with `-c fsync=off`: right for tests,
/// flattering for a benchmark (a commit would cost no flush, where SQLite's
/// costs an fsync). A command-line setting outranks `ALTER SYSTEM`, so the
/// cluster is restarted with the same options but that one.
fn restart_with_fsync(url: &str) -> Result<()> {
    let show = |setting: &str| {
        cmd::probe("psql", &[url, "-Atc", &format!("SHOW {setting}")])
            .ok_or(format!("psql could not read {setting} from {url}"))
    };
    let data = show("data_directory")?;
    let options = format!(
        "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections={}",
        show("port")?,
        show("unix_socket_directories")?,
        show("max_connections")?
    );
    let pg_ctl = crate::postgres::bin_dir()
        .ok_or("PostgreSQL is not installed")?
        .join("pg_ctl");
    // The server refuses to run as root; TestPostgres runs it as `postgres`.
    let mut command = if cmd::probe("id", &["-u"]).as_deref() == Some("0") {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(pg_ctl);
        c
    } else {
        Command::new(pg_ctl)
    };
    command
        .args(["-w", "-t", "60", "-D", &data, "-l"])
        .arg(Path::new(&data).join("server.log"))
        .args(["-o", &options, "restart"])
        .stdout(Stdio::null());
    cmd::run(&mut command)?;
    match show("fsync")?.as_str() {
        "on" => Ok(()),
        other => Err(format!("PostgreSQL still has fsync={other}")),
    }
}

/// Installs Debian's wrk when it is missing.
fn ensure_wrk() -> Result<()> {
    if cmd::probe("wrk", &["--version"]).is_some() || Path::new("/usr/bin/wrk").exists() {
        return Ok(());
    }
    cmd::run(cmd::new("apt-get").arg("update"))?;
    cmd::run(
        cmd::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "wrk"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// A temp directory, removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Result<WorkDir> {
        let dir = std::env::temp_dir().join(format!("hugops-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One server process on a free loopback port, rate limits off.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
}

impl Server {
    fn start(work: &Path, name: &str, database: &str, cores: &Cores) -> Result<Server> {
        let log = work.join(format!("{name}.log"));
        let mut child = cores
            .server(crate::server::binary())
            .args(["--bind", "127.0.0.1:0", "--rate-per-minute", "0"])
            // Every subscriber comes from 127.0.0.1.
            .args(["--max-streams-per-ip", "0"])
            .args(["--database", database])
            .arg("--static-dir")
            .arg(work.join("no-dist"))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).map_err(|e| e.to_string())?)
            .spawn()
            .map_err(|e| format!("could not start hugops-server: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
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
            .map_err(|_| {
                let _ = child.kill();
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                format!("hugops-server did not start; its log:\n{log}")
            })?;
        let addr = line
            .strip_prefix("hugops-server listening on http://")
            .ok_or(format!("unexpected first line: {line}"))?
            .to_owned();
        Ok(Server { child, addr })
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// SIGTERM, then up to 15 s for the graceful shutdown, then SIGKILL.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A POST over a plain socket: the status code.
fn post(addr: &str, path: &str, body: &str) -> Result<u16> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(format!("not an HTTP answer: {answer}"))
}

/// One row of the HTTP table.
struct HttpRow {
    backend: &'static str,
    load: &'static str,
    wrk: Wrk,
}

fn measure_http(
    backend: &'static str,
    server: &Server,
    options: &Options,
    work: &Path,
    cores: &Cores,
) -> Result<Vec<HttpRow>> {
    for n in 0..SEED {
        let body = format!(
            r#"{{"author": "Seed", "body": "Thank you for working on this ({n})", "client_id": "seed-{n}"}}"#
        );
        let status = post(&server.addr, "/api/v1/walls/bench/messages", &body)?;
        if status != 201 {
            return Err(format!("seeding answered {status}"));
        }
    }
    let get = wrk(
        options,
        &server.url("/api/v1/walls/bench/messages"),
        None,
        cores,
    )?;
    let script = work.join("post.lua");
    std::fs::write(&script, POST_SCRIPT).map_err(|e| e.to_string())?;
    let post = wrk(
        options,
        &server.url("/api/v1/walls/bench-post/messages"),
        Some(&script),
        cores,
    )?;
    Ok(vec![
        HttpRow {
            backend,
            load: "GET  /walls/bench/messages (100 seeded)",
            wrk: get,
        },
        HttpRow {
            backend,
            load: "POST /walls/bench-post/messages",
            wrk: post,
        },
    ])
}

/// Every request a new message with its own `client_id` (a repeated one
/// would be answered as a retry, without a write).
const POST_SCRIPT: &str = r#"
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  n = 0
end
function request()
  n = n + 1
  local body = string.format(
    '{"body":"Hang in there, team (%d-%d)","client_id":"bench-%d-%d"}', tid, n, tid, n)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"#;

/// What wrk measured.
#[derive(Default)]
struct Wrk {
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    errors: u64,
}

fn wrk(options: &Options, url: &str, script: Option<&Path>, cores: &Cores) -> Result<Wrk> {
    let mut command = cores.load("wrk");
    command
        .arg("-t2")
        .arg(format!("-c{}", options.connections))
        .arg(format!("-d{}s", options.duration))
        .arg("--latency")
        .arg("--timeout")
        .arg("5s");
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command.arg(url);
    eprintln!("$ wrk … {url}");
    let output = command.output().map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(parse_wrk(&text))
}

/// Reads wrk's `--latency` report.
fn parse_wrk(text: &str) -> Wrk {
    let mut wrk = Wrk::default();
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Requests/sec:"), Some(n)) => wrk.requests_per_sec = n.parse().unwrap_or(0.0),
            (Some("50%"), Some(t)) => wrk.p50_ms = millis(t),
            (Some("99%"), Some(t)) => wrk.p99_ms = millis(t),
            (Some(n), Some("requests")) => wrk.requests = n.parse().unwrap_or(0),
            _ => {}
        }
        if let Some(n) = line.strip_prefix("Non-2xx or 3xx responses:") {
            wrk.errors += n.trim().parse::<u64>().unwrap_or(0);
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            wrk.errors += rest
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>();
        }
    }
    wrk
}

/// `612.00us`, `1.97ms`, `1.02s` in milliseconds.
fn millis(text: &str) -> f64 {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => f64::NAN,
    }
}

/// One row of the fan-out table: the example's `key=value` line.
struct FanoutRow {
    backend: &'static str,
    values: Vec<(String, String)>,
}

impl FanoutRow {
    fn get(&self, key: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map_or("?", |(_, v)| v.as_str())
    }

    /// What each connected reader costs the servers, in KiB.
    fn per_reader_kib(&self) -> String {
        let number = |key: &str| self.get(key).parse::<f64>().ok();
        match (
            number("rss_idle_kb"),
            number("rss_connected_kb"),
            number("connected"),
        ) {
            (Some(idle), Some(subs), Some(n)) if n > 0.0 => format!("{:.1}", (subs - idle) / n),
            _ => "?".into(),
        }
    }

    /// One post's fan-out to `subscribers`, in milliseconds of CPU.
    fn fan_out_ms(&self, subscribers: usize) -> String {
        self.get("server_us_per_delivery")
            .parse::<f64>()
            .map_or("?".into(), |us| {
                format!("{:.0}", us * subscribers as f64 / 1e3)
            })
    }

    fn mib(&self, key: &str) -> String {
        self.get(key)
            .parse::<f64>()
            .map_or("?".into(), |kb| format!("{:.0}", kb / 1024.0))
    }
}

fn measure_fanout(
    backend: &'static str,
    servers: &[&Server],
    options: &Options,
    cores: &Cores,
) -> Result<FanoutRow> {
    let urls: Vec<String> = servers.iter().map(|s| s.url("")).collect();
    let pids: Vec<String> = servers.iter().map(|s| s.child.id().to_string()).collect();
    let example = crate::server::binary()
        .parent()
        .ok_or("no target dir")?
        .join("examples/fanout");
    let mut command = cores.load(example);
    command
        .arg("--url")
        .arg(urls.join(","))
        .arg("--pid")
        .arg(pids.join(","))
        .arg("--subscribers")
        .arg(options.subscribers.to_string())
        .arg("--posts")
        .arg(options.posts.to_string())
        .arg("--interval-ms")
        .arg(FANOUT_INTERVAL_MS.to_string())
        .stderr(Stdio::inherit());
    eprintln!(
        "$ fanout: {} subscribers, {} posts",
        options.subscribers, options.posts
    );
    let output = command.output().map_err(|e| format!("fanout: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("fanout "))
        .ok_or(format!("fanout printed no results: {text}"))?;
    let values = line
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Ok(FanoutRow { backend, values })
}

fn print_tables(options: &Options, cores: &Cores, http: &[HttpRow], fanouts: &[FanoutRow]) {
    let n = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "\nhugops-server on loopback, {n} cores: {}; wrk -t2 -c{} -d{}s; rate limits off",
        cores.describe(),
        options.connections,
        options.duration
    );
    println!("SQLite: WAL, synchronous=FULL (a 201 is on disk)");
    if options.postgres {
        println!("PostgreSQL: local throwaway cluster, fsync on, synchronous_commit on");
    }
    println!();
    println!(
        "{:<11} {:<41} {:>10} {:>9} {:>9} {:>9} {:>7}",
        "backend", "load", "req/s", "p50 ms", "p99 ms", "requests", "errors"
    );
    for row in http {
        println!(
            "{:<11} {:<41} {:>10.0} {:>9.2} {:>9.2} {:>9} {:>7}",
            row.backend,
            row.load,
            row.wrk.requests_per_sec,
            row.wrk.p50_ms,
            row.wrk.p99_ms,
            row.wrk.requests,
            row.wrk.errors
        );
    }
    println!(
        "\nSSE fan-out: {} subscribers, {} posts one every {FANOUT_INTERVAL_MS} ms; \
         latency from each post's 201 to its arrival at every subscriber\n",
        options.subscribers, options.posts
    );
    println!(
        "{:<24} {:>9} {:>10} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>9} {:>9} {:>9} {:>6} {:>6}",
        "", "", "", "", "from 201", "", "", "from send", "", "", "", "", "CPU %", ""
    );
    println!(
        "{:<24} {:>9} {:>10} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>9} {:>9} {:>9} {:>6} {:>6}",
        "backend",
        "connected",
        "deliveries",
        "missing",
        "p50 ms",
        "p99 ms",
        "max ms",
        "p50 ms",
        "p99 ms",
        "RSS idle",
        "RSS subs",
        "RSS peak",
        "server",
        "client"
    );
    for row in fanouts {
        println!(
            "{:<24} {:>9} {:>10} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>7}Mi {:>7}Mi {:>7}Mi {:>6} {:>6}",
            row.backend,
            row.get("connected"),
            row.get("deliveries"),
            row.get("missing"),
            row.get("p50_ms"),
            row.get("p99_ms"),
            row.get("max_ms"),
            row.get("send_p50_ms"),
            row.get("send_p99_ms"),
            row.mib("rss_idle_kb"),
            row.mib("rss_connected_kb"),
            row.mib("rss_peak_kb"),
            row.get("server_cpu_pct"),
            row.get("client_cpu_pct"),
        );
    }
    for row in fanouts {
        println!(
            "{}: {} KiB of server memory per connected reader ((RSS subs - RSS idle) / connected)",
            row.backend,
            row.per_reader_kib()
        );
        println!(
            "{}: {} µs of server CPU per delivery, so one post's fan-out to every subscriber \
             costs {} ms of one core",
            row.backend,
            row.get("server_us_per_delivery"),
            row.fan_out_ms(options.subscribers)
        );
    }
    println!(
        "\n(From 201: an arrival before the poster had its 201 counts as 0; the server \
         publishes before it answers. From send: from the moment the POST left.\n\
         RSS: the servers' resident memory, summed over instances: before the \
         subscribers, with all connected, and the peak while posting.\n\
         CPU %: CPU time over wall-clock time while posting and delivering (100 = one \
         core busy); a client near 100 on a core of its own measured itself, not the server.\n\
         Connecting took {}.)",
        fanouts
            .iter()
            .map(|r| format!("{} s ({})", r.get("connect_s"), r.backend))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "\
Running 10s test @ http://127.0.0.1:8080/api/v1/walls/bench/messages
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.01ms  21.27ms   81.47%
    Req/Sec    15.42k     1.20k   18.56k    72.00%
  Latency Distribution
     50%  612.00us
     75%    2.51ms
     90%    3.16ms
     99%    1.02s
  306937 requests in 10.01s, 1.57GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 12
Requests/sec:  30665.83
Transfer/sec:    160.38MB
";
        let wrk = parse_wrk(report);
        assert_eq!(wrk.requests_per_sec, 30665.83);
        assert_eq!(wrk.p50_ms, 0.612);
        assert_eq!(wrk.p99_ms, 1020.0);
        assert_eq!(wrk.requests, 306_937);
        assert_eq!(wrk.errors, 17);
    }

    #[test]
    fn cores_are_split_in_halves_when_they_can_be() {
        let pair = |c: Cores| (c.server, c.load);
        let some = |a: &str, b: &str| (Some(a.to_owned()), Some(b.to_owned()));
        assert_eq!(pair(Cores::of(2, true)), some("0", "1"));
        assert_eq!(pair(Cores::of(8, true)), some("0-3", "4-7"));
        assert_eq!(pair(Cores::of(3, true)), some("0", "1-2"));
        assert_eq!(pair(Cores::of(1, true)), (None, None));
        assert_eq!(pair(Cores::of(4, false)), (None, None));
    }

    #[test]
    fn options_have_defaults_and_bounds() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o = Options::parse(&args(&["server"])).unwrap();
        assert_eq!((o.subscribers, o.posts, o.postgres), (1000, 200, false));
        let o = Options::parse(&args(&["server", "--subscribers", "3000", "--postgres"])).unwrap();
        assert_eq!((o.subscribers, o.postgres), (3000, true));
        assert!(Options::parse(&args(&["server", "--subscribers", "0"])).is_err());
        assert!(Options::parse(&args(&["server", "--duration", "100000"])).is_err());
        assert!(Options::parse(&args(&["client"])).is_err());
    }
}
