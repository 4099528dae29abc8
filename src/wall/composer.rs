//! The composer: an optional name, the message with its live count, one-tap
//! starters, the kindness nudge (never blocking), and Send.
//!
//! Enter sends (Shift+Enter is a new line), and so does Ctrl/Cmd+Enter; a
//! key pressed while an input method is composing (Japanese, Chinese, …)
//! belongs to the input method, not to us.

use super::draft::{Count, STARTERS};
use super::wall::WallActions;
use crate::i18n::{use_texts, Texts};
use crate::outbox::Refused;
use crate::unicode::ops;
use hugops_core::kindness::check_with_ops;
use hugops_core::message::MessageError;
use leptos::html;
use leptos::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// Which field a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Author,
    Body,
    /// Neither field: a notice about the form as a whole.
    Form,
}

/// A problem to show beside the form, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

impl Problem {
    /// `error` in the visitor's language.
    pub fn of(error: MessageError, texts: &Texts) -> Self {
        let field = if error.field() == "author" {
            Field::Author
        } else {
            Field::Body
        };
        let too_long = |key: &str, chars: usize, max: usize| {
            let n = |v: usize| texts.number(v as u64);
            texts.fill(
                key,
                &[
                    ("chars", &n(chars)),
                    ("max", &n(max)),
                    ("over", &n(chars.saturating_sub(max))),
                ],
            )
        };
        let message = match error {
            MessageError::EmptyBody => texts.t("composer.empty"),
            MessageError::BodyTooLong { chars, max } => too_long("composer.too_long", chars, max),
            MessageError::AuthorTooLong { chars, max } => {
                too_long("composer.name_too_long", chars, max)
            }
        };
        Problem { field, message }
    }
}

/// The composer's state, owned by the wall so a post the store refused can
/// come back into it.
#[derive(Clone, Copy)]
pub struct ComposerFields {
    pub author: RwSignal<String>,
    pub body: RwSignal<String>,
    /// The honeypot: hidden from people, so only bots fill it in.
    pub website: RwSignal<String>,
    pub problem: RwSignal<Option<Problem>>,
}

impl ComposerFields {
    pub fn new(author: String) -> Self {
        ComposerFields {
            author: RwSignal::new(author),
            body: RwSignal::new(String::new()),
            website: RwSignal::new(String::new()),
            problem: RwSignal::new(None),
        }
    }

    /// The customer typed in `field`: a problem about that field described
    /// text that is gone, so it goes too (an "empty" reason must not stay
    /// on screen, and in `aria-invalid`, while they type).
    pub fn edit(&self, field: Field, text: String) {
        let target = match field {
            Field::Author => self.author,
            Field::Body => self.body,
            // The form as a whole holds no text of its own.
            Field::Form => return,
        };
        target.set(text);
        if self
            .problem
            .with_untracked(|p| p.as_ref().is_some_and(|p| p.field == field))
        {
            self.problem.set(None);
        }
    }

    /// A notice about unsent text, shown where the composer's problems
    /// are (no field is marked invalid).
    pub fn notice(&self, message: &str) {
        self.problem.set(Some(Problem {
            field: Field::Form,
            message: message.to_owned(),
        }));
    }

    /// A post the store refused for good comes back with the reason. If
    /// something new was typed meanwhile, the refused text goes after it,
    /// so nothing the customer wrote is lost.
    pub fn restore(&self, refused: &Refused, texts: &Texts) {
        let text = refused.entry.body.clone();
        self.body.update(|body| {
            if body.trim().is_empty() {
                *body = text;
            } else {
                body.push_str("\n\n");
                body.push_str(&text);
            }
        });
        if let Some(author) = &refused.entry.author {
            self.author.set(author.clone());
        }
        let field = match refused.error.field.as_deref() {
            Some("author") => Field::Author,
            _ => Field::Body,
        };
        self.problem.set(Some(Problem {
            field,
            message: texts.fill(
                "composer.refused",
                &[("reason", &super::words::api_error(texts, &refused.error))],
            ),
        }));
    }
}

