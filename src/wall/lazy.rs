//! Where the wall's code starts, for the split release build: the status
//! panel paints from the first wasm module, and everything only the wall
//! needs (its views, the outbox, the feed) is in a chunk loaded after it.
//! Inline, the chunk is asked for once the status panel's first answer
//! has painted (or after a second without one); as a toast,
//! only when the visitor opens the wall, so a visitor who never does
//! downloads only the first module.
//!
//! With the `split` feature (the release build: `cargo xtask build`), the
//! two entry points below are Leptos `#[lazy]` functions: wasm-split moves
//! what only they reach into a module of its own, and calling one fetches
//! it first. Without it (tests and lints) they are plain calls, so the
//! wall mounts in the same tick as before.

use super::wall::{Wall, WallOptions};
use super::IncidentWalls;
use crate::backend::WallStore;
use crate::browser::on_next_frame;
use crate::config::StoreChoice;
use hugops_core::status::Incident;
use hugops_core::wire::WallSlug;
use leptos::prelude::*;
use std::rc::Rc;

/// Where the wall's store comes from. The widget names it by its
/// configuration, and the store is opened inside the wall's code, so the
/// adapters (HTTP, EventSource, localStorage, the outbox's log) travel in
/// the wall's chunk too; tests hand in one of their own.
#[derive(Clone)]
pub enum StoreFrom {
    Choice(StoreChoice),
    Given(Rc<dyn WallStore>),
}

impl StoreFrom {
    fn open(self) -> Rc<dyn WallStore> {
        match self {
            StoreFrom::Choice(choice) => crate::app::wall_store(&choice),
            StoreFrom::Given(store) => store,
        }
    }
}

impl From<Rc<dyn WallStore>> for StoreFrom {
    fn from(store: Rc<dyn WallStore>) -> Self {
        StoreFrom::Given(store)
    }
}

impl<S: WallStore + 'static> From<Rc<S>> for StoreFrom {
    fn from(store: Rc<S>) -> Self {
        StoreFrom::Given(store)
    }
}

/// What the inline wall is built from.
pub struct InlineWall {
    pub store: StoreFrom,
    pub wall: WallSlug,
    /// The operator named the wall (`wall=`): no following the incidents.
    pub pinned: bool,
    pub options: WallOptions,
    pub lang: String,
    /// The status panel's active incidents.
    pub incidents: ReadSignal<Vec<Incident>>,
}

/// What the toast's wall is built from, once it is first opened.
pub struct ToastWall {
    pub store: StoreFrom,
    pub wall: WallSlug,
    pub options: WallOptions,
    pub lang: String,
}

// Untracked: in the split build this runs inside the `Suspend` that waited
// for the chunk, whose reads would otherwise subscribe the part around it
// (a rerun there would unmount the wall).
fn inline_view(parts: InlineWall) -> AnyView {
    untrack(move || {
        let InlineWall {
            store,
            wall,
            pinned,
            options,
            lang,
            incidents,
        } = parts;
        let store = store.open();
        if pinned {
            let trouble = Signal::derive(move || incidents.with(|i| !i.is_empty()));
            view! { <Wall store=store wall=wall options=options lang=lang trouble=trouble/> }
                .into_any()
        } else {
            view! { <IncidentWalls store=store incidents=incidents options=options lang=lang/> }
                .into_any()
        }
    })
}

fn toast_view(parts: ToastWall) -> AnyView {
    untrack(move || {
        let ToastWall {
            store,
            wall,
            mut options,
            lang,
        } = parts;
        let store = store.open();
        // The toast's own bar names the wall.
        options.heading = false;
        view! { <Wall store=store wall=wall options=options lang=lang/> }.into_any()
    })
}

#[cfg(feature = "split")]
mod chunk {
    use super::*;

    #[leptos::lazy]
    pub fn inline_wall(parts: InlineWall) -> AnyView {
        inline_view(parts)
    }

    #[leptos::lazy]
    pub fn toast_wall(parts: ToastWall) -> AnyView {
        toast_view(parts)
    }
}

/// How long the inline wall's code waits for the status panel's first
/// answer before it is asked for anyway: a status source that hangs (its
/// own timeout is 15 s) must not hold the wall back.
#[cfg(feature = "split")]
const WALL_WAITS_FOR_STATUS: std::time::Duration = std::time::Duration::from_millis(1_000);

/// The inline wall: at once, or (split build) from its chunk, which is
/// asked for once the status panel's first answer (`status_answered`) is
/// painted, so its download and compile never delay the banner.
pub fn inline(parts: InlineWall, status_answered: ReadSignal<bool>) -> impl IntoView {
    #[cfg(feature = "split")]
    {
        use crate::browser::after_next_paint;
        use std::cell::Cell;
        // Whichever comes first asks; the other finds the sender gone.
        let (sender, asked) = futures_channel::oneshot::channel::<()>();
        let sender = Rc::new(Cell::new(Some(sender)));
        let ask = move || {
            if let Some(sender) = sender.take() {
                let _ = sender.send(());
            }
        };
        let on_answer = ask.clone();
        Effect::new(move |_| {
            if status_answered.get() {
                after_next_paint(on_answer.clone());
            }
        });
        if let Ok(timer) = set_timeout_with_handle(ask, WALL_WAITS_FOR_STATUS) {
            on_cleanup(move || timer.clear());
        }
        // The parts hold `Rc`s; this future only ever runs on the one
        // thread there is.
        Suspend::new(send_wrapper::SendWrapper::new(async move {
            // Dropped unanswered only with the widget.
            let _ = asked.await;
            chunk::inline_wall(parts).await
        }))
    }
    #[cfg(not(feature = "split"))]
    {
        // The wall's code is already here: nothing to wait for.
        let _ = status_answered;
        inline_view(parts)
    }
}

/// The toast's wall: at once, or (split build) once its chunk is here.
/// `shown` runs in the frame after the wall is on the page (the toast
/// moves focus into it).
pub fn toast(parts: ToastWall, shown: impl FnOnce() + 'static) -> impl IntoView {
    #[cfg(feature = "split")]
    {
        Suspend::new(send_wrapper::SendWrapper::new(async move {
            let view = chunk::toast_wall(parts).await;
            // The `Suspend` mounts the view as soon as this returns.
            on_next_frame(shown);
            view
        }))
    }
    #[cfg(not(feature = "split"))]
    {
        on_next_frame(shown);
        toast_view(parts)
    }
}
