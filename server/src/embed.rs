//! `/embed?wall=&api=&theme=&lang=&mode=`: a whole page holding the widget,
//! for hosts whose Content-Security-Policy forbids WebAssembly. The host
//! puts it in an `<iframe>`; the page runs under this server's own CSP,
//! which allows exactly the widget: its script from here, its wasm, and
//! requests to the API. No inline script, ever.

use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use hugops_core::wire::WallSlug;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct EmbedQuery {
    wall: Option<String>,
    api: Option<String>,
    theme: Option<String>,
    lang: Option<String>,
    mode: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<EmbedQuery>,
) -> Result<impl IntoResponse, AppError> {
    let wall = WallSlug::parse(query.wall.as_deref().unwrap_or("general"))?;
    let api = match query
        .api
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(text) => Some(api_origin(text).ok_or_else(|| {
            AppError::bad_request(
                "`api` must be an http or https URL, such as https://hugops.example.com.",
            )
        })?),
    };
    let theme = query
        .theme
        .filter(|t| matches!(t.as_str(), "light" | "dark" | "auto"));
    let lang = query.lang.filter(|l| {
        !l.is_empty() && l.len() <= 16 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let mode = query
        .mode
        .filter(|m| matches!(m.as_str(), "inline" | "toast"));

    let mut attributes = format!(r#"wall="{wall}""#);
    if let Some((url, _)) = &api {
        attributes.push_str(&format!(r#" api="{}""#, attr(url)));
    }
    for (name, value) in [("theme", &theme), ("lang", &lang), ("mode", &mode)] {
        if let Some(value) = value {
            attributes.push_str(&format!(r#" {name}="{}""#, attr(value)));
        }
    }
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>HugOps wall</title>\n\
         <script type=\"module\" src=\"/hugops.js\"></script>\n</head>\n<body>\n\
         <hugops-widget {attributes}></hugops-widget>\n</body>\n</html>\n",
        lang = attr(lang.as_deref().unwrap_or("en")),
    );

    let connect = match &api {
        Some((_, origin)) => format!("'self' {origin}"),
        None => "'self'".into(),
    };
    let ancestors = if state.settings.allowed_origins.is_empty() {
        "*".to_owned()
    } else {
        state.settings.allowed_origins.join(" ")
    };
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src {connect}; \
         base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        html,
    ))
}

/// The URL as given (normalised) and its origin, if it is http(s).
fn api_origin(text: &str) -> Option<(String, String)> {
    let url = reqwest::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let origin = url.origin().ascii_serialization();
    let mut normalised = url.to_string();
    if normalised.ends_with('/') && url.path() == "/" && url.query().is_none() {
        normalised.pop();
    }
    Some((normalised, origin))
}

/// Escapes text for a double-quoted HTML attribute.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_must_be_http() {
        assert_eq!(
            api_origin("https://hugops.example.com/"),
            Some((
                "https://hugops.example.com".into(),
                "https://hugops.example.com".into()
            ))
        );
        assert_eq!(
            api_origin("http://localhost:8080/base"),
            Some((
                "http://localhost:8080/base".into(),
                "http://localhost:8080".into()
            ))
        );
        assert_eq!(api_origin("javascript:alert(1)"), None);
        assert_eq!(api_origin("data:text/html,x"), None);
        assert_eq!(api_origin("not a url"), None);
    }
}
