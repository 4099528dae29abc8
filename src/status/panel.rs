//! The status panel: polls the status source and shows the banner, active
//! incidents, components and maintenance. When a refresh fails it keeps
//! showing the last good status, marked stale with the time and the reason.

use super::banner::OverallBanner;
use super::components::{ComponentChoices, ComponentList};
use super::incidents::{since, ActiveIncidents};
use super::maintenance::MaintenanceList;
use super::poller::{use_status_feed, StatusFeedOptions};
use crate::backend::StatusSource;
use crate::clock::use_clock;
use crate::i18n::use_texts;
use hugops_core::status::Incident;
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn StatusPanel(
    source: Rc<dyn StatusSource>,
    /// Milliseconds between refreshes.
    refresh_ms: u32,
    #[prop(into, default = "en".to_owned())] lang: String,
    /// Where to share the active incidents (the wall follows them), so
    /// the summary is fetched once for both.
    #[prop(optional)]
    incidents: Option<WriteSignal<Vec<Incident>>>,
) -> impl IntoView {
    let feed = use_status_feed(
        source,
        StatusFeedOptions {
            interval_ms: refresh_ms,
        },
    );
    let now = use_clock(30_000);
    // Re-render the status only when the summary itself changes, not on
    // every confirmation, so open groups and scroll position stay put.
    let summary = Memo::new(move |_| feed.with(|f| f.summary.clone()));
    let lang = StoredValue::new(lang);
    let texts = StoredValue::new(use_texts());
    let t = move |key: &str| texts.with_value(|t| t.t(key));
    if let Some(incidents) = incidents {
        // Kept while a refresh fails: the last known status still holds.
        Effect::new(move |_| {
            if let Some(active) = summary.with(|s| s.as_ref().map(|s| s.active_incidents())) {
                incidents.set(active);
            }
        });
    }

    let notice = move || {
        feed.with(|f| match (&f.summary, &f.problem) {
            (None, None) => Some(view! {
                <p class="hugops-muted" role="status">{t("status.checking")}</p>
            }
            .into_any()),
            (None, Some(problem)) => Some(view! {
                <div class="hugops-stale" role="alert">
                    <p><strong>{t("status.failed")}</strong></p>
                    <p>{problem.clone()}</p>
                    <p class="hugops-muted">{t("common.keep_trying")}</p>
                </div>
            }
            .into_any()),
            (Some(_), Some(problem)) => {
                let confirmed = f.last_success;
                Some(view! {
                    <div class="hugops-stale" role="status" data-stale="true">
                        <p>
                            <strong>{t("status.stale")}</strong>
                            " "
                            {confirmed.map(|at| since(at, now.get(), &lang.read_value(), &texts.get_value(), "status.confirmed"))}
                        </p>
                        <p>{problem.clone()}</p>
                        <p class="hugops-muted">{t("common.keep_trying")}</p>
                    </div>
                }
                .into_any())
            }
            (Some(_), None) => None,
        })
    };

    let body = move || {
        summary.get().map(|summary| {
            let at = now.get();
            let lang = lang.get_value();
            let incidents = summary.active_incidents();
            let maintenance = summary.maintenance(at);
            let last_success = feed.with_untracked(|f| f.last_success);
            view! {
                <OverallBanner summary=summary.clone() last_success=last_success now=at lang=lang.clone()/>
                <ActiveIncidents incidents=incidents now=at lang=lang.clone()/>
                <MaintenanceList split=maintenance lang=lang/>
            }
        })
    };
    // Components do not depend on the clock: they re-render only when the
    // summary changes, and the visitor's choices (open groups, "show all")
    // live here, outside the list, so they survive that too.
    let choices = ComponentChoices::default();
    let components = move || {
        summary
            .get()
            .map(|summary| view! { <ComponentList summary=summary choices=choices/> })
    };

    view! {
        <section class="hugops-status" aria-label=t("status.label")>
            {notice}
            {body}
            {components}
        </section>
    }
}
