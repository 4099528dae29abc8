//! The status panel: polls the status source and shows the banner, active
//! incidents, components and maintenance. When a refresh fails it keeps
//! showing the last good status, marked stale with the time and the reason.
//!
//! Each part is its own `panel` (see `crate::panel`): one that fails leaves the
//! others (and the wall) on the page. The banner and the incidents follow
//! the summary, not the clock (only their relative times tick), so a
//! refresh with the same status neither re-announces the banner nor moves
//! the keyboard focus out of an incident.

use super::banner::OverallBanner;
use super::components::{ComponentChoices, ComponentList};
use super::incidents::{since, ActiveIncidents, UnfoldedTimelines};
use super::maintenance::MaintenanceList;
use super::poller::{use_status_feed, StatusFeedOptions};
use crate::backend::StatusSource;
use crate::clock::use_clock;
use crate::i18n::use_texts;
use crate::panel::panel;
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
    /// Set once the panel first has something to show (a status, or why
    /// there is none): the inline wall's code is asked for after that
    /// (src/wall/lazy.rs), so the banner never waits for it.
    #[prop(optional)]
    answered: Option<WriteSignal<bool>>,
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

    // What the notice says, so it re-renders only when that changes: a
    // live region replaced at every failed refresh is read out again.
    let said =
        Memo::new(move |_| feed.with(|f| (f.summary.is_some(), f.problem.clone(), f.last_success)));
    if let Some(answered) = answered {
        // A memo, so the answer is passed on once, not at every refresh.
        let has_answer =
            Memo::new(move |_| feed.with(|f| f.summary.is_some() || f.problem.is_some()));
        Effect::new(move |_| {
            if has_answer.get() {
                answered.set(true);
            }
        });
    }
    let notice = move || {
        let (has_summary, problem, confirmed) = said.get();
        match (has_summary, problem) {
            (false, None) => Some(view! {
                <p class="hugops-muted" role="status">{t("status.checking")}</p>
            }
            .into_any()),
            (false, Some(problem)) => Some(view! {
                <div class="hugops-stale" role="alert">
                    <p><strong>{t("status.failed")}</strong></p>
                    <p>{texts.with_value(|t| super::problem::in_words(t, &problem))}</p>
                    <p class="hugops-muted">{t("common.keep_trying")}</p>
                </div>
            }
            .into_any()),
            (true, Some(problem)) => {
                Some(view! {
                    <div class="hugops-stale" role="status" data-stale="true">
                        <p>
                            <strong>{t("status.stale")}</strong>
                            " "
                            {confirmed.map(|at| since(at, now, &lang.read_value(), &texts.get_value(), "status.confirmed"))}
                        </p>
                        <p>{texts.with_value(|t| super::problem::in_words(t, &problem))}</p>
                        <p class="hugops-muted">{t("common.keep_trying")}</p>
                    </div>
                }
                .into_any())
            }
            (true, None) => None,
        }
    };

    let last_success = Signal::derive(move || feed.with(|f| f.last_success));
    // The banner is made once, when the first status arrives, and stays:
    // it follows the summary itself (see `OverallBanner`).
    let has_summary = Memo::new(move |_| summary.with(Option::is_some));
    let banner = panel("status banner", move || {
        let shown = has_summary.get().then(|| {
            let lang = lang.get_value();
            view! { <OverallBanner summary=summary last_success=last_success now=now lang=lang/> }
        });
        Ok(shown)
    });
    // Re-rendered only when the incidents change, not with every summary.
    let active = Memo::new(move |_| summary.with(|s| s.as_ref().map(|s| s.active_incidents())));
    let unfolded: UnfoldedTimelines = RwSignal::new(Default::default());
    let incidents = panel("incidents", move || {
        let shown = active.get().map(|incidents| {
            let lang = lang.get_value();
            view! { <ActiveIncidents incidents=incidents now=now lang=lang unfolded=unfolded/> }
        });
        Ok(shown)
    });
    // Under way or upcoming depends on the time, so this part follows the
    // clock; it holds nothing a visitor can focus.
    let maintenance = panel("maintenance", move || {
        let shown = summary.get().map(|summary| {
            let split = summary.maintenance(now.get());
            view! { <MaintenanceList split=split lang=lang.get_value()/> }
        });
        Ok(shown)
    });
    // Components do not depend on the clock: they re-render only when the
    // summary changes, and the visitor's choices (open groups, "show all")
    // live here, outside the list, so they survive that too.
    let choices = ComponentChoices::default();
    let components = panel("components", move || {
        let shown = summary
            .get()
            .map(|summary| view! { <ComponentList summary=summary choices=choices/> });
        Ok(shown)
    });

    view! {
        <section class="hugops-status" aria-label=t("status.label")>
            {notice}
            {banner}
            {incidents}
            {maintenance}
            {components}
        </section>
    }
}
