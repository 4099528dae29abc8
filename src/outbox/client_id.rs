//! Fresh ids for posts and visitors.

/// A new random id: a UUID from the browser's cryptographic generator, so
/// two visitors never pick the same `client_id` (which would make the
/// store answer one visitor's post with the other's message).
pub fn new_client_id() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(uuid) = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .map(|c| c.random_uuid())
        {
            return uuid;
        }
        // No `crypto` (very old browsers): 104 bits of Math.random.
        let part = || (js_sys::Math::random() * (1u64 << 52) as f64) as u64;
        format!("m-{:013x}{:013x}", part(), part())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        format!("n-{nanos:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_distinct_and_fit_the_contract() {
        let a = super::new_client_id();
        let b = super::new_client_id();
        assert_ne!(a, b);
        for id in [a, b] {
            assert!(!id.is_empty() && id.len() <= 64);
            assert!(id.bytes().all(|c| c.is_ascii_graphic()));
        }
    }
}
