//! The service's current status, for `GET /api/v1/status` and the badge:
//! a summary the team set through the API, or else a caching proxy of an
//! upstream Statuspage v2 `summary.json` (most status APIs send no CORS
//! headers, so the widget cannot read them directly).
//!
//! The proxy honours the upstream's `Cache-Control` (`s-maxage`, then
//! `max-age`, minus `Age`) and revalidates with `If-None-Match`. At most one
//! request is upstream at a time, whatever the upstream's cache headers
//! (single flight): it runs as its own task, and every reader that needs it
//! awaits that one answer. Only the very first read, with no copy yet,
//! waits for it (at most [`UPSTREAM_TIMEOUT`], then a `502`). Once there is
//! a last good copy, readers never wait: an expired copy is served at once
//! while one revalidation runs in the background (stale-while-revalidate),
//! and the next reader sees its outcome. When upstream fails the last good
//! summary stays, marked stale with the failure in plain words. The
//! rendered JSON and its ETag are computed once per change, so a GET is a
//! clone of bytes.

use crate::store::WallStore;
use axum::body::Bytes;
use hugops_core::demo::demo_summary_json;
use hugops_core::status::{parse_summary, Indicator, Summary};
use hugops_core::time::Timestamp;
use hugops_core::wire::{ApiError, ErrorCode};
use serde_json::{json, Value};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Never trust an upstream cache lifetime longer than this: a status page
/// that says "cache me for a day" would hide the next incident.
pub const MAX_UPSTREAM_TTL: Duration = Duration::from_secs(300);
/// How long to wait for the upstream before calling it failed.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(5);
/// After a failure, the upstream is asked again no sooner than this (or the
/// configured TTL, if shorter), so a dead upstream is not hammered.
pub const FAILURE_BACKOFF: Duration = Duration::from_secs(5);
/// How long after its expiry a copy is still served as current while it is
/// revalidated. Past that (nobody asked for a while, or revalidations keep
/// hanging), it is still served at once, but marked `stale` with a note,
/// so an unflagged copy is never more than its TTL plus this old.
pub const STALE_WHILE_REVALIDATE: Duration = Duration::from_secs(60);
/// The largest upstream body read; real summaries are well under 1 MiB.
const MAX_UPSTREAM_BYTES: usize = 4 * 1024 * 1024;

/// The status as served: JSON bytes, their ETag, and what the badge needs.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub etag: String,
    pub indicator: Indicator,
    pub description: String,
}

impl Rendered {
    /// The summary with `meta` as its `hugops` field. The ETag is weak and
    /// leaves out the times in `meta`: a revalidation that only moved
    /// `fetched_at` is the same status, so widgets keep getting 304s.
    fn new(summary: &Summary, meta: Value) -> Rendered {
        let mut value = serde_json::to_value(summary).unwrap_or_else(|_| json!({}));
        let mut basis = serde_json::to_vec(&value).unwrap_or_default();
        let mut timeless = meta.clone();
        if let Some(object) = timeless.as_object_mut() {
            object.remove("fetched_at");
            object.remove("set_at");
        }
        basis.extend(serde_json::to_vec(&timeless).unwrap_or_default());
        if let Some(object) = value.as_object_mut() {
            object.insert("hugops".into(), meta);
        }
        let body = Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
        Rendered {
            etag: format!("W/{}", etag_of(&basis)),
            body,
            indicator: summary.status.indicator.clone(),
            description: summary.status.description.clone(),
        }
    }
}

/// An entity tag of the bytes (FNV-1a 64: stable across restarts and
/// versions, unlike `std`'s hasher).
pub fn etag_of(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{hash:016x}\"")
}

/// Called with every summary the service takes in fresh (from the
/// upstream, from the team, or the demo's); must return at once. The
/// server records incident walls with it (`crate::incidents`).
pub type SummaryHook = Arc<dyn Fn(&Summary) + Send + Sync>;

struct Upstream {
    url: String,
    on_summary: Option<SummaryHook>,
    client: reqwest::Client,
    default_ttl: Duration,
    /// The request upstream now, if one is: the single flight. Its task
    /// sends `true` when it has recorded the outcome in `state`.
    flight: std::sync::Mutex<Option<watch::Receiver<bool>>>,
    state: RwLock<UpstreamState>,
}

