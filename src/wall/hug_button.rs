//! The hug button: a toggle that can only be switched on (one hug per
//! visitor per message). Its state is in `aria-pressed` for screen readers
//! and in a check mark for everyone, never in colour alone.

use super::wall::WallActions;
use super::words;
use hugops_core::wire::MessageId;
use leptos::prelude::*;

#[component]
pub fn HugButton(id: MessageId, actions: WallActions) -> impl IntoView {
    let count = Memo::new(move |_| actions.feed.feed.with(|f| f.get(id).map_or(0, |m| m.hugs)));
    let pressed = Memo::new(move |_| actions.has_hugged(id));
    view! {
        <button
            type="button"
            class="hugops-hug"
            aria-pressed=move || pressed.get().to_string()
            on:click=move |_| actions.hug(id)
        >
            <span class="hugops-hug__icon" aria-hidden="true">
                {move || if pressed.get() { "🤗 ✓" } else { "🤗" }}
            </span>
            " Hug "
            <span class="hugops-hug__count">{move || count.get()}</span>
            <span class="hugops-visually-hidden">
                {move || format!(" {}", words::hugs(count.get()))}
            </span>
        </button>
    }
}
