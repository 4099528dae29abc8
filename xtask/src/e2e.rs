//! End-to-end: the optimised release widget in dist/, served by the real
//! server on a fresh SQLite file, driven in Debian's Chromium by Playwright
//! (tests/e2e/*.test.mjs, node's own test runner).

use crate::build::dist_dir;
use crate::cmd::{self, Result};
use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub fn run() -> Result<()> {
    cmd::run(cmd::new("cargo").args(["build", "--profile", "server", "-p", "hugops-server"]))?;
    let data = std::env::temp_dir().join(format!("hugops-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let server = ServerGuard(
        server_command(port, &data)
            .spawn()
            .map_err(|e| format!("could not start hugops-server: {e}"))?,
    );
    wait_until_healthy(port)?;
    let result = cmd::run(
        cmd::new("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/"])
            .env("HUGOPS_URL", &base)
            .env("CHROMIUM", crate::setup::CHROMIUM),
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    result
}

pub fn server_binary() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"));
    target.join("server/hugops-server")
}

fn server_command(port: u16, data: &std::path::Path) -> Command {
    let mut command = cmd::new(server_binary().to_str().expect("UTF-8 path"));
    command
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--database")
        .arg(data.join("e2e.db"))
        .arg("--static-dir")
        .arg(dist_dir())
        .arg("--demo")
        .env("HUGOPS_TEAM_TOKEN", "e2e-team-token");
    command
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn wait_until_healthy(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "hugops-server did not listen on port {port} within 30 s"
    ))
}

/// Stops the server however the tests end.
struct ServerGuard(Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
