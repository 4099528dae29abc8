//! The widget's one back-off: how long to wait before trying again, for a
//! post (the outbox), a wall that would not load, a status refresh that
//! failed, and the live wall's polling fallback while nothing changes.

/// Exponential back-off with full jitter, capped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The wait after the first failure. Default 1 s.
    pub initial_ms: u64,
    /// No wait is longer than this. Default 60 s.
    pub max_ms: u64,
    /// A server's `retry_after` is honoured up to this (a bogus "come back
    /// in a week" must not strand a message). Default 10 minutes.
    pub max_retry_after_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial_ms: 1_000,
            max_ms: 60_000,
            max_retry_after_ms: 10 * 60_000,
        }
    }
}

impl Backoff {
    /// The wait after the `failures`-th failure in a row (1 = the first),
    /// with `jitter` in [0, 1) drawn by the caller.
    ///
    /// The ceiling doubles per failure up to `max_ms`, and the wait is
    /// drawn from all of [1 ms, ceiling) ("full jitter"): the clients that
    /// failed together (a server restart) come back spread over the whole
    /// window rather than bunched in its upper half, which costs a
    /// struggling server the fewest requests in all. The mean is half the
    /// ceiling; callers that want a mean of `m` set `initial_ms` to `2m`.
    pub fn delay_ms(&self, failures: u32, jitter: f64) -> u64 {
        let exponent = failures.saturating_sub(1).min(32);
        let ceiling = self
            .initial_ms
            .saturating_mul(1u64 << exponent)
            .min(self.max_ms)
            .max(1);
        let jitter = jitter.clamp(0.0, 1.0);
        ((ceiling as f64 * jitter) as u64).clamp(1, ceiling)
    }

    /// The wait after a failure that may carry the server's `retry_after`
    /// (seconds): whichever is longer, the back-off or what the server
    /// asked for (capped).
    pub fn delay_with_retry_after(
        &self,
        failures: u32,
        jitter: f64,
        retry_after_s: Option<u64>,
    ) -> u64 {
        let backoff = self.delay_ms(failures, jitter);
        match retry_after_s {
            Some(seconds) => {
                backoff.max(seconds.saturating_mul(1_000).min(self.max_retry_after_ms))
            }
            None => backoff,
        }
    }
}

/// A small seeded generator for jitter (xorshift64*): tests pass a seed
/// and get the same waits every run.
#[derive(Clone, Debug)]
pub struct Jitter(u64);

impl Jitter {
    pub fn seeded(seed: u64) -> Self {
        Jitter(seed.max(1))
    }

    /// Seeded from the browser's randomness (on native, the clock).
    pub fn from_entropy() -> Self {
        #[cfg(target_arch = "wasm32")]
        let seed = (js_sys::Math::random() * u64::MAX as f64) as u64;
        #[cfg(not(target_arch = "wasm32"))]
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Jitter::seeded(seed)
    }

    /// A number in [0, 1).
    pub fn draw(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_doubles_to_the_cap_and_the_wait_spans_all_of_it() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(1, 0.0), 1, "full jitter: from (almost) zero");
        assert_eq!(b.delay_ms(1, 0.5), 500);
        assert_eq!(b.delay_ms(1, 0.999_999), 999);
        assert_eq!(b.delay_ms(2, 0.5), 1_000);
        assert_eq!(b.delay_ms(3, 0.5), 2_000);
        assert_eq!(b.delay_ms(0, 0.5), 500, "zero failures counts as one");
        for failures in [7, 8, 30, 1_000, u32::MAX] {
            assert_eq!(b.delay_ms(failures, 0.5), 30_000, "{failures}: capped");
            assert!(b.delay_ms(failures, 0.999_999) < 60_000);
        }
        // Out-of-range draws are clamped, not trusted.
        assert_eq!(b.delay_ms(1, -3.0), 1);
        assert_eq!(b.delay_ms(1, 7.0), 1_000);
    }

    #[test]
    fn waits_are_spread_over_the_whole_window() {
        let b = Backoff::default();
        let mut jitter = Jitter::seeded(7);
        let waits: Vec<u64> = (0..2_000).map(|_| b.delay_ms(4, jitter.draw())).collect();
        let ceiling = 8_000;
        assert!(waits.iter().all(|w| (1..ceiling).contains(w)));
        // Every tenth of the window gets some: not bunched at the top, as
        // equal jitter would be, nor at one instant, as no jitter would.
        for tenth in 0..10 {
            let (low, high) = (ceiling * tenth / 10, ceiling * (tenth + 1) / 10);
            let n = waits.iter().filter(|w| (low..high).contains(*w)).count();
            assert!((120..280).contains(&n), "tenth {tenth}: {n} of 2000");
        }
        let mean = waits.iter().sum::<u64>() / waits.len() as u64;
        assert!((3_700..4_300).contains(&mean), "mean {mean}");
    }

    #[test]
    fn never_zero_even_with_tiny_settings() {
        let b = Backoff {
            initial_ms: 1,
            max_ms: 4,
            ..Default::default()
        };
        for failures in 1..10 {
            for jitter in [0.0, 0.3, 0.99] {
                let d = b.delay_ms(failures, jitter);
                assert!((1..=4).contains(&d), "{d}");
            }
        }
    }

    #[test]
    fn retry_after_wins_when_longer_and_is_capped() {
        let b = Backoff::default();
        assert_eq!(b.delay_with_retry_after(1, 0.0, Some(30)), 30_000);
        assert_eq!(b.delay_with_retry_after(1, 0.5, Some(0)), 500);
        assert_eq!(
            b.delay_with_retry_after(1, 0.0, Some(7 * 24 * 3600)),
            600_000
        );
    }

    #[test]
    fn jitter_is_spread_and_repeatable() {
        let mut a = Jitter::seeded(42);
        let mut b = Jitter::seeded(42);
        let xs: Vec<f64> = (0..1_000).map(|_| a.draw()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(xs.iter().any(|&x| x < 0.1) && xs.iter().any(|&x| x > 0.9));
        assert_eq!(xs[0], b.draw());
    }
}
