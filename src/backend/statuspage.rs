//! A status source reading any Statuspage v2 `summary.json` over HTTP:
//! Atlassian Statuspage, OpenStatus's compatible endpoint, incident.io pages,
//! or the HugOps server's caching proxy (`/api/v1/status`), which is the way
//! round status APIs that send no CORS headers.

use super::{LocalFuture, StatusProblem, StatusSource};
use gloo_net::http::Request;
use hugops_core::status::{parse_summary_str, Summary};
use std::cell::RefCell;
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
            let body = get_text(&self.url).await?;
            if self.last_body.borrow().as_deref() == Some(body.as_str()) {
                return Ok(None);
            }
            let summary = parse_summary_str(&body).map_err(|e| StatusProblem(e.to_string()))?;
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
                StatusProblem(format!(
                    "The status source did not answer within {} seconds.",
                    TIMEOUT_MS / 1000
                ))
            } else {
                StatusProblem("Could not reach the status source (network error).".into())
            }
        })?;
    if !response.ok() {
        return Err(StatusProblem(format!(
            "The status source answered with an error (HTTP {}).",
            response.status()
        )));
    }
    response
        .text()
        .await
        .map_err(|_| StatusProblem("The status source's answer was cut off.".into()))
}
