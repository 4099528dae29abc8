//! Abuse limits on writes: a token bucket per client IP, and slow mode (a
//! minimum gap between two posts from one IP).
//!
//! In memory, per process: the limits protect this process from floods and
//! need no durability; behind several instances each enforces its own share.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use hugops_core::wire::{ApiError, ErrorCode};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Settings of the write limits.
#[derive(Clone, Copy, Debug)]
pub struct LimitSettings {
    /// Writes an IP may make at once.
    pub burst: u32,
    /// Sustained writes per minute per IP; 0 disables the bucket.
    pub per_minute: u32,
    /// Minimum time between two posts of one IP; zero disables slow mode.
    pub slow_mode: Duration,
}

struct Bucket {
    tokens: f64,
    refilled: Instant,
}

/// The state of the limits, shared by every request.
pub struct Limits {
    settings: LimitSettings,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    last_post: Mutex<HashMap<IpAddr, Instant>>,
}

/// Above this many tracked IPs, idle entries are swept on the next check,
/// so a flood of spoofed or rotating addresses cannot grow memory forever.
const SWEEP_ABOVE: usize = 10_000;

impl Limits {
    pub fn new(settings: LimitSettings) -> Limits {
        Limits {
            settings,
            buckets: Mutex::new(HashMap::new()),
            last_post: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one write token for `ip`, or says how long to wait for one.
    pub fn check_write(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check_write_at(ip, Instant::now())
    }

    fn check_write_at(&self, ip: IpAddr, now: Instant) -> Result<(), ApiError> {
        let LimitSettings {
            burst, per_minute, ..
        } = self.settings;
        if per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(burst.max(1));
        let per_second = f64::from(per_minute) / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > SWEEP_ABOVE {
            // A bucket that has been idle long enough to be full again is
            // the same as no bucket.
            let full_after = Duration::from_secs_f64(capacity / per_second);
            buckets.retain(|_, b| now.duration_since(b.refilled) < full_after);
        }
        let bucket = buckets.entry(ip).or_insert(Bucket {
            tokens: capacity,
            refilled: now,
        });
        let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64;
            Err(ApiError::new(
                ErrorCode::RateLimited,
                format!("That was a lot at once. Please wait {wait} s and try again."),
            )
            .with_retry_after(wait))
        }
    }

    /// Records a post of `ip` under slow mode, or says how long to wait.
    pub fn check_slow_mode(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check_slow_mode_at(ip, Instant::now())
    }

    fn check_slow_mode_at(&self, ip: IpAddr, now: Instant) -> Result<(), ApiError> {
        let gap = self.settings.slow_mode;
        if gap.is_zero() {
            return Ok(());
        }
        let mut last = self.last_post.lock().unwrap_or_else(|e| e.into_inner());
        if last.len() > SWEEP_ABOVE {
            last.retain(|_, at| now.duration_since(*at) < gap);
        }
        if let Some(at) = last.get(&ip) {
            let since = now.duration_since(*at);
            if since < gap {
                let wait = (gap - since).as_secs_f64().ceil().max(1.0) as u64;
                return Err(ApiError::new(
                    ErrorCode::SlowMode,
                    format!(
                        "The wall is in slow mode: one message every {} s. You can post again in {wait} s.",
                        gap.as_secs()
                    ),
                )
                .with_retry_after(wait));
            }
        }
        last.insert(ip, now);
        Ok(())
    }
}

/// Whether `X-Forwarded-For` is to be believed; a request extension set by
/// `crate::app` from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct TrustProxy(pub bool);

/// The client's IP, for the limits: the socket's peer, or with
/// `--trust-proxy` the last `X-Forwarded-For` entry (the one the proxy
/// itself appended; earlier entries are whatever the client claimed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let trust = parts.extensions.get::<TrustProxy>().is_some_and(|t| t.0);
        if trust {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            // In-process tests call the router without a socket.
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, per_minute: u32, slow: u64) -> Limits {
        Limits::new(LimitSettings {
            burst,
            per_minute,
            slow_mode: Duration::from_secs(slow),
        })
    }

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn bucket_allows_a_burst_then_refills_at_the_rate() {
        let l = limits(3, 60, 0);
        let t0 = Instant::now();
        for _ in 0..3 {
            l.check_write_at(A, t0).unwrap();
        }
        let refused = l.check_write_at(A, t0).unwrap_err();
        assert_eq!(refused.error, ErrorCode::RateLimited);
        assert_eq!(refused.retry_after, Some(1));
        // Another IP has its own bucket.
        l.check_write_at(B, t0).unwrap();
        // One token a second at 60 per minute.
        l.check_write_at(A, t0 + Duration::from_millis(1_000))
            .unwrap();
        assert!(l
            .check_write_at(A, t0 + Duration::from_millis(1_100))
            .is_err());
    }

    #[test]
    fn zero_rate_disables_the_bucket() {
        let l = limits(1, 0, 0);
        let t0 = Instant::now();
        for _ in 0..100 {
            l.check_write_at(A, t0).unwrap();
        }
    }

    #[test]
    fn slow_mode_spaces_posts_per_ip() {
        let l = limits(10, 60, 30);
        let t0 = Instant::now();
        l.check_slow_mode_at(A, t0).unwrap();
        let refused = l
            .check_slow_mode_at(A, t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(refused.error, ErrorCode::SlowMode);
        assert_eq!(refused.retry_after, Some(20));
        l.check_slow_mode_at(B, t0 + Duration::from_secs(10))
            .unwrap();
        l.check_slow_mode_at(A, t0 + Duration::from_secs(30))
            .unwrap();
    }
}
