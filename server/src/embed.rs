//! `/embed?wall=&api=&theme=&lang=&mode=`: a whole page holding the widget,
//! in the visitor's language (`<html lang dir>`, and `lang` for the widget),
//! for hosts whose Content-Security-Policy forbids WebAssembly. The host
//! puts it in an `<iframe>`; the page runs under this server's own CSP,
//! which allows exactly the widget: its script from here, its wasm, and
//! requests to the API. No inline script, ever.
//!
//! The page is on the operator's domain, so what it shows is the
//! operator's: by default the widget talks to this server (`api="/"`: its
//! status and its wall, never the bundled demo or a wall kept in the
//! visitor's browser), and `api=` may name another API only when its
//! origin is this server's own or on the `--allowed-origin` list.
//! Anything else is a `400` page saying why, not a quiet fallback.

use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hugops_core::language::Language;
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
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EmbedQuery>,
) -> Response {
    let allowed = &state.settings.allowed_origins;
    let ancestors = if allowed.is_empty() {
        "*".to_owned()
    } else {
        allowed.join(" ")
    };
    let wall = match WallSlug::parse(query.wall.as_deref().unwrap_or("general")) {
        Ok(wall) => wall,
        Err(e) => return refusal(&e.message, &ancestors),
    };
    let own_host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let api = match query
        .api
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(text) => match api_choice(text, own_host, allowed) {
            Ok(api) => Some(api),
            Err(why) => return refusal(&why, &ancestors),
        },
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

    // This server unless another allowed API was named.
    let api_attribute = api.as_ref().map_or("/", |(url, _)| url.as_str());
    let mut attributes = format!(r#"wall="{wall}" api="{}""#, attr(api_attribute));
    for (name, value) in [("theme", &theme), ("lang", &lang), ("mode", &mode)] {
        if let Some(value) = value {
            attributes.push_str(&format!(r#" {name}="{}""#, attr(value)));
        }
    }
    // The page is in the language the widget will speak (core's rule: a
    // tag we have no words for is English), and Arabic reads right to left
    // from the first paint. The widget gets the tag as asked, for its dates.
    let language = lang
        .as_deref()
        .map_or(Language::English, Language::from_tag);
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <script type=\"module\" src=\"/hugops.js\"></script>\n</head>\n<body>\n\
         <hugops-widget {attributes}></hugops-widget>\n</body>\n</html>\n",
        lang = language.tag(),
        dir = language.dir(),
        title = attr(&crate::words::text(language, "wall.title")),
    );

    let connect = match &api {
        Some((_, origin)) => format!("'self' {origin}"),
        None => "'self'".into(),
    };
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src {connect}; \
         base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        html,
    )
        .into_response()
}

/// The `api=` to use (normalised URL, origin), or why it is refused: it
/// must be http(s), and its origin this server's own (the `Host` the
/// browser asked for) or one of `allowed`.
fn api_choice(
    text: &str,
    own_host: Option<&str>,
    allowed: &[String],
) -> Result<(String, String), String> {
    let (url, origin) = api_origin(text).ok_or_else(|| {
        "`api` must be an http or https URL, such as https://hugops.example.com.".to_owned()
    })?;
    let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
    let own = own_host.is_some_and(|host| host.eq_ignore_ascii_case(authority));
    if own || allowed.iter().any(|a| a == &origin) {
        Ok((url, origin))
    } else {
        Err(format!(
            "This page shows only this server's wall, or one whose origin the operator \
             allowed with --allowed-origin; {origin} is not allowed. Leave out `api` to \
             use this server."
        ))
    }
}

/// A `400` page in plain words, shown in the host's iframe.
fn refusal(why: &str, ancestors: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>HugOps wall: cannot show this</title>\n</head>\n<body>\n\
         <p>This wall cannot be shown: {}</p>\n</body>\n</html>\n",
        attr(why)
    );
    (
        StatusCode::BAD_REQUEST,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                format!("default-src 'none'; base-uri 'none'; frame-ancestors {ancestors}"),
            ),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        html,
    )
        .into_response()
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

    #[test]
    fn api_must_be_this_server_or_allowed() {
        let allowed = vec!["https://status.example.com".to_owned()];
        assert!(api_choice("https://status.example.com/", None, &allowed).is_ok());
        assert!(api_choice(
            "https://hugops.example.com",
            Some("hugops.example.com"),
            &[]
        )
        .is_ok());
        assert!(api_choice("http://127.0.0.1:8080", Some("127.0.0.1:8080"), &[]).is_ok());
        let refused =
            api_choice("https://evil.example", Some("hugops.example.com"), &allowed).unwrap_err();
        assert!(
            refused.contains("https://evil.example is not allowed"),
            "{refused}"
        );
        // The same host on another port is another origin.
        assert!(api_choice(
            "https://hugops.example.com:8443",
            Some("hugops.example.com"),
            &[]
        )
        .is_err());
        assert!(api_choice("javascript:alert(1)", None, &allowed).is_err());
    }
}
