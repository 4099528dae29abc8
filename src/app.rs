//! The widget's top-level view: picks the adapters from the configuration
//! and lays out the status panel (and, beside it, the HugOps wall).

use crate::backend::{self, StatusSource};
use crate::config::{StatusChoice, WidgetConfig};
use crate::status::StatusPanel;
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn Widget(config: WidgetConfig) -> impl IntoView {
    let source: Rc<dyn StatusSource> = match &config.status {
        StatusChoice::Demo => Rc::new(backend::demo::DemoSource),
        StatusChoice::Url(url) => Rc::new(backend::statuspage::StatuspageSource::new(url.clone())),
    };
    view! {
        <div class="hugops" data-theme=config.theme.as_str() lang=config.lang.clone()>
            <StatusPanel source=source refresh_ms=config.refresh_seconds * 1_000 lang=config.lang.clone()/>
        </div>
    }
}
