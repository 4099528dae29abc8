//! What the wall says to a customer mid-outage, in one place: short, plain,
//! and never blaming anyone (them, or the team).

use crate::outbox::PendingState;
use hugops_core::time::Timestamp;
use hugops_core::wire::ErrorCode;

pub const EMPTY: &str = "Be the first to send the team some support.";
pub const LOADING: &str = "Loading messages…";
pub const UNREACHABLE: &str =
    "Can't reach the wall right now — your message is saved and will be sent when we're back.";
pub const OFFLINE: &str =
    "You're offline. Your message is saved and will be sent when you're back online.";
pub const SENT: &str = "Sent. Thank you for the support!";
/// The server holds posts its kindness check flags until the team looks at
/// them; without this the author would see their post vanish.
pub const HELD: &str = "Thank you. Your message will appear once the team has had a look at it.";
pub const HUG_FAILED: &str = "Your hug couldn't be sent. Please try again in a moment.";

/// How a waiting post is doing, for its card and the composer's status.
pub fn pending_state(state: &PendingState, now: Timestamp) -> String {
    match state {
        PendingState::Sending => "Sending…".into(),
        PendingState::Queued => "Waiting to send, after your earlier message.".into(),
        PendingState::Offline => OFFLINE.into(),
        PendingState::Retrying { retry_at, error } => match error.error {
            ErrorCode::RateLimited | ErrorCode::SlowMode => {
                let seconds = ((retry_at.millis() - now.millis()) / 1_000).max(1);
                format!(
                    "Lots of messages right now — yours is saved and will go out in about {seconds} s."
                )
            }
            _ => UNREACHABLE.into(),
        },
    }
}

/// "1 new message", "3 new messages".
pub fn new_messages(count: usize) -> String {
    if count == 1 {
        "1 new message".into()
    } else {
        format!("{count} new messages")
    }
}

pub fn hugs(count: u32) -> &'static str {
    if count == 1 {
        "hug"
    } else {
        "hugs"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::wire::ApiError;

    #[test]
    fn waiting_posts_say_what_is_happening() {
        let now = Timestamp::from_millis(10_000);
        let retrying = |code| PendingState::Retrying {
            retry_at: Timestamp::from_millis(40_000),
            error: ApiError::new(code, "x"),
        };
        assert_eq!(
            pending_state(&retrying(ErrorCode::Unavailable), now),
            UNREACHABLE
        );
        assert_eq!(
            pending_state(&retrying(ErrorCode::RateLimited), now),
            "Lots of messages right now — yours is saved and will go out in about 30 s."
        );
        assert_eq!(pending_state(&PendingState::Sending, now), "Sending…");
        assert_eq!(new_messages(1), "1 new message");
        assert_eq!(new_messages(3), "3 new messages");
    }
}
