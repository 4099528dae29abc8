//! One message: who, when, what, and its hugs. The body is a text node,
//! always: nothing a customer writes is ever parsed as markup.

use super::hug_button::HugButton;
use super::wall::WallActions;
use crate::time_format::{absolute, relative};
use hugops_core::time::Timestamp;
use hugops_core::wire::Message;
use leptos::prelude::*;

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
    let tx = actions.texts;
    let texts = tx.get_value();
    let author = message
        .author
        .clone()
        .unwrap_or_else(|| texts.t("wall.anonymous"));
    let label = texts.fill("wall.message_from", &[("name", &author)]);
    view! {
        <article class="hugops-message" class:hugops-message--pinned=pinned aria-label=label>
            {pinned.then(|| view! {
                <p class="hugops-message__pin">
                    <span aria-hidden="true">"📌 "</span>
                    {texts.t("wall.pinned")}
                </p>
            })}
            <p class="hugops-message__meta">
                // A name in another script than the page's must not
                // reorder what is around it: isolated.
                <bdi class="hugops-message__author">{author}</bdi>
                <span aria-hidden="true">" · "</span>
                <time
                    datetime=created.to_rfc3339()
                    title=move || absolute(created, &lang.read_value())
                >
                    {move || tx.with_value(|t| relative(created, now.get(), t))}
                </time>
            </p>
            // Its direction is the text's own (Arabic on an English wall,
            // English on an Arabic one).
            <p class="hugops-message__body" dir="auto">{message.body}</p>
            <HugButton id=id actions=actions/>
        </article>
    }
}
