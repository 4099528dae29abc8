//! Components, grouped. Groups are native `<details>` (keyboard and screen
//! reader support for free); a degraded group opens itself and names its
//! degraded members in its summary line, so a visitor sees what is broken
//! without opening anything. Hundreds of components stay usable because
//! groups start closed unless something in them is wrong, and a long list
//! of ungrouped rows is cut to the affected ones plus a "show all" button.
//!
//! In a narrow widget (a phone) the whole list folds behind its heading, a
//! disclosure button that shows the worst status: the banner and the
//! incident already say what is broken, and the visitor who came to say
//! thanks should not scroll past every component to reach the wall. Which
//! of the two headings shows is the stylesheet's choice (a container query
//! on the widget's width, see widget.css), so the list follows the widget's
//! own width, whatever the host page's.

use super::icons::StatusIcon;
use crate::i18n::{use_texts, Texts};
use hugops_core::language::Language;
use hugops_core::status::{Component, ComponentNode, ComponentStatus, Summary};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// More top-level rows than this and the operational ones fold away.
const LONG_LIST: usize = 15;

/// What the visitor chose in the list: groups opened or closed by hand, and
/// "show all". The panel owns it, so a refresh that brings a new summary
/// (and so a new list) does not undo the visitor's choices.
#[derive(Clone, Copy)]
pub struct ComponentChoices {
    opened_by_visitor: RwSignal<HashMap<String, bool>>,
    /// `None` until the visitor presses the button: then the list's size
    /// decides.
    show_all: RwSignal<Option<bool>>,
    /// Whether the list is unfolded where it folds (a narrow widget).
    unfolded: RwSignal<bool>,
}

impl Default for ComponentChoices {
    fn default() -> Self {
        ComponentChoices {
            opened_by_visitor: RwSignal::new(HashMap::new()),
            show_all: RwSignal::new(None),
            unfolded: RwSignal::new(false),
        }
    }
}

#[component]
pub fn ComponentList(summary: Arc<Summary>, choices: ComponentChoices) -> impl IntoView {
    let tree = summary.component_tree();
    if tree.is_empty() {
        return None;
    }
    let texts = use_texts();
    let ComponentChoices {
        opened_by_visitor,
        show_all,
        unfolded,
    } = choices;
    let short = tree.len() <= LONG_LIST;
    let showing_all = Signal::derive(move || show_all.get().unwrap_or(short));
    let total = tree.len();
    let hidden_ok = tree.iter().filter(|n| !needs_attention(n)).count();
    let foldable = total > LONG_LIST && hidden_ok > 0;
    let worst = tree
        .iter()
        .map(ComponentNode::worst_status)
        .max_by_key(|s| s.severity())
        .cloned()
        .unwrap_or(ComponentStatus::Operational);
    let worst_look = worst.look();
    let worst_word = worst.word(Language::from_tag(texts.tag()));
    let rows = {
        let texts = texts.clone();
        move || {
            let all = showing_all.get();
            tree.iter()
                .filter(|node| all || needs_attention(node))
                .map(|node| row(node, opened_by_visitor, &texts))
                .collect_view()
        }
    };
    let title = texts.t("components.title");
    let tx = StoredValue::new(texts);
    Some(view! {
        <section class="hugops-section" aria-labelledby="hugops-components-title">
            <h3 id="hugops-components-title">
                <span class="hugops-fold__title">{title.clone()}</span>
                <button
                    type="button"
                    class="hugops-fold"
                    aria-expanded=move || unfolded.get().to_string()
                    aria-controls="hugops-components-body"
                    on:click=move |_| unfolded.update(|u| *u = !*u)
                >
                    {title}
                    <span class="hugops-component__status">
                        <StatusIcon look=worst_look/>
                        {worst_word}
                    </span>
                </button>
            </h3>
            <div id="hugops-components-body" class="hugops-fold__body" data-unfolded=move || unfolded.get().to_string()>
            <ul class="hugops-components">{rows}</ul>
            <Show when=move || foldable>
                <button
                    type="button"
                    class="hugops-link-button"
                    aria-expanded=move || showing_all.get().to_string()
                    on:click=move |_| show_all.set(Some(!showing_all.get_untracked()))
                >
                    {move || if showing_all.get() {
                        tx.with_value(|t| t.t("components.affected_only"))
                    } else {
                        tx.with_value(|t| {
                            let ok = t.number(hidden_ok as u64);
                            t.count("components.all", total as u64, &[("ok", &ok)])
                        })
                    }}
                </button>
            </Show>
            </div>
        </section>
    })
}

fn needs_attention(node: &ComponentNode) -> bool {
    !node.worst_status().is_operational()
}

fn row(
    node: &ComponentNode,
    opened_by_visitor: RwSignal<HashMap<String, bool>>,
    texts: &Texts,
) -> AnyView {
    let language = Language::from_tag(texts.tag());
    if !node.is_group() {
        return view! { <li>{component_row(&node.component, &node.component.status, language)}</li> }
            .into_any();
    }
    let id = node.component.id.clone();
    let worst = node.worst_status().clone();
    let look = worst.look();
    let degraded: Vec<String> = node
        .degraded_children()
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let open_by_default = !degraded.is_empty() || !node.component.status.is_operational();
    let open = opened_by_visitor
        .with_untracked(|m| m.get(&id).copied())
        .unwrap_or(open_by_default);
    let affected = (!degraded.is_empty()).then(|| {
        view! { <span class="hugops-group__affected">{texts.fill("components.affected", &[("names", &degraded.join(", "))])}</span> }
    });
    let children = node
        .children
        .iter()
        .map(|child| view! { <li>{component_row(child, &child.status, language)}</li> })
        .collect_view();
    let count = node.children.len();
    view! {
        <li>
            <details
                class="hugops-group"
                open=open
                data-group-id=id.clone()
                on:toggle=move |ev| {
                    let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                    opened_by_visitor.update(|m| { m.insert(id.clone(), open); });
                }
            >
                <summary>
                    <span class="hugops-component__name">
                        {node.component.name.clone()}
                        <span class="hugops-visually-hidden">{texts.count("components.group", count as u64, &[])}</span>
                    </span>
                    <span class="hugops-component__status">
                        <StatusIcon look=look/>
                        {worst.word(language)}
                    </span>
                    // A line of its own under the name (see widget.css), so
                    // a narrow row never squeezes it into a column.
                    {affected}
                </summary>
                <ul>{children}</ul>
            </details>
        </li>
    }
    .into_any()
}

fn component_row(
    component: &Component,
    status: &ComponentStatus,
    language: Language,
) -> impl IntoView {
    let look = status.look();
    view! {
        <div class="hugops-component" data-status=status.as_str().to_owned()>
            <span class="hugops-component__name" title=component.description.clone().unwrap_or_default()>
                {component.name.clone()}
            </span>
            <span class="hugops-component__status">
                <StatusIcon look=look/>
                {status.word(language)}
            </span>
        </div>
    }
}