#[derive(Default)]
struct UpstreamState {
    /// The last good summary, and what to serve for it now.
    good: Option<Summary>,
    rendered: Option<Rendered>,
    upstream_etag: Option<String>,
    fetched_at: Option<Timestamp>,
    /// Until when the current state needs no trip upstream.
    fresh_until: Option<Instant>,
    /// Why the last trip upstream failed, if it did.
    error: Option<String>,
    /// When the last trip upstream ended: a reader that asked before then
    /// takes that trip's outcome instead of starting another.
    completed: Option<Instant>,
}

pub struct StatusService {
    store: Arc<dyn WallStore>,
    team: RwLock<Option<Rendered>>,
    upstream: Option<Arc<Upstream>>,
    /// Whether to fall back to the demo status, and its rendering for the
    /// current minute (its times are relative to now; a minute's
    /// resolution keeps the ETag stable between polls).
    demo: Option<std::sync::Mutex<Option<(i64, Rendered)>>>,
    on_summary: Option<SummaryHook>,
}

impl StatusService {
    /// `upstream_url`: the summary to proxy, if any. The team's status, if
    /// one is stored, is loaded now and kept in memory.
    pub async fn new(
        store: Arc<dyn WallStore>,
        upstream_url: Option<String>,
        default_ttl: Duration,
        demo: bool,
        on_summary: Option<SummaryHook>,
    ) -> Result<StatusService, crate::store::StoreError> {
        let team = render_team(store.team_status().await?);
        let upstream = upstream_url.map(|url| {
            Arc::new(Upstream {
                url,
                on_summary: on_summary.clone(),
                client: reqwest::Client::builder()
                    .timeout(UPSTREAM_TIMEOUT)
                    .user_agent(concat!("hugops-server/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .unwrap_or_default(),
                default_ttl,
                flight: std::sync::Mutex::new(None),
                state: RwLock::new(UpstreamState::default()),
            })
        });
        Ok(StatusService {
            store,
            team: RwLock::new(team),
            upstream,
            demo: demo.then(|| std::sync::Mutex::new(None)),
            on_summary,
        })
    }

    /// Reads the team's status from the store again: another instance on
    /// the same database changed it.
    pub async fn reload_team(&self) -> Result<(), crate::store::StoreError> {
        let team = render_team(self.store.team_status().await?);
        *self.team.write().unwrap_or_else(|e| e.into_inner()) = team;
        Ok(())
    }

    /// The status to serve now.
    pub async fn current(&self) -> Result<Rendered, ApiError> {
        if let Some(team) = self.team.read().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(team);
        }
        if let Some(upstream) = &self.upstream {
            return Upstream::current(upstream).await;
        }
        if let Some(demo) = &self.demo {
            return Self::demo(demo, self.on_summary.as_ref());
        }
        Err(ApiError::new(
            ErrorCode::NotFound,
            "No status is configured: the team can set one with PUT /api/v1/status, \
             or the server can proxy one with --status-url.",
        ))
    }

    fn demo(
        cache: &std::sync::Mutex<Option<(i64, Rendered)>>,
        on_summary: Option<&SummaryHook>,
    ) -> Result<Rendered, ApiError> {
        let minute = crate::now().millis().div_euclid(60_000);
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, rendered)) = cache.as_ref() {
            if *at == minute {
                return Ok(rendered.clone());
            }
        }
        let json = demo_summary_json(Timestamp::from_millis(minute * 60_000));
        // The demo file is part of core and tested there; still, a broken
        // one is an error of ours, not a panic.
        let summary = parse_summary(json.as_bytes()).map_err(|e| {
            tracing::error!(error = %e, "the demo summary does not parse");
            ApiError::new(ErrorCode::Internal, "The demo status is broken.")
        })?;
        if let Some(hook) = on_summary {
            hook(&summary);
        }
        let rendered = Rendered::new(&summary, json!({"source": "demo"}));
        *cache = Some((minute, rendered.clone()));
        Ok(rendered)
    }

    /// Sets the team's status (a Statuspage v2 summary, read leniently), or
    /// clears it so the upstream shows again.
    pub async fn set_team(&self, body: Option<&[u8]>) -> Result<Option<Rendered>, SetError> {
        let now = crate::now();
        let rendered = match body {
            Some(bytes) => {
                let summary = parse_summary(bytes).map_err(|e| {
                    SetError::Invalid(ApiError::new(
                        ErrorCode::BadRequest,
                        format!("That is not a status summary: {e}"),
                    ))
                })?;
                let json = serde_json::to_string(&summary)
                    .map_err(|e| SetError::Internal(e.to_string()))?;
                self.store
                    .set_team_status(Some(json), now)
                    .await
                    .map_err(|e| SetError::Internal(e.to_string()))?;
                if let Some(hook) = &self.on_summary {
                    hook(&summary);
                }
                Some(Rendered::new(
                    &summary,
                    json!({"source": "team", "set_at": now}),
                ))
            }
            None => {
                self.store
                    .set_team_status(None, now)
                    .await
                    .map_err(|e| SetError::Internal(e.to_string()))?;
                None
            }
        };
        *self.team.write().unwrap_or_else(|e| e.into_inner()) = rendered.clone();
        Ok(rendered)
    }
}

