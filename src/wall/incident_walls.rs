//! `IncidentWalls`: the wall area when the wall follows the incidents.
//! Offers the walls `choice::offer` returns in a labelled select (a native
//! control: keyboard operable, the current wall announced) and shows the
//! chosen one below it, remounted on every switch so its feed subscribes
//! to that wall and the previous wall's stream is closed. With only
//! `general` to offer, there is no switcher at all.
//!
//! Posts still waiting on a wall the visitor left keep going out from a
//! background outbox of that wall, so they reach the wall they were
//! written for without the visitor going back.

use super::choice::{self, WallKind};
use super::wall::{Wall, WallOptions};
use crate::backend::WallStore;
use crate::i18n::use_texts;
use crate::outbox::{Outbox, OutboxOptions};
use hugops_core::status::Incident;
use hugops_core::wire::{RecentWall, WallSlug};
use leptos::prelude::*;
use std::collections::HashMap;
use std::rc::Rc;

#[component]
pub fn IncidentWalls(
    store: Rc<dyn WallStore>,
    /// The status source's active incidents (shared by the status panel).
    #[prop(into)]
    incidents: Signal<Vec<Incident>>,
    #[prop(optional)] options: WallOptions,
    #[prop(into, default = "en".to_owned())] lang: String,
) -> impl IntoView {
    let (recent, set_recent) = signal(Vec::<RecentWall>::new());
    let trouble = Signal::derive(move || incidents.with(|i| !i.is_empty()));
    let (picked, set_picked) = signal(None::<WallSlug>);
    let offer = Memo::new(move |_| {
        incidents.with(|active| recent.with(|recent| choice::offer(None, active, recent)))
    });
    let current =
        Memo::new(move |_| offer.with(|offer| choice::current(offer, picked.get().as_ref())));
    let parts = StoredValue::new_local((store, options, lang));
    let texts = StoredValue::new(use_texts());
    let t = move |key: &str| texts.with_value(|t| t.t(key));
    let general = StoredValue::new(t("wall.general"));

    // The recent walls, asked again whenever the active incidents change
    // (one that just resolved is recent now).
    let active_ids = Memo::new(move |_| {
        incidents.with(|list| list.iter().map(|i| i.id.clone()).collect::<Vec<_>>())
    });
    Effect::new(move |_| {
        active_ids.track();
        let Some((store, _, _)) = parts.try_get_value() else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            // Not reachable: offer what the status shows, and no more.
            if let Ok(walls) = store.recent_walls().await {
                set_recent.try_set(walls);
            }
        });
    });

    // A wall left behind keeps sending what the visitor wrote there; the
    // wall shown has its own outbox (in `Wall`).
    let behind = StoredValue::new_local(HashMap::<WallSlug, Outbox>::new());
    Effect::new(move |previous: Option<WallSlug>| {
        let shown = current.get();
        let (store, options, _) = parts.get_value();
        behind.update_value(|behind| {
            behind.remove(&shown);
            if let Some(left) = previous.filter(|left| *left != shown) {
                let outbox = OutboxOptions {
                    key_prefix: options.storage_prefix.clone(),
                    backoff: options.send_backoff,
                    seed: options.seed,
                };
                let quiet = Rc::new(|_| {});
                behind.insert(left.clone(), Outbox::new(store, left, outbox, quiet));
            }
        });
        shown
    });

    let options_of = move |kind: WallKind| {
        offer.with(|offer| {
            let shown = current.get();
            offer
                .walls
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| {
                    let value = c.wall.as_str().to_owned();
                    let label = if c.wall == WallSlug::general() {
                        general.get_value()
                    } else {
                        c.label.clone()
                    };
                    view! { <option value=value selected=c.wall == shown>{label}</option> }
                })
                .collect_view()
        })
    };
    let has = move |kind: WallKind| offer.with(|o| o.walls.iter().any(|c| c.kind == kind));
    let on_change = move |ev: leptos::ev::Event| {
        if let Ok(wall) = WallSlug::parse(&event_target_value(&ev)) {
            set_picked.set(Some(wall));
        }
    };

    view! {
        <div class="hugops-walls">
            <Show when=move || offer.with(choice::Offer::has_choice)>
                <label class="hugops-walls__switch">
                    <span>{t("walls.label")}</span>
                    " "
                    <select class="hugops-walls__select" on:change=on_change>
                        <Show when=move || has(WallKind::Incident)>
                            <optgroup label=t("walls.now")>{move || options_of(WallKind::Incident)}</optgroup>
                        </Show>
                        {move || options_of(WallKind::Page)}
                        <Show when=move || has(WallKind::Recent)>
                            <optgroup label=t("walls.recent")>{move || options_of(WallKind::Recent)}</optgroup>
                        </Show>
                    </select>
                </label>
            </Show>
            {move || {
                let wall = current.get();
                let name = offer.with_untracked(|o| {
                    o.walls
                        .iter()
                        .find(|c| c.wall == wall && c.kind != WallKind::Page)
                        .map(|c| c.label.clone())
                });
                let (store, options, lang) = parts.get_value();
                view! { <Wall store=store wall=wall options=options lang=lang name=name trouble=trouble/> }
            }}
        </div>
    }
}
