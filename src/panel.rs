//! `PanelBoundary`: each part of the widget (the banner, the incidents,
//! the maintenance, the components, the wall) fails alone. A part whose
//! view returns an error shows one plain sentence in its place, and every
//! other part stays on the page and keeps updating; the details go to the
//! console for the operator. It recovers by itself when a later render of
//! the part succeeds (e.g. the next status refresh).
//!
//! A boundary only catches errors that are returned (`Result` views): a
//! panic or an uncaught JavaScript exception in wasm stops the whole
//! widget, which is why the widget's views return `Result`s and read
//! possibly disposed state with `try_*` rather than unwrapping.

use leptos::prelude::*;

/// Shown in place of a part that failed.
pub const PANEL_FAILED: &str = "This part couldn't be shown. The rest of the page still works.";

#[component]
pub fn PanelBoundary(
    /// Names the part in the console message.
    name: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <ErrorBoundary fallback=move |errors| {
            errors.with(|errors| {
                for (_, error) in errors.iter() {
                    web_sys::console::warn_1(&format!("HugOps: the {name} failed: {error}").into());
                }
            });
            view! { <p class="hugops-panel-failed" role="alert" data-panel=name>{PANEL_FAILED}</p> }
        }>
            {children()}
        </ErrorBoundary>
    }
}
