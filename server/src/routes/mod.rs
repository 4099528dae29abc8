//! The router: every path of the contract, and the middleware around it.

pub mod events;
pub mod messages;
pub mod reconnect;
pub mod slow_mode;
pub mod status;
pub mod stream;
pub mod team;
pub mod walls;

use crate::error::{api_error_response, AppError};
use crate::limits::TrustProxy;
use crate::{embed, static_files, AppState, MAX_REQUEST_BYTES, MAX_STATUS_BYTES};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Extension, Json, Router};
use hugops_core::wire::{ApiError, ErrorCode};
use serde_json::json;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The whole application, ready to serve or to test with `oneshot`.
pub fn app(state: AppState) -> Router {
    let settings = state.settings.clone();
    Router::new()
        .route(
            "/api/v1/status",
            get(status::get)
                .put(status::put)
                .delete(status::delete)
                // A team-set summary may list hundreds of components.
                .layer(DefaultBodyLimit::max(MAX_STATUS_BYTES)),
        )
        .route("/api/v1/walls", get(walls::list))
        .route("/api/v1/walls/recent", get(walls::recent))
        .route(
            "/api/v1/walls/{wall}/messages",
            get(messages::list).post(messages::post),
        )
        .route("/api/v1/walls/{wall}/messages/all", get(walls::all))
        .route("/api/v1/walls/{wall}/messages/{id}", patch(team::moderate))
        .route(
            "/api/v1/walls/{wall}/messages/{id}/hugs",
            post(messages::hug),
        )
        .route("/api/v1/walls/{wall}/stream", get(stream::stream))
        .route("/api/v1/walls/{wall}/events", get(events::list))
        .route("/api/v1/walls/{wall}/held", get(team::held))
        .route("/api/v1/walls/{wall}/export", get(team::export))
        .route("/api/v1/walls/{wall}/official", post(walls::official))
        .route("/api/v1/walls/{wall}/slow-mode", put(slow_mode::put_wall))
        .route(
            "/api/v1/slow-mode",
            get(slow_mode::get).put(slow_mode::put_global),
        )
        .route("/badge.svg", get(status::badge))
        .route("/healthz", get(healthz))
        .route("/embed", get(embed::page))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(static_files::serve)
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                // Outermost: every request is traced (method and path; no
                // headers, so the team token never reaches the log).
                .layer(TraceLayer::new_for_http())
                .layer(CatchPanicLayer::custom(|_| {
                    tracing::error!("a handler panicked");
                    api_error_response(ApiError::new(
                        ErrorCode::Internal,
                        "Something went wrong on our side. Please try again in a moment.",
                    ))
                }))
                .layer(Extension(TrustProxy(settings.trust_proxy)))
                .layer(cors(&settings.allowed_origins))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                // Time to the response head: an SSE stream is not cut.
                .layer(middleware::from_fn_with_state(
                    settings.request_timeout,
                    time_limit,
                ))
                // Skips SSE (text/event-stream) and precompressed files.
                .layer(CompressionLayer::new())
                .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES)),
        )
}

/// An allow-list when origins are configured; any origin otherwise (the API
/// uses no cookies, so an open CORS policy exposes nothing a `curl` could
/// not fetch).
fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([header::RETRY_AFTER, header::ETAG])
        .max_age(std::time::Duration::from_secs(3600));
    if origins.is_empty() {
        layer.allow_origin(Any)
    } else {
        // Checked at startup (`Settings::from_config`), so none is dropped.
        let list = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok());
        layer.allow_origin(AllowOrigin::list(list))
    }
}

/// `GET /healthz`: 200 when the store answers a read and its writer can
/// commit a write, 503 otherwise (`health`: one probe at a time, its
/// verdict shared for a second).
async fn healthz(State(state): State<AppState>) -> Response {
    let checked = state.health.check(state.store.as_ref()).await;
    match checked {
        Ok(()) => Json(json!({"status": "ok"})).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: store cannot read or write");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// Answers `503 unavailable` (JSON, like every refusal) when a handler
/// takes longer than the configured time to produce its response head.
/// (tower-http's timeout answers with an empty body.)
async fn time_limit(
    State(limit): State<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            api_error_response(ApiError::new(
                ErrorCode::Unavailable,
                "The server took too long to answer. Please try again.",
            ))
        }
    }
}

async fn method_not_allowed() -> Response {
    let mut response =
        AppError::bad_request("This endpoint does not take that method; see docs/api.md.")
            .into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}
