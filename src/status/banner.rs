//! The overall banner: the page's indicator as icon and word, its own
//! description when that says more, and when the status was last confirmed.

use super::icons::{tone_class, StatusIcon};
use super::incidents::since;
use crate::i18n::use_texts;
use hugops_core::language::Language;
use hugops_core::status::{is_status_phrase, Look, Summary};
use hugops_core::time::Timestamp;
use leptos::prelude::*;
use std::sync::Arc;

/// What the banner says about the status. The banner stays on the page and
/// re-renders only when this changes: its words are a polite live region,
/// and a refresh that brings the same status must not read them out again.
#[derive(Clone, Debug, PartialEq)]
struct Said {
    look: Look,
    indicator: String,
    page_name: Option<String>,
    /// One word for the status, core's, in the visitor's language.
    title: &'static str,
    /// The page's own description, only when it says more than a status
    /// word ("Slow logins", not "Partial System Outage" beside our word).
    detail: Option<String>,
}

impl Said {
    fn of(summary: &Summary, language: Language) -> Said {
        let status = &summary.status;
        let description = status.description.trim();
        Said {
            look: status.indicator.look(),
            indicator: status.indicator.as_str().to_owned(),
            page_name: summary
                .page
                .as_ref()
                .map(|p| p.name.clone())
                .filter(|n| !n.is_empty()),
            title: status.indicator.word(language),
            detail: (!is_status_phrase(description)).then(|| description.to_owned()),
        }
    }
}

#[component]
pub fn OverallBanner(
    summary: Memo<Option<Arc<Summary>>>,
    /// When the status source last answered.
    #[prop(into)]
    last_success: Signal<Option<Timestamp>>,
    now: ReadSignal<Timestamp>,
    lang: String,
) -> impl IntoView {
    let texts = use_texts();
    let language = Language::from_tag(&lang);
    let said = Memo::new(move |_| summary.with(|s| s.as_deref().map(|s| Said::of(s, language))));
    let updated = Memo::new(move |_| {
        summary
            .with(|s| s.as_ref().and_then(|s| s.page.as_ref()?.updated_at))
            .or_else(|| last_success.get())
    });
    let look = move || said.with(|s| s.as_ref().map(|s| s.look));
    view! {
        <div
            class=move || format!("hugops-banner {}", look().map_or("", |l| tone_class(l.tone)))
            data-indicator=move || said.with(|s| s.as_ref().map(|s| s.indicator.clone()))
        >
            {move || look().map(|look| view! { <StatusIcon look=look/> })}
            <div class="hugops-banner__text">
                <div class="hugops-banner__said" role="status">
                    {move || said.get().map(|said| view! {
                        {said.page_name.map(|name| view! { <span class="hugops-muted">{name}</span> })}
                        <span class="hugops-banner__title">{said.title}</span>
                        {said.detail.map(|detail| view! { <span class="hugops-banner__detail">{detail}</span> })}
                    })}
                </div>
                // Outside the live region: it changes with every refresh.
                // The relative words are hidden from screen readers, which
                // get the exact time instead (see `since`).
                {move || updated.get().map(|at| view! {
                    <span class="hugops-muted hugops-banner__updated">{since(at, now, &lang, &texts, "status.updated")}</span>
                })}
            </div>
        </div>
    }
}
