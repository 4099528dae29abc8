//! The team's own message: posted with the token, so the server marks it
//! official and pins it (a flag no customer can set, not a name anyone
//! could type). One client id per message, kept across retries so a retry
//! never posts it twice.

use super::wall_view::WallActions;
use crate::browser::new_client_id;
use crate::session::use_session;
use hugops_core::wire::OfficialMessage;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn OfficialForm(wall: String, actions: WallActions) -> impl IntoView {
    let session = use_session();
    let body = RwSignal::new(String::new());
    let client_id = StoredValue::new(new_client_id());
    let busy = RwSignal::new(false);
    let wall = StoredValue::new(wall);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = body.get_untracked().trim().to_owned();
        if text.is_empty() {
            session.notice.set("Write the team's message first.".into());
            return;
        }
        let Some(api) = session.api() else { return };
        let post = OfficialMessage {
            author: None,
            body: text,
            client_id: client_id.get_value(),
        };
        busy.set(true);
        spawn_local(async move {
            let answer = api.post_official(&wall.get_value(), &post).await;
            busy.set(false);
            if let Some(message) = session.accept(answer) {
                actions.put(message);
                body.set(String::new());
                client_id.set_value(new_client_id());
                session
                    .notice
                    .set("Posted as the team, pinned on the wall.".into());
            }
        });
    };
    view! {
        <form class="official" on:submit=submit>
            <label for="official-body">"Message from the team (shown pinned, marked official)"</label>
            <textarea
                id="official-body"
                rows="3"
                maxlength="500"
                prop:value=move || body.get()
                on:input=move |event| {
                    body.set(event_target_value(&event));
                    // New words are a new message: a fresh id.
                    client_id.set_value(new_client_id());
                }
            ></textarea>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Posting…" } else { "Post as the team" }}
            </button>
        </form>
    }
}
