//! `use_announcer` and `LiveRegion`: arrivals announced to screen readers
//! politely (after what they are reading), gathered when they flood in.

use super::announcer::{Announce, Announcer};
use crate::browser::now;
use crate::i18n::Texts;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct Announcements {
    pub text: ReadSignal<String>,
    ctl: StoredValue<Rc<AnnouncerCtl>, LocalStorage>,
}

struct AnnouncerCtl {
    announcer: RefCell<Announcer>,
    set_text: WriteSignal<String>,
    timer: Cell<Option<TimeoutHandle>>,
}

/// Announcements at most once per `gap_ms` (the rest are gathered).
pub fn use_announcer(gap_ms: u32, texts: Arc<Texts>) -> Announcements {
    let (text, set_text) = signal(String::new());
    let ctl = Rc::new(AnnouncerCtl {
        announcer: RefCell::new(Announcer::new(gap_ms, texts)),
        set_text,
        timer: Cell::new(None),
    });
    let cleanup = SendWrapper::new(ctl.clone());
    on_cleanup(move || {
        if let Some(timer) = cleanup.take().timer.take() {
            timer.clear();
        }
    });
    Announcements {
        text,
        ctl: StoredValue::new_local(ctl),
    }
}

impl Announcements {
    pub fn arrive(&self, author: Option<&str>, body: &str) {
        let Some(ctl) = self.ctl.try_get_value() else {
            return;
        };
        let decision = ctl.announcer.borrow_mut().arrive(author, body, now());
        match decision {
            Announce::Now(text) => ctl.set_text.set(text),
            Announce::Later(at) => {
                // One timer for the whole gathering.
                if let Some(timer) = ctl.timer.take() {
                    ctl.timer.set(Some(timer));
                    return;
                }
                let wait = (at.millis() - now().millis()).max(0) as u64;
                let flush = ctl.clone();
                let handle = set_timeout_with_handle(
                    move || {
                        flush.timer.set(None);
                        if let Some(text) = flush.announcer.borrow_mut().flush(now()) {
                            flush.set_text.set(text);
                        }
                    },
                    Duration::from_millis(wait),
                )
                .ok();
                ctl.timer.set(handle);
            }
        }
    }
}

/// The polite live region; it exists from the start (a region added along
/// with its text is not announced by every screen reader).
#[component]
pub fn LiveRegion(text: ReadSignal<String>) -> impl IntoView {
    view! {
        <div class="hugops-visually-hidden" aria-live="polite" aria-atomic="true" data-hugops-announcer="">
            {move || text.get()}
        </div>
    }
}
