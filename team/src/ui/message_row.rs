//! One message as the team sees it: its state in words, the body as a text
//! node (never markup), who and when, and its moderation buttons.

use super::wall_view::WallActions;
use crate::review;
use crate::time_text;
use hugops_core::wire::Message;
use leptos::prelude::*;

#[component]
pub fn MessageRow(message: Message, actions: WallActions) -> impl IntoView {
    let id = message.id;
    let labels = review::labels(&message);
    let buttons = review::actions(&message)
        .into_iter()
        .map(|action| {
            view! {
                <button type="button" on:click=move |_| actions.moderate(id, action)>
                    {review::action_label(action)}
                </button>
            }
        })
        .collect_view();
    let author = message.author.clone().unwrap_or_else(|| "Anonymous".into());
    let hugs = match message.hugs {
        1 => "1 hug".to_owned(),
        n => format!("{n} hugs"),
    };
    let meta = format!(
        "#{id} · {author} · {} · {hugs}",
        time_text::utc(message.created_at)
    );
    view! {
        <li
            id=format!("msg-{id}")
            tabindex="-1"
            class="msg"
            class:msg--held=review::is_awaiting_review(&message)
            class:msg--hidden=message.hidden
            class:msg--pinned=message.pinned
            class:msg--official=message.official
            class:msg--selected=move || actions.selected.get() == Some(id)
            on:focus=move |_| actions.selected.set(Some(id))
        >
            <p class="msg__labels">
                {labels
                    .into_iter()
                    .map(|label| view! { <span class="tag">{label}</span> })
                    .collect_view()}
            </p>
            <p class="msg__body">{message.body.clone()}</p>
            <p class="msg__meta">{meta}</p>
            <div class="msg__actions" role="group" aria-label=format!("Actions for message #{id}")>
                {buttons}
            </div>
        </li>
    }
}
