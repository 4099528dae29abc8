//! The release binary as a child process, its memory, and the client side
//! of the attacks: raw sockets and SSE readers.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The team token the suite's servers run with.
pub const TOKEN: &str = "hostile-suite-team-token";

/// The binary under attack: `cargo xtask test hostile` builds it with the
/// `server` profile (what ships) and names it here.
pub fn binary() -> PathBuf {
    std::env::var_os("HUGOPS_HOSTILE_SERVER")
        .map(PathBuf::from)
        .expect(
            "HUGOPS_HOSTILE_SERVER names the release binary; \
             run this suite with `cargo xtask test hostile`",
        )
}

/// One server process on a free loopback port, rate limits off (the
/// attacks come from one address; the rate limiter has its own tests).
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    log: PathBuf,
}

impl Server {
    pub fn launch(db: &Path, name: &str) -> Server {
        let log = db.with_file_name(format!("{name}.log"));
        let mut child = Command::new(binary())
            .args(["--bind", "127.0.0.1:0", "--rate-per-minute", "0"])
            // Every reader of this suite comes from 127.0.0.1: the per-IP
            // stream cap would stop the thousand replays at 200.
            .args(["--max-streams-per-ip", "0"])
            .arg("--database")
            .arg(db)
            .arg("--static-dir")
            .arg(db.with_file_name("no-dist"))
            .env("HUGOPS_TEAM_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = sender.send(line);
            }
            for _ in lines {}
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no address line; log: {}", read(&log)));
        let base = line
            .strip_prefix("hugops-server listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_owned();
        Server { child, base, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `host:port`, for raw sockets.
    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory (VmRSS) in KiB.
    pub fn rss_kib(&self) -> u64 {
        rss_of(self.pid())
    }

    /// SIGKILL: no shutdown, no flush, whatever was in flight is cut.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn log(&self) -> String {
        read(&self.log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory (VmRSS) of a process in KiB; 0 once it is gone.
pub fn rss_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Raises this process's soft limit on open files to `want` (within the
/// hard limit): the attacks hold thousands of sockets, and the server,
/// a child, inherits the limit. Distributions default the soft limit to
/// 1024, which would measure the limit, not the server.
pub fn raise_open_files(want: u64) {
    // SAFETY: getrlimit/setrlimit read and write the struct passed; no
    // other memory is touched.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur >= want {
            return;
        }
        limit.rlim_cur = want.min(limit.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        assert!(
            limit.rlim_cur >= want,
            "the hard limit on open files ({}) is below the {want} this suite needs",
            limit.rlim_max
        );
    }
}

/// A client that opens a connection per request (as thousands of distinct
/// visitors would), with a bound on every request.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .http1_only()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Posts a short message; `Ok((status, message id))` when the server
/// answered.
pub async fn post(
    client: &reqwest::Client,
    server_base: &str,
    wall: &str,
    client_id: &str,
) -> reqwest::Result<(u16, Option<i64>)> {
    let text = format!("Hang in there ({client_id})");
    post_text(client, server_base, wall, client_id, &text).await
}

/// Posts `text` (plain characters, nothing to escape).
pub async fn post_text(
    client: &reqwest::Client,
    server_base: &str,
    wall: &str,
    client_id: &str,
    text: &str,
) -> reqwest::Result<(u16, Option<i64>)> {
    let body = format!(r#"{{"body": "{text}", "client_id": "{client_id}"}}"#);
    let response = client
        .post(format!("{server_base}/api/v1/walls/{wall}/messages"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let json: serde_json::Value = response.json().await?;
    Ok((status, json["id"].as_i64()))
}
