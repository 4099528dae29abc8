//! How long to wait before trying a post again.

/// Exponential back-off with jitter, capped.
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
    /// The ceiling doubles per failure up to `max_ms`; the wait is drawn
    /// from its upper half ("equal jitter"): never zero, so a struggling
    /// server is not hammered, and spread out, so the clients that failed
    /// together do not all come back in the same instant.
    pub fn delay_ms(&self, failures: u32, jitter: f64) -> u64 {
        let exponent = failures.saturating_sub(1).min(32);
        let ceiling = self
            .initial_ms
            .saturating_mul(1u64 << exponent)
            .min(self.max_ms)
            .max(1);
        let half = ceiling / 2;
        let jitter = jitter.clamp(0.0, 1.0);
        (half + ((ceiling - half) as f64 * jitter) as u64).clamp(1, ceiling)
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
    fn doubles_with_jitter_in_the_upper_half_and_is_capped() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(1, 0.0), 500);
        assert_eq!(b.delay_ms(1, 0.999_999), 999);
        assert_eq!(b.delay_ms(2, 0.0), 1_000);
        assert_eq!(b.delay_ms(3, 0.5), 3_000);
        for failures in [7, 8, 30, 1_000, u32::MAX] {
            let d = b.delay_ms(failures, 0.999);
            assert!((30_000..=60_000).contains(&d), "{failures}: {d}");
        }
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
        assert_eq!(b.delay_with_retry_after(1, 0.0, Some(0)), 500);
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
