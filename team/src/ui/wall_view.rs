//! One wall: every message (hidden and held too) with filters, search and
//! shortcuts, the team's own message, slow mode, the activity chart and the
//! exports. Kept current by the public live stream (visible changes, at
//! once) and a poll (held arrivals, which the stream never carries).

use super::chart_view::ActivityChart;
use super::export_bar::ExportBar;
use super::message_row::MessageRow;
use super::official_form::OfficialForm;
use super::slow_mode_view::WallSlowMode;
use crate::api::LiveStream;
use crate::browser::{focus, sleep, typing_in_field};
use crate::keys::{self, Command};
use crate::live::refresh_every;
use crate::model;
use crate::review::{self, Filter, Show as Kind};
use crate::session::{use_session, Session};
use hugops_core::wire::{Message, MessageId, ModerationAction, WallSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

const MESSAGES_REFRESH_MS: u32 = 4_000;
/// Stream events within this time share one refresh.
const STREAM_SETTLE_MS: u32 = 250;

/// What the rows and shortcuts need to act on the open wall.
#[derive(Clone, Copy)]
pub struct WallActions {
    session: Session,
    wall: StoredValue<String>,
    messages: RwSignal<Vec<Message>>,
    /// Tells the walls list that this wall changed.
    changed: Callback<()>,
    pub selected: RwSignal<Option<MessageId>>,
}

impl WallActions {
    /// Sends a moderation and puts the server's answer in place.
    pub fn moderate(self, id: MessageId, action: ModerationAction) {
        let session = self.session;
        let Some(api) = session.api() else { return };
        let wall = self.wall.get_value();
        spawn_local(async move {
            if let Some(updated) = session.accept(api.moderate(&wall, id, action).await) {
                self.put(updated);
                session
                    .notice
                    .set(format!("Message #{id}: {}", review::action_done(action)));
            }
        });
    }

    /// A message the server just returned, replacing its older copy.
    pub fn put(self, message: Message) {
        self.changed.run(());
        self.messages
            .update(|all| match all.iter_mut().find(|m| m.id == message.id) {
                Some(old) => *old = message,
                None => all.push(message),
            });
    }
}

#[component]
pub fn WallView(
    wall: String,
    walls: RwSignal<Vec<WallSummary>>,
    changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let messages = RwSignal::new(Vec::<Message>::new());
    let loaded = RwSignal::new(false);
    let filter = RwSignal::new(Filter::default());
    let actions = WallActions {
        session,
        wall: StoredValue::new(wall.clone()),
        messages,
        changed,
        selected: RwSignal::new(None),
    };
    let summary = {
        let wall = wall.clone();
        Memo::new(move |_| walls.with(|all| all.iter().find(|w| w.wall.as_str() == wall).cloned()))
    };

    let refresh = {
        let wall = wall.clone();
        move || {
            let wall = wall.clone();
            async move {
                let Some(api) = session.api() else { return };
                if let Some(all) = session.accept(api.messages(&wall).await) {
                    messages.set(all);
                    loaded.set(true);
                }
            }
        }
    };
    refresh_every(MESSAGES_REFRESH_MS, refresh.clone());
    // The stream says something visible changed; a short pause lets a
    // burst of events share one refresh.
    let pending = StoredValue::new(false);
    let stream = LiveStream::open(&wall, move || {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        let refresh = refresh.clone();
        spawn_local(async move {
            sleep(STREAM_SETTLE_MS).await;
            pending.set_value(false);
            refresh().await;
        });
    });
    let stream = SendWrapper::new(stream);
    on_cleanup(move || drop(stream));

    let shown = Memo::new(move |_| {
        messages.with(|all| filter.with(|f| f.apply(all).into_iter().cloned().collect::<Vec<_>>()))
    });
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        let key = event.key();
        let press = keys::Press {
            key: &key,
            modified: event.ctrl_key() || event.alt_key() || event.meta_key(),
            in_text_field: typing_in_field(&event),
            repeat: event.repeat(),
        };
        let Some(command) = keys::command(press) else {
            return;
        };
        event.prevent_default();
        on_command(command, actions, shown);
    });
    on_cleanup(move || keys.remove());

    let heading = {
        let wall = wall.clone();
        move || match summary.get() {
            Some(s) if model::has_own_name(&s) => format!("{} ({})", model::wall_name(&s), s.wall),
            _ => wall.clone(),
        }
    };
    view! {
        <h2 id="wall-heading">{heading}</h2>
        <p class="hint">
            "Keys: j / k move, a approves the oldest held message, h hides or unhides, "
            "p pins or unpins the selected message, / searches."
        </p>
        <div class="tools">
            <OfficialForm wall=wall.clone() actions=actions/>
            <WallSlowMode wall=wall.clone() walls=walls/>
            <ExportBar wall=wall.clone()/>
        </div>
        <ActivityChart messages=messages/>
        <Filters filter=filter messages=messages/>
        <Show
            when=move || loaded.get()
            fallback=|| view! { <p>"Loading the messages…"</p> }
        >
            <p class="count" aria-live="polite">
                {move || {
                    let n = shown.with(Vec::len);
                    let total = messages.with(Vec::len);
                    format!("Showing {n} of {total} messages, newest first.")
                }}
            </p>
            <ol class="messages">
                <For
                    each=move || shown.get()
                    key=|m| format!("{m:?}")
                    children=move |m| view! { <MessageRow message=m actions=actions/> }
                />
            </ol>
        </Show>
    }
}

