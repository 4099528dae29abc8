//! Slow mode, switched from the page while the incident runs: for every
//! wall at once, or for one wall (which then overrides the global one).

use crate::session::use_session;
use crate::slow::{self, WallChoice};
use hugops_core::wire::WallSummary;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The global setting: shown in words, switched on with a number of
/// seconds or off.
#[component]
pub fn GlobalSlowMode() -> impl IntoView {
    let session = use_session();
    let seconds = RwSignal::new(None::<u32>);
    let input = NodeRef::<html::Input>::new();
    spawn_local(async move {
        let Some(api) = session.api() else { return };
        if let Some(mode) = session.accept(api.global_slow_mode().await) {
            seconds.set(Some(mode.global_seconds));
        }
    });
    let save = move |value: u32| {
        let Some(api) = session.api() else { return };
        spawn_local(async move {
            if let Some(mode) = session.accept(api.set_global_slow_mode(value).await) {
                seconds.set(Some(mode.global_seconds));
                session.notice.set(format!(
                    "Slow mode everywhere: {}.",
                    slow::describe(mode.global_seconds)
                ));
            }
        });
    };
    let turn_on = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        match slow::parse_seconds(&text) {
            Ok(n) => save(n),
            Err(message) => session.notice.set(message),
        }
    };
    view! {
        <form class="slow slow--global" on:submit=turn_on>
            <p>
                "Slow mode everywhere: "
                <strong>
                    {move || seconds.get().map_or("…".into(), slow::describe)}
                </strong>
            </p>
            <label for="global-slow-seconds">"Seconds between posts"</label>
            <input id="global-slow-seconds" node_ref=input type="number" min="1"
                max=slow::MAX_SECONDS.to_string() value="30" inputmode="numeric"/>
            <button type="submit">"Turn on everywhere"</button>
            <button type="button" on:click=move |_| save(0)
                disabled=move || seconds.get() == Some(0)>
                "Turn off everywhere"
            </button>
        </form>
    }
}

/// One wall's own setting: as everywhere, off here, or on here.
#[component]
pub fn WallSlowMode(wall: String, walls: RwSignal<Vec<WallSummary>>) -> impl IntoView {
    let session = use_session();
    let wall = StoredValue::new(wall);
    let current = Memo::new(move |_| {
        let slug = wall.get_value();
        walls.with(|all| {
            WallChoice::from_wire(
                all.iter()
                    .find(|w| w.wall.as_str() == slug)
                    .and_then(|w| w.slow_mode_seconds),
            )
        })
    });
    let input = NodeRef::<html::Input>::new();
    let save = move |choice: WallChoice| {
        let Some(api) = session.api() else { return };
        let slug = wall.get_value();
        spawn_local(async move {
            let answer = api.set_wall_slow_mode(&slug, choice.to_wire()).await;
            if session.accept(answer).is_some() {
                walls.update(|all| {
                    if let Some(w) = all.iter_mut().find(|w| w.wall.as_str() == slug) {
                        w.slow_mode_seconds = choice.to_wire();
                    }
                });
                session
                    .notice
                    .set(format!("Slow mode on {slug}: {}.", choice.describe()));
            }
        });
    };
    let turn_on = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        match slow::parse_seconds(&text) {
            Ok(n) => save(WallChoice::On(n)),
            Err(message) => session.notice.set(message),
        }
    };
    view! {
        <form class="slow" on:submit=turn_on>
            <p>"Slow mode on this wall: " <strong>{move || current.get().describe()}</strong></p>
            <label for="wall-slow-seconds">"Seconds between posts here"</label>
            <input id="wall-slow-seconds" node_ref=input type="number" min="1"
                max=slow::MAX_SECONDS.to_string() value="30" inputmode="numeric"/>
            <button type="submit">"Turn on here"</button>
            <button type="button" on:click=move |_| save(WallChoice::Off)
                disabled=move || current.get() == WallChoice::Off>
                "Turn off here"
            </button>
            <button type="button" on:click=move |_| save(WallChoice::FollowGlobal)
                disabled=move || current.get() == WallChoice::FollowGlobal>
                "Same as everywhere"
            </button>
        </form>
    }
}
