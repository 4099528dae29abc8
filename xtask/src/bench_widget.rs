//! `cargo xtask bench widget`: render timings of the release widget in
//! Debian's Chromium against the real server (`xtask/bench/widget.mjs`),
//! and beside a plain JavaScript widget (`bench/reference/`).
//! A benchmark, not a test: `cargo xtask test` never runs it, and no number
//! can fail it.

use crate::cmd::{self, Result};
use crate::setup::{self, Needs};
use std::fs;
use std::path::PathBuf;

pub fn run(args: &[String]) -> Result<()> {
    let mut command = cmd::new("node");
    command.arg("xtask/bench/widget.mjs");
    match args {
        [] => {}
        [flag, n] if flag == "--messages" => {
            let n: u32 = n
                .parse()
                .ok()
                .filter(|n| (1..=50_000).contains(n))
                .ok_or("--messages: a number from 1 to 50000")?;
            command.env("HUGOPS_BENCH_MESSAGES", n.to_string());
        }
        _ => return Err("usage: cargo xtask bench widget [--messages N]".into()),
    }
    setup::ensure(Needs::everything())?;
    crate::build::widget_release()?;
    crate::server::build()?;
    let served = with_reference()?;
    cmd::run(crate::e2e::with_harness_env(&mut command).env("HUGOPS_DIST", served))
}

/// dist/ and, beside it at `/reference/`, the plain JavaScript widget the
/// bench compares HugOps with (bench/reference/), precompressed as dist/
/// is, in a folder of the bench's own: dist/ stays what ships.
fn with_reference() -> Result<PathBuf> {
    let served = cmd::root().join("target/bench-dist");
    if served.exists() {
        fs::remove_dir_all(&served).map_err(|e| format!("{}: {e}", served.display()))?;
    }
    crate::build::copy_dir(&crate::build::dist_dir(), &served)?;
    crate::build::copy_dir(
        &cmd::root().join("bench/reference"),
        &served.join("reference"),
    )?;
    crate::build::compress_all(&served.join("reference"))?;
    Ok(served)
}
