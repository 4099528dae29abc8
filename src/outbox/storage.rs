//! localStorage, for the outbox and the visitor's small preferences.
//!
//! Every call tolerates a browser without storage (turned off, or a
//! private mode that throws): reads find nothing and writes report failure,
//! and the widget carries on in memory.

/// The page's localStorage, when it has one.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes `value`; false when it could not be saved (no storage, or full).
pub fn set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
