//! `hugops-server`: see `hugops_server::Config` for flags, or `--help`.

use hugops_server::Config;
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// jemalloc keeps allocation metadata out of the blocks it hands out, so
/// less of a buffer that is reserved but barely written is resident: each
/// live reader holds two 8 KiB hyper buffers it hardly touches. Measured:
/// 17 KiB a reader instead of 19 (ARCHITECTURE.md, "Memory per reader").
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colours for people, plain text for log files and journald.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let config = Config::from_env_and_args();
    match hugops_server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "hugops-server stopped");
            eprintln!("hugops-server: {error}");
            ExitCode::FAILURE
        }
    }
}
