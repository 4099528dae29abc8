//! What the wall says to a customer mid-outage, in one place: short, plain,
//! and never blaming anyone (them, or the team). The texts themselves are
//! in the language tables (`i18n/`); these are the rules that pick them.

use crate::i18n::Texts;
use crate::outbox::PendingState;
use hugops_core::time::Timestamp;
use hugops_core::wire::{ApiError, ErrorCode};

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

/// Why the wall's server said no, in the visitor's language. The server
/// writes its reasons in English, and more precisely than a code can (how
/// long slow mode lasts): an English widget shows them as they are, any
/// other language its own words for the code.
pub fn api_error(texts: &Texts, error: &ApiError) -> String {
    if texts.is_english() {
        return error.message.clone();
    }
    let key = match error.error {
        ErrorCode::Unavailable => "error.unavailable",
        ErrorCode::RateLimited => "error.rate_limited",
        ErrorCode::SlowMode => "error.slow_mode",
        ErrorCode::InvalidMessage => "error.invalid_message",
        ErrorCode::NotFound => "error.not_found",
        ErrorCode::PayloadTooLarge => "error.too_large",
        ErrorCode::BadRequest
        | ErrorCode::InvalidWall
        | ErrorCode::Unauthorized
        | ErrorCode::UnsupportedMediaType => "error.refused",
        ErrorCode::UpstreamFailed | ErrorCode::Internal | ErrorCode::Unknown => "error.internal",
    };
    texts.t(key)
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

    #[test]
    fn the_servers_reasons_are_its_own_in_english_and_the_tables_otherwise() {
        let error = ApiError::new(ErrorCode::SlowMode, "Slow mode: wait 30 s.");
        assert_eq!(
            api_error(&Texts::english("en-GB"), &error),
            "Slow mode: wait 30 s."
        );
        let de = Texts::parse("de", r#"{"error.slow_mode": "Langsamer Modus."}"#);
        assert_eq!(api_error(&de, &error), "Langsamer Modus.");
    }
}
