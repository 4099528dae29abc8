//! A status source reading any Statuspage v2 `summary.json` over HTTP:
//! Atlassian Statuspage, OpenStatus's compatible endpoint, incident.io pages,
//! or the HugOps server's caching proxy (`/api/v1/status`), which is the way
//! round status APIs that send no CORS headers.

use super::{LocalFuture, StatusProblem, StatusSource};
use gloo_net::http::{Request, Response};
use hugops_core::status::{parse_summary_str, Summary};
use hugops_core::wire::ApiError;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::RequestCache;

/// How long a status request may take before the panel calls it failed.
const TIMEOUT_MS: u32 = 15_000;

pub struct StatuspageSource {
    url: String,
    /// The last body parsed, to answer "unchanged" without re-parsing.
    last_body: RefCell<Option<String>>,
}

impl StatuspageSource {
    pub fn new(url: impl Into<String>) -> Self {
        StatuspageSource {
            url: url.into(),
            last_body: RefCell::new(None),
        }
    }
}

impl StatusSource for StatuspageSource {
    fn fetch(&self) -> LocalFuture<'_, Result<Option<Summary>, StatusProblem>> {
        Box::pin(async move {
            let body = match super::prefetch::take(&self.url) {
                Some(request) => read_prefetched(request, &self.url).await?,
                None => get_text(&self.url).await?,
            };
            if self.last_body.borrow().as_deref() == Some(body.as_str()) {
                return Ok(None);
            }
            let summary =
                parse_summary_str(&body).map_err(|e| StatusProblem::Unreadable(e.to_string()))?;
            *self.last_body.borrow_mut() = Some(body);
            Ok(Some(summary))
        })
    }
}

/// GETs a URL as text. `cache: no-cache` makes the browser revalidate its
/// cached copy with the server's ETag or Last-Modified, without the custom
/// `If-None-Match` header that would force a CORS preflight.
async fn get_text(url: &str) -> Result<String, StatusProblem> {
    let abort = crate::browser::AbortAfter::new(TIMEOUT_MS);
    let response = Request::get(url)
        .cache(RequestCache::NoCache)
        .abort_signal(abort.signal().as_ref())
        .send()
        .await
        .map_err(|_| {
            if abort.fired() {
                StatusProblem::TimedOut {
                    seconds: TIMEOUT_MS / 1000,
                }
            } else {
                StatusProblem::Unreachable
            }
        })?;
    read_text(response).await
}

/// The loader's request for `url` (see `prefetch`), read as `get_text`
/// reads its own. If it never got an answer (network error, or its
/// timeout), the source asks once more itself, as it would have anyway.
async fn read_prefetched(request: js_sys::Promise, url: &str) -> Result<String, StatusProblem> {
    let answered = wasm_bindgen_futures::JsFuture::from(request)
        .await
        .ok()
        .and_then(|response| response.dyn_into::<web_sys::Response>().ok());
    match answered {
        Some(response) => read_text(response.into()).await,
        None => get_text(url).await,
    }
}

/// The body of an answer, or why there is none.
async fn read_text(response: Response) -> Result<String, StatusProblem> {
    if !response.ok() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        return Err(refusal(status, &body));
    }
    response.text().await.map_err(|_| StatusProblem::CutOff)
}

/// A HugOps server explains a refusal in plain words (`wire::ApiError`),
/// which say more than a bare code ("No status is configured …", "The
/// status source has not answered yet."); any other source gets its code.
fn refusal(status: u16, body: &str) -> StatusProblem {
    match serde_json::from_str::<ApiError>(body) {
        Ok(error) if !error.message.trim().is_empty() => StatusProblem::Explained { status, error },
        _ => StatusProblem::Refused { status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hugops_refusal_is_said_in_its_own_words_and_others_by_code() {
        let api =
            r#"{"error":"upstream_failed","message":"The status source has not answered yet."}"#;
        assert_eq!(
            refusal(502, api).to_string(),
            "The status source has not answered yet."
        );
        assert_eq!(
            refusal(404, "<html>Not found</html>"),
            StatusProblem::Refused { status: 404 }
        );
        assert_eq!(
            refusal(404, "<html>Not found</html>").to_string(),
            "The status source answered with an error (HTTP 404)."
        );
        assert_eq!(
            refusal(500, r#"{"message":""}"#),
            StatusProblem::Refused { status: 500 }
        );
    }
}
