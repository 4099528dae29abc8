//! What the wall says to a customer mid-outage, in one place: short, plain,
//! and never blaming anyone (them, or the team). The texts themselves are
//! in the language tables (`i18n/`); these are the rules that pick them.

use crate::i18n::Texts;
use crate::outbox::PendingState;
use hugops_core::time::Timestamp;
use hugops_core::wire::ErrorCode;

/// How a waiting post is doing, for its card and the composer's status.
pub fn pending_state(texts: &Texts, state: &PendingState, now: Timestamp) -> String {
    match state {
        PendingState::Sending => texts.t("wall.sending"),
        PendingState::Queued => texts.t("wall.queued"),
        PendingState::Offline => texts.t("wall.offline"),
        PendingState::Retrying { retry_at, error } => match error.error {
            ErrorCode::RateLimited | ErrorCode::SlowMode => {
                let seconds = ((retry_at.millis() - now.millis()) / 1_000).max(1);
                texts.fill(
                    "wall.busy",
                    &[("seconds", &texts.number(seconds.unsigned_abs()))],
                )
            }
            _ => texts.t("wall.unreachable"),
        },
    }
}

/// "1 new message", "3 new messages".
pub fn new_messages(texts: &Texts, count: usize) -> String {
    texts.count("wall.new_messages", count as u64, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::wire::ApiError;

    #[test]
    fn waiting_posts_say_what_is_happening() {
        let en = Texts::english("en");
        let now = Timestamp::from_millis(10_000);
        let retrying = |code| PendingState::Retrying {
            retry_at: Timestamp::from_millis(40_000),
            error: ApiError::new(code, "x"),
        };
        assert_eq!(
            pending_state(&en, &retrying(ErrorCode::Unavailable), now),
            en.t("wall.unreachable")
        );
        assert_eq!(
            pending_state(&en, &retrying(ErrorCode::RateLimited), now),
            "Lots of messages right now — yours is saved and will go out in about 30 s."
        );
        assert_eq!(pending_state(&en, &PendingState::Sending, now), "Sending…");
        assert_eq!(new_messages(&en, 1), "1 new message");
        assert_eq!(new_messages(&en, 3), "3 new messages");
    }
}
