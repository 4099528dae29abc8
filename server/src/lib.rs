//! hugops-server: the reference backend of the HugOps widget.
//!
//! Bird's-eye view: [`routes::app`] builds the axum router over an
//! [`AppState`] that holds the storage (`Arc<dyn WallStore>`, SQLite by
//! default, PostgreSQL for many instances), the live fan-out
//! (`Arc<dyn Broadcaster>`: in-process, or LISTEN/NOTIFY across instances
//! on PostgreSQL), the status service
//! and the abuse limits. [`run`] binds, serves and shuts down gracefully.
//! The wire types and message rules come from `hugops-core`, shared with
//! the widget.

pub mod auth;
pub mod badge;
pub mod broadcast;
pub mod broadcast_pg;
pub mod config;
pub mod connections;
pub mod embed;
pub mod error;
pub mod export;
pub mod extract;
pub mod health;
pub mod incidents;
pub mod limits;
pub mod list_cache;
pub mod routes;
pub mod slow_mode;
pub mod sse;
pub mod static_files;
pub mod status;
pub mod store;
pub mod stream_slots;
pub mod words;

pub use config::{Config, Secret};
pub use routes::app;

use broadcast::{Broadcaster, LocalBroadcaster};
use connections::ConnectionLimits;
use hugops_core::time::Timestamp;
use incidents::IncidentWalls;
use limits::{LimitSettings, Limits};
use list_cache::{Invalidating, ListCache};
use slow_mode::SlowMode;
use status::{StatusService, SummaryHook};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use store::postgres::PostgresStore;
use store::sqlite::SqliteStore;
use store::WallStore;
use stream_slots::StreamSlots;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The largest request body outside `PUT /api/v1/status`: a message is at
/// most 500 characters, so 16 KiB leaves room for any encoding of one.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// The largest team-set status summary.
pub const MAX_STATUS_BYTES: usize = 1024 * 1024;
/// How long a graceful shutdown waits for in-flight requests.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The current time.
pub fn now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_millis(millis)
}

/// The settings handlers read, fixed at startup.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Trimmed and long enough (`auth::team_token`); `Debug` shows `***`.
    pub team_token: Option<Secret>,
    pub hold_flagged: bool,
    pub static_dir: PathBuf,
    pub keep_alive: Duration,
    pub trust_proxy: bool,
    /// Validated origins (`scheme://host[:port]`); empty means any.
    pub allowed_origins: Vec<String>,
    pub request_timeout: Duration,
    pub connections: ConnectionLimits,
    pub max_streams: usize,
    /// 0: no cap per client.
    pub max_streams_per_ip: usize,
}

impl Settings {
    pub fn from_config(config: &Config) -> Result<Settings, String> {
        let allowed_origins = config
            .allowed_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/'))
            .filter(|o| !o.is_empty())
            .map(|o| {
                let url = reqwest::Url::parse(o).map_err(|_| format!("not an origin: {o}"))?;
                let origin = url.origin();
                if !origin.is_tuple() || !matches!(url.scheme(), "http" | "https") {
                    return Err(format!("not an http(s) origin: {o}"));
                }
                Ok(origin.ascii_serialization())
            })
            .collect::<Result<Vec<_>, _>>()?;
        let keep_alive = Duration::from_secs(config.keep_alive.max(1));
        let idle_timeout = Duration::from_secs(config.idle_timeout.max(1));
        if idle_timeout <= keep_alive {
            return Err(format!(
                "--idle-timeout ({} s) must be longer than --keep-alive ({} s), or quiet live streams would be cut",
                idle_timeout.as_secs(),
                keep_alive.as_secs()
            ));
        }
        let max_connections = config
            .max_connections
            .unwrap_or_else(connections::default_max_connections)
            .max(1);
        Ok(Settings {
            team_token: auth::team_token(config.team_token.as_ref())?,
            hold_flagged: config.hold_flagged,
            static_dir: config.static_dir.clone(),
            keep_alive,
            trust_proxy: config.trust_proxy,
            allowed_origins,
            request_timeout: config.request_timeout(),
            connections: ConnectionLimits {
                header_timeout: Duration::from_secs(config.header_timeout.max(1)),
                idle_timeout,
                max_connections,
            },
            max_streams: config.max_streams.unwrap_or(max_connections / 4 * 3).max(1),
            max_streams_per_ip: config.max_streams_per_ip,
        })
    }
}

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn WallStore>,
    pub events: Arc<dyn Broadcaster>,
    pub status: Arc<StatusService>,
    pub limits: Arc<Limits>,
    /// The team's slow-mode settings, as posts apply them.
    pub slow_mode: Arc<SlowMode>,
    /// Records the incidents the status service sees, for the wall list.
    pub incidents: Arc<IncidentWalls>,
    /// Rendered message pages; invalidated by the broadcaster (see
    /// `list_cache`).
    pub lists: Arc<ListCache>,
    /// Open SSE streams, capped (`stream_slots`).
    pub streams: Arc<StreamSlots>,
    pub settings: Arc<Settings>,
    /// The health check's shared verdict (`health`).
    pub health: Arc<health::Health>,
    /// Turns `true` when the server is shutting down: SSE streams end, so
    /// their clients reconnect (to this server once restarted, or another).
    pub shutdown: watch::Receiver<bool>,
    shutdown_sender: Arc<watch::Sender<bool>>,
}