fn on_command(command: Command, actions: WallActions, shown: Memo<Vec<Message>>) {
    let ids: Vec<MessageId> = shown.with_untracked(|s| s.iter().map(|m| m.id).collect());
    let selected = actions.selected.get_untracked();
    let selected_message = || {
        let id = selected?;
        shown.with_untracked(|s| s.iter().find(|m| m.id == id).cloned())
    };
    match command {
        Command::Next | Command::Previous => {
            if let Some(id) = keys::step(&ids, selected, command == Command::Next) {
                actions.selected.set(Some(id));
                focus(&format!("msg-{id}"));
            }
        }
        Command::ApproveFirstHeld => {
            match actions.messages.with_untracked(|all| keys::first_held(all)) {
                Some(id) => actions.moderate(id, ModerationAction::Approve),
                None => actions
                    .session
                    .notice
                    .set("No message is waiting for review.".into()),
            }
        }
        Command::ToggleHidden | Command::TogglePinned => {
            let Some(m) = selected_message() else {
                actions
                    .session
                    .notice
                    .set("Select a message first (j / k).".into());
                return;
            };
            let action = match (command, m.hidden, m.pinned) {
                (Command::ToggleHidden, true, _) => ModerationAction::Unhide,
                (Command::ToggleHidden, false, _) => ModerationAction::Hide,
                (_, _, true) => ModerationAction::Unpin,
                (_, _, false) => ModerationAction::Pin,
            };
            actions.moderate(m.id, action);
        }
        Command::Search => focus("search"),
    }
}

/// The kind filter (a radio group with counts) and the search box.
#[component]
fn Filters(filter: RwSignal<Filter>, messages: RwSignal<Vec<Message>>) -> impl IntoView {
    let options = Kind::ALL.map(|kind| {
        let id = format!("show-{}", kind.label().to_lowercase());
        let label = move || {
            let n = messages.with(|all| review::count(all, kind));
            format!("{} ({n})", kind.label())
        };
        view! {
            <input
                type="radio"
                name="show"
                id=id.clone()
                prop:checked=move || filter.with(|f| f.show == kind)
                on:change=move |_| filter.update(|f| f.show = kind)
            />
            <label for=id>{label}</label>
        }
    });
    view! {
        <div class="filters">
            <fieldset>
                <legend>"Show"</legend>
                {options.into_iter().collect_view()}
            </fieldset>
            <label for="search">"Search messages"</label>
            <input
                id="search"
                type="search"
                autocomplete="off"
                prop:value=move || filter.with(|f| f.query.clone())
                on:input=move |event| {
                    let query = event_target_value(&event);
                    filter.update(|f| f.query = query);
                }
            />
        </div>
    }
}
