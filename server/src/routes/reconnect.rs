//! The `retry:` hint that opens each live stream: how long EventSource
//! waits before reconnecting. Drawn per connection from
//! [`RECONNECT_MIN`, `RECONNECT_MAX`), so that after a restart the
//! widgets come back spread over six seconds, not all in the same two.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// The shortest hint: no widget reconnects sooner than this.
pub const RECONNECT_MIN: Duration = Duration::from_secs(2);
/// Hints are below this.
pub const RECONNECT_MAX: Duration = Duration::from_secs(8);

/// A fresh hint for one connection.
pub fn hint() -> Duration {
    hint_at(random_fraction())
}

/// The hint for `fraction` in [0, 1): the one rule, apart from the
/// randomness so it can be tested.
pub fn hint_at(fraction: f64) -> Duration {
    let spread = (RECONNECT_MAX - RECONNECT_MIN).as_millis() as f64;
    let offset = (spread * fraction.clamp(0.0, 1.0)) as u64;
    (RECONNECT_MIN + Duration::from_millis(offset)).min(RECONNECT_MAX - Duration::from_millis(1))
}

/// A number in [0, 1) from the standard library's randomly keyed hasher
/// (each `RandomState` has new keys): no cryptographic need here, and no
/// dependency for it.
fn random_fraction() -> f64 {
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_stay_in_range_and_spread() {
        assert_eq!(hint_at(0.0), RECONNECT_MIN);
        assert_eq!(hint_at(0.5), Duration::from_secs(5));
        assert!(hint_at(0.999_999_9) < RECONNECT_MAX);
        assert!(hint_at(1.0) < RECONNECT_MAX);
        let hints: Vec<Duration> = (0..1_000).map(|_| hint()).collect();
        assert!(hints
            .iter()
            .all(|h| (RECONNECT_MIN..RECONNECT_MAX).contains(h)));
        // Spread over the range: some in each third.
        let third = (RECONNECT_MAX - RECONNECT_MIN) / 3;
        for k in 0..3 {
            let low = RECONNECT_MIN + third * k;
            assert!(
                hints.iter().any(|h| (low..low + third).contains(h)),
                "none in third {k}"
            );
        }
    }
}
