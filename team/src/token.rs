//! The team token in the browser: where it is kept and what is accepted.
//!
//! It lives in the tab's sessionStorage and nowhere else: never in a URL
//! (history, logs, referrers), a cookie (sent by the browser on its own) or
//! localStorage (outlives the tab). Closing the tab forgets it; signing out
//! removes it; a token the server refuses is removed too.

/// The sessionStorage key.
pub const STORAGE_KEY: &str = "hugops-team-token";
/// Longer than any token worth typing; keeps a pasted document out.
pub const MAX_LEN: usize = 512;

/// A key-value store with sessionStorage's shape, so the rules below run
/// natively in tests.
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str);
    fn remove(&self, key: &str);
}

/// What the sign-in box accepts: one line of visible ASCII (a header value
/// can carry nothing else), surrounding spaces ignored. The message is
/// shown as it is.
pub fn parse(input: &str) -> Result<String, &'static str> {
    let token = input.trim();
    if token.is_empty() {
        return Err("Enter the team token.");
    }
    if token.len() > MAX_LEN {
        return Err("That is longer than any team token. Paste only the token.");
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("A team token is one line of letters, digits and symbols, without spaces.");
    }
    Ok(token.to_owned())
}

/// The token's one home.
pub struct TokenStore<S: KeyValue> {
    storage: S,
}

impl<S: KeyValue> TokenStore<S> {
    pub fn new(storage: S) -> Self {
        TokenStore { storage }
    }

    /// The kept token; one that breaks the rules (edited by hand) is
    /// removed rather than sent.
    pub fn load(&self) -> Option<String> {
        let kept = self.storage.get(STORAGE_KEY)?;
        match parse(&kept) {
            Ok(token) if token == kept => Some(token),
            _ => {
                self.storage.remove(STORAGE_KEY);
                None
            }
        }
    }

    /// Keeps a token the server accepted.
    pub fn keep(&self, token: &str) {
        if parse(token).is_ok_and(|t| t == token) {
            self.storage.set(STORAGE_KEY, token);
        }
    }

    /// Sign-out, or the server stopped accepting the token.
    pub fn forget(&self) {
        self.storage.remove(STORAGE_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Memory(RefCell<HashMap<String, String>>);

    impl KeyValue for &Memory {
        fn get(&self, key: &str) -> Option<String> {
            self.0.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) {
            self.0.borrow_mut().insert(key.into(), value.into());
        }
        fn remove(&self, key: &str) {
            self.0.borrow_mut().remove(key);
        }
    }

    #[test]
    fn the_sign_in_box_takes_one_trimmed_line_of_visible_ascii() {
        assert_eq!(parse("  s3cret-Token_42\n").unwrap(), "s3cret-Token_42");
        assert_eq!(parse("   ").unwrap_err(), "Enter the team token.");
        assert!(parse("two words").is_err());
        assert!(parse("tab\there").is_err());
        assert!(parse("naïve").is_err());
        assert!(parse(&"x".repeat(MAX_LEN)).is_ok());
        assert!(parse(&"x".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn a_kept_token_comes_back_until_it_is_forgotten() {
        let memory = Memory::default();
        let store = TokenStore::new(&memory);
        assert_eq!(store.load(), None);
        store.keep("tok-123");
        assert_eq!(store.load().as_deref(), Some("tok-123"));
        store.forget();
        assert_eq!(store.load(), None);
        assert!(memory.0.borrow().is_empty());
    }

    #[test]
    fn nothing_invalid_is_kept_or_sent() {
        let memory = Memory::default();
        let store = TokenStore::new(&memory);
        store.keep(" padded ");
        store.keep("has space");
        assert!(memory.0.borrow().is_empty());
        // Edited by hand in the developer tools: removed, not sent.
        memory
            .0
            .borrow_mut()
            .insert(STORAGE_KEY.into(), "bad\ntoken".into());
        assert_eq!(store.load(), None);
        assert!(memory.0.borrow().is_empty());
    }
}
