//! Status icons. Each status has its own shape and mark as well as a
//! colour, and is always shown next to its word: status is never told by
//! colour alone (WCAG 1.4.1). Shape, mark and tone are core's
//! (`hugops_core::status::Look`), the same the badge draws; this file only
//! says how the widget's CSS draws them.

use hugops_core::status::{Look, Shape, Tone};
use leptos::prelude::*;

/// The CSS class of a tone (the colour's meaning).
pub fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Ok => "hugops-tone-ok",
        Tone::Maintenance => "hugops-tone-maint",
        Tone::Unknown => "hugops-tone-unknown",
        Tone::Warning => "hugops-tone-warn",
        Tone::Bad => "hugops-tone-bad",
    }
}

/// The CSS class that gives the icon its shape (a circle by default).
fn shape_class(shape: Shape) -> &'static str {
    match shape {
        Shape::Circle => "",
        Shape::Square => "hugops-icon--square",
        Shape::Diamond => "hugops-icon--diamond",
    }
}

/// The icon itself; hidden from screen readers, which read the word.
#[component]
pub fn StatusIcon(look: Look) -> impl IntoView {
    view! {
        <span
            class=format!("hugops-icon {} {}", shape_class(look.shape), tone_class(look.tone))
            data-shape=look.shape.name()
            data-mark=look.mark.name()
            aria-hidden="true"
        >
            <span>{look.mark.glyph()}</span>
        </span>
    }
}
