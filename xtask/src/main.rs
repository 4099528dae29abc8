//! `cargo xtask <command>`: the project's automation, in Rust rather than
//! shell scripts so it runs the same everywhere and is readable.
//!
//! The two commands the README names are `run` and `test`; each first
//! installs whatever the machine is missing (see `setup`).

mod bench;
mod bench_widget;
mod build;
mod cmd;
mod e2e;
mod postgres;
mod server;
mod setup;
mod size;
mod size_languages;
mod split;
mod team_token;
mod test;
mod wasm_names;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  run     install what is missing, build the widget and the team page and
          start the server on SQLite with the demo status page
          (http://127.0.0.1:8080; the team page at /team, with a team token
          made on the first run and kept outside the repository)
  test [lint|native|hostile|browser|e2e]
          install what is missing and run every test, or one step (CI runs
          all); `hostile` attacks the release server on loopback (~2 min)
  setup   only install what is missing
  build   build the release widget, split (status first, the wall's chunks
          after), into dist/ and the team page into dist/team/
  size    print each bundle's sizes (the widget's first module, its wall
          chunks, both, the team page), where its wasm bytes go by crate
          and module, and check each against size-budget.toml
  postgres  start a throwaway PostgreSQL and print its URL (Enter stops it)
  bench server [--subscribers N] [--posts M] [--duration S] [--connections C] [--postgres]
          load the real server on loopback (wrk; SSE fan-out) and print
          throughput, latency and memory; never part of `test`
  bench widget [--messages N]
          render timings of the release widget in Chromium: cold load,
          N (10000) messages page by page, frames while scrolling them, and
          time to banner and to first message (and the bytes fetched by
          then) against a plain JS widget
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test::all(&args[1..]),
        Some("setup") => setup::ensure(setup::Needs::everything()),
        Some("build") => setup::ensure(setup::Needs::build())
            .and_then(|()| build::release())
            .map(|_| ()),
        Some("size") => size::report_and_check(),
        Some("postgres") => postgres_shell(),
        Some("bench") if args.get(1).map(String::as_str) == Some("widget") => {
            bench_widget::run(&args[2..])
        }
        Some("bench") => bench::run(&args[1..]),
        _ => {
            print!("{HELP}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(_args: &[String]) -> cmd::Result<()> {
    setup::ensure(setup::Needs::build())?;
    build::release()?;
    build::serve_dist()
}

/// A throwaway PostgreSQL for trying the server on it by hand.
fn postgres_shell() -> cmd::Result<()> {
    let server = postgres::TestPostgres::start()?;
    println!("{}", server.url);
    eprintln!("PostgreSQL is up; press Enter to stop it and delete its data.");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    Ok(())
}
