//! The widget's top-level view: picks the adapters from the configuration
//! and lays out the status panel and, beside it, the HugOps wall
//! (`mode="inline"`), or only a toast during incidents (`mode="toast"`).

use crate::backend::{self, StatusSource, WallStore};
use crate::config::{Mode, StatusChoice, StoreChoice, WidgetConfig};
use crate::panel::{once, panel};
use crate::status::StatusPanel;
use crate::wall::{IncidentWalls, Wall, WallOptions, WallToast};
use hugops_core::status::Incident;
use leptos::prelude::*;
use std::rc::Rc;

/// The status source the configuration names.
pub fn status_source(choice: &StatusChoice) -> Rc<dyn StatusSource> {
    match choice {
        StatusChoice::Demo => Rc::new(backend::demo::DemoSource),
        StatusChoice::Url(url) => Rc::new(backend::statuspage::StatuspageSource::new(url.clone())),
    }
}

/// The wall store the configuration names.
pub fn wall_store(choice: &StoreChoice) -> Rc<dyn WallStore> {
    match choice {
        StoreChoice::Local => Rc::new(backend::local::LocalWallStore::new()),
        #[cfg(feature = "test-adapters")]
        StoreChoice::Memory => Rc::new(backend::memory_wall::MemoryWallStore::new()),
        StoreChoice::Http(base) => Rc::new(backend::http::HttpWallStore::new(base.clone())),
    }
}

#[component]
pub fn Widget(config: WidgetConfig) -> impl IntoView {
    let source = status_source(&config.status);
    let store = wall_store(&config.store);
    view! { <WidgetOn config=config source=source store=store/> }
}

/// The widget on the given adapters (tests pass in-memory ones).
#[component]
pub fn WidgetOn(
    config: WidgetConfig,
    source: Rc<dyn StatusSource>,
    store: Rc<dyn WallStore>,
    #[prop(optional)] options: WallOptions,
) -> impl IntoView {
    let refresh_ms = config.refresh_seconds * 1_000;
    let lang = config.lang.clone();
    match config.mode {
        Mode::Inline => {
            // The status panel's active incidents, which the wall follows
            // unless the operator pinned one with `wall=`.
            let (incidents, set_incidents) = signal(Vec::<Incident>::new());
            let wall = if config.wall_pinned {
                view! { <Wall store=store wall=config.wall.clone() options=options lang=lang.clone()/> }.into_any()
            } else {
                view! { <IncidentWalls store=store incidents=incidents options=options lang=lang.clone()/> }.into_any()
            };
            view! {
                <div class="hugops hugops--with-wall" data-theme=config.theme.as_str() lang=lang.clone()>
                    // The root is the container the layout queries (widget.css);
                    // a container cannot query itself, so the grid is inside.
                    <div class="hugops-layout">
                        <StatusPanel source=source refresh_ms=refresh_ms lang=lang.clone() incidents=set_incidents/>
                        {panel("wall", once(wall))}
                    </div>
                </div>
            }
            .into_any()
        }
        Mode::Toast => {
            let toast = view! {
                <WallToast source=source refresh_ms=refresh_ms store=store wall=config.wall.clone()
                    follow_incidents=!config.wall_pinned options=options lang=config.lang.clone()/>
            }
            .into_any();
            view! {
                <div class="hugops hugops--toast" data-theme=config.theme.as_str() lang=lang.clone()>
                    {panel("toast", once(toast))}
                </div>
            }
            .into_any()
        }
    }
}
