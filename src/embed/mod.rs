//! Embedding: the `<hugops-widget>` custom element. Each element gets its own
//! shadow root, so the host page's CSS cannot break the widget and the
//! widget's CSS cannot leak into the host.

mod css;
mod element;
mod styles;

pub use element::define_custom_element;
pub use styles::adopt_widget_styles;
