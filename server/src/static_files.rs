//! The built widget and demo page, from the static directory.
//!
//! Caching follows the file name: a name carrying a content hash
//! (`hugops-widget-3f2a9c1e0b7d4a55_bg.wasm`) never changes, so it is
//! cached for a year as immutable; everything else (`/hugops.js`, the
//! loader hosts point at, and `index.html`) must be revalidated each time
//! (`no-cache`; ETag-free but `Last-Modified` answers 304), so a deploy
//! reaches every page at once. Precompressed `.br`/`.gz` siblings written by
//! the build are sent to clients that accept them.

use crate::error::api_error_response;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use hugops_core::wire::{ApiError, ErrorCode};
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::ServeDir;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";
/// The team page's policy: its own files only, no inline script or style,
/// never in a frame.
pub const TEAM_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TEAM_INDEX: &str = "team/index.html";

/// The fallback of the router: API paths that matched nothing get a JSON
/// 404, anything else is looked up in the static directory.
pub async fn serve(State(state): State<AppState>, mut request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/") {
        return api_error_response(ApiError::new(
            ErrorCode::NotFound,
            "There is no such API endpoint; see docs/api.md.",
        ));
    }
    let dir = &state.settings.static_dir;
    if path == "/" && !dir.join("index.html").is_file() {
        return not_built(dir, "widget", "index.html").into_response();
    }
    let team_page = matches!(path.as_str(), "/team" | "/team/" | "/team/index.html");
    if team_page {
        if !dir.join(TEAM_INDEX).is_file() {
            return not_built(dir, "team page", TEAM_INDEX).into_response();
        }
        // `/team` itself, not only `/team/`: the address people type.
        *request.uri_mut() = axum::http::Uri::from_static("/team/index.html");
    }
    let service = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let mut response = match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let policy = if is_hashed(&path) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if team_page {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(TEAM_CSP),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
        }
    }
    response
}

/// Whether the path carries a build hash: a file or folder name with a `-`
/// followed by at least 16 hex digits, then `.`, `_` or the end (Trunk's
/// naming: `name-<hash>.js`, `name-<hash>_bg.wasm`, and wasm-bindgen's
/// `snippets/name-<hash>/inline0.js`).
pub fn is_hashed(path: &str) -> bool {
    path.split('/').any(|name| {
        name.split('-').skip(1).any(|part| {
            let hex = part.bytes().take_while(u8::is_ascii_hexdigit).count();
            hex >= 16 && matches!(part.as_bytes().get(hex), None | Some(b'.' | b'_'))
        })
    })
}

fn not_built(dir: &Path, what: &str, file: &str) -> Html<String> {
    let dir = dir
        .display()
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>HugOps server</title></head><body>\n\
         <h1>The HugOps server is running</h1>\n\
         <p>The {what} is not built yet: there is no <code>{file}</code> in <code>{dir}</code>. \
         Run <code>cargo xtask run</code> to build the widget and the team page and start the server, \
         or pass <code>--static-dir</code>.</p>\n\
         <p>The API is up: try <a href=\"/healthz\">/healthz</a>.</p>\n</body></html>\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/hugops-widget-3f2a9c1e0b7d4a55_bg.wasm"));
        assert!(is_hashed("/hugops-widget-3f2a9c1e0b7d4a55.js"));
        assert!(is_hashed("/assets/style-0123456789abcdef0123.css"));
        assert!(!is_hashed("/hugops.js"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/status-page-demo.js"));
        assert!(is_hashed(
            "/snippets/hugops-widget-fa069ce3969fb25f/inline0.js"
        ));
        assert!(!is_hashed("/deadbeef-3f2a9c1e/x.js"));
    }
}
