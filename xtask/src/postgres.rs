//! A throwaway PostgreSQL server for the tests: a fresh cluster in a temp
//! directory, on a free loopback port, run as the `postgres` user (the
//! server refuses to run as root), stopped and deleted when dropped.

use crate::cmd::{self, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's server binaries, newest version first.
pub fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

pub struct TestPostgres {
    bin: PathBuf,
    data: PathBuf,
    pub url: String,
}

impl TestPostgres {
    pub fn start() -> Result<TestPostgres> {
        let bin = bin_dir().ok_or("PostgreSQL is not installed (apt-get install postgresql)")?;
        let port = cmd::free_port()?;
        let data = std::env::temp_dir().join(format!("hugops-pg-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
        cmd::run(Command::new("chown").arg("postgres:postgres").arg(&data))?;
        as_postgres(&bin.join("initdb"))
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())
            .and_then(|s| s.success().then_some(()).ok_or("initdb failed".into()))?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            data.display()
        );
        let log = data.join("server.log");
        let server = TestPostgres {
            bin,
            data,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        };
        cmd::run(
            as_postgres(&server.bin.join("pg_ctl"))
                .args(["-w", "-t", "60", "-D"])
                .arg(&server.data)
                .arg("-l")
                .arg(&log)
                .args(["-o", &options, "start"]),
        )?;
        Ok(server)
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .args(["-m", "immediate", "-D"])
            .arg(&self.data)
            .arg("stop")
            .status();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// Runs a PostgreSQL binary as the `postgres` user when we are root.
fn as_postgres(program: &Path) -> Command {
    let is_root = cmd::probe("id", &["-u"]).as_deref() == Some("0");
    if is_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}
