//! The visitor: no account, but a stable random id in localStorage, so a
//! hug counts once per visitor per message and the hug button remembers it
//! was pressed; and the name they last signed with, so they need not type
//! it again.

use crate::outbox::client_id::new_client_id;
use crate::outbox::storage;
use hugops_core::wire::{MessageId, WallSlug};
use std::collections::BTreeSet;

/// How many hugged messages are remembered per wall; the oldest (lowest
/// ids) are forgotten first. The store still counts a hug once.
pub const REMEMBERED_HUGS: usize = 2_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visitor {
    pub id: String,
    pub name: String,
    hugged: BTreeSet<MessageId>,
    prefix: String,
    wall: String,
}

impl Visitor {
    /// This browser's visitor (made and saved on the first visit).
    pub fn load(prefix: &str, wall: &WallSlug) -> Visitor {
        let id_key = format!("{prefix}visitor");
        let id = storage::get(&id_key)
            .filter(|id| valid_id(id))
            .unwrap_or_else(|| {
                let id = new_client_id();
                storage::set(&id_key, &id);
                id
            });
        let mut visitor = Visitor {
            id,
            name: storage::get(&format!("{prefix}name")).unwrap_or_default(),
            hugged: BTreeSet::new(),
            prefix: prefix.to_owned(),
            wall: wall.as_str().to_owned(),
        };
        if let Some(saved) = storage::get(&visitor.hugged_key()) {
            visitor.hugged = parse_hugged(&saved);
        }
        visitor
    }

    fn hugged_key(&self) -> String {
        format!("{}hugged:{}", self.prefix, self.wall)
    }

    pub fn has_hugged(&self, id: MessageId) -> bool {
        self.hugged.contains(&id)
    }

    pub fn hugged(&self) -> &BTreeSet<MessageId> {
        &self.hugged
    }

    /// Remembers a hug (or forgets it, when sending it failed).
    pub fn set_hugged(&mut self, id: MessageId, hugged: bool) {
        let changed = if hugged {
            self.hugged.insert(id)
        } else {
            self.hugged.remove(&id)
        };
        while self.hugged.len() > REMEMBERED_HUGS {
            self.hugged.pop_first();
        }
        if changed {
            storage::set(&self.hugged_key(), &format_hugged(&self.hugged));
        }
    }

    /// Remembers the name signed with, for next time.
    pub fn remember_name(&mut self, name: &str) {
        if self.name != name {
            self.name = name.to_owned();
            storage::set(&format!("{}name", self.prefix), name);
        }
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_graphic())
}

fn format_hugged(ids: &BTreeSet<MessageId>) -> String {
    ids.iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_hugged(text: &str) -> BTreeSet<MessageId> {
    text.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugged_ids_round_trip_and_ignore_garbage() {
        let ids: BTreeSet<MessageId> = [3, 1, 2].into();
        assert_eq!(format_hugged(&ids), "1,2,3");
        assert_eq!(parse_hugged("1,2,3"), ids);
        assert_eq!(parse_hugged("1,x,,3"), [1, 3].into());
        assert!(parse_hugged("").is_empty());
    }

    #[test]
    fn ids_must_fit_the_contract() {
        assert!(valid_id("0b7e-1f"));
        assert!(!valid_id(""));
        assert!(!valid_id("has space"));
        assert!(!valid_id(&"x".repeat(65)));
    }
}