/// The stored team status as served (a stored copy that no longer parses
/// is skipped, not fatal).
fn render_team(stored: Option<String>) -> Option<Rendered> {
    let json = stored?;
    let summary = parse_summary(json.as_bytes()).ok()?;
    Some(Rendered::new(&summary, json!({"source": "team"})))
}

/// Why the team's status could not be set.
#[derive(Debug)]
pub enum SetError {
    Invalid(ApiError),
    Internal(String),
}

/// What a reader does with the copy it finds.
#[derive(Debug, PartialEq)]
enum Plan {
    /// Fresh: serve it, nothing more.
    Serve,
    /// Expired: serve it now and have one revalidation run; `flag` when it
    /// expired more than [`STALE_WHILE_REVALIDATE`] ago.
    ServeAndRevalidate { flag: bool },
    /// No copy (and no recent failure to report): wait for the upstream.
    Wait,
}

/// The one rule for a reader, given the state's `fresh_until`, whether
/// there is anything to answer (a copy, or a failure still in its
/// back-off), and the time now.
fn plan(fresh_until: Option<Instant>, answerable: bool, now: Instant) -> Plan {
    match fresh_until {
        Some(until) if now < until && answerable => Plan::Serve,
        _ if !answerable => Plan::Wait,
        Some(until) => Plan::ServeAndRevalidate {
            flag: now.saturating_duration_since(until) > STALE_WHILE_REVALIDATE,
        },
        None => Plan::ServeAndRevalidate { flag: true },
    }
}

impl Upstream {
    async fn current(this: &Arc<Upstream>) -> Result<Rendered, ApiError> {
        let asked = Instant::now();
        let (plan, answer) = {
            let state = this.state.read().unwrap_or_else(|e| e.into_inner());
            let answerable = state.rendered.is_some()
                || (state.error.is_some() && state.fresh_until.is_some_and(|t| asked < t));
            (plan(state.fresh_until, answerable, asked), state.answer())
        };
        match plan {
            Plan::Serve => answer,
            Plan::ServeAndRevalidate { flag } => {
                // Started, not awaited: this reader answers now.
                drop(Upstream::flight(this, asked));
                match answer {
                    Ok(rendered) if flag => Ok(this.flagged(rendered)),
                    other => other,
                }
            }
            Plan::Wait => {
                if let Some(mut done) = Upstream::flight(this, asked) {
                    // The trip is bounded by the client's timeout; this is
                    // a second bound in case the task died.
                    let _ = tokio::time::timeout(
                        UPSTREAM_TIMEOUT + Duration::from_secs(1),
                        done.wait_for(|done| *done),
                    )
                    .await;
                }
                this.state
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .answer()
            }
        }
    }

