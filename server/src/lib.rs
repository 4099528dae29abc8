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
pub mod embed;
pub mod error;
pub mod export;
pub mod extract;
pub mod limits;
pub mod list_cache;
pub mod routes;
pub mod sse;
pub mod static_files;
pub mod status;
pub mod store;

pub use config::Config;
pub use routes::app;

use broadcast::{Broadcaster, LocalBroadcaster};
use hugops_core::time::Timestamp;
use limits::{LimitSettings, Limits};
use list_cache::{Invalidating, ListCache};
use status::StatusService;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use store::postgres::PostgresStore;
use store::sqlite::SqliteStore;
use store::WallStore;
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
    pub team_token: Option<String>,
    pub hold_flagged: bool,
    pub static_dir: PathBuf,
    pub keep_alive: Duration,
    pub trust_proxy: bool,
    /// Validated origins (`scheme://host[:port]`); empty means any.
    pub allowed_origins: Vec<String>,
    pub request_timeout: Duration,
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
        Ok(Settings {
            team_token: config.team_token.clone(),
            hold_flagged: config.hold_flagged,
            static_dir: config.static_dir.clone(),
            keep_alive: Duration::from_secs(config.keep_alive.max(1)),
            trust_proxy: config.trust_proxy,
            allowed_origins,
            request_timeout: config.request_timeout(),
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
    /// Rendered message pages; invalidated by the broadcaster (see
    /// `list_cache`).
    pub lists: Arc<ListCache>,
    pub settings: Arc<Settings>,
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
        let status = StatusService::new(
            store.clone(),
            config.status_url.clone(),
            Duration::from_secs(config.status_ttl),
            config.demo,
        )
        .await?;
        let limits = Limits::new(LimitSettings {
            burst: config.rate_burst,
            per_minute: config.rate_per_minute,
            slow_mode: Duration::from_secs(config.slow_mode),
        });
        let (sender, receiver) = watch::channel(false);
        Ok(AppState {
            store,
            events,
            status: Arc::new(status),
            limits: Arc::new(limits),
            lists,
            settings: Arc::new(settings),
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
/// up to [`SHUTDOWN_GRACE`] to finish, and the store is closed.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let router = app(state.clone());
    let mut stopping = state.shutdown.clone();
    let on_signal = {
        let state = state.clone();
        async move {
            signal.await;
            tracing::info!("shutting down: finishing in-flight requests");
            state.begin_shutdown();
        }
    };
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(on_signal);
    let deadline = async move {
        let _ = stopping.wait_for(|s| *s).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = server => result?,
        () = deadline => tracing::warn!("in-flight requests outlived the grace period; stopping anyway"),
    }
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
        team_endpoints = config.team_token.is_some(),
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
