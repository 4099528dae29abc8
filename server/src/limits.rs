//! Abuse limits: a token bucket of writes per client IP, slow mode (a
//! minimum gap between two posts from one IP on one wall; the gap itself
//! is the team's setting, see `crate::slow_mode`), and a bucket of wrong
//! team tokens per IP.
//!
//! In memory, per process: the limits protect this process from floods and
//! need no durability; behind several instances each enforces its own share.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use hugops_core::wire::{ApiError, ErrorCode, WallSlug};
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
}

struct Bucket {
    tokens: f64,
    refilled: Instant,
}

/// A token bucket per client: `capacity` at once, refilled at `per_minute`.
struct Buckets {
    capacity: f64,
    per_second: f64,
    tracked: Mutex<Tracked<Bucket>>,
}

impl Buckets {
    /// `per_minute == 0` disables the buckets: every take succeeds.
    fn new(capacity: u32, per_minute: u32) -> Buckets {
        Buckets {
            capacity: f64::from(capacity.max(1)),
            per_second: f64::from(per_minute) / 60.0,
            tracked: Mutex::new(Tracked::new()),
        }
    }

    /// Takes one token of `ip`'s bucket (only looks when `!consume`), or
    /// says how many whole seconds until there is one.
    fn take(&self, ip: IpAddr, now: Instant, consume: bool) -> Result<(), u64> {
        if self.per_second == 0.0 {
            return Ok(());
        }
        let (capacity, per_second) = (self.capacity, self.per_second);
        let mut buckets = self.tracked.lock().unwrap_or_else(|e| e.into_inner());
        // A bucket that has been idle long enough to be full again is the
        // same as no bucket.
        let full_after = Duration::from_secs_f64(capacity / per_second);
        buckets.sweep_if_grown(|_, b| now.duration_since(b.refilled) < full_after);
        let bucket = buckets.entries.entry(client_key(ip)).or_insert(Bucket {
            tokens: capacity,
            refilled: now,
        });
        let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            if consume {
                bucket.tokens -= 1.0;
            }
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Wrong team tokens an IP may send in a minute (and at once) before its
/// team requests are refused 429: enough for a person mistyping, far too
/// few to guess a token of 16 characters or more.
pub const TEAM_AUTH_FAILURES_PER_MINUTE: u32 = 10;

/// The state of the limits, shared by every request.
pub struct Limits {
    writes: Buckets,
    team_auth_failures: Buckets,
    /// Per client, its last post on each wall under slow mode.
    last_post: Mutex<Tracked<HashMap<WallSlug, LastPost>>>,
}

/// A post under slow mode, with the gap then in force (which says when
/// the entry may be swept).
struct LastPost {
    at: Instant,
    gap: Duration,
}

/// Up to this many tracked clients, nothing is swept.
const SWEEP_ABOVE: usize = 10_000;

/// Per-client entries, with idle ones swept so that a flood of rotating
/// addresses cannot grow memory forever. A sweep walks the whole map, so
/// it runs only when the map has doubled since the last one: amortised,
/// each check stays O(1) however many addresses a flood brings.
struct Tracked<T> {
    entries: HashMap<IpAddr, T>,
    sweep_above: usize,
}

impl<T> Tracked<T> {
    fn new() -> Self {
        Tracked {
            entries: HashMap::new(),
            sweep_above: SWEEP_ABOVE,
        }
    }

    /// Sweeps with `keep` when the map has grown past its threshold.
    fn sweep_if_grown(&mut self, keep: impl FnMut(&IpAddr, &mut T) -> bool) {
        if self.entries.len() > self.sweep_above {
            self.entries.retain(keep);
            self.sweep_above = (self.entries.len() * 2).max(SWEEP_ABOVE);
        }
    }
}

/// The key a client is limited by. An IPv6 client usually holds a whole
/// /64 and can pick any address in it, so the /64 is the client. An
/// IPv4-mapped address (`::ffff:192.0.2.1`, what a socket bound to `[::]`
/// reports for an IPv4 peer) is that IPv4 address: masked as a /64, every
/// IPv4 client would share one bucket.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        ip @ IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let masked = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(masked.into())
        }
    }
}

impl Limits {
    pub fn new(settings: LimitSettings) -> Limits {
        Limits {
            writes: Buckets::new(settings.burst, settings.per_minute),
            team_auth_failures: Buckets::new(
                TEAM_AUTH_FAILURES_PER_MINUTE,
                TEAM_AUTH_FAILURES_PER_MINUTE,
            ),
            last_post: Mutex::new(Tracked::new()),
        }
    }

