//! The public wall: list, post, hug.

use crate::error::AppError;
use crate::extract::{ApiJson, MessagePath, PageQuery, WallPath};
use crate::limits::ClientIp;
use crate::store::NewPost;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use hugops_core::wall as rules;
use hugops_core::wire::{check_client_id, ApiError, HugRequest, NewMessage};
use hugops_core::{kindness, message};

/// `GET /api/v1/walls/{wall}/messages?after=&before=&limit=`, from the
/// list cache when the wall has not changed since the page was rendered.
pub async fn list(
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    PageQuery(page): PageQuery,
) -> Result<impl IntoResponse, AppError> {
    let body = match state.lists.get(&wall, &page) {
        Ok(body) => body,
        Err(generation) => {
            // The first page says from which event on the stream (or the
            // events list) continues it. Read before the page, so the page
            // reflects at least every event up to it.
            let last_event_id = if page.is_first() {
                Some(state.store.latest_seq().await?)
            } else {
                None
            };
            let mut rendered = state.store.list(wall.clone(), page).await?;
            rendered.last_event_id = last_event_id;
            let body = Bytes::from(
                serde_json::to_vec(&rendered).map_err(|e| AppError::Internal(e.to_string()))?,
            );
            state.lists.put(&wall, &page, generation, body.clone());
            body
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    ))
}

/// `POST /api/v1/walls/{wall}/messages`: 201 with the new message, or 200
/// with the one an earlier attempt with this `client_id` stored, in the
/// view `hugops_core::wall::post_answer` gives a retry (no words of a
/// hidden or held message).
///
/// The checks run cheapest and most telling first: a malformed request is
/// refused before it costs the sender a rate-limit token, a retry of a
/// stored post is answered without one (it adds nothing), and slow mode
/// counts only posts that would actually be stored.
pub async fn post(
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    ClientIp(ip): ClientIp,
    ApiJson(new): ApiJson<NewMessage>,
) -> Result<impl IntoResponse, AppError> {
    rules::check_honeypot(&new)?;
    check_client_id(&new.client_id)?;
    if let Some(existing) = state
        .store
        .find_by_client_id(wall.clone(), new.client_id.clone())
        .await?
    {
        return Ok((StatusCode::OK, Json(rules::post_answer(&existing, false))));
    }
    state.limits.check_write(ip)?;
    let clean = message::prepare(new.author.as_deref(), &new.body).map_err(ApiError::from)?;
    let gap = state.slow_mode.gap(&wall).await;
    state.limits.check_slow_mode(ip, &wall, gap)?;
    // A post does not say its language (the widget's may not be the
    // writer's), so each text is read with the lexicon of the language it
    // looks like: English, German, French or Spanish.
    let flagged = kindness::check_any_language(&clean.body).or_else(|| {
        clean
            .author
            .as_deref()
            .and_then(kindness::check_any_language)
    });
    let held = state.settings.hold_flagged && flagged.is_some();
    let posted = state
        .store
        .post(
            wall,
            NewPost {
                client_id: new.client_id,
                author: clean.author,
                body: clean.body,
                held,
                // Only the team's endpoint sets it (`routes::walls`).
                official: false,
                created_at: crate::now(),
            },
        )
        .await?;
    if held && posted.created {
        tracing::info!(id = posted.message.id, "message held for review");
    }
    let status = if posted.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(rules::post_answer(&posted.message, posted.created)),
    ))
}

/// `POST /api/v1/walls/{wall}/messages/{id}/hugs`: 201 with the new count,
/// or 200 when this client had already hugged the message.
pub async fn hug(
    State(state): State<AppState>,
    MessagePath(wall, id): MessagePath,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<HugRequest>,
) -> Result<impl IntoResponse, AppError> {
    check_client_id(&request.client_id)?;
    state.limits.check_write(ip)?;
    let hugged = state
        .store
        .hug(wall, id, request.client_id, crate::now())
        .await?
        .ok_or_else(|| AppError::not_found("There is no such message on this wall."))?;
    let status = if hugged.added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(hugged.count)))
}
