//! Configuration: command-line flags, each also settable through a
//! `HUGOPS_*` environment variable, with defaults that work out of the box
//! (`hugops-server` alone serves `dist/` and `hugops.db` on 127.0.0.1:8080).

use clap::Parser;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The HugOps reference server: the /api/v1 contract, the live wall over
/// Server-Sent Events, and the built widget.
#[derive(Clone, Parser)]
#[command(name = "hugops-server", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HUGOPS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// SQLite database file; created (with its schema) when missing. Or a
    /// `postgres://user:password@host/db` URL: then any number of instances
    /// pointed at that database serve one set of walls, live across all.
    #[arg(
        long,
        env = "HUGOPS_DATABASE",
        default_value = "hugops.db",
        hide_env_values = true
    )]
    pub database: PathBuf,

    /// Directory of the built widget and demo page (`cargo xtask build`
    /// writes it).
    #[arg(long, env = "HUGOPS_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Upstream Statuspage v2 `summary.json` to proxy at /api/v1/status.
    #[arg(long, env = "HUGOPS_STATUS_URL", hide_env_values = true)]
    pub status_url: Option<String>,

    /// Seconds to cache the upstream summary when it sends no max-age.
    #[arg(long, env = "HUGOPS_STATUS_TTL", default_value_t = 30)]
    pub status_ttl: u64,

    /// With no team status and no upstream, serve the made-up demo status
    /// (an incident that started 25 minutes ago), for the demo page.
    #[arg(long, env = "HUGOPS_DEMO")]
    pub demo: bool,

    /// Origins allowed to call the API from a browser (comma-separated,
    /// e.g. `https://status.example.com`). Empty: any origin — the API
    /// uses no cookies, so this only narrows who may embed the wall.
    #[arg(
        long = "allowed-origin",
        env = "HUGOPS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// Writes (posts and hugs) each client IP may burst before the rate
    /// limit applies.
    #[arg(long, env = "HUGOPS_RATE_BURST", default_value_t = 10)]
    pub rate_burst: u32,

    /// Sustained writes per minute per client IP; 0 turns the limit off.
    #[arg(long, env = "HUGOPS_RATE_PER_MINUTE", default_value_t = 30)]
    pub rate_per_minute: u32,

    /// Slow mode: minimum seconds between two posts from one client IP;
    /// 0 turns it off.
    #[arg(long, env = "HUGOPS_SLOW_MODE", default_value_t = 0)]
    pub slow_mode: u64,

    /// Hold messages the kindness check flags until the team approves them.
    #[arg(long, env = "HUGOPS_HOLD_FLAGGED")]
    pub hold_flagged: bool,

    /// Take the client IP from the last X-Forwarded-For entry. Only set this
    /// behind a reverse proxy that writes that header; otherwise anyone can
    /// pick their own IP and walk around the rate limit.
    #[arg(long, env = "HUGOPS_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Seconds a request may take before it is answered 503.
    #[arg(long, env = "HUGOPS_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,

    /// Seconds between SSE keep-alive comments.
    #[arg(long, env = "HUGOPS_KEEP_ALIVE", default_value_t = 15)]
    pub keep_alive: u64,

    /// Seconds a client has to send a request's head, counted from when the
    /// server waits for it (a new connection, or the end of the previous
    /// response on a kept-alive one); then the connection is closed.
    #[arg(long, env = "HUGOPS_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,

    /// Seconds a connection may go without a byte read or written (a
    /// stalled upload, a client that stops reading); must be longer than
    /// --keep-alive, which keeps quiet SSE streams busy.
    #[arg(long, env = "HUGOPS_IDLE_TIMEOUT", default_value_t = 60)]
    pub idle_timeout: u64,

    /// Connections open at once; more wait to be accepted. Default: 16384,
    /// or fewer when the open-file limit (ulimit -n) leaves less room.
    #[arg(long, env = "HUGOPS_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,

    /// Live streams (SSE) open at once; more are answered 503. Default:
    /// three quarters of --max-connections, so streams leave room for
    /// every other request.
    #[arg(long, env = "HUGOPS_MAX_STREAMS")]
    pub max_streams: Option<usize>,

    /// Live streams one client IP (an IPv6 /64) may hold open; more are
    /// answered 429. 0: no limit per IP. Behind a proxy, set --trust-proxy,
    /// or every client counts as the proxy.
    #[arg(long, env = "HUGOPS_MAX_STREAMS_PER_IP", default_value_t = 200)]
    pub max_streams_per_ip: usize,

    /// The team's bearer token, from HUGOPS_TEAM_TOKEN only: a flag would
    /// show it to everyone who can list processes. Without it the team
    /// endpoints answer 401.
    #[arg(skip)]
    pub team_token: Option<Secret>,
}

