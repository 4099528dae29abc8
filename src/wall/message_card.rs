//! One message: who, when, what, and its hugs. The body is a text node,
//! always: nothing a customer writes is ever parsed as markup.

use super::hug_button::HugButton;
use super::wall::WallActions;
use crate::time_format::{absolute, relative};
use hugops_core::time::Timestamp;
use hugops_core::wire::Message;
use leptos::prelude::*;

/// Who wrote it, when they left the name blank.
pub const ANONYMOUS: &str = "Anonymous";

#[component]
pub fn MessageCard(
    message: Message,
    actions: WallActions,
    now: ReadSignal<Timestamp>,
    lang: StoredValue<String>,
    #[prop(optional)] pinned: bool,
) -> impl IntoView {
    let id = message.id;
    let created = message.created_at;
    let author = message
        .author
        .clone()
        .unwrap_or_else(|| ANONYMOUS.to_owned());
    let label = format!("Message from {author}");
    view! {
        <article class="hugops-message" class:hugops-message--pinned=pinned aria-label=label>
            {pinned.then(|| view! {
                <p class="hugops-message__pin">
                    <span aria-hidden="true">"📌 "</span>
                    "Pinned by the team"
                </p>
            })}
            <p class="hugops-message__meta">
                <span class="hugops-message__author">{author}</span>
                <span aria-hidden="true">" · "</span>
                <time
                    datetime=created.to_rfc3339()
                    title=move || absolute(created, &lang.read_value())
                >
                    {move || relative(created, now.get())}
                </time>
            </p>
            <p class="hugops-message__body">{message.body}</p>
            <HugButton id=id actions=actions/>
        </article>
    }
}
