//! `GET/PUT/DELETE /api/v1/status` and `/badge.svg`.

use crate::auth::Team;
use crate::badge;
use crate::error::AppError;
use crate::extract::RawBody;
use crate::status::SetError;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hugops_core::language::Language;
use serde::Deserialize;
use serde_json::json;

/// The current summary, with our own ETag; `If-None-Match` gets a 304.
pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let current = state.status.current().await?;
    let etag =
        HeaderValue::from_str(&current.etag).map_err(|e| AppError::Internal(e.to_string()))?;
    let cache = HeaderValue::from_static("no-cache");
    if etag_matches(&headers, &current.etag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        current.body,
    )
        .into_response())
}

/// Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110
/// asks for `If-None-Match`).
fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

/// `PUT /api/v1/status` (team): a Statuspage v2 summary to serve instead of
/// the upstream until it is deleted.
pub async fn put(
    _team: Team,
    State(state): State<AppState>,
    RawBody(body): RawBody,
) -> Result<Response, AppError> {
    let rendered = state
        .status
        .set_team(Some(&body))
        .await
        .map_err(set_error)?;
    tracing::info!("team status set");
    let rendered = rendered.ok_or_else(|| AppError::Internal("set status returned none".into()))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        rendered.body,
    )
        .into_response())
}

/// `DELETE /api/v1/status` (team): back to the upstream (or to none).
pub async fn delete(_team: Team, State(state): State<AppState>) -> Result<Response, AppError> {
    state.status.set_team(None).await.map_err(set_error)?;
    tracing::info!("team status cleared");
    Ok(Json(json!({"cleared": true})).into_response())
}

fn set_error(e: SetError) -> AppError {
    match e {
        SetError::Invalid(api) => AppError::Refused(api),
        SetError::Internal(detail) => AppError::Internal(detail),
    }
}

/// `?lang=` of `/badge.svg`.
#[derive(Deserialize)]
pub struct BadgeQuery {
    lang: Option<String>,
}

/// `GET /badge.svg?lang=`. Always an image (a broken image helps nobody):
/// with no known status it says so, and a query it cannot read or a
/// language it does not speak gives the English badge.
pub async fn badge(
    State(state): State<AppState>,
    query: Result<Query<BadgeQuery>, QueryRejection>,
) -> Response {
    let language = query
        .ok()
        .and_then(|Query(q)| q.lang)
        .map_or(Language::English, |tag| Language::from_tag(&tag));
    let svg = match state.status.current().await {
        Ok(current) => badge::render(Some(&current.indicator), &current.description, language),
        Err(_) => badge::render(None, "", language),
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            // Short enough to follow an incident, long enough that image
            // proxies do not ask on every view.
            (header::CACHE_CONTROL, "public, max-age=30"),
        ],
        svg,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(etag_matches(&h, "\"b\""));
        assert!(etag_matches(&h, "\"a\""));
        assert!(!etag_matches(&h, "\"c\""));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(etag_matches(&h, "\"c\""));
        assert!(!etag_matches(&HeaderMap::new(), "\"c\""));
    }
}