    /// The trip upstream to await: the one in flight, else a new one; none
    /// when a trip ended after `asked` (its outcome is in the state now).
    fn flight(this: &Arc<Upstream>, asked: Instant) -> Option<watch::Receiver<bool>> {
        let mut flight = this.flight.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = flight.as_ref() {
            return Some(done.clone());
        }
        let state = this.state.read().unwrap_or_else(|e| e.into_inner());
        if state.completed.is_some_and(|at| at >= asked) {
            return None;
        }
        let etag = state.upstream_etag.clone();
        drop(state);
        let (sender, receiver) = watch::channel(false);
        *flight = Some(receiver.clone());
        let upstream = this.clone();
        // Its own task, so a reader that gives up (a closed connection, the
        // request timeout) does not cancel the trip the others await.
        tokio::spawn(async move {
            let outcome = upstream.fetch(etag).await;
            upstream.record(outcome);
            *upstream.flight.lock().unwrap_or_else(|e| e.into_inner()) = None;
            let _ = sender.send(true);
        });
        Some(receiver)
    }

    /// A copy past [`STALE_WHILE_REVALIDATE`], marked as such (rare: the
    /// first reads after a quiet spell, until the revalidation lands).
    fn flagged(&self, rendered: Rendered) -> Rendered {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        let Some(summary) = &state.good else {
            return rendered;
        };
        let error = state.error.clone().unwrap_or_else(|| {
            "This copy is older than the status source allows; a fresh one is on its way.".into()
        });
        Rendered::new(
            summary,
            json!({
                "source": "upstream",
                "stale": true,
                "fetched_at": state.fetched_at,
                "error": error,
            }),
        )
    }

    fn record(&self, outcome: Result<Fetched, String>) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let now = crate::now();
        match outcome {
            Ok(Fetched::Fresh { summary, etag, ttl }) => {
                if let Some(hook) = &self.on_summary {
                    hook(&summary);
                }
                state.good = Some(*summary);
                state.upstream_etag = etag;
                state.fetched_at = Some(now);
                state.error = None;
                state.fresh_until = Some(Instant::now() + ttl);
            }
            Ok(Fetched::NotModified { ttl }) if state.good.is_some() => {
                state.fetched_at = Some(now);
                state.error = None;
                state.fresh_until = Some(Instant::now() + ttl);
            }
            Ok(Fetched::NotModified { .. }) => {
                // A 304 for a copy we do not hold: forget the validator so
                // the next trip asks for the whole summary.
                state.upstream_etag = None;
                state.error =
                    Some("The status source answered 304 for a copy we do not hold.".into());
                state.fresh_until = None;
            }
            Err(error) => {
                tracing::warn!(upstream = %self.url, %error, "status upstream failed");
                state.error = Some(error);
                state.fresh_until = Some(Instant::now() + self.default_ttl.min(FAILURE_BACKOFF));
            }
        }
        state.completed = Some(Instant::now());
        state.rendered = state.good.as_ref().map(|summary| {
            let mut meta = json!({
                "source": "upstream",
                "stale": state.error.is_some(),
                "fetched_at": state.fetched_at,
            });
            if let Some(error) = &state.error {
                meta["error"] = json!(error);
            }
            Rendered::new(summary, meta)
        });
    }

    async fn fetch(&self, etag: Option<String>) -> Result<Fetched, String> {
        let mut request = self
            .client
            .get(&self.url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(etag) = &etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let mut response = request.send().await.map_err(describe)?;
        let ttl = ttl_of(response.headers(), self.default_ttl);
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified { ttl });
        }
        if !status.is_success() {
            return Err(format!(
                "The status source answered HTTP {}.",
                status.as_u16()
            ));
        }
        let new_etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_UPSTREAM_BYTES {
                return Err("The status source sent more than 4 MiB.".into());
            }
        }
        let summary = parse_summary(&body).map_err(|e| e.to_string())?;
        Ok(Fetched::Fresh {
            summary: Box::new(summary),
            etag: new_etag,
            ttl,
        })
    }
}

impl UpstreamState {
    fn answer(&self) -> Result<Rendered, ApiError> {
        match (&self.rendered, &self.error) {
            (Some(rendered), _) => Ok(rendered.clone()),
            (None, error) => Err(ApiError::new(
                ErrorCode::UpstreamFailed,
                error
                    .clone()
                    .unwrap_or_else(|| "The status source has not answered yet.".into()),
            )),
        }
    }
}

