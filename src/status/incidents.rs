//! Active incidents: name, impact, status, since when, the update timeline
//! newest first, and the components affected. In a narrow widget only the
//! latest update shows until the visitor asks for the earlier ones (the
//! stylesheet decides what is narrow, as for the component list).

use crate::i18n::{use_texts, Texts};
use crate::time_format::{absolute, relative};
use hugops_core::status::{Incident, IncidentUpdate};
use hugops_core::time::Timestamp;
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// Incidents whose earlier updates the visitor unfolded, by id. The panel
/// owns it, so a refresh that re-renders the incidents keeps the choice.
pub type UnfoldedTimelines = RwSignal<HashSet<String>>;

#[component]
pub fn ActiveIncidents(
    incidents: Vec<Incident>,
    now: ReadSignal<Timestamp>,
    lang: String,
    unfolded: UnfoldedTimelines,
) -> impl IntoView {
    if incidents.is_empty() {
        return None;
    }
    let texts = use_texts();
    let cards = incidents
        .into_iter()
        .map(|incident| incident_card(incident, now, &lang, unfolded, &texts))
        .collect_view();
    Some(view! {
        <section class="hugops-section" aria-labelledby="hugops-incidents-title">
            <h3 id="hugops-incidents-title">{texts.t("incidents.title")}</h3>
            {cards}
        </section>
    })
}

fn incident_card(
    incident: Incident,
    now: ReadSignal<Timestamp>,
    lang: &str,
    unfolded: UnfoldedTimelines,
    texts: &Arc<Texts>,
) -> impl IntoView {
    let affected = incident.affected_components();
    let started = incident
        .began_at()
        .map(|at| since(at, now, lang, texts, "incidents.started"));
    let earlier = incident.incident_updates.len().saturating_sub(1);
    let id = incident.id.clone();
    let timeline_id = format!("hugops-timeline-{}", incident.id);
    let is_unfolded = {
        let id = id.clone();
        Memo::new(move |_| unfolded.with(|set| set.contains(&id)))
    };
    let updates = incident
        .incident_updates
        .iter()
        .map(|update| timeline_entry(update, now, lang, texts))
        .collect_view();
    let affected = (!affected.is_empty()).then(|| {
        let names: Vec<String> = affected
            .into_iter()
            .map(|c| if c.name.is_empty() { c.id } else { c.name })
            .collect();
        view! {
            <p class="hugops-incident__affected">
                <strong>{texts.t("incidents.affects")}</strong>
                " "
                {names.join(", ")}
            </p>
        }
    });
    view! {
        <article class="hugops-card hugops-incident" data-incident-id=incident.id.clone()>
            <h4 dir="auto">{incident.name.clone()}</h4>
            <div class="hugops-incident__meta">
                <span class="hugops-tag">{incident.impact.label()}</span>
                <span class="hugops-tag">{texts.fill("incidents.status", &[("status", incident.status.label())])}</span>
                {started}
                {incident.shortlink.clone().filter(|l| is_web_link(l)).map(|link| view! {
                    <a href=link target="_blank" rel="noopener noreferrer">{texts.t("incidents.details")}</a>
                })}
            </div>
            {affected}
            <ol
                class="hugops-timeline"
                id=timeline_id.clone()
                aria-label=texts.t("incidents.updates")
                data-unfolded=move || is_unfolded.get().to_string()
            >
                {updates}
            </ol>
            {(earlier > 0).then(|| view! {
                <button
                    type="button"
                    class="hugops-link-button hugops-timeline__more"
                    aria-expanded=move || is_unfolded.get().to_string()
                    aria-controls=timeline_id
                    on:click=move |_| unfolded.update(|set| {
                        if !set.remove(&id) {
                            set.insert(id.clone());
                        }
                    })
                >
                    {texts.count("incidents.earlier_updates", earlier as u64, &[])}
                </button>
            })}
        </article>
    }
}

fn timeline_entry(
    update: &IncidentUpdate,
    now: ReadSignal<Timestamp>,
    lang: &str,
    texts: &Arc<Texts>,
) -> impl IntoView {
    let at = update.display_at.or(update.created_at);
    view! {
        <li class="hugops-timeline__entry">
            <span class="hugops-timeline__status">{update.status.label()}</span>
            {at.map(|at| view! { " · " {since(at, now, lang, texts, "")} })}
            // Text node: an update body is never parsed as markup.
            <p class="hugops-timeline__body" dir="auto">{update.body.clone()}</p>
        </li>
    }
}

/// "Started 25 minutes ago" (the text under `key`, whose `{time}` is the
/// time; just the time when `key` is empty), with the exact time on hover
/// and read out by screen readers instead of the relative words. Only the
/// relative words follow the clock: the rest of the panel is not
/// re-rendered every minute, so a link keeps the keyboard focus and a live
/// region is not read out again.
pub fn since(
    at: Timestamp,
    now: ReadSignal<Timestamp>,
    lang: &str,
    texts: &Arc<Texts>,
    key: &str,
) -> impl IntoView {
    let exact = absolute(at, lang);
    let template = if key.is_empty() {
        "{time}".to_owned()
    } else {
        texts.t(key)
    };
    // The time's place in the sentence is the language's to choose.
    let (before, after) = template
        .split_once("{time}")
        .map(|(b, a)| (b.to_owned(), a.to_owned()))
        .unwrap_or((template.clone(), String::new()));
    view! {
        <span class="hugops-since">
            {before}
            <time datetime=at.to_rfc3339() title=exact.clone() aria-hidden="true">{
                let texts = texts.clone();
                move || relative(at, now.get(), &texts)
            }</time>
            <span class="hugops-visually-hidden">{exact}</span>
            {after}
        </span>
    }
}

/// Only http(s) links from a status source become links.
fn is_web_link(link: &str) -> bool {
    link.starts_with("https://") || link.starts_with("http://")
}
