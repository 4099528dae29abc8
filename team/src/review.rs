//! The rules of the one-wall view: what state a message is in (in words),
//! which actions it offers, and which messages a filter shows.

use hugops_core::wire::{Message, ModerationAction};

/// Which messages the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Show {
    #[default]
    All,
    Held,
    Hidden,
    Pinned,
    Official,
}

impl Show {
    pub const ALL: [Show; 5] = [
        Show::All,
        Show::Held,
        Show::Hidden,
        Show::Pinned,
        Show::Official,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Show::All => "All",
            Show::Held => "Held",
            Show::Hidden => "Hidden",
            Show::Pinned => "Pinned",
            Show::Official => "Official",
        }
    }

    pub fn admits(self, m: &Message) -> bool {
        match self {
            Show::All => true,
            // Held and not yet dealt with: a hidden held message is done.
            Show::Held => is_awaiting_review(m),
            Show::Hidden => m.hidden,
            Show::Pinned => m.pinned,
            Show::Official => m.official,
        }
    }
}

/// The filter: one kind and a text search (case-insensitive, in the body
/// and the author's name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub show: Show,
    pub query: String,
}

impl Filter {
    pub fn admits(&self, m: &Message) -> bool {
        if !self.show.admits(m) {
            return false;
        }
        let query = self.query.trim().to_lowercase();
        if query.is_empty() {
            return true;
        }
        m.body.to_lowercase().contains(&query)
            || m.author
                .as_deref()
                .is_some_and(|a| a.to_lowercase().contains(&query))
    }

    /// The messages it shows, newest first (the team reads from the latest).
    pub fn apply<'a>(&self, messages: &'a [Message]) -> Vec<&'a Message> {
        let mut shown: Vec<&Message> = messages.iter().filter(|m| self.admits(m)).collect();
        shown.sort_by_key(|m| std::cmp::Reverse(m.id));
        shown
    }
}

/// Waiting for the team: held and not hidden.
pub fn is_awaiting_review(m: &Message) -> bool {
    m.held && !m.hidden
}

/// The message's state in words, so nothing depends on colour.
pub fn labels(m: &Message) -> Vec<&'static str> {
    let mut labels = Vec::new();
    if m.official {
        labels.push("Official");
    }
    if is_awaiting_review(m) {
        labels.push("Held for review");
    }
    if m.hidden {
        labels.push("Hidden");
    }
    if m.pinned {
        labels.push("Pinned");
    }
    if labels.is_empty() || (m.official && labels.len() == 1) {
        labels.push("Visible");
    }
    labels
}

/// The moderation buttons a message offers, in a fixed order.
pub fn actions(m: &Message) -> Vec<ModerationAction> {
    let mut actions = Vec::new();
    if is_awaiting_review(m) {
        actions.push(ModerationAction::Approve);
    }
    actions.push(if m.hidden {
        ModerationAction::Unhide
    } else {
        ModerationAction::Hide
    });
    actions.push(if m.pinned {
        ModerationAction::Unpin
    } else {
        ModerationAction::Pin
    });
    actions
}

pub fn action_label(action: ModerationAction) -> &'static str {
    match action {
        ModerationAction::Hide => "Hide",
        ModerationAction::Unhide => "Unhide",
        ModerationAction::Pin => "Pin",
        ModerationAction::Unpin => "Unpin",
        ModerationAction::Approve => "Approve",
    }
}

/// What the page says once an action went through.
pub fn action_done(action: ModerationAction) -> &'static str {
    match action {
        ModerationAction::Hide => "Hidden from the wall.",
        ModerationAction::Unhide => "Shown on the wall again.",
        ModerationAction::Pin => "Pinned.",
        ModerationAction::Unpin => "Unpinned.",
        ModerationAction::Approve => "Approved: it is on the wall now.",
    }
}

/// How many messages each kind holds, for the filter's labels.
pub fn count(messages: &[Message], show: Show) -> usize {
    messages.iter().filter(|m| show.admits(m)).count()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use hugops_core::time::Timestamp;
    use hugops_core::wire::WallSlug;

    pub fn message(id: i64, body: &str) -> Message {
        Message {
            id,
            wall: WallSlug::general(),
            author: None,
            body: body.into(),
            created_at: Timestamp::from_millis(id * 60_000),
            hugs: 0,
            pinned: false,
            hidden: false,
            held: false,
            client_id: Some(format!("c-{id}")),
            official: false,
        }
    }

    fn wall() -> Vec<Message> {
        let mut held = message(1, "You broke it AGAIN");
        held.held = true;
        let mut hidden = message(2, "spam spam");
        hidden.hidden = true;
        let mut pinned = message(3, "Hang in there");
        pinned.pinned = true;
        pinned.author = Some("Ada".into());
        let mut official = message(4, "We found the cause");
        official.official = true;
        official.pinned = true;
        let mut dealt_with = message(5, "held then hidden");
        dealt_with.held = true;
        dealt_with.hidden = true;
        vec![
            held,
            hidden,
            pinned,
            official,
            dealt_with,
            message(6, "Thanks team"),
        ]
    }

    fn ids(shown: Vec<&Message>) -> Vec<i64> {
        shown.into_iter().map(|m| m.id).collect()
    }

    #[test]
    fn each_kind_shows_its_messages_newest_first() {
        let wall = wall();
        let with = |show| {
            ids(Filter {
                show,
                query: String::new(),
            }
            .apply(&wall))
        };
        assert_eq!(with(Show::All), vec![6, 5, 4, 3, 2, 1]);
        assert_eq!(with(Show::Held), vec![1]);
        assert_eq!(with(Show::Hidden), vec![5, 2]);
        assert_eq!(with(Show::Pinned), vec![4, 3]);
        assert_eq!(with(Show::Official), vec![4]);
        assert_eq!(count(&wall, Show::Pinned), 2);
    }

    #[test]
    fn search_matches_body_and_author_whatever_the_case() {
        let wall = wall();
        let search = |show, query: &str| {
            ids(Filter {
                show,
                query: query.into(),
            }
            .apply(&wall))
        };
        assert_eq!(search(Show::All, "  AGAIN "), vec![1]);
        assert_eq!(search(Show::All, "ada"), vec![3]);
        assert_eq!(search(Show::All, "spam"), vec![2]);
        assert_eq!(search(Show::Pinned, "thanks"), Vec::<i64>::new());
        assert_eq!(search(Show::All, "nothing like this"), Vec::<i64>::new());
    }

    #[test]
    fn states_are_words_and_actions_follow_them() {
        let wall = wall();
        assert_eq!(labels(&wall[0]), vec!["Held for review"]);
        assert_eq!(
            actions(&wall[0]),
            vec![
                ModerationAction::Approve,
                ModerationAction::Hide,
                ModerationAction::Pin
            ]
        );
        assert_eq!(labels(&wall[1]), vec!["Hidden"]);
        assert_eq!(
            actions(&wall[1]),
            vec![ModerationAction::Unhide, ModerationAction::Pin]
        );
        assert_eq!(labels(&wall[3]), vec!["Official", "Pinned"]);
        assert_eq!(
            actions(&wall[3]),
            vec![ModerationAction::Hide, ModerationAction::Unpin]
        );
        assert_eq!(labels(&wall[4]), vec!["Hidden"]);
        assert_eq!(labels(&wall[5]), vec!["Visible"]);
        let mut plain_official = message(9, "x");
        plain_official.official = true;
        assert_eq!(labels(&plain_official), vec!["Official", "Visible"]);
    }
}