/// Ids unique within the page, for label/description links (several
/// widgets can share a document in tests and on odd host pages).
fn next_id() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[component]
pub fn Composer(
    fields: ComposerFields,
    actions: WallActions,
    /// What happened to the last post ("Sending…", "Sent.", …).
    #[prop(into)]
    status: Signal<String>,
    /// A post is waiting (not being sent right now).
    #[prop(into)]
    waiting: Signal<bool>,
) -> impl IntoView {
    let texts = use_texts();
    let tx = StoredValue::new(texts.clone());
    let uid = next_id();
    let ids = move |name: &str| format!("hugops-{name}-{uid}");
    let textarea: NodeRef<html::Textarea> = NodeRef::new();
    let name_input: NodeRef<html::Input> = NodeRef::new();

    let count = Memo::new(move |_| fields.body.with(|b| Count::body(b)));
    let author_count = Memo::new(move |_| fields.author.with(|a| Count::author(a)));
    let nudge = Memo::new(move |_| {
        fields
            .body
            .with(|b| tx.with_value(|t| check_with_ops(ops(), t.lexicon(), b)))
    });

    let focus_body = move || {
        if let Some(el) = textarea.get_untracked() {
            let _ = el.focus();
        }
    };

    let submit = move || {
        let result = actions.send(
            &fields.author.get_untracked(),
            &fields.body.get_untracked(),
            &fields.website.get_untracked(),
        );
        match result {
            Ok(()) => {
                fields.body.set(String::new());
                fields.problem.set(None);
                focus_body();
            }
            Err(error) => {
                let problem = tx.with_value(|t| Problem::of(error, t));
                let target = problem.field;
                fields.problem.set(Some(problem));
                match target {
                    Field::Body | Field::Form => focus_body(),
                    Field::Author => {
                        if let Some(el) = name_input.get_untracked() {
                            let _ = el.focus();
                        }
                    }
                }
            }
        }
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Enter" || ev.is_composing() {
            return;
        }
        let modified = ev.ctrl_key() || ev.meta_key();
        if modified || !ev.shift_key() {
            ev.prevent_default();
            submit();
        }
    };

    let problem_on = move |field: Field| {
        fields
            .problem
            .with(|p| p.as_ref().is_some_and(|p| p.field == field))
    };

    let use_suggestion = move |_| {
        if let Some(nudge) = nudge.get_untracked() {
            fields.body.set(nudge.suggestion);
            fields.problem.set(None);
            focus_body();
        }
    };

    view! {
        <form
            class="hugops-composer"
            aria-label=texts.t("composer.label")
            novalidate=true
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="hugops-composer__starters" role="group" aria-label=texts.t("composer.starters")>
                {STARTERS
                    .iter()
                    .map(|key| {
                        let starter = texts.t(key);
                        let text = starter.clone();
                        view! {
                            <button
                                type="button"
                                class="hugops-chip"
                                on:click=move |_| {
                                    fields.body.set(text.clone());
                                    fields.problem.set(None);
                                    focus_body();
                                }
                            >
                                {starter}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>

            <label class="hugops-composer__label" for=ids("body")>{texts.t("composer.body")}</label>
            <textarea
                id=ids("body")
                class="hugops-composer__body"
                node_ref=textarea
                rows="3"
                // What the visitor types runs in its own direction (Latin
                // in an Arabic widget, Arabic in an English one).
                dir="auto"
                placeholder=texts.t("composer.placeholder")
                aria-describedby=format!("{} {}", ids("count"), ids("help"))
                aria-invalid=move || (count.get().is_over() || problem_on(Field::Body)).to_string()
                prop:value=move || fields.body.get()
                on:input=move |ev| fields.edit(Field::Body, event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
            <div class="hugops-composer__meta">
                <span id=ids("help") class="hugops-muted">
                    {texts.t("composer.help")}
                </span>
                <span
                    id=ids("count")
                    class="hugops-count"
                    class:hugops-count--over=move || count.get().is_over()
                    data-over=move || count.get().is_over().to_string()
                >
                    {move || tx.with_value(|t| count.get().label(t))}
                </span>
            </div>

            {move || {
                nudge
                    .get()
                    .map(|nudge| {
                        view! {
                            <div class="hugops-nudge" role="note" data-kind=nudge.kind.as_str()>
                                <p class="hugops-nudge__why">{nudge.message.clone()}</p>
                                <p class="hugops-nudge__suggestion">
                                    <span class="hugops-muted">{tx.with_value(|t| t.t("composer.maybe"))}</span>
                                    " "
                                    <q>{nudge.suggestion.clone()}</q>
                                </p>
                                <button type="button" class="hugops-link-button" on:click=use_suggestion>
                                    {tx.with_value(|t| t.t("composer.use"))}
                                </button>
                                <span class="hugops-muted hugops-nudge__anyway">
                                    " "
                                    {tx.with_value(|t| t.t("composer.anyway"))}
                                </span>
                            </div>
                        }
                    })
            }}

            <label class="hugops-composer__label" for=ids("name")>
                {texts.t("composer.name")} " " <span class="hugops-muted">{texts.t("composer.optional")}</span>
            </label>
            <input
                id=ids("name")
                class="hugops-composer__name"
                node_ref=name_input
                type="text"
                dir="auto"
                autocomplete="nickname"
                aria-invalid=move || (author_count.get().is_over() || problem_on(Field::Author)).to_string()
                prop:value=move || fields.author.get()
                on:input=move |ev| fields.edit(Field::Author, event_target_value(&ev))
            />
            {move || {
                author_count
                    .get()
                    .is_over()
                    .then(|| {
                        view! {
                            <p class="hugops-count hugops-count--over">
                                {tx.with_value(|t| t.fill("composer.name_count", &[("count", &author_count.get().label(t))]))}
                            </p>
                        }
                    })
            }}

            // The honeypot: out of sight and out of the tab order. People
            // never fill it in; form-filling bots do.
            <div class="hugops-honeypot" aria-hidden="true">
                <label>
                    {texts.t("composer.honeypot")}
                    <input
                        type="text"
                        name="website"
                        tabindex="-1"
                        autocomplete="off"
                        prop:value=move || fields.website.get()
                        on:input=move |ev| fields.website.set(event_target_value(&ev))
                    />
                </label>
            </div>

            <p class="hugops-composer__problem" role="alert">
                {move || fields.problem.get().map(|p| p.message)}
            </p>

            <div class="hugops-composer__actions">
                <button type="submit" class="hugops-button hugops-composer__send">
                    {texts.t("composer.send")}
                </button>
                <span
                    class="hugops-composer__status"
                    role="status"
                    data-waiting=move || waiting.get().to_string()
                >
                    {move || status.get()}
                </span>
            </div>
        </form>
    }
}