/// A value that must never reach a log, a panic message or `--help`:
/// `Debug` shows `***`, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// By hand, so that the database URL shows without its password and the
/// team token not at all.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("database", &self.database_for_logs())
            .field("static_dir", &self.static_dir)
            .field("status_url", &self.status_url.as_deref().map(url_for_logs))
            .field("status_ttl", &self.status_ttl)
            .field("demo", &self.demo)
            .field("allowed_origins", &self.allowed_origins)
            .field("rate_burst", &self.rate_burst)
            .field("rate_per_minute", &self.rate_per_minute)
            .field("slow_mode", &self.slow_mode)
            .field("hold_flagged", &self.hold_flagged)
            .field("trust_proxy", &self.trust_proxy)
            .field("request_timeout", &self.request_timeout)
            .field("keep_alive", &self.keep_alive)
            .field("header_timeout", &self.header_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_connections", &self.max_connections)
            .field("max_streams", &self.max_streams)
            .field("max_streams_per_ip", &self.max_streams_per_ip)
            .field("team_token", &self.team_token)
            .finish_non_exhaustive()
    }
}

/// A URL as logs may show it: without its password.
fn url_for_logs(raw: &str) -> String {
    match reqwest::Url::parse(raw) {
        Ok(mut url) => {
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => "(unreadable URL)".into(),
    }
}

impl Config {
    /// Flags and environment, plus the team token from the environment.
    pub fn from_env_and_args() -> Config {
        let mut config = Config::parse();
        // Trimmed and checked by `auth::team_token` when the server starts.
        config.team_token = std::env::var("HUGOPS_TEAM_TOKEN").ok().map(Secret::from);
        config
    }

    /// The defaults, for tests and embedding: every flag at its default, no
    /// environment read.
    pub fn defaults() -> Config {
        Config::parse_from(["hugops-server"])
    }

    /// The PostgreSQL URL, when `--database` is one.
    pub fn postgres_url(&self) -> Option<&str> {
        self.database
            .to_str()
            .filter(|d| crate::store::postgres::is_url(d))
    }

    /// The database as logs may show it: a URL without its password.
    pub fn database_for_logs(&self) -> String {
        match self.postgres_url() {
            Some(url) => url_for_logs(url),
            None => self.database.display().to_string(),
        }
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_work_without_any_flag() {
        let c = Config::try_parse_from(["hugops-server"]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database, PathBuf::from("hugops.db"));
        assert_eq!(c.static_dir, PathBuf::from("dist"));
        assert!(c.allowed_origins.is_empty());
        assert!(c.team_token.is_none());
    }

    #[test]
    fn a_postgres_url_selects_postgres_and_is_logged_without_its_password() {
        let c = Config::try_parse_from([
            "hugops-server",
            "--database",
            "postgres://hugops:s3cret@db.internal:5432/hugops",
        ])
        .unwrap();
        assert_eq!(
            c.postgres_url(),
            Some("postgres://hugops:s3cret@db.internal:5432/hugops")
        );
        assert_eq!(
            c.database_for_logs(),
            "postgres://hugops@db.internal:5432/hugops"
        );
        let file = Config::try_parse_from(["hugops-server", "--database", "walls.db"]).unwrap();
        assert_eq!(file.postgres_url(), None);
        assert_eq!(file.database_for_logs(), "walls.db");
    }

    #[test]
    fn debug_shows_no_secret() {
        let mut c = Config::try_parse_from([
            "hugops-server",
            "--database",
            "postgres://hugops:s3cret-db-pass@db.internal/hugops",
            "--status-url",
            "https://user:s3cret-up-pass@status.example/api/v2/summary.json",
        ])
        .unwrap();
        c.team_token = Some(Secret::from("s3cret-team-token-0123456789"));
        let shown = format!("{c:?} {c:#?}");
        for secret in ["s3cret-db-pass", "s3cret-up-pass", "s3cret-team-token"] {
            assert!(!shown.contains(secret), "{secret} shown: {shown}");
        }
        assert!(shown.contains("db.internal"), "{shown}");
        assert!(shown.contains("team_token: Some(***)"), "{shown}");
    }

    #[test]
    fn origins_are_comma_separated() {
        let c = Config::try_parse_from([
            "hugops-server",
            "--allowed-origin",
            "https://a.example,https://b.example",
        ])
        .unwrap();
        assert_eq!(
            c.allowed_origins,
            ["https://a.example", "https://b.example"]
        );
    }
}
