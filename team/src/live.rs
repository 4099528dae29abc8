//! Keeping views current: a loop that refreshes every few seconds while the
//! tab is visible, until the view that started it goes away.

use crate::browser::{sleep, tab_hidden};
use leptos::prelude::on_cleanup;
use leptos::task::spawn_local;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Calls `refresh` now and then every `millis` (skipped while the tab is
/// hidden), until the current reactive owner is cleaned up.
pub fn refresh_every<F, Fut>(millis: u32, refresh: F)
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let alive = Arc::new(AtomicBool::new(true));
    let running = alive.clone();
    on_cleanup(move || alive.store(false, Ordering::Relaxed));
    spawn_local(async move {
        while running.load(Ordering::Relaxed) {
            if !tab_hidden() {
                refresh().await;
            }
            sleep(millis).await;
        }
    });
}
