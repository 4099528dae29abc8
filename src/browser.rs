//! Small wrappers over browser APIs that several modules need.

use hugops_core::time::Timestamp;
use leptos::prelude::{
    on_cleanup, request_animation_frame_with_handle, set_timeout_with_handle, TimeoutHandle,
};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// The current time from the browser's clock (on native, the system clock,
/// so plain `#[test]`s of code that reads the time still run).
pub fn now() -> Timestamp {
    #[cfg(target_arch = "wasm32")]
    {
        Timestamp::from_millis(js_sys::Date::now() as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp::from_millis(since_epoch.as_millis() as i64)
    }
}

/// An abort signal that fires after a timeout, and says whether it did.
/// Dropping it cancels the timer (the request finished in time).
pub struct AbortAfter {
    controller: Option<web_sys::AbortController>,
    fired: Rc<Cell<bool>>,
    timer: Option<TimeoutHandle>,
}

impl AbortAfter {
    pub fn new(millis: u32) -> Self {
        let controller = web_sys::AbortController::new().ok();
        let fired = Rc::new(Cell::new(false));
        let timer = controller.clone().and_then(|controller| {
            let fired = fired.clone();
            set_timeout_with_handle(
                move || {
                    fired.set(true);
                    controller.abort();
                },
                Duration::from_millis(u64::from(millis)),
            )
            .ok()
        });
        AbortAfter {
            controller,
            fired,
            timer,
        }
    }

    pub fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }

    pub fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for AbortAfter {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
    }
}

/// Resolves after `millis`; for polling loops and back-off.
pub async fn sleep(millis: u32) {
    let (sender, receiver) = futures_channel::oneshot::channel::<()>();
    let _ = set_timeout_with_handle(
        move || {
            let _ = sender.send(());
        },
        Duration::from_millis(u64::from(millis)),
    );
    let _ = receiver.await;
}

/// Runs `f` on the next animation frame, unless the reactive owner asking
/// for it (a component, or one run of an effect) is cleaned up first. Every
/// frame the widget asks for goes through here.
///
/// Why: a frame callback runs outside the reactive tree, and the widget can
/// be unmounted before the frame (the element remounts on any attribute
/// change, or leaves the page). The signals and node refs the callback
/// reads are disposed by then, reading one panics, and a panic stops all
/// of the widget's wasm (`RuntimeError: unreachable` in the release build,
/// every widget on the page dead). A frame cancelled with its owner never
/// runs for a widget that is gone. Outside any owner (the element's own
/// code) the frame simply runs.
pub fn on_next_frame(f: impl FnOnce() + 'static) {
    if let Ok(frame) = request_animation_frame_with_handle(f) {
        on_cleanup(move || frame.cancel());
    }
}

/// Runs `f` once the browser has painted what the page holds now: a task
/// queued from an animation frame runs after that frame is painted. Like
/// `on_next_frame`, nothing runs if the owner is cleaned up before the
/// frame; after it, `f` runs outside the reactive tree, so it should only
/// `try_set` signals (a no-op on one that is gone).
#[cfg(feature = "split")]
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    on_next_frame(move || {
        let _ = set_timeout_with_handle(f, Duration::ZERO);
    });
}
