//! The real server, started for tests that need one (the `http` adapter's
//! conformance suite in the browser): release-like build, fresh SQLite file,
//! no rate limit, stopped when dropped.

use crate::build::dist_dir;
use crate::cmd::{self, Result};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

/// Tried first so that the URL compiled into the browser tests stays the
/// same from run to run (a new URL recompiles them).
const PREFERRED_PORT: u16 = 18_787;

pub struct RunningServer {
    child: Child,
    data: PathBuf,
    pub url: String,
}

impl RunningServer {
    pub fn start() -> Result<RunningServer> {
        build()?;
        let port = port()?;
        let data = std::env::temp_dir().join(format!("hugops-test-server-{}", std::process::id()));
        std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
        let child = cmd::new(binary().to_str().ok_or("non-UTF-8 target path")?)
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database")
            .arg(data.join("test.db"))
            .arg("--static-dir")
            .arg(dist_dir())
            .args(["--rate-per-minute", "0", "--demo"])
            .env("HUGOPS_TEAM_TOKEN", "test-team-token-xtask")
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start hugops-server: {e}"))?;
        let server = RunningServer {
            child,
            data,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "hugops-server did not listen on {port} within 30 s"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// Builds the server binary that `binary()` names.
pub fn build() -> Result<()> {
    cmd::run(cmd::new("cargo").args(["build", "--profile", "server", "-p", "hugops-server"]))
}

/// The server binary `cargo build --profile server` writes.
pub fn binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"));
    target.join("server/hugops-server")
}

fn port() -> Result<u16> {
    if TcpListener::bind(("127.0.0.1", PREFERRED_PORT)).is_ok() {
        return Ok(PREFERRED_PORT);
    }
    cmd::free_port()
}