enum Fetched {
    Fresh {
        summary: Box<Summary>,
        etag: Option<String>,
        ttl: Duration,
    },
    NotModified {
        ttl: Duration,
    },
}

/// A failed request in plain words, without internal detail.
fn describe(error: reqwest::Error) -> String {
    if error.is_timeout() {
        format!(
            "The status source did not answer within {} s.",
            UPSTREAM_TIMEOUT.as_secs()
        )
    } else if error.is_connect() {
        "The status source could not be reached.".into()
    } else if error.is_body() || error.is_decode() {
        "The status source's answer broke off.".into()
    } else {
        "The request to the status source failed.".into()
    }
}

/// How long an upstream answer may be reused: `s-maxage` (we are a shared
/// cache), else `max-age`, minus `Age`; `no-store`/`no-cache` mean zero;
/// no directive means the configured default. Capped at
/// [`MAX_UPSTREAM_TTL`].
pub fn ttl_of(headers: &reqwest::header::HeaderMap, default: Duration) -> Duration {
    let directives: Vec<String> = headers
        .get_all(reqwest::header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|d| d.trim().to_ascii_lowercase())
        .collect();
    let seconds = |name: &str| {
        directives.iter().find_map(|d| {
            let (key, value) = d.split_once('=')?;
            (key.trim() == name)
                .then(|| value.trim().trim_matches('"').parse::<u64>().ok())
                .flatten()
        })
    };
    let ttl = if directives
        .iter()
        .any(|d| d == "no-store" || d == "no-cache")
    {
        Duration::ZERO
    } else if let Some(s) = seconds("s-maxage").or_else(|| seconds("max-age")) {
        let age = headers
            .get(reqwest::header::AGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
        Duration::from_secs(s.saturating_sub(age))
    } else {
        default
    };
    ttl.min(MAX_UPSTREAM_TTL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, AGE, CACHE_CONTROL};

    fn headers(pairs: &[(reqwest::header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn ttl_honours_cache_control() {
        let default = Duration::from_secs(30);
        assert_eq!(ttl_of(&headers(&[]), default), default);
        assert_eq!(
            ttl_of(&headers(&[(CACHE_CONTROL, "public, max-age=60")]), default),
            Duration::from_secs(60)
        );
        assert_eq!(
            ttl_of(
                &headers(&[(CACHE_CONTROL, "max-age=60, s-maxage=10")]),
                default
            ),
            Duration::from_secs(10)
        );
        assert_eq!(
            ttl_of(
                &headers(&[(CACHE_CONTROL, "max-age=60"), (AGE, "45")]),
                default
            ),
            Duration::from_secs(15)
        );
        assert_eq!(
            ttl_of(&headers(&[(CACHE_CONTROL, "no-cache")]), default),
            Duration::ZERO
        );
        assert_eq!(
            ttl_of(&headers(&[(CACHE_CONTROL, "max-age=86400")]), default),
            MAX_UPSTREAM_TTL
        );
    }

    #[test]
    fn a_copy_is_served_at_once_and_flagged_only_past_the_stale_window() {
        let now = Instant::now();
        let later = now + Duration::from_secs(1);
        assert_eq!(plan(Some(later), true, now), Plan::Serve);
        assert_eq!(plan(None, false, now), Plan::Wait);
        assert_eq!(plan(Some(later), false, now), Plan::Wait);
        let expired = now + Duration::from_secs(3);
        assert_eq!(
            plan(Some(now), true, expired),
            Plan::ServeAndRevalidate { flag: false }
        );
        let just_within = now + STALE_WHILE_REVALIDATE;
        assert_eq!(
            plan(Some(now), true, just_within),
            Plan::ServeAndRevalidate { flag: false }
        );
        let past = just_within + Duration::from_millis(1);
        assert_eq!(
            plan(Some(now), true, past),
            Plan::ServeAndRevalidate { flag: true }
        );
    }

    #[test]
    fn etags_are_quoted_and_follow_the_bytes() {
        let a = etag_of(b"{}");
        assert!(a.starts_with('"') && a.ends_with('"'));
        assert_eq!(a, etag_of(b"{}"));
        assert_ne!(a, etag_of(b"{ }"));
    }
}
