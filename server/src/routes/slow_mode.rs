//! Slow mode, switched by the team while an incident runs (no restart):
//! the global gap and per-wall overrides. Team only. See
//! `crate::slow_mode` for how every instance follows a change.

use crate::auth::Team;
use crate::error::AppError;
use crate::extract::{ApiJson, WallPath};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use hugops_core::wire::{check_slow_mode_seconds, GlobalSlowMode, SlowModeSettings, WallSlowMode};
use std::sync::Arc;

fn answer(settings: Arc<SlowModeSettings>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(SlowModeSettings::clone(&settings)),
    )
}

/// `GET /api/v1/slow-mode`: as stored now.
pub async fn get(
    _team: Team,
    State(state): State<AppState>,
) -> Result<impl IntoResponse, AppError> {
    Ok(answer(state.slow_mode.reload().await?))
}

/// `PUT /api/v1/slow-mode` with `{"global_seconds": n}`.
pub async fn put_global(
    _team: Team,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<GlobalSlowMode>,
) -> Result<impl IntoResponse, AppError> {
    check_slow_mode_seconds(request.global_seconds, "global_seconds")?;
    let settings = state
        .slow_mode
        .set(None, Some(request.global_seconds))
        .await?;
    tracing::info!(seconds = request.global_seconds, "global slow mode set");
    Ok(answer(settings))
}

/// `PUT /api/v1/walls/{wall}/slow-mode` with `{"seconds": n | null}`.
pub async fn put_wall(
    _team: Team,
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    ApiJson(request): ApiJson<WallSlowMode>,
) -> Result<impl IntoResponse, AppError> {
    if let Some(seconds) = request.seconds {
        check_slow_mode_seconds(seconds, "seconds")?;
    }
    let settings = state
        .slow_mode
        .set(Some(wall.clone()), request.seconds)
        .await?;
    tracing::info!(%wall, seconds = ?request.seconds, "wall slow mode set");
    Ok(answer(settings))
}
