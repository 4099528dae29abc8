//! The wall's messages, newest first, in a scroll box that renders only
//! the rows in view plus a margin (see `window`), so ten thousand loaded
//! messages scroll as smoothly as ten. Rows are keyed by message id: an
//! arrival adds one row and re-renders none.
//!
//! While the reader is scrolled down, arrivals wait behind a "3 new
//! messages" button instead of pushing what they are reading down the page.

use super::message_card::MessageCard;
use super::use_wall_feed::{LoadState, OlderState};
use super::wall::WallActions;
use super::window::{Layout, RowHeights};
use super::words;
use crate::browser::on_next_frame;
use hugops_core::time::Timestamp;
use hugops_core::wire::Message;
use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// Rows rendered beyond the visible part, above and below, in pixels.
const MARGIN_PX: f64 = 600.0;
/// Within this distance of the top, the reader is "at the top" and sees
/// arrivals at once.
const FOLLOW_PX: f64 = 24.0;
/// Within this distance of the bottom, the next older page loads.
const LOAD_OLDER_PX: f64 = 300.0;

/// A CSS length in whole pixels. Integer formatting keeps the float
/// formatter (several KB of wasm) out of the bundle; measured heights are
/// whole pixels anyway.
fn px(value: f64) -> String {
    format!("{}px", value.round() as i64)
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Viewport {
    top: f64,
    height: f64,
}

#[component]
pub fn MessageList(
    actions: WallActions,
    now: ReadSignal<Timestamp>,
    lang: StoredValue<String>,
) -> impl IntoView {
    let feed = actions.feed;
    let tx = actions.texts;
    let t = move |key: &str| tx.with_value(|t| t.t(key));
    let scroller: NodeRef<html::Div> = NodeRef::new();
    let (viewport, set_viewport) = signal(Viewport {
        top: 0.0,
        height: 600.0,
    });
    let heights = RwSignal::new(RowHeights::default());

    let layout = Memo::new(move |_| {
        heights.with(|h| {
            let estimate = h.estimate();
            feed.feed.with(|f| {
                Layout::new(f.len(), |i| {
                    f.newest_first(i)
                        .map_or(estimate, |m| h.height(m.id, estimate))
                })
            })
        })
    });
    let slice = Memo::new(move |_| {
        let v = viewport.get();
        layout.with(|l| l.slice(v.top, v.height, MARGIN_PX))
    });
    let rows = move || {
        let s = slice.get();
        feed.feed.with(|f| {
            (s.start..s.end)
                .filter_map(|i| f.newest_first(i).cloned())
                .collect::<Vec<Message>>()
        })
    };
    let total = Memo::new(move |_| feed.feed.with(|f| f.len()));

    // Reads the scroll position and the rendered rows' heights; the layout
    // follows, and with it which rows are rendered.
    let measure = move || {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let seen = Viewport {
            top: f64::from(el.scroll_top()),
            height: f64::from(el.client_height()),
        };
        if viewport.get_untracked() != seen {
            set_viewport.set(seen);
        }
        let Ok(nodes) = el.query_selector_all("[data-row-id]") else {
            return;
        };
        let mut measured = Vec::new();
        for i in 0..nodes.length() {
            let Some(row) = nodes
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            if let Some(id) = row
                .get_attribute("data-row-id")
                .and_then(|id| id.parse().ok())
            {
                measured.push((id, f64::from(row.offset_height())));
            }
        }
        let changed = heights.with_untracked(|h| {
            let estimate = h.estimate();
            measured
                .iter()
                .any(|&(id, px)| px > 0.0 && (h.height(id, estimate) - px).abs() >= 0.5)
        });
        if changed {
            heights.update(|h| {
                for (id, px) in measured {
                    h.record(id, px);
                }
            });
        }
    };

    // After the rendered rows change, measure them once laid out.
    Effect::new(move |_| {
        slice.track();
        on_next_frame(measure);
    });

    // Jump to the top when asked (new messages shown, own post arrived).
    let jumps = Memo::new(move |_| feed.feed.with(|f| f.jumps()));
    Effect::new(move |previous: Option<u32>| {
        let now = jumps.get();
        if previous.is_some_and(|p| p != now) {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
        }
        now
    });

    // The box's height follows the window's.
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    let resize = SendWrapper::new(resize);
    on_cleanup(move || resize.take().remove());

    let on_scroll = move |_| {
        measure();
        let Viewport { top, height } = viewport.get_untracked();
        let at_top = top <= FOLLOW_PX;
        if feed.feed.with_untracked(|f| f.is_following()) != at_top {
            feed.set_feed.update(|f| f.set_following(at_top));
        }
        if let Some(el) = scroller.get_untracked() {
            let near_bottom = top + height >= f64::from(el.scroll_height()) - LOAD_OLDER_PX;
            if near_bottom && feed.older.get_untracked() == OlderState::Idle {
                feed.load_older();
            }
        }
    };

    let show_new = move |_| {
        feed.set_feed.update(|f| f.show_new());
        if let Some(el) = scroller.get_untracked() {
            let _ = el.focus();
        }
    };

    let notice = move || {
        let loaded = feed.feed.with(|f| f.is_loaded());
        match feed.load.get() {
            LoadState::Loading if !loaded => Some(
                view! { <p class="hugops-muted hugops-wall__notice" role="status">{t("wall.loading")}</p> }
                    .into_any(),
            ),
            LoadState::Failed(reason) if !loaded => Some(
                view! {
                    <div class="hugops-stale hugops-wall__notice" role="alert">
                        <p><strong>{t("wall.unreachable")}</strong></p>
                        <p class="hugops-muted">{tx.with_value(|t| words::api_error(t, &reason))}</p>
                        <p class="hugops-muted">{t("common.keep_trying")} " "
                            <button type="button" class="hugops-link-button" on:click=move |_| feed.retry()>
                                {t("wall.try_again")}
                            </button>
                        </p>
                    </div>
                }
                .into_any(),
            ),
            _ if loaded && feed.feed.with(|f| f.is_empty() && f.held_count() == 0) => Some(
                view! { <p class="hugops-wall__empty">{t("wall.empty")}</p> }.into_any(),
            ),
            _ => None,
        }
    };

    let older_label = move || match feed.older.get() {
        OlderState::Idle => t("wall.older"),
        OlderState::Loading => t("wall.older_loading"),
        OlderState::Failed(_) => t("wall.older_failed"),
    };

    view! {
        {notice}
        <div class="hugops-wall__viewport">
            <Show when=move || feed.feed.with(|f| f.held_count() > 0)>
                <button type="button" class="hugops-button hugops-wall__new" on:click=show_new>
                    <span aria-hidden="true">"↑ "</span>
                    {move || tx.with_value(|t| words::new_messages(t, feed.feed.with(|f| f.held_count())))}
                </button>
            </Show>
            <div
                class="hugops-wall__scroller"
                node_ref=scroller
                tabindex="0"
                role="region"
                aria-label=t("wall.list")
                on:scroll=on_scroll
            >
                <ol class="hugops-wall__list" data-count=move || total.get()>
                    <li
                        class="hugops-wall__spacer"
                        aria-hidden="true"
                        style:height=move || px(slice.get().before_px)
                    ></li>
                    <For
                        each=rows
                        key=|m| m.id
                        children=move |message| {
                            let id = message.id;
                            view! {
                                <li
                                    class="hugops-wall__row"
                                    data-row-id=id
                                    aria-setsize=move || total.get()
                                    aria-posinset=move || {
                                        feed.feed.with(|f| f.index_of(id).map_or(0, |i| i + 1))
                                    }
                                >
                                    <MessageCard message=message actions=actions now=now lang=lang/>
                                </li>
                            }
                        }
                    />
                    <li
                        class="hugops-wall__spacer"
                        aria-hidden="true"
                        style:height=move || px(slice.get().after_px)
                    ></li>
                </ol>
                <Show when=move || feed.feed.with(|f| f.older_cursor().is_some())>
                    <p class="hugops-wall__older">
                        <button
                            type="button"
                            class="hugops-link-button"
                            aria-busy=move || (feed.older.get() == OlderState::Loading).to_string()
                            on:click=move |_| feed.load_older()
                        >
                            {older_label}
                        </button>
                    </p>
                </Show>
            </div>
        </div>
    }
}
