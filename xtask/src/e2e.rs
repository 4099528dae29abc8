//! End-to-end: the optimised release widget in dist/, served by the real
//! server, driven in Debian's Chromium by Playwright (tests/e2e/*.test.mjs,
//! run by node's own test runner). Each test file starts the servers it
//! needs (tests/e2e/harness.mjs), on fresh SQLite files and free ports, so
//! a test can stop and restart its server.

use crate::build::dist_dir;
use crate::cmd::{self, Result, Tally};
use std::process::Command;

pub fn run(tally: &mut Tally) -> Result<()> {
    crate::server::build()?;
    cmd::run_counted(
        with_harness_env(cmd::new("node").args([
            "--test",
            "--test-reporter=tap",
            "--test-concurrency=1",
            "tests/e2e/",
        ])),
        tally,
    )
}

/// What `tests/e2e/harness.mjs` reads: the server binary, the built widget
/// and the browser. (The widget bench uses the harness too.)
pub fn with_harness_env(command: &mut Command) -> &mut Command {
    command
        .env("HUGOPS_SERVER_BIN", crate::server::binary())
        .env("HUGOPS_DIST", dist_dir())
        .env("CHROMIUM", crate::setup::CHROMIUM)
}
