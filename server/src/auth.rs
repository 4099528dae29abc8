//! The team's bearer token. Compared in constant time, so the time an
//! answer takes says nothing about how much of a guess was right; never
//! logged (the trace layer records method and path, not headers). Wrong
//! tokens are counted per IP and limited (`limits`).

use crate::config::Secret;
use crate::error::AppError;
use crate::limits::ClientIp;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use hugops_core::wire::ErrorCode;
use subtle::ConstantTimeEq;

/// Proof that the request carries the team's token; take it as a handler
/// argument to make the handler team-only.
pub struct Team;

impl FromRequestParts<AppState> for Team {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(expected) = state.settings.team_token.as_ref() else {
            return Err(AppError::refused(
                ErrorCode::Unauthorized,
                "Team endpoints are turned off: start the server with HUGOPS_TEAM_TOKEN set.",
            ));
        };
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        let offered = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            });
        let Some(offered) = offered else {
            return Err(AppError::refused(
                ErrorCode::Unauthorized,
                "This is for the team: send the header `Authorization: Bearer <team token>`.",
            ));
        };
        state.limits.check_team_auth(ip)?;
        if token_matches(offered, expected.expose()) {
            Ok(Team)
        } else {
            state.limits.record_team_auth_failure(ip);
            Err(AppError::refused(
                ErrorCode::Unauthorized,
                "That team token is not valid.",
            ))
        }
    }
}

/// The shortest team token the server starts with: a short one could be
/// guessed, even at [`crate::limits::TEAM_AUTH_FAILURES_PER_MINUTE`].
pub const MIN_TEAM_TOKEN_CHARS: usize = 16;

/// The team token as configured, ready to compare: trimmed (a secrets file
/// usually ends in a newline, which no client sends), unset when empty, and
/// refused when shorter than [`MIN_TEAM_TOKEN_CHARS`].
pub fn team_token(configured: Option<&Secret>) -> Result<Option<Secret>, String> {
    let Some(token) = configured.map(|t| t.expose().trim()) else {
        return Ok(None);
    };
    if token.is_empty() {
        return Ok(None);
    }
    let chars = token.chars().count();
    if chars < MIN_TEAM_TOKEN_CHARS {
        return Err(format!(
            "HUGOPS_TEAM_TOKEN is {chars} characters long: a team token needs at least \
             {MIN_TEAM_TOKEN_CHARS} (for example the output of `openssl rand -hex 24`)"
        ));
    }
    Ok(Some(Secret::from(token)))
}

/// Constant time in the contents; the length may show, which tells an
/// attacker nothing useful about a long random token.
fn token_matches(offered: &str, expected: &str) -> bool {
    offered.as_bytes().ct_eq(expected.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_token_is_trimmed_and_long_enough() {
        let token = |raw: &str| team_token(Some(&Secret::from(raw)));
        let read = |raw: &str| token(raw).unwrap().map(|t| t.expose().to_owned());
        assert_eq!(
            read("0123456789abcdef\n").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(
            read("  0123456789abcdef\r\n").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(read(" \n"), None, "blank is unset");
        assert_eq!(team_token(None).unwrap().map(|_| ()), None);
        let short = token("0123456789abcde\n").unwrap_err();
        assert!(short.contains("15 characters"), "{short}");
        assert!(short.contains("at least 16"), "{short}");
    }

    #[test]
    fn tokens_match_exactly() {
        assert!(token_matches("s3cret-token", "s3cret-token"));
        assert!(!token_matches("s3cret-tokeN", "s3cret-token"));
        assert!(!token_matches("s3cret", "s3cret-token"));
        assert!(!token_matches("", "s3cret-token"));
    }
}
