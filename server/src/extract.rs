//! Extractors whose refusals are `wire::ApiError` JSON like every other
//! refusal (axum's own answer plain text), and which read the contract's
//! path and query parameters leniently where a browser may send them empty.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use hugops_core::wire::{ApiError, ErrorCode, MessageId, PageRequest, WallSlug};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::HashMap;

/// A JSON body, sent as `Content-Type: application/json` (415 otherwise:
/// see [`require_json`]); too large is 413, anything unreadable is 400
/// naming what is wrong.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                payload_too_large()
            } else {
                AppError::bad_request("The request body could not be read.")
            }
        })?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            AppError::bad_request(format!(
                "The request body is not the JSON this endpoint takes: {e}."
            ))
        })
    }
}

/// A JSON body left unparsed (the handler reads it leniently), with the
/// same 415 and 413 as [`ApiJson`].
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    payload_too_large()
                } else {
                    AppError::bad_request("The request body could not be read.")
                }
            })
    }
}

/// Refuses a body whose `Content-Type` is not `application/json` (any
/// parameters, such as `charset`, allowed). A browser sends a cross-site
/// `text/plain`, form or multipart post without asking CORS first, so a
/// page anywhere could make its visitors post and hug; `application/json`
/// needs a preflight, which the `--allowed-origin` list then answers.
fn require_json(headers: &HeaderMap) -> Result<(), AppError> {
    let essence = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    match essence {
        Some(e) if e.eq_ignore_ascii_case("application/json") => Ok(()),
        _ => Err(AppError::refused(
            ErrorCode::UnsupportedMediaType,
            "Send the request body as JSON, with the header `Content-Type: application/json`.",
        )),
    }
}

pub fn payload_too_large() -> AppError {
    AppError::Refused(ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "The request body is too large: the limit is {} KiB ({} KiB for a status summary).",
            crate::MAX_REQUEST_BYTES / 1024,
            crate::MAX_STATUS_BYTES / 1024
        ),
    ))
}

async fn path_params<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<HashMap<String, String>, AppError> {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|Path(p)| p)
        .map_err(|_| AppError::bad_request("The path is not valid."))
}

fn wall_of(params: &HashMap<String, String>) -> Result<WallSlug, AppError> {
    let raw = params.get("wall").map(String::as_str).unwrap_or_default();
    Ok(WallSlug::parse(raw)?)
}

/// `{wall}` of the path, validated.
pub struct WallPath(pub WallSlug);

impl<S: Send + Sync> FromRequestParts<S> for WallPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = path_params(parts, state).await?;
        Ok(WallPath(wall_of(&params)?))
    }
}

/// `{wall}` and `{id}` of the path, validated.
pub struct MessagePath(pub WallSlug, pub MessageId);

impl<S: Send + Sync> FromRequestParts<S> for MessagePath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = path_params(parts, state).await?;
        let wall = wall_of(&params)?;
        let id = params
            .get("id")
            .and_then(|id| id.parse::<MessageId>().ok())
            .filter(|id| *id > 0)
            .ok_or_else(|| AppError::bad_request("A message id is a positive whole number."))?;
        Ok(MessagePath(wall, id))
    }
}

/// A query string, with a JSON 400 when it cannot be read.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|_| AppError::bad_request("The query string is not valid."))
    }
}

/// `?after=&before=&limit=` as `wire::PageRequest`; an empty value counts as
/// absent (a form or URL template may send `after=`).
pub struct PageQuery(pub PageRequest);

#[derive(Deserialize)]
struct RawPage {
    after: Option<String>,
    before: Option<String>,
    limit: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageQuery {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ApiQuery(raw) = ApiQuery::<RawPage>::from_request_parts(parts, state).await?;
        fn number<T: std::str::FromStr>(
            value: Option<String>,
            field: &str,
        ) -> Result<Option<T>, AppError> {
            match value.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => text.parse().map(Some).map_err(|_| {
                    AppError::Refused(
                        ApiError::new(
                            ErrorCode::BadRequest,
                            format!("`{field}` must be a non-negative whole number."),
                        )
                        .with_field(field),
                    )
                }),
            }
        }
        Ok(PageQuery(PageRequest {
            after: number::<u64>(raw.after, "after")?.map(clamp_id),
            before: number::<u64>(raw.before, "before")?.map(clamp_id),
            limit: number::<u32>(raw.limit, "limit")?,
        }))
    }
}

fn clamp_id(value: u64) -> MessageId {
    MessageId::try_from(value).unwrap_or(MessageId::MAX)
}
