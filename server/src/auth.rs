//! The team's bearer token. Compared in constant time, so the time an
//! answer takes says nothing about how much of a guess was right; never
//! logged (the trace layer records method and path, not headers).

use crate::error::AppError;
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
        let Some(expected) = state.settings.team_token.as_deref() else {
            return Err(AppError::refused(
                ErrorCode::Unauthorized,
                "Team endpoints are turned off: start the server with HUGOPS_TEAM_TOKEN set.",
            ));
        };
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
        if token_matches(offered, expected) {
            Ok(Team)
        } else {
            Err(AppError::refused(
                ErrorCode::Unauthorized,
                "That team token is not valid.",
            ))
        }
    }
}

/// Constant time in the contents; the length may show, which tells an
/// attacker nothing useful about a long random token.
fn token_matches(offered: &str, expected: &str) -> bool {
    offered.as_bytes().ct_eq(expected.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::token_matches;

    #[test]
    fn tokens_match_exactly() {
        assert!(token_matches("s3cret-token", "s3cret-token"));
        assert!(!token_matches("s3cret-tokeN", "s3cret-token"));
        assert!(!token_matches("s3cret", "s3cret-token"));
        assert!(!token_matches("", "s3cret-token"));
    }
}
