//! The page: the sign-in form, or, once signed in, the walls and the open
//! wall. A status line (a polite live region) says what just happened.

use super::sign_in::SignIn;
use super::slow_mode_view::GlobalSlowMode;
use super::wall_view::WallView;
use super::walls_list::WallsList;
use crate::live::refresh_every;
use crate::session::{use_session, Session};
use hugops_core::wire::WallSummary;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The walls list is refreshed this often (and the open wall more often).
const WALLS_REFRESH_MS: u32 = 10_000;

#[component]
pub fn App() -> impl IntoView {
    let session = Session::restore();
    provide_context(session);
    let signed_in = move || session.api.with(Option::is_some);
    view! {
        <header class="top">
            <h1>"HugOps team"</h1>
            <Show when=signed_in>
                <button type="button" class="quiet" on:click=move |_| session.sign_out(None)>
                    "Sign out"
                </button>
            </Show>
        </header>
        <p class="notice" role="status" aria-live="polite">{move || session.notice.get()}</p>
        <main id="main">
            <Show when=signed_in fallback=|| view! { <SignIn/> }>
                <Dashboard/>
            </Show>
        </main>
    }
}

/// Signed in: the walls (refreshed every 10 s) beside the open wall.
#[component]
fn Dashboard() -> impl IntoView {
    let session = use_session();
    let walls = RwSignal::new(Vec::<WallSummary>::new());
    let loaded = RwSignal::new(false);
    let open = RwSignal::new(None::<String>);
    let load = move || async move {
        let Some(api) = session.api() else { return };
        if let Some(list) = session.accept(api.walls().await) {
            walls.set(list);
            loaded.set(true);
        }
    };
    refresh_every(WALLS_REFRESH_MS, load);
    // After the team changed a wall, its counts are fetched at once.
    let changed = Callback::new(move |()| spawn_local(load()));
    view! {
        <div class="dashboard">
            <nav class="walls" aria-labelledby="walls-heading">
                <h2 id="walls-heading">"Walls"</h2>
                <GlobalSlowMode/>
                <WallsList walls=walls loaded=loaded open=open/>
            </nav>
            <section class="wall" aria-labelledby="wall-heading">
                {move || match open.get() {
                    Some(wall) => view! { <WallView wall=wall walls=walls changed=changed/> }.into_any(),
                    None => view! {
                        <h2 id="wall-heading">"No wall open"</h2>
                        <p>"Choose a wall to read, moderate and export it."</p>
                    }
                    .into_any(),
                }}
            </section>
        </div>
    }
}
