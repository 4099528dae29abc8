//! Scheduled maintenance: what is under way now, and what is coming, with
//! its window.

use crate::i18n::{use_texts, Texts};
use crate::time_format::window;
use hugops_core::status::{Maintenance, MaintenanceSplit};
use leptos::prelude::*;

#[component]
pub fn MaintenanceList(split: MaintenanceSplit, lang: String) -> impl IntoView {
    if split.in_progress.is_empty() && split.upcoming.is_empty() {
        return None;
    }
    let _ = lang;
    let texts = use_texts();
    let in_progress = group(texts.t("maintenance.now"), split.in_progress, &texts);
    let upcoming = group(texts.t("maintenance.upcoming"), split.upcoming, &texts);
    Some(view! {
        <section class="hugops-section" aria-labelledby="hugops-maintenance-title">
            <h3 id="hugops-maintenance-title">{texts.t("maintenance.title")}</h3>
            {in_progress}
            {upcoming}
        </section>
    })
}

fn group(title: String, items: Vec<Maintenance>, texts: &Texts) -> Option<impl IntoView> {
    if items.is_empty() {
        return None;
    }
    let cards = items
        .into_iter()
        .map(|m| {
            let when = m
                .scheduled_for
                .map(|from| window(from, m.scheduled_until, texts))
                .unwrap_or_else(|| texts.t("maintenance.unannounced"));
            let latest = m.incident_updates.first().map(|u| u.body.clone());
            view! {
                <article class="hugops-card hugops-maintenance" data-maintenance-id=m.id.clone()>
                    <h4 dir="auto">{m.name.clone()}</h4>
                    <p class="hugops-incident__meta">
                        <span class="hugops-tag">{m.status.label()}</span>
                        <span>{when}</span>
                    </p>
                    {latest.map(|body| view! { <p class="hugops-timeline__body" dir="auto">{body}</p> })}
                </article>
            }
        })
        .collect_view();
    Some(view! {
        <div class="hugops-maintenance-group">
            <h4 class="hugops-muted">{title}</h4>
            {cards}
        </div>
    })
}