    /// Takes one write token for `ip`, or says how long to wait for one.
    pub fn check_write(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check_write_at(ip, Instant::now())
    }

    fn check_write_at(&self, ip: IpAddr, now: Instant) -> Result<(), ApiError> {
        self.writes.take(ip, now, true).map_err(|wait| {
            ApiError::new(
                ErrorCode::RateLimited,
                format!("That was a lot at once. Please wait {wait} s and try again."),
            )
            .with_retry_after(wait)
        })
    }

    /// Whether `ip` may try a team token now: not after
    /// [`TEAM_AUTH_FAILURES_PER_MINUTE`] wrong ones. Checked before the
    /// token is compared, so a blocked guesser learns nothing, even from a
    /// right guess.
    pub fn check_team_auth(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check_team_auth_at(ip, Instant::now())
    }

    fn check_team_auth_at(&self, ip: IpAddr, now: Instant) -> Result<(), ApiError> {
        self.team_auth_failures.take(ip, now, false).map_err(|wait| {
            ApiError::new(
                ErrorCode::RateLimited,
                format!("Too many wrong team tokens from your address. Please wait {wait} s and try again."),
            )
            .with_retry_after(wait)
        })
    }

    /// Counts a wrong team token sent by `ip`.
    pub fn record_team_auth_failure(&self, ip: IpAddr) {
        let _ = self.team_auth_failures.take(ip, Instant::now(), true);
    }

    /// Records a post of `ip` on `wall` under slow mode (`gap` between two
    /// posts; zero is off), or says how long to wait.
    pub fn check_slow_mode(
        &self,
        ip: IpAddr,
        wall: &WallSlug,
        gap: Duration,
    ) -> Result<(), ApiError> {
        self.check_slow_mode_at(ip, wall, gap, Instant::now())
    }

    fn check_slow_mode_at(
        &self,
        ip: IpAddr,
        wall: &WallSlug,
        gap: Duration,
        now: Instant,
    ) -> Result<(), ApiError> {
        if gap.is_zero() {
            return Ok(());
        }
        let mut last = self.last_post.lock().unwrap_or_else(|e| e.into_inner());
        last.sweep_if_grown(|_, walls| {
            walls.retain(|_, post| now.duration_since(post.at) < post.gap);
            !walls.is_empty()
        });
        let walls = last.entries.entry(client_key(ip)).or_default();
        if let Some(post) = walls.get(wall) {
            let since = now.duration_since(post.at);
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
        walls.insert(wall.clone(), LastPost { at: now, gap });
        Ok(())
    }
}

/// Whether `X-Forwarded-For` is to be believed; a request extension set by
/// `crate::app` from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct TrustProxy(pub bool);

/// The client's IP, for the limits: the socket's peer, or with
/// `--trust-proxy` the last `X-Forwarded-For` entry (the one the proxy
/// itself appended; earlier entries are whatever the client claimed). An
/// IPv4-mapped IPv6 address is given as the IPv4 address it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let trust = parts.extensions.get::<TrustProxy>().is_some_and(|t| t.0);
        if trust {
            // Only the last entry: when the proxy wrote something we cannot
            // read there, an earlier (client-written) one must not count.
            let last = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|entry| !entry.is_empty());
            if let Some(ip) = last.and_then(forwarded_ip) {
                return Ok(ClientIp(ip.to_canonical()));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            // In-process tests call the router without a socket.
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(peer.to_canonical()))
    }
}

