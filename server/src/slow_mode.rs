//! Slow mode as the team sets it while an incident runs: a global gap
//! between two posts of one client, and per-wall overrides. Stored in the
//! database, so it survives restarts and every instance on a shared
//! PostgreSQL database follows it.
//!
//! How other instances learn of a change: by re-reading, not by NOTIFY.
//! The post path uses a copy at most [`REFRESH_AFTER`] old, re-read from
//! the store when older (one reader at a time; the others keep using the
//! old copy meanwhile). A post waits at most [`REFRESH_WAIT`] for that
//! read: behind a burst of slow reads it goes on with the old copy, and the
//! read finishes on its own. The instance that takes a `PUT` re-reads at once,
//! and the team's `GET` always reads the store. So a change is enforced at
//! once where it was made and within [`REFRESH_AFTER`] everywhere, with no
//! extra connection, and a lost notification cannot leave an instance
//! behind for good.
//!
//! `--slow-mode` is the global gap until the team sets one.

use crate::store::{StoreResult, StoredSlowMode, WallStore};
use hugops_core::wire::{SlowModeSettings, WallSlug, MAX_SLOW_MODE_SECONDS};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How old the copy the post path uses may get.
pub const REFRESH_AFTER: Duration = Duration::from_secs(2);

/// How long a post waits for a re-read of the settings before it goes on
/// with the copy it has.
pub const REFRESH_WAIT: Duration = Duration::from_millis(200);

pub struct SlowMode {
    store: Arc<dyn WallStore>,
    /// `--slow-mode`, for as long as the team has set no global gap.
    default_global: u32,
    copy: RwLock<(Instant, Arc<SlowModeSettings>)>,
    /// Held by the one re-read of the store under way.
    refreshing: Arc<Mutex<()>>,
}

impl SlowMode {
    /// Reads what the team stored; `default_global` is `--slow-mode`.
    pub async fn new(store: Arc<dyn WallStore>, default_global: u64) -> StoreResult<SlowMode> {
        let default_global = u32::try_from(default_global)
            .unwrap_or(u32::MAX)
            .min(MAX_SLOW_MODE_SECONDS);
        let settings = settings_of(store.slow_mode().await?, default_global);
        Ok(SlowMode {
            store,
            default_global,
            copy: RwLock::new((Instant::now(), Arc::new(settings))),
            refreshing: Arc::default(),
        })
    }

    /// The settings as stored now (and this instance's copy brought up to
    /// date).
    pub async fn reload(&self) -> StoreResult<Arc<SlowModeSettings>> {
        let settings = Arc::new(settings_of(
            self.store.slow_mode().await?,
            self.default_global,
        ));
        *self.copy.write().unwrap_or_else(|e| e.into_inner()) = (Instant::now(), settings.clone());
        Ok(settings)
    }

    /// The gap between two posts of one client on `wall` (zero: off), from
    /// a copy at most [`REFRESH_AFTER`] old, or the last copy when the store
    /// cannot be read within [`REFRESH_WAIT`] (a post is not refused or held
    /// up for it).
    pub async fn gap(self: &Arc<Self>, wall: &WallSlug) -> Duration {
        let (read_at, mut settings) = self.copy.read().unwrap_or_else(|e| e.into_inner()).clone();
        if read_at.elapsed() >= REFRESH_AFTER {
            if let Ok(turn) = self.refreshing.clone().try_lock_owned() {
                let this = self.clone();
                let refresh = tokio::spawn(async move {
                    let _turn = turn;
                    this.reload().await
                });
                match tokio::time::timeout(REFRESH_WAIT, refresh).await {
                    Ok(Ok(Ok(fresh))) => settings = fresh,
                    Ok(Ok(Err(error))) => {
                        tracing::warn!(%error, "re-reading slow mode failed; keeping the last copy");
                    }
                    // Still reading (it finishes in the background) or the
                    // task failed: the last copy stays in force.
                    Ok(Err(_)) | Err(_) => {}
                }
            }
        }
        Duration::from_secs(settings.seconds_for(wall).into())
    }

    /// Sets the global gap (`wall: None`) or a wall's override (`seconds:
    /// None` clears it); the settings as they now are.
    pub async fn set(
        &self,
        wall: Option<WallSlug>,
        seconds: Option<u32>,
    ) -> StoreResult<Arc<SlowModeSettings>> {
        self.store.set_slow_mode(wall, seconds).await?;
        self.reload().await
    }
}

fn settings_of(stored: StoredSlowMode, default_global: u32) -> SlowModeSettings {
    SlowModeSettings {
        global_seconds: stored.global.unwrap_or(default_global),
        walls: stored.walls,
    }
}