/// A failure to start.
pub type StartError = Box<dyn std::error::Error + Send + Sync>;

impl AppState {
    /// The embedded setup: SQLite at `config.database`, in-process fan-out;
    /// or, when `config.database` is a `postgres://` URL, the shared one:
    /// PostgreSQL, fan-out and team status across instances by
    /// LISTEN/NOTIFY.
    pub async fn open(config: &Config) -> Result<AppState, StartError> {
        let (events, lists) = AppState::fan_out(Arc::new(LocalBroadcaster::new()));
        if let Some(url) = config.postgres_url() {
            let (store, fan_out) = PostgresStore::open(url, events).await?;
            let state = AppState::new(config, Arc::new(store), fan_out.clone(), lists).await?;
            fan_out.follow_team_status(Arc::downgrade(&state.status));
            return Ok(state);
        }
        let store = SqliteStore::open(&config.database, events.clone()).await?;
        AppState::new(config, Arc::new(store), events, lists).await
    }

    /// Wraps a broadcaster so that it also keeps the list cache true; give
    /// the first half to the store (which publishes to it), both to `new`.
    pub fn fan_out(inner: Arc<dyn Broadcaster>) -> (Arc<dyn Broadcaster>, Arc<ListCache>) {
        let lists = Arc::new(ListCache::new());
        (Arc::new(Invalidating::new(inner, lists.clone())), lists)
    }

    /// Any store and broadcaster, wired as [`AppState::fan_out`] says.
    pub async fn new(
        config: &Config,
        store: Arc<dyn WallStore>,
        events: Arc<dyn Broadcaster>,
        lists: Arc<ListCache>,
    ) -> Result<AppState, StartError> {
        let settings = Settings::from_config(config)?;
        let incidents = IncidentWalls::start(store.clone());
        let on_summary: SummaryHook = {
            let incidents = incidents.clone();
            Arc::new(move |summary| incidents.saw(summary))
        };
        let status = StatusService::new(
            store.clone(),
            config.status_url.clone(),
            Duration::from_secs(config.status_ttl),
            config.demo,
            Some(on_summary),
        )
        .await?;
        let limits = Limits::new(LimitSettings {
            burst: config.rate_burst,
            per_minute: config.rate_per_minute,
        });
        let slow_mode = SlowMode::new(store.clone(), config.slow_mode).await?;
        let (sender, receiver) = watch::channel(false);
        Ok(AppState {
            store,
            events,
            status: Arc::new(status),
            limits: Arc::new(limits),
            slow_mode: Arc::new(slow_mode),
            incidents,
            lists,
            streams: Arc::new(StreamSlots::new(
                settings.max_streams,
                settings.max_streams_per_ip,
            )),
            settings: Arc::new(settings),
            health: Arc::default(),
            shutdown: receiver,
            shutdown_sender: Arc::new(sender),
        })
    }

    /// Ends every SSE stream and refuses none of the other requests:
    /// called when the server starts shutting down.
    pub fn begin_shutdown(&self) {
        self.shutdown_sender.send_replace(true);
    }
}

/// Serves `state` on `listener` until `signal` resolves, then shuts down
/// gracefully: no new connections, SSE streams end, in-flight requests get
/// up to [`SHUTDOWN_GRACE`] to finish, and the store is closed. Slow and
/// idle connections are held to `Settings::connections` (`connections`).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let router = app(state.clone());
    let mut stopping = state.shutdown.clone();
    let on_signal = tokio::spawn({
        let state = state.clone();
        async move {
            signal.await;
            tracing::info!("shutting down: finishing in-flight requests");
            state.begin_shutdown();
        }
    });
    let server = connections::serve(
        listener,
        router,
        state.settings.connections,
        state.shutdown.clone(),
    );
    let deadline = async move {
        let _ = stopping.wait_for(|s| *s).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        () = server => {},
        () = deadline => tracing::warn!("in-flight requests outlived the grace period; stopping anyway"),
    }
    on_signal.abort();
    state.store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Binds `config.bind` and serves until SIGTERM or Ctrl-C.
pub async fn run(config: Config) -> Result<(), StartError> {
    let state = AppState::open(&config).await?;
    let listener = TcpListener::bind(config.bind).await?;
    let address = listener.local_addr()?;
    // On stdout, in a fixed form: tools and tests read the port from it
    // (useful with `--bind 127.0.0.1:0`).
    println!("hugops-server listening on http://{address}");
    tracing::info!(
        %address,
        database = %config.database_for_logs(),
        static_dir = %config.static_dir.display(),
        team_endpoints = state.settings.team_token.is_some(),
        upstream_status = config.status_url.is_some(),
        "started"
    );
    serve(listener, state, shutdown_signal()).await
}

/// Resolves on SIGTERM (what service managers and `docker stop` send) or
/// Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
