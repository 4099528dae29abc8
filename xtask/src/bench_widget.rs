//! `cargo xtask bench widget`: render timings of the release widget in
//! Debian's Chromium against the real server (`xtask/bench/widget.mjs`).
//! A benchmark, not a test: `cargo xtask test` never runs it, and no number
//! can fail it.

use crate::cmd::{self, Result};
use crate::setup::{self, Needs};

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
    cmd::run(crate::e2e::with_harness_env(&mut command))
}
