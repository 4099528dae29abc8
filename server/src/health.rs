//! The health check: one probe at a time, its verdict shared by every
//! caller that asked while it ran.
//!
//! The probe is a real write (see the stores' `ping`): a commit that
//! allocates pages, because only that shows a full disk. A load balancer,
//! or anyone on the internet, may call `/healthz` hundreds of times at
//! once; that must cost one commit at a time, not hundreds in parallel.
//! A verdict is not kept afterwards: the next probe must see a disk that
//! filled up a moment ago.

use crate::store::{StoreError, WallStore};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a probe may take before the store counts as unavailable (a
/// write lock held elsewhere would otherwise keep it waiting for the whole
/// busy timeout).
pub const PROBE_WAIT: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct Health {
    /// The last probe's verdict and when it finished. Held across a
    /// probe, so callers that arrive meanwhile wait for it and take its
    /// verdict instead of starting their own.
    last: Mutex<Option<(Instant, Result<(), String>)>>,
}

impl Health {
    /// `Ok` when the store could read and write within [`PROBE_WAIT`], in a
    /// probe that finished after this call began.
    pub async fn check(&self, store: &dyn WallStore) -> Result<(), String> {
        let asked = Instant::now();
        let mut last = self.last.lock().await;
        if let Some((at, verdict)) = last.as_ref() {
            if *at >= asked {
                return verdict.clone();
            }
        }
        let verdict = tokio::time::timeout(PROBE_WAIT, store.ping())
            .await
            .unwrap_or_else(|_| Err(StoreError::new("no answer within the health check's wait")))
            .map_err(|error| error.to_string());
        *last = Some((Instant::now(), verdict.clone()));
        verdict
    }
}
