//! The one error type of the handlers. A refusal (`wire::ApiError`) is sent
//! as it is, with its status and, for 429, a `Retry-After` header; anything
//! else is a fault of ours: logged in full here, and sent as a bare
//! "internal" error so no SQL, path or upstream detail ever reaches a client.

use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hugops_core::wire::{ApiError, ErrorCode};

#[derive(Debug)]
pub enum AppError {
    /// The request was refused for a reason the client may know.
    Refused(ApiError),
    /// The store failed; the detail is for the log only.
    Store(StoreError),
    /// Any other fault of the server; the detail is for the log only.
    Internal(String),
}

impl AppError {
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::Refused(ApiError::new(code, message))
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::refused(ErrorCode::BadRequest, message)
    }

    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::refused(ErrorCode::NotFound, message)
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        AppError::Refused(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

/// Builds the JSON response of a refusal; also used by middleware that
/// answers before any handler runs (body limit, unknown routes).
pub fn api_error_response(error: ApiError) -> Response {
    let status = StatusCode::from_u16(error.error.http_status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry_after = error.retry_after;
    let mut response = (status, Json(error)).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"hugops-team\""),
        );
    }
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Refused(error) => api_error_response(error),
            AppError::Store(e) => {
                tracing::error!(error = %e, "store failed");
                internal()
            }
            AppError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                internal()
            }
        }
    }
}

fn internal() -> Response {
    api_error_response(ApiError::new(
        ErrorCode::Internal,
        "Something went wrong on our side. Please try again in a moment.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn internals_never_reach_the_client() {
        let response =
            AppError::Internal("/var/secret/path: permission denied".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let error: ApiError = serde_json::from_slice(&body).unwrap();
        assert_eq!(error.error, ErrorCode::Internal);
        assert!(!error.message.contains("secret"), "{}", error.message);
    }

    #[test]
    fn rate_limits_carry_retry_after_header_and_field() {
        let response = AppError::Refused(
            ApiError::new(ErrorCode::RateLimited, "Slow down.").with_retry_after(7),
        )
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    }
}
