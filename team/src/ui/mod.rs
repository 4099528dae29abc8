//! The page's components, one per file; each reads the session from
//! context and keeps its logic in the plain modules.

pub mod app;
pub mod chart_view;
pub mod export_bar;
pub mod message_row;
pub mod official_form;
pub mod sign_in;
pub mod slow_mode_view;
pub mod wall_view;
pub mod walls_list;
