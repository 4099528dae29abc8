//! The overall banner: the page's indicator as icon and words, its own
//! description, and when the status was last confirmed.

use super::icons::{indicator_look, StatusIcon};
use super::incidents::since;
use crate::i18n::use_texts;
use hugops_core::status::Summary;
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
    let look = indicator_look(&status.indicator);
    let label = status.indicator.label();
    // The page's own words first; our label when it says nothing, or says
    // the same thing.
    let description = status.description.trim().to_owned();
    let title = if description.is_empty() {
        label.to_owned()
    } else {
        description.clone()
    };
    let show_label = !description.is_empty() && !description.eq_ignore_ascii_case(label);
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
        <div class=format!("hugops-banner {}", look.tone) role="status" data-indicator=status.indicator.as_str().to_owned()>
            <StatusIcon look=look/>
            <div class="hugops-banner__text">
                {page_name.map(|name| view! { <span class="hugops-muted">{name}</span> })}
                <span class="hugops-banner__title">{title}</span>
                {show_label.then(|| view! { <span class="hugops-banner__label">{label}</span> })}
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
