//! Team-only endpoints: moderation, the review queue and the export. Each
//! handler takes [`Team`], so none runs without the bearer token.

use crate::auth::Team;
use crate::error::AppError;
use crate::export::{self, Format};
use crate::extract::{ApiJson, ApiQuery, MessagePath, WallPath};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use hugops_core::wire::{MessagePage, ModerationRequest};
use serde::Deserialize;

/// `PATCH /api/v1/walls/{wall}/messages/{id}` with `{"action": ...}`.
pub async fn moderate(
    _team: Team,
    State(state): State<AppState>,
    MessagePath(wall, id): MessagePath,
    ApiJson(request): ApiJson<ModerationRequest>,
) -> Result<impl IntoResponse, AppError> {
    let message = state
        .store
        .moderate(wall, id, request.action, crate::now())
        .await?
        .ok_or_else(|| AppError::not_found("There is no such message on this wall."))?;
    tracing::info!(id, action = ?request.action, "message moderated");
    Ok(Json(message))
}

/// `GET /api/v1/walls/{wall}/held`: messages waiting for review, oldest
/// first (hidden ones excluded: the team already dealt with those).
pub async fn held(
    _team: Team,
    State(state): State<AppState>,
    WallPath(wall): WallPath,
) -> Result<impl IntoResponse, AppError> {
    let messages = state
        .store
        .all(wall)
        .await?
        .into_iter()
        .filter(hugops_core::wall::awaits_review)
        .collect();
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(MessagePage {
            messages,
            ..MessagePage::default()
        }),
    ))
}

#[derive(Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// `GET /api/v1/walls/{wall}/export?format=json|csv|md`
pub async fn export(
    _team: Team,
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Result<impl IntoResponse, AppError> {
    let format = Format::parse(query.format.as_deref())?;
    let messages = state.store.all(wall.clone()).await?;
    let body = export::render(format, &wall, &messages, crate::now());
    let disposition = format!(
        "attachment; filename=\"hugops-{wall}.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    ))
}
