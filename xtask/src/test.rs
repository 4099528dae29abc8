//! `cargo xtask test`: every check, cheapest first, each timed so the note
//! on an issue can quote where the minutes go.

use crate::cmd::{self, Result, Tally};
use crate::postgres::TestPostgres;
use crate::server::RunningServer;
use crate::setup::{self, Needs};
use crate::{build, e2e, size};
use std::time::{Duration, Instant};

pub fn all(args: &[String]) -> Result<()> {
    let only: Option<&str> = args.first().map(String::as_str);
    setup::ensure(Needs::everything())?;
    let mut timings = Timings::default();
    let mut tally = Tally::default();
    let wants = |step: &str| only.is_none_or(|o| o == step);
    if wants("lint") {
        timings.time("format and lints", lint)?;
    }
    if wants("native") {
        timings.time("native tests (core, server, widget logic)", || {
            native(&mut tally)
        })?;
    }
    if wants("hostile") {
        timings.time("hostile traffic against the release server", || {
            hostile(&mut tally)
        })?;
    }
    if wants("browser") {
        timings.time("widget tests in headless Chromium", || browser(&mut tally))?;
    }
    if wants("e2e") {
        timings.time("release build", || build::release().map(|_| ()))?;
        timings.time("size budget", size::report_and_check)?;
        timings.time("end to end: release widget + real server", || {
            e2e::run(&mut tally)
        })?;
    }
    timings.print();
    // The one closing line that sums every runner above.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

fn lint() -> Result<()> {
    cmd::run(cmd::new("cargo").args(["fmt", "--all", "--check"]))?;
    cmd::run(cmd::new("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    cmd::run(cmd::new("cargo").args([
        "clippy",
        // The widget, the team page and, through them, core's library.
        // (Core's own tests use proptest, whose RNG does not build for
        // wasm; they run natively.)
        "-p",
        "hugops-widget",
        "-p",
        "hugops-team",
        "--all-targets",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The widget as the release build compiles it, with the wall's
    // `#[lazy]` entry points (src/wall/lazy.rs).
    cmd::run(cmd::new("cargo").args([
        "clippy",
        "-p",
        "hugops-widget",
        "--all-targets",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "split",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Native tests, with a throwaway PostgreSQL server up so the server's
/// PostgreSQL tests run against the real thing; then the widget's logic
/// once more as the release build has it, without the default
/// `test-adapters` feature.
fn native(tally: &mut Tally) -> Result<()> {
    let postgres = TestPostgres::start()?;
    cmd::run_counted(
        cmd::new("cargo")
            .args(["test", "--workspace"])
            .env("HUGOPS_TEST_POSTGRES_URL", &postgres.url),
        tally,
    )?;
    cmd::run_counted(
        cmd::new("cargo").args([
            "test",
            "-p",
            "hugops-widget",
            "--lib",
            "--no-default-features",
        ]),
        tally,
    )
}

/// The hostile-traffic suite (`server/tests/hostile/`): the server built
/// with the `server` profile, as it ships, under attack on loopback. The
/// suite itself is built with that profile too (its clients parse millions
/// of SSE events; unoptimised they would measure themselves), and its tests
/// run one at a time so that each attack has the machine to itself.
fn hostile(tally: &mut Tally) -> Result<()> {
    crate::server::build()?;
    cmd::run_counted(
        cmd::new("cargo")
            .args([
                "test",
                "-p",
                "hugops-server",
                "--profile",
                "server",
                "--test",
                "hostile",
                "--",
                "--test-threads=1",
            ])
            .env("HUGOPS_HOSTILE_SERVER", crate::server::binary()),
        tally,
    )
}

/// wasm-bindgen-test in Debian's headless Chromium; webdriver.json at the
/// root passes the flags Chromium needs as root on a closed network. A real
/// server runs meanwhile for the `http` adapter's conformance suite; its URL
/// is compiled into that test (`option_env!("HUGOPS_TEST_API")`).
fn browser(tally: &mut Tally) -> Result<()> {
    let server = RunningServer::start()?;
    cmd::run_counted(
        cmd::new("cargo")
            .args([
                "test",
                "-p",
                "hugops-widget",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", setup::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
            .env("HUGOPS_TEST_API", &server.url),
        tally,
    )
}

#[derive(Default)]
struct Timings {
    steps: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn time(&mut self, name: &'static str, step: impl FnOnce() -> Result<()>) -> Result<()> {
        eprintln!("\n=== {name}");
        let start = Instant::now();
        let result = step();
        self.steps.push((name, start.elapsed()));
        if result.is_err() {
            self.print();
        }
        result
    }

    fn print(&self) {
        eprintln!("\n=== timings");
        for (name, took) in &self.steps {
            eprintln!("{:>8.1}s  {name}", took.as_secs_f64());
        }
    }
}
