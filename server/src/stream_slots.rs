//! Caps on open SSE streams: in total (so that streams leave connections
//! free for everything else, `/healthz` included) and per client (so that
//! one address cannot take them all). A stream holds a [`StreamSlot`] for
//! its life; dropping the slot frees it.

use crate::limits::client_key;
use futures_util::{Stream, StreamExt};
use hugops_core::wire::{ApiError, ErrorCode};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Seconds a refused client is told to wait.
const RETRY_AFTER: u64 = 30;

#[derive(Debug)]
pub struct StreamSlots {
    max_total: usize,
    /// 0: no cap per client.
    max_per_client: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    /// Only clients with a stream open: entries go when their count does.
    per_client: HashMap<IpAddr, usize>,
}

impl StreamSlots {
    pub fn new(max_total: usize, max_per_client: usize) -> StreamSlots {
        StreamSlots {
            max_total,
            max_per_client,
            open: Mutex::new(Open::default()),
        }
    }

    /// A slot for one more stream of `ip` (keyed like the write limits:
    /// IPv4 address, IPv6 /64), or the refusal to send instead.
    pub fn open(self: &Arc<Self>, ip: IpAddr) -> Result<StreamSlot, ApiError> {
        let key = client_key(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= self.max_total {
            return Err(ApiError::new(
                ErrorCode::Unavailable,
                "The server has as many live readers as it can take. Please try again shortly.",
            )
            .with_retry_after(RETRY_AFTER));
        }
        let mine = open.per_client.get(&key).copied().unwrap_or(0);
        if self.max_per_client > 0 && mine >= self.max_per_client {
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                format!(
                    "Your address already has {mine} live walls open, the most it may. \
                     Close some and try again."
                ),
            )
            .with_retry_after(RETRY_AFTER));
        }
        open.total += 1;
        open.per_client.insert(key, mine + 1);
        Ok(StreamSlot {
            slots: self.clone(),
            key,
        })
    }

    /// Streams open now.
    pub fn open_count(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

/// One open stream's place; freed on drop.
#[derive(Debug)]
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    key: IpAddr,
}

impl StreamSlot {
    /// `stream`, holding this slot until it is dropped.
    pub fn hold<S: Stream>(self, stream: S) -> impl Stream<Item = S::Item> {
        stream.map(move |item| {
            let _held = &self;
            item
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total -= 1;
        if let Some(count) = open.per_client.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.per_client.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_client_and_in_total_and_freed_on_drop() {
        let slots = Arc::new(StreamSlots::new(3, 2));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let a_mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        let b: IpAddr = "2001:db8::1".parse().unwrap();
        let b_same_64: IpAddr = "2001:db8::2".parse().unwrap();
        let first = slots.open(a).unwrap();
        let _second = slots.open(a_mapped).unwrap();
        assert_eq!(slots.open(a).unwrap_err().error, ErrorCode::RateLimited);
        let _third = slots.open(b).unwrap();
        let full = slots.open(b_same_64).unwrap_err();
        assert_eq!(full.error, ErrorCode::Unavailable);
        assert_eq!(full.retry_after, Some(RETRY_AFTER));
        drop(first);
        assert_eq!(slots.open_count(), 2);
        let _again = slots.open(b_same_64).unwrap();
        assert_eq!(slots.open(b).unwrap_err().error, ErrorCode::Unavailable);
    }

    #[test]
    fn zero_per_client_means_no_cap_per_client() {
        let slots = Arc::new(StreamSlots::new(5, 0));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let held: Vec<_> = (0..5).map(|_| slots.open(a).unwrap()).collect();
        assert_eq!(slots.open(a).unwrap_err().error, ErrorCode::Unavailable);
        drop(held);
        assert_eq!(slots.open_count(), 0);
        assert!(slots.open.lock().unwrap().per_client.is_empty());
    }
}
