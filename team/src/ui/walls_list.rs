//! Every wall, newest activity first: its name (the incident's, else the
//! slug), counts and time span. The open one is marked in words too.

use crate::model;
use crate::time_text;
use hugops_core::wire::WallSummary;
use leptos::prelude::*;

#[component]
pub fn WallsList(
    walls: RwSignal<Vec<WallSummary>>,
    loaded: RwSignal<bool>,
    open: RwSignal<Option<String>>,
) -> impl IntoView {
    let empty = move || loaded.get() && walls.with(Vec::is_empty);
    view! {
        <Show when=move || loaded.get() fallback=|| view! { <p>"Loading the walls…"</p> }>
            <Show when=move || !empty() fallback=|| view! { <p>"No wall has a message yet."</p> }>
                <ul class="wall-list">
                    <For
                        each=move || walls.get()
                        key=|w| format!("{w:?}")
                        children=move |w| view! { <WallItem wall=w open=open/> }
                    />
                </ul>
            </Show>
        </Show>
    }
}

#[component]
fn WallItem(wall: WallSummary, open: RwSignal<Option<String>>) -> impl IntoView {
    let slug = wall.wall.to_string();
    let is_open = {
        let slug = slug.clone();
        move || open.with(|o| o.as_deref() == Some(slug.as_str()))
    };
    let span = match (wall.first_at, wall.last_at) {
        (Some(first), Some(last)) => time_text::span(first, last),
        _ => "No messages yet".into(),
    };
    let counts = format!(
        "{} messages ({} shown, {} held, {} hidden), {} pinned, {} hugs",
        wall.messages, wall.visible, wall.held, wall.hidden, wall.pinned, wall.hugs
    );
    let named = model::has_own_name(&wall);
    let name = model::wall_name(&wall).to_owned();
    let choose = {
        let slug = slug.clone();
        move |_| open.set(Some(slug.clone()))
    };
    view! {
        <li>
            <button
                type="button"
                class="wall-item"
                class:wall-item--open=is_open.clone()
                aria-current=move || if is_open() { Some("true") } else { None }
                data-wall=slug.clone()
                on:click=choose
            >
                <span class="wall-item__name">{name}</span>
                {named.then(|| view! { <span class="wall-item__slug">{format!(" ({slug})")}</span> })}
                {(wall.held > 0).then(|| view! {
                    <span class="tag tag--held">{format!("{} held", wall.held)}</span>
                })}
                <span class="wall-item__counts">{counts}</span>
                <span class="wall-item__span">{span}</span>
            </button>
        </li>
    }
}
