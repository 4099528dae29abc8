//! `use_clock`: a signal holding "now", ticking at a coarse interval so
//! relative times ("5 minutes ago") stay true without re-rendering often.

use crate::browser::now;
use hugops_core::time::Timestamp;
use leptos::prelude::*;
use std::time::Duration;

pub fn use_clock(every_ms: u64) -> ReadSignal<Timestamp> {
    let (clock, set_clock) = signal(now());
    if let Ok(interval) = set_interval_with_handle(
        move || set_clock.set(now()),
        Duration::from_millis(every_ms),
    ) {
        on_cleanup(move || interval.clear());
    }
    clock
}
