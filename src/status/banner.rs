//! The overall banner: the page's indicator as icon and word, its own
//! description when that says more, and when the status was last confirmed.

use super::icons::{tone_class, StatusIcon};
use super::incidents::since;
use crate::i18n::use_texts;
use hugops_core::language::Language;
use hugops_core::status::{is_status_phrase, Summary};
use hugops_core::time::Timestamp;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn OverallBanner(
    summary: Arc<Summary>,
    last_success: Option<Timestamp>,
    now: Timestamp,
    lang: String,
) -> impl IntoView {
    let texts = use_texts();
    let status = &summary.status;
    let look = status.indicator.look();
    // One word for the status, core's, in the visitor's language; the
    // page's own description only when it says more than a status word
    // ("Slow logins", not "Partial System Outage" beside our word for it).
    let title = status.indicator.word(Language::from_tag(&lang));
    let description = status.description.trim();
    let detail = (!is_status_phrase(description)).then(|| description.to_owned());
    let page_name = summary
        .page
        .as_ref()
        .map(|p| p.name.clone())
        .filter(|n| !n.is_empty());
    let updated = summary
        .page
        .as_ref()
        .and_then(|p| p.updated_at)
        .or(last_success);
    view! {
        <div class=format!("hugops-banner {}", tone_class(look.tone)) role="status" data-indicator=status.indicator.as_str().to_owned()>
            <StatusIcon look=look/>
            <div class="hugops-banner__text">
                {page_name.map(|name| view! { <span class="hugops-muted">{name}</span> })}
                <span class="hugops-banner__title">{title}</span>
                {detail.map(|detail| view! { <span class="hugops-banner__detail">{detail}</span> })}
                // The relative words change every minute; inside this live
                // region they would be read out again each time, so screen
                // readers get the exact time instead (see `since`).
                {updated.map(|at| view! {
                    <span class="hugops-muted hugops-banner__updated">{since(at, now, &lang, &texts, "status.updated")}</span>
                })}
            </div>
        </div>
    }
}
