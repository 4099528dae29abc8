//! Sign-in with the team token. The token is checked with the server (by
//! listing the walls) before it is kept; a refused one is not kept and
//! nothing of the team's is shown.

use crate::api::{Failure, TeamApi};
use crate::session::use_session;
use crate::token;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let input = NodeRef::<html::Input>::new();
    let error = RwSignal::new(session.signed_out_because.get_untracked());
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(field) = input.get_untracked() else {
            return;
        };
        let token = match token::parse(&field.value()) {
            Ok(token) => token,
            Err(message) => {
                error.set(Some(message.into()));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let checked = TeamApi::new(token.clone()).walls().await;
            busy.set(false);
            match checked {
                Ok(_) => {
                    field.set_value("");
                    session.sign_in(token);
                }
                Err(Failure::Unauthorized(message)) => {
                    error.set(Some(format!("That token was not accepted. {message}")));
                }
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };
    view! {
        <form class="sign-in" on:submit=submit aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">"Sign in"</h2>
            <p>
                "Paste the team token (the server's HUGOPS_TEAM_TOKEN). "
                "It is kept in this tab only and forgotten when you close it or sign out."
            </p>
            <label for="token">"Team token"</label>
            <input
                id="token"
                node_ref=input
                type="password"
                autocomplete="off"
                spellcheck="false"
                required=true
                aria-describedby="sign-in-error"
                aria-invalid=move || error.with(Option::is_some).to_string()
            />
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Checking…" } else { "Sign in" }}
            </button>
            <p id="sign-in-error" class="error" role="alert">
                {move || error.get().map(|e| format!("⚠ {e}"))}
            </p>
        </form>
    }
}