/// One `X-Forwarded-For` entry: `192.0.2.1`, `2001:db8::1`, or with the
/// port some proxies add, `192.0.2.1:4711`, `[2001:db8::1]:4711` (and
/// `[2001:db8::1]`).
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            let inner = entry.strip_prefix('[')?.strip_suffix(']')?;
            inner.parse::<IpAddr>().ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, per_minute: u32) -> Limits {
        Limits::new(LimitSettings { burst, per_minute })
    }

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn bucket_allows_a_burst_then_refills_at_the_rate() {
        let l = limits(3, 60);
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
    fn an_ipv6_client_is_its_slash_64() {
        let l = limits(2, 60);
        let t0 = Instant::now();
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_64: IpAddr = "2001:db8:1:2:ffff:eeee:dddd:cccc".parse().unwrap();
        let other_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        l.check_write_at(a, t0).unwrap();
        l.check_write_at(same_64, t0).unwrap();
        assert!(
            l.check_write_at(same_64, t0).is_err(),
            "one bucket for the /64"
        );
        l.check_write_at(other_64, t0).unwrap();
    }

    #[test]
    fn a_flood_of_addresses_is_swept_without_sweeping_on_every_write() {
        let l = limits(1, 60);
        let t0 = Instant::now();
        // 30,000 distinct clients, each writing once, all still active.
        for n in 0..30_000u32 {
            l.check_write_at(IpAddr::V4(n.into()), t0).unwrap();
        }
        let tracked = l.writes.tracked.lock().unwrap();
        assert_eq!(tracked.entries.len(), 30_000, "active clients are kept");
        assert!(
            tracked.sweep_above >= 20_000,
            "the threshold grew with the live set, so sweeps stay rare: {}",
            tracked.sweep_above
        );
        drop(tracked);
        // A minute later every bucket is full again: the next sweep frees them.
        let later = t0 + Duration::from_secs(61);
        for n in 0..40_000u32 {
            l.check_write_at(IpAddr::V4((n + 100_000).into()), later)
                .unwrap();
        }
        assert!(l.writes.tracked.lock().unwrap().entries.len() < 70_000);
    }

    #[test]
    fn an_ipv4_mapped_address_is_its_ipv4_address() {
        let l = limits(1, 60);
        let t0 = Instant::now();
        let mapped = |s: &str| IpAddr::V6(s.parse().unwrap());
        l.check_write_at(mapped("::ffff:127.0.0.1"), t0).unwrap();
        // Not one bucket for every IPv4 client (their /64 is `::ffff:0:0/64`).
        l.check_write_at(mapped("::ffff:127.0.0.2"), t0).unwrap();
        // The same client however it arrives.
        let refused = l.check_write_at("127.0.0.1".parse().unwrap(), t0);
        assert!(refused.is_err(), "one bucket for 127.0.0.1, mapped or not");
    }

    #[test]
    fn forwarded_entries_are_read_with_or_without_a_port() {
        let cases = [
            ("192.0.2.7", "192.0.2.7"),
            ("192.0.2.7:4711", "192.0.2.7"),
            ("2001:db8::7", "2001:db8::7"),
            ("[2001:db8::7]:4711", "2001:db8::7"),
            ("[2001:db8::7]", "2001:db8::7"),
            ("::ffff:192.0.2.7", "::ffff:192.0.2.7"),
        ];
        for (entry, ip) in cases {
            assert_eq!(forwarded_ip(entry), Some(ip.parse().unwrap()), "{entry}");
        }
        for junk in ["unknown", "", "192.0.2.7:port", "[192.0.2.7", "_hidden"] {
            assert_eq!(forwarded_ip(junk), None, "{junk}");
        }
    }

    #[test]
    fn wrong_team_tokens_are_limited_per_ip_and_refill() {
        let l = limits(1, 0);
        let t0 = Instant::now();
        for _ in 0..TEAM_AUTH_FAILURES_PER_MINUTE {
            l.check_team_auth_at(A, t0).unwrap();
            let _ = l.team_auth_failures.take(A, t0, true);
        }
        let refused = l.check_team_auth_at(A, t0).unwrap_err();
        assert_eq!(refused.error, ErrorCode::RateLimited);
        assert_eq!(refused.retry_after, Some(6), "one try every 6 s");
        l.check_team_auth_at(B, t0).unwrap();
        l.check_team_auth_at(A, t0 + Duration::from_secs(6))
            .unwrap();
    }

    #[test]
    fn zero_rate_disables_the_bucket() {
        let l = limits(1, 0);
        let t0 = Instant::now();
        for _ in 0..100 {
            l.check_write_at(A, t0).unwrap();
        }
    }

    #[test]
    fn slow_mode_spaces_posts_per_ip_and_wall() {
        let l = limits(10, 60);
        let general = WallSlug::general();
        let incident = WallSlug::for_incident("p31zjtct2jer");
        let gap = Duration::from_secs(30);
        let t0 = Instant::now();
        let at = |s| t0 + Duration::from_secs(s);
        l.check_slow_mode_at(A, &general, gap, t0).unwrap();
        let refused = l.check_slow_mode_at(A, &general, gap, at(10)).unwrap_err();
        assert_eq!(refused.error, ErrorCode::SlowMode);
        assert_eq!(refused.retry_after, Some(20));
        l.check_slow_mode_at(B, &general, gap, at(10)).unwrap();
        // Another wall spaces its own posts.
        l.check_slow_mode_at(A, &incident, gap, at(10)).unwrap();
        l.check_slow_mode_at(A, &general, gap, at(30)).unwrap();
        // A gap changed by the team applies to the next post at once.
        l.check_slow_mode_at(A, &general, Duration::from_secs(5), at(36))
            .unwrap();
        // Zero is off.
        l.check_slow_mode_at(A, &general, Duration::ZERO, at(36))
            .unwrap();
    }
}
