//! `panel`: each part of the widget (the banner, the incidents, the
//! maintenance, the components, the wall or the toast) fails alone. A part
//! whose view comes back as an error shows one plain sentence in its place,
//! and every other part stays on the page and keeps updating; the reason
//! goes to the console for the operator. The part comes back by itself
//! when it renders again (e.g. with the next status).
//!
//! Leptos's `ErrorBoundary` does the same for errors from anywhere inside
//! it, but it cost 4.3 KB gzip of a bundle that has no room for it; every
//! part here returns its errors at its top, where this catches them.
//!
//! What no boundary catches: a panic, or an uncaught JavaScript exception,
//! stops all of wasm. So views return `Result`s and read state that may be
//! disposed with `try_*` rather than unwrapping.

use leptos::either::Either;
use leptos::prelude::*;

/// Why a part could not be shown (for the console; the visitor reads the
/// `panel.failed` text in their language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelError(pub String);

/// Shows `content`'s view, re-run whenever what it reads changes, or the
/// plain sentence while it returns an error. Generic rather than boxed
/// into `AnyView`: type erasure costs more bundle than it saves.
pub fn panel<V>(
    name: &'static str,
    mut content: impl FnMut() -> Result<V, PanelError> + Send + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    let failed = crate::i18n::use_texts().t("panel.failed");
    move || match content() {
        Ok(view) => Either::Left(view),
        Err(PanelError(reason)) => {
            web_sys::console::warn_1(&format!("HugOps: the {name} failed: {reason}").into());
            Either::Right(view! {
                <p class="hugops-panel-failed" role="status" data-panel=name>{failed.clone()}</p>
            })
        }
    }
}

/// The content of a part made of one view built up front (the wall): it
/// reads nothing reactive, so it is shown once.
pub fn once<V: Send + 'static>(view: V) -> impl FnMut() -> Result<Option<V>, PanelError> + Send {
    let mut view = Some(view);
    move || Ok(view.take())
}
