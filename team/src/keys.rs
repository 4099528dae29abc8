//! Keyboard-first: the shortcuts of the one-wall view, and where `j`/`k`
//! move. Plain logic; the component only forwards key events here.
//!
//! - `j` / `k`: next / previous message in the list as shown
//! - `a`: approve the oldest message waiting for review
//! - `h`: hide or unhide the selected message; `p`: pin or unpin it
//! - `/`: go to the search box

use crate::review::is_awaiting_review;
use hugops_core::wire::Message;
use hugops_core::wire::MessageId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Next,
    Previous,
    ApproveFirstHeld,
    ToggleHidden,
    TogglePinned,
    Search,
}

/// The key press as the page sees it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Press<'a> {
    pub key: &'a str,
    /// Ctrl, Alt or Meta held: the browser's shortcut, not ours.
    pub modified: bool,
    /// Typed into a text field: text, not a shortcut.
    pub in_text_field: bool,
    /// Auto-repeat of a held key.
    pub repeat: bool,
}

/// The command a key press means, if any. A held-down key moves on, but
/// never moderates twice.
pub fn command(press: Press) -> Option<Command> {
    if press.modified || press.in_text_field {
        return None;
    }
    let command = match press.key {
        // Not the arrow keys: they keep scrolling the page.
        "j" => Some(Command::Next),
        "k" => Some(Command::Previous),
        "a" => Some(Command::ApproveFirstHeld),
        "h" => Some(Command::ToggleHidden),
        "p" => Some(Command::TogglePinned),
        "/" => Some(Command::Search),
        _ => None,
    }?;
    let moderates = matches!(
        command,
        Command::ApproveFirstHeld | Command::ToggleHidden | Command::TogglePinned
    );
    (!(moderates && press.repeat)).then_some(command)
}

/// The selection after `j` (`forward`) or `k` in `shown` (the list as on
/// screen). From nothing, `j` takes the first and `k` the last; the ends
/// stay put; a selection no longer shown starts over.
pub fn step(shown: &[MessageId], current: Option<MessageId>, forward: bool) -> Option<MessageId> {
    let position = current.and_then(|id| shown.iter().position(|&s| s == id));
    let next = match (position, forward) {
        (None, true) => 0,
        (None, false) => shown.len().checked_sub(1)?,
        (Some(i), true) => (i + 1).min(shown.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    shown.get(next).copied()
}

/// What `a` approves: the oldest message waiting for review on the whole
/// wall (whatever the filter shows), so pressing it again and again works
/// through the queue in arrival order.
pub fn first_held(messages: &[Message]) -> Option<MessageId> {
    messages
        .iter()
        .filter(|m| is_awaiting_review(m))
        .map(|m| m.id)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::message;

    #[test]
    fn keys_map_to_commands_unless_typing_or_modified() {
        let key = |key| Press {
            key,
            ..Press::default()
        };
        assert_eq!(command(key("j")), Some(Command::Next));
        assert_eq!(command(key("k")), Some(Command::Previous));
        assert_eq!(command(key("ArrowDown")), None, "arrows keep scrolling");
        assert_eq!(command(key("a")), Some(Command::ApproveFirstHeld));
        assert_eq!(command(key("/")), Some(Command::Search));
        let typing = Press {
            in_text_field: true,
            ..key("a")
        };
        assert_eq!(command(typing), None, "typing an a in a box");
        let ctrl_a = Press {
            modified: true,
            ..key("a")
        };
        assert_eq!(command(ctrl_a), None, "Ctrl+A selects all");
        assert_eq!(command(key("x")), None);
    }

    #[test]
    fn a_held_key_moves_on_but_never_moderates_twice() {
        let held = |key| Press {
            key,
            repeat: true,
            ..Press::default()
        };
        assert_eq!(command(held("j")), Some(Command::Next));
        assert_eq!(command(held("a")), None);
        assert_eq!(command(held("h")), None);
        assert_eq!(command(held("p")), None);
    }

    #[test]
    fn j_and_k_walk_the_list_and_stop_at_its_ends() {
        let shown = [9, 7, 4];
        assert_eq!(step(&shown, None, true), Some(9));
        assert_eq!(step(&shown, None, false), Some(4));
        assert_eq!(step(&shown, Some(9), true), Some(7));
        assert_eq!(step(&shown, Some(4), true), Some(4));
        assert_eq!(step(&shown, Some(9), false), Some(9));
        assert_eq!(step(&shown, Some(7), false), Some(9));
        // Filtered away: start over.
        assert_eq!(step(&shown, Some(8), true), Some(9));
        assert_eq!(step(&[], Some(8), true), None);
        assert_eq!(step(&[], None, false), None);
    }

    #[test]
    fn a_takes_the_oldest_message_still_waiting() {
        let mut wall: Vec<Message> = (1..=5).map(|i| message(i, "m")).collect();
        assert_eq!(first_held(&wall), None);
        wall[3].held = true;
        wall[1].held = true;
        wall[1].hidden = true; // dealt with already
        wall[4].held = true;
        assert_eq!(first_held(&wall), Some(4));
        wall[3].held = false; // approved
        assert_eq!(first_held(&wall), Some(5));
    }
}
