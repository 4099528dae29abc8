//! Small wrappers over browser APIs that several modules need.

use hugops_core::time::Timestamp;
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
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
