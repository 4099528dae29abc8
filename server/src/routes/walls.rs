//! The team's view of walls: the list of walls with their facts, every
//! message of one wall, and the team's official messages. Team only.

use crate::auth::Team;
use crate::error::AppError;
use crate::extract::{ApiJson, WallPath};
use crate::store::NewPost;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use hugops_core::message;
use hugops_core::wire::{
    check_client_id, ApiError, ErrorCode, Message, MessagePage, OfficialMessage, RecentWalls,
    WallList, RECENT_INCIDENT_MILLIS,
};

/// `GET /api/v1/walls`: every wall with a message or an incident, and
/// `general`, newest activity first.
pub async fn list(
    _team: Team,
    State(state): State<AppState>,
) -> Result<impl IntoResponse, AppError> {
    // Asking for the status brings the upstream copy up to date (from the
    // cache while it is fresh), so the incidents it lists are recorded;
    // whether it answers does not matter here.
    let _ = state.status.current().await;
    state.incidents.settled().await;
    let mut walls = state.store.walls().await?;
    walls.sort_by(|a, b| {
        b.last_activity()
            .cmp(&a.last_activity())
            .then_with(|| a.wall.cmp(&b.wall))
    });
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(WallList { walls }),
    ))
}

/// `GET /api/v1/walls/recent`: the walls of incidents going on or resolved
/// within the last seven days, newest first, for the widget's wall
/// switcher. Public: it holds only what the status page shows anyway.
pub async fn recent(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    // As for the team's list: the incidents of the current status are
    // recorded before they are read.
    let _ = state.status.current().await;
    state.incidents.settled().await;
    let since =
        hugops_core::time::Timestamp::from_millis(crate::now().millis() - RECENT_INCIDENT_MILLIS);
    let walls = state.store.recent_incident_walls(since).await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(RecentWalls { walls }),
    ))
}

/// `GET /api/v1/walls/{wall}/messages/all`: every message, hidden and
/// held ones included, oldest first (what the JSON export holds).
pub async fn all(
    _team: Team,
    State(state): State<AppState>,
    WallPath(wall): WallPath,
) -> Result<impl IntoResponse, AppError> {
    let messages = state.store.all(wall).await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(MessagePage {
            messages,
            ..MessagePage::default()
        }),
    ))
}

/// `POST /api/v1/walls/{wall}/official`: the team's message, stored
/// pinned and `official`, and streamed like any new visible message. The
/// message rules apply; the kindness hold, the rate limit and slow mode do
/// not (the team is not who they guard against).
pub async fn official(
    _team: Team,
    State(state): State<AppState>,
    WallPath(wall): WallPath,
    ApiJson(request): ApiJson<OfficialMessage>,
) -> Result<(StatusCode, Json<Message>), AppError> {
    check_client_id(&request.client_id)?;
    let clean =
        message::prepare(request.author.as_deref(), &request.body).map_err(ApiError::from)?;
    let posted = state
        .store
        .post(
            wall,
            NewPost {
                client_id: request.client_id,
                author: clean.author,
                body: clean.body,
                held: false,
                official: true,
                created_at: crate::now(),
            },
        )
        .await?;
    if !posted.message.official {
        // A retry answers with the first message; this id was a
        // customer's, and that message must not pass for the team's.
        return Err(AppError::Refused(
            ApiError::new(
                ErrorCode::BadRequest,
                "That client_id is already taken by another message on this wall; send a new one.",
            )
            .with_field("client_id"),
        ));
    }
    if posted.created {
        tracing::info!(id = posted.message.id, "official message posted");
    }
    let status = if posted.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(posted.message)))
}
