//! `use_outbox`: the outbox of a wall as a signal of what is waiting, for
//! the lifetime of a component (stopped in `on_cleanup`; the queue stays
//! saved for the next page).

use crate::backend::WallStore;
use crate::outbox::{Outbox, OutboxEvent, OutboxOptions, Pending};
use hugops_core::wire::WallSlug;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::rc::Rc;

#[derive(Clone, Copy)]
pub struct OutboxHandle {
    /// What is waiting to be sent, oldest first.
    pub pending: ReadSignal<Vec<Pending>>,
    outbox: StoredValue<Rc<Outbox>, LocalStorage>,
}

/// Opens the wall's outbox. `on_event` hears every event after `pending`
/// is updated.
pub fn use_outbox(
    store: Rc<dyn WallStore>,
    wall: WallSlug,
    options: OutboxOptions,
    on_event: Rc<dyn Fn(&OutboxEvent)>,
) -> OutboxHandle {
    let (pending, set_pending) = signal(Vec::new());
    let handler = Rc::new(move |event: OutboxEvent| {
        if let OutboxEvent::Changed(list) = &event {
            set_pending.set(list.clone());
        }
        on_event(&event);
    });
    let outbox = Rc::new(Outbox::new(store, wall, options, handler));
    let cleanup = SendWrapper::new(outbox.clone());
    on_cleanup(move || cleanup.take().stop());
    OutboxHandle {
        pending,
        outbox: StoredValue::new_local(outbox),
    }
}

impl OutboxHandle {
    /// Saves a post and sends it in turn; returns its `client_id`.
    pub fn send(
        &self,
        author: Option<String>,
        body: String,
        website: Option<String>,
    ) -> Option<String> {
        self.outbox
            .try_with_value(|outbox| outbox.enqueue(author, body, website))
    }

    /// Tries the waiting post now.
    pub fn retry_now(&self) {
        self.outbox.try_with_value(|outbox| outbox.retry_now());
    }
}
