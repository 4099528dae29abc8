//! `mode="toast"`: nothing at all while everything works; during an
//! incident, a small toast in the corner inviting a message, which opens
//! the wall. Once opened the wall stays mounted (only hidden when closed),
//! so a message still in the outbox keeps being sent.

use super::choice;
use super::lazy::{self, StoreFrom, ToastWall};
use super::wall::WallOptions;
use crate::backend::StatusSource;
use crate::browser::on_next_frame;
use crate::i18n::use_texts;
use crate::status::poller::{use_status_feed, StatusFeedOptions};
use hugops_core::wire::WallSlug;
use leptos::html;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;

#[component]
pub fn WallToast(
    source: Rc<dyn StatusSource>,
    /// Milliseconds between status refreshes.
    refresh_ms: u32,
    /// The wall's store, opened when the wall is first shown.
    #[prop(into)]
    store: StoreFrom,
    wall: WallSlug,
    /// Open the first active incident's wall instead of `wall` (which is
    /// then the fallback), as the inline wall does by default.
    #[prop(optional)]
    follow_incidents: bool,
    #[prop(optional)] options: WallOptions,
    #[prop(into, default = "en".to_owned())] lang: String,
) -> impl IntoView {
    let status = use_status_feed(
        source,
        StatusFeedOptions {
            interval_ms: refresh_ms,
        },
    );
    // What is wrong, in the status page's own words; `None` while all is
    // well (or before the status is known: no toast on a guess).
    let trouble = Memo::new(move |_| {
        status.with(|f| {
            f.summary
                .as_ref()
                .filter(|s| s.is_degraded())
                .map(|s| s.status.description.clone())
        })
    });
    let (open, set_open) = signal(false);
    let (opened_once, set_opened_once) = signal(false);
    let (dismissed, set_dismissed) = signal(false);
    let toast_wall = Memo::new(move |_| {
        let active = status.with(|f| {
            f.summary
                .as_ref()
                .map(|s| s.active_incidents())
                .unwrap_or_default()
        });
        if follow_incidents {
            choice::offer(None, &active, &[]).default
        } else {
            wall.clone()
        }
    });
    let wall_parts = StoredValue::new_local((store, options, lang));
    let texts = StoredValue::new(use_texts());
    let t = move |key: &str| texts.with_value(|t| t.t(key));
    let panel: NodeRef<html::Div> = NodeRef::new();
    let invite: NodeRef<html::Button> = NodeRef::new();

    // Into the message box, if the wall is there yet (the first opening of
    // the split build waits for its chunk, which then calls this again).
    let focus_message_box = move || {
        let textarea = panel
            .get_untracked()
            .and_then(|p| p.query_selector("textarea").ok().flatten())
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(textarea) = textarea {
            let _ = textarea.focus();
        }
    };
    // Opening moves focus into the message box; closing returns it to the
    // button that opened it. Focus is the outside world, hence an effect.
    Effect::new(move |previous: Option<bool>| {
        let is_open = open.get();
        if previous.is_some_and(|was| was != is_open) {
            on_next_frame(move || {
                if is_open {
                    focus_message_box();
                } else if let Some(button) = invite.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
        is_open
    });

    let open_wall = move |_| {
        set_opened_once.set(true);
        set_open.set(true);
    };

    view! {
        <Show when=move || trouble.get().is_some() && !dismissed.get()>
            <aside
                class="hugops-toast"
                aria-label=t("toast.label")
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" && open.get_untracked() {
                        set_open.set(false);
                    }
                }
            >
                <div class="hugops-toast__invite" hidden=move || open.get()>
                    <p class="hugops-toast__status">
                        <span aria-hidden="true">"⚠️ "</span>
                        <strong>{move || trouble.get().unwrap_or_default()}</strong>
                    </p>
                    <p>{t("toast.invite")}</p>
                    <div class="hugops-toast__actions">
                        <button type="button" class="hugops-button" node_ref=invite on:click=open_wall>
                            {t("toast.send")}
                        </button>
                        <button type="button" class="hugops-link-button" on:click=move |_| set_dismissed.set(true)>
                            {t("toast.not_now")}
                        </button>
                    </div>
                </div>
                <Show when=move || opened_once.get()>
                    <div class="hugops-toast__panel" node_ref=panel hidden=move || !open.get()>
                        <div class="hugops-toast__bar">
                            <strong>{t("wall.title")}</strong>
                            <button type="button" class="hugops-link-button" on:click=move |_| set_open.set(false)>
                                {t("toast.close")}
                            </button>
                        </div>
                        {move || {
                            // Chosen once, when first opened: the wall stays
                            // mounted, so its outbox keeps sending there.
                            let wall = toast_wall.get_untracked();
                            let (store, options, lang) = wall_parts.get_value();
                            let shown = move || {
                                if open.get_untracked() {
                                    focus_message_box();
                                }
                            };
                            lazy::toast(ToastWall { store, wall, options, lang }, shown)
                        }}
                    </div>
                </Show>
            </aside>
        </Show>
    }
}
