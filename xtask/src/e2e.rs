//! End-to-end: the optimised release widget in dist/, served by the real
//! server, driven in Debian's Chromium by Playwright (tests/e2e/*.test.mjs,
//! run by node's own test runner). Each test file starts the servers it
//! needs (tests/e2e/harness.mjs), on fresh SQLite files and free ports, so
//! a test can stop and restart its server.

use crate::build::dist_dir;
use crate::cmd::{self, Result, Tally};

pub fn run(tally: &mut Tally) -> Result<()> {
    cmd::run(cmd::new("cargo").args(["build", "--profile", "server", "-p", "hugops-server"]))?;
    cmd::run_counted(
        cmd::new("node")
            .args([
                "--test",
                "--test-reporter=tap",
                "--test-concurrency=1",
                "tests/e2e/",
            ])
            .env("HUGOPS_SERVER_BIN", crate::server::binary())
            .env("HUGOPS_DIST", dist_dir())
            .env("CHROMIUM", crate::setup::CHROMIUM),
        tally,
    )
}
