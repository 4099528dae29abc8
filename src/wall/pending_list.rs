//! The visitor's posts still in the outbox, shown at once as theirs with
//! how they are doing ("Sending…", saved and waiting, offline).

use super::words;
use crate::i18n::use_texts;
use crate::outbox::{Pending, PendingState};
use hugops_core::time::Timestamp;
use leptos::prelude::*;

#[component]
pub fn PendingList(
    pending: ReadSignal<Vec<Pending>>,
    now: ReadSignal<Timestamp>,
    /// "Try now" on a post waiting to be retried.
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let tx = StoredValue::new(use_texts());
    let t = move |key: &str| tx.with_value(|t| t.t(key));
    let state_of = move |client_id: &str| {
        pending.with(|p| {
            p.iter()
                .find(|p| p.client_id == client_id)
                .map(|p| p.state.clone())
        })
    };
    view! {
        <Show when=move || pending.with(|p| !p.is_empty())>
            <ol class="hugops-pending" aria-label=t("wall.waiting")>
                <For
                    each=move || pending.get()
                    key=|p| p.client_id.clone()
                    children=move |post| {
                        let id = post.client_id.clone();
                        let state = Memo::new(move |_| state_of(&id));
                        let author = post.author.clone().unwrap_or_else(|| t("wall.anonymous"));
                        view! {
                            <li class="hugops-message hugops-message--pending"
                                data-state=move || state_kind(state.get().as_ref())>
                                <p class="hugops-message__meta">
                                    <bdi class="hugops-message__author">{author}</bdi>
                                    " "
                                    <span class="hugops-muted">{t("wall.you")}</span>
                                </p>
                                <p class="hugops-message__body" dir="auto">{post.body.clone()}</p>
                                <p class="hugops-pending__state">
                                    <span aria-hidden="true">
                                        {move || match state.get() {
                                            Some(PendingState::Sending) => "⏳ ",
                                            _ => "💾 ",
                                        }}
                                    </span>
                                    {move || state.get().map(|s| tx.with_value(|t| words::pending_state(t, &s, now.get())))}
                                    {move || matches!(state.get(), Some(PendingState::Retrying { .. })).then(|| view! {
                                        " "
                                        <button type="button" class="hugops-link-button" on:click=move |_| on_retry()>
                                            {t("wall.try_now")}
                                        </button>
                                    })}
                                </p>
                            </li>
                        }
                    }
                />
            </ol>
        </Show>
    }
}

fn state_kind(state: Option<&PendingState>) -> &'static str {
    match state {
        Some(PendingState::Sending) | None => "sending",
        Some(PendingState::Retrying { .. }) => "retrying",
        Some(PendingState::Queued) => "queued",
        Some(PendingState::Offline) => "offline",
    }
}
