//! The hug button: a toggle that can only be switched on (one hug per
//! visitor per message). Its state is in `aria-pressed` for screen readers
//! and in a check mark for everyone, never in colour alone.

use super::wall::WallActions;
use hugops_core::wire::MessageId;
use leptos::prelude::*;

#[component]
pub fn HugButton(id: MessageId, actions: WallActions) -> impl IntoView {
    let count = Memo::new(move |_| actions.feed.feed.with(|f| f.get(id).map_or(0, |m| m.hugs)));
    let pressed = Memo::new(move |_| actions.has_hugged(id));
    let tx = actions.texts;
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
            " "
            {tx.with_value(|t| t.t("wall.hug"))}
            " "
            // The number for the eye; for screen readers the whole phrase,
            // in the language's plural form ("3 hugs", "٣ عناقات").
            <span class="hugops-hug__count" aria-hidden="true">{move || tx.with_value(|t| t.number(count.get().into()))}</span>
            <span class="hugops-visually-hidden">
                {move || tx.with_value(|t| t.count("wall.hugs", count.get().into(), &[]))}
            </span>
        </button>
    }
}
