//! The widget's top-level view: picks the adapters from the configuration
//! and lays out the status panel and, beside it, the HugOps wall
//! (`mode="inline"`), or only a toast during incidents (`mode="toast"`).

use crate::backend::{self, StatusSource, WallStore};
use crate::config::{Mode, StatusChoice, StoreChoice, WidgetConfig};
use crate::i18n::{self, Texts};
use crate::panel::{once, panel};
use crate::status::StatusPanel;
use crate::wall::lazy::{self, InlineWall, StoreFrom};
use crate::wall::{WallOptions, WallToast};
use hugops_core::status::Incident;
use leptos::prelude::*;
use std::rc::Rc;
use std::sync::Arc;

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

/// How long a widget waits for its language's table before speaking English.
const LANGUAGE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The widget in its language: shown once the language's table is here
/// (at once for English, which is compiled in), so a visitor never sees
/// English words turn into their own.
#[component]
pub fn Widget(config: WidgetConfig) -> impl IntoView {
    let source = status_source(&config.status);
    // Opened in the wall's code (src/wall/lazy.rs), so the adapters come
    // with its chunk.
    let store = StoreFrom::Choice(config.store.clone());
    let texts = RwSignal::new(None::<Arc<Texts>>);
    let tag = config.lang.clone();
    // Whichever comes first: the table, or English after a wait a visitor
    // would notice (a table server that hangs must not hide the status).
    // Once shown, the widget keeps its words: a late table would remount it.
    let show = move |words: Arc<Texts>| {
        if texts.try_get_untracked().is_some_and(|t| t.is_none()) {
            texts.set(Some(words));
        }
    };
    let english = Texts::english(&tag);
    if let Ok(timer) = set_timeout_with_handle(move || show(english), LANGUAGE_WAIT) {
        on_cleanup(move || timer.clear());
    }
    wasm_bindgen_futures::spawn_local(async move {
        show(i18n::load(&tag).await);
    });
    let parts = StoredValue::new_local((config, source, store));
    move || {
        texts.get().map(|texts| {
            let (config, source, store) = parts.get_value();
            view! { <WidgetOn config=config source=source store=store texts=texts/> }
        })
    }
}

/// The widget on the given adapters (tests pass in-memory ones).
#[component]
pub fn WidgetOn(
    config: WidgetConfig,
    source: Rc<dyn StatusSource>,
    /// The wall's store (tests pass an `Rc` of their own).
    #[prop(into)]
    store: StoreFrom,
    #[prop(optional)] options: WallOptions,
    /// The words to speak (tests pass a language's table); English in the
    /// configured language's formats when not given.
    #[prop(optional)]
    texts: Option<Arc<Texts>>,
) -> impl IntoView {
    let refresh_ms = config.refresh_seconds * 1_000;
    let lang = config.lang.clone();
    provide_context(texts.unwrap_or_else(|| Texts::english(&lang)));
    // Arabic is laid out right to left, from the widget's own root.
    let dir = crate::locale::direction(&lang);
    match config.mode {
        Mode::Inline => {
            // The status panel's active incidents, which the wall follows
            // unless the operator pinned one with `wall=`.
            let (incidents, set_incidents) = signal(Vec::<Incident>::new());
            let (answered, set_answered) = signal(false);
            // The wall's code comes after the status panel's (src/wall/lazy.rs).
            let wall = lazy::inline(
                InlineWall {
                    store,
                    wall: config.wall.clone(),
                    pinned: config.wall_pinned,
                    options,
                    lang: lang.clone(),
                    incidents,
                },
                answered,
            );
            view! {
                <div class="hugops hugops--with-wall" data-theme=config.theme.as_str() lang=lang.clone() dir=dir>
                    // The root is the container the layout queries (widget.css);
                    // a container cannot query itself, so the grid is inside.
                    <div class="hugops-layout">
                        <StatusPanel source=source refresh_ms=refresh_ms lang=lang.clone() incidents=set_incidents answered=set_answered/>
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
                <div class="hugops hugops--toast" data-theme=config.theme.as_str() lang=lang.clone() dir=dir>
                    {panel("toast", once(toast))}
                </div>
            }
            .into_any()
        }
    }
}
