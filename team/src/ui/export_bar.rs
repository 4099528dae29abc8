//! The wall's exports, fetched with the token and saved from a Blob (a
//! link could only carry the token in its URL).

use crate::browser::save_file;
use crate::export::ExportFormat;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ExportBar(wall: String) -> impl IntoView {
    let session = use_session();
    let wall = StoredValue::new(wall);
    let download = move |format: ExportFormat| {
        let Some(api) = session.api() else { return };
        let slug = wall.get_value();
        spawn_local(async move {
            let Some((name, mime, text)) = session.accept(api.export(&slug, format).await) else {
                return;
            };
            match save_file(&name, &mime, &text) {
                Ok(()) => session.notice.set(format!("Saved {name}.")),
                Err(message) => session.notice.set(message),
            }
        });
    };
    view! {
        <div class="export" role="group" aria-labelledby="export-heading">
            <p id="export-heading">"Export this wall"</p>
            {ExportFormat::ALL
                .map(|format| view! {
                    <button type="button" data-format=format.query() on:click=move |_| download(format)>
                        {format.label()}
                    </button>
                })
                .into_iter()
                .collect_view()}
        </div>
    }
}
