//! Non-API answers: health, badge, embed page, static files, CORS, and the
//! team-set status with its ETag.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use std::fs;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = start().await;
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.value(), json!({"status": "ok"}));
}

#[tokio::test]
async fn the_team_sets_the_status_with_an_etag_and_304() {
    let app = start().await;
    // Nothing configured yet: a clear 404.
    let none = app.get("/api/v1/status").await;
    let error = none.assert_refused(404, "not_found");
    assert!(error["message"].as_str().unwrap().contains("--status-url"));

    let set = app
        .team(
            Method::PUT,
            "/api/v1/status",
            Some(json!({"page": {"name": "Example"}, "status": {"indicator": "major", "description": "API down"}})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    let reply = app.get("/api/v1/status").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.value();
    assert_eq!(body["status"]["indicator"], "major");
    assert_eq!(body["status"]["description"], "API down");
    assert_eq!(body["hugops"]["source"], "team");
    assert_eq!(body["components"], json!([]));
    let etag = reply.header("etag").unwrap().to_owned();
    assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "{etag}");
    assert_eq!(reply.header("cache-control"), Some("no-cache"));

    let again = app
        .call(Call::new(Method::GET, "/api/v1/status").header("if-none-match", &etag))
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let other = app
        .call(Call::new(Method::GET, "/api/v1/status").header("if-none-match", "\"other\""))
        .await;
    assert_eq!(other.status, StatusCode::OK);

    // It survives a restart: stored, not only cached.
    let state = hugops_server::AppState::open(&{
        let mut c = config(app.dir.path());
        c.team_token = Some(TOKEN.into());
        c
    })
    .await
    .unwrap();
    let restarted = hugops_server::app(state);
    let response = tower::ServiceExt::oneshot(
        restarted,
        axum::http::Request::get("/api/v1/status")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Garbage is refused, and the old status stays.
    let bad = app
        .call(
            Call::new(Method::PUT, "/api/v1/status")
                .team()
                .header("content-type", "application/json")
                .raw("<html>nope</html>"),
        )
        .await;
    bad.assert_refused(400, "bad_request");
    assert_eq!(
        app.get("/api/v1/status").await.value()["status"]["indicator"],
        "major"
    );

    let cleared = app.team(Method::DELETE, "/api/v1/status", None).await;
    assert_eq!(cleared.status, StatusCode::OK);
    app.get("/api/v1/status")
        .await
        .assert_refused(404, "not_found");
}

#[tokio::test]
async fn the_badge_shows_status_in_words_and_shape() {
    let app = start().await;
    let unknown = app.get("/badge.svg").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown
        .header("content-type")
        .unwrap()
        .starts_with("image/svg+xml"));
    assert!(unknown.text().contains("Status unknown"));

    app.team(
        Method::PUT,
        "/api/v1/status",
        Some(json!({"status": {"indicator": "critical", "description": "<script>alert(1)</script> & down"}})),
    )
    .await;
    let svg = app.get("/badge.svg").await.text();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains(">Major system outage</text>"), "{svg}");
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(
        svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; down"),
        "{svg}"
    );

    app.team(
        Method::PUT,
        "/api/v1/status",
        Some(json!({"status": {"indicator": "none", "description": "All Systems Operational"}})),
    )
    .await;
    let ok = app.get("/badge.svg").await.text();
    assert!(ok.contains(">All systems operational</text>"), "{ok}");
    // A different shape, not only a different colour.
    let icon = |svg: &str| {
        svg.split("<g transform=")
            .nth(1)
            .unwrap()
            .split("</g>")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_ne!(icon(&ok), icon(&svg));
}

#[tokio::test]
async fn the_embed_page_holds_the_widget_without_inline_script() {
    let app = start_with(|c| c.allowed_origins = vec!["https://hugops.example.com".into()]).await;
    let reply = app
        .get("/embed?wall=inc-42&api=https://hugops.example.com/&theme=dark&lang=de&mode=toast")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let html = reply.text();
    assert!(
        html.contains(r#"<script type="module" src="/hugops.js"></script>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<hugops-widget wall="inc-42" api="https://hugops.example.com" theme="dark" lang="de" mode="toast"></hugops-widget>"#),
        "{html}"
    );
    // Every script has a src: nothing inline.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script type=\"module\" src=").count()
    );
    let csp = reply.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self' https://hugops.example.com"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"),
        "{csp}"
    );

    // Unknown values of the enumerated attributes are dropped, not echoed.
    let odd = app.get("/embed?theme=%22%3E%3Cscript%3E").await.text();
    assert!(!odd.contains("theme="), "{odd}");
}

#[tokio::test]
async fn the_embed_page_uses_this_server_unless_told_of_an_allowed_one() {
    let app = start().await;
    // No `api`: this server's status and wall (not the bundled demo, not a
    // wall in the visitor's own browser), and requests only to itself.
    let reply = app.get("/embed").await;
    assert_eq!(reply.status, StatusCode::OK);
    let plain = reply.text();
    assert!(
        plain.contains(r#"<hugops-widget wall="general" api="/"></hugops-widget>"#),
        "{plain}"
    );
    let csp = reply.header("content-security-policy").unwrap();
    assert!(csp.contains("connect-src 'self';"), "{csp}");

    // This server named by its own origin (the Host the browser used).
    let own = app
        .call(
            Call::new(Method::GET, "/embed?api=https://hugops.example.com")
                .header("host", "hugops.example.com"),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    assert!(own.text().contains(r#"api="https://hugops.example.com""#));

    // Anyone else's API is refused with a page that says why: no list, or
    // not on it.
    let refused = |reply: Reply, says: &str| {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
        let html = reply.text();
        assert!(html.contains(says), "{html}");
        assert!(!html.contains("<hugops-widget"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        let csp = reply.header("content-security-policy").unwrap();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
    };
    refused(
        app.get("/embed?api=https://evil.example/").await,
        "https://evil.example is not allowed",
    );
    let listed =
        start_with(|c| c.allowed_origins = vec!["https://status.example.com".into()]).await;
    refused(
        listed.get("/embed?api=https://evil.example/").await,
        "https://evil.example is not allowed",
    );
    let ok = listed.get("/embed?api=https://status.example.com").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.text().contains(r#"api="https://status.example.com""#));
    // Not a URL at all, and a bad wall: the same kind of page.
    refused(
        app.get("/embed?api=javascript:alert(1)").await,
        "must be an http or https URL",
    );
    refused(app.get("/embed?wall=Not%20A%20Wall").await, "wall");
}

#[tokio::test]
async fn frame_ancestors_follow_the_allowed_origins() {
    let app = start_with(|c| c.allowed_origins = vec!["https://status.example.com/".into()]).await;
    let reply = app.get("/embed").await;
    let csp = reply.header("content-security-policy").unwrap();
    assert!(
        csp.ends_with("frame-ancestors https://status.example.com"),
        "{csp}"
    );
}

fn write_dist(dir: &std::path::Path) {
    let dist = dir.join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    fs::write(
        dist.join("hugops.js"),
        "import('./hugops-widget-0123456789abcdef.js');",
    )
    .unwrap();
    fs::write(
        dist.join("hugops-widget-0123456789abcdef.js"),
        "export default 1;",
    )
    .unwrap();
    fs::write(
        dist.join("hugops-widget-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0raw",
    )
    .unwrap();
    fs::write(
        dist.join("hugops-widget-0123456789abcdef_bg.wasm.br"),
        b"brotli bytes",
    )
    .unwrap();
    fs::write(
        dist.join("hugops-widget-0123456789abcdef_bg.wasm.gz"),
        b"gzip bytes",
    )
    .unwrap();
}

#[tokio::test]
async fn static_files_are_served_with_the_right_cache_and_encoding() {
    let app = start().await;
    write_dist(app.dir.path());

    let index = app.get("/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(index.text(), "<!doctype html><title>demo</title>");
    assert_eq!(index.header("cache-control"), Some("no-cache"));

    let loader = app.get("/hugops.js").await;
    assert_eq!(loader.status, StatusCode::OK);
    assert!(loader
        .header("content-type")
        .unwrap()
        .contains("javascript"));
    assert_eq!(loader.header("cache-control"), Some("no-cache"));
    assert_eq!(loader.header("x-content-type-options"), Some("nosniff"));

    let wasm_path = "/hugops-widget-0123456789abcdef_bg.wasm";
    let raw = app.get(wasm_path).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.header("content-type"), Some("application/wasm"));
    assert_eq!(
        raw.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(raw.header("content-encoding"), None);
    assert_eq!(&raw.body[..], b"\0asm\x01\0\0\0raw");

    let br = app
        .call(Call::new(Method::GET, wasm_path).header("accept-encoding", "gzip, br"))
        .await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some("application/wasm"));
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    assert_eq!(&br.body[..], b"brotli bytes");
    let gz = app
        .call(Call::new(Method::GET, wasm_path).header("accept-encoding", "gzip"))
        .await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(&gz.body[..], b"gzip bytes");

    let hashed_js = app.get("/hugops-widget-0123456789abcdef.js").await;
    assert_eq!(
        hashed_js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let missing = app.get("/nope.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), None);
}

#[tokio::test]
async fn without_a_build_the_front_page_says_what_to_run() {
    let app = start().await;
    let reply = app.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("cargo xtask run"), "{}", reply.text());
    assert_eq!(app.get("/hugops.js").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cors_allows_any_origin_by_default_and_only_the_list_when_set() {
    let preflight = |origin: &str| {
        Call::new(Method::OPTIONS, "/api/v1/walls/general/messages")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
    };
    let open = start().await;
    let reply = open.call(preflight("https://anywhere.example")).await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));

    let listed =
        start_with(|c| c.allowed_origins = vec!["https://status.example.com".into()]).await;
    let ok = listed.call(preflight("https://status.example.com")).await;
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://status.example.com")
    );
    let foreign = listed.call(preflight("https://evil.example")).await;
    assert_eq!(foreign.header("access-control-allow-origin"), None);

    // Scripts may read Retry-After and ETag.
    let get = open
        .call(
            Call::new(Method::GET, "/api/v1/walls/general/messages")
                .header("origin", "https://a.example"),
        )
        .await;
    let exposed = get
        .header("access-control-expose-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("etag"),
        "{exposed}"
    );
}

#[tokio::test]
async fn invalid_allowed_origins_stop_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path());
    c.allowed_origins = vec!["not an origin".into()];
    assert!(hugops_server::AppState::open(&c).await.is_err());
}

#[tokio::test]
async fn demo_mode_serves_the_made_up_incident() {
    let app = start_with(|c| c.demo = true).await;
    let reply = app.get("/api/v1/status").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.value();
    assert_eq!(body["hugops"]["source"], "demo");
    assert_eq!(body["status"]["indicator"], "major");
    // Its times are filled in relative to now: the incident is under way.
    let started = body["incidents"][0]["created_at"].as_str().unwrap();
    let started = hugops_core::time::Timestamp::parse_rfc3339(started).unwrap();
    let age = hugops_server::now().millis() - started.millis();
    assert!((24 * 60_000..27 * 60_000).contains(&age), "{age} ms");
    // Polls within the minute get 304s.
    let etag = reply.header("etag").unwrap().to_owned();
    let again = app
        .call(Call::new(Method::GET, "/api/v1/status").header("if-none-match", &etag))
        .await;
    assert!(
        again.status == StatusCode::NOT_MODIFIED || again.header("etag") != Some(etag.as_str()),
        "a new minute may have begun"
    );
    assert!(app
        .get("/badge.svg")
        .await
        .text()
        .contains("Partial system outage"));
    // The team's word still wins.
    app.team(
        Method::PUT,
        "/api/v1/status",
        Some(json!({"status": {"indicator": "none", "description": "Fixed"}})),
    )
    .await;
    assert_eq!(
        app.get("/api/v1/status").await.value()["hugops"]["source"],
        "team"
    );
}

#[tokio::test]
async fn the_team_page_is_served_at_slash_team_under_a_strict_policy() {
    let app = start().await;
    // Before a build: words saying what to run, not a bare 404.
    let unbuilt = app.get("/team").await;
    assert_eq!(unbuilt.status, StatusCode::OK);
    assert!(
        unbuilt.text().contains("team page is not built"),
        "{}",
        unbuilt.text()
    );
    assert!(unbuilt.text().contains("cargo xtask run"));

    write_dist(app.dir.path());
    let team = app.dir.path().join("dist/team");
    fs::create_dir_all(&team).unwrap();
    let html = "<!doctype html><title>HugOps team</title><script type=\"module\" src=\"/team/team.js\"></script>";
    fs::write(team.join("index.html"), html).unwrap();
    fs::write(
        team.join("team.js"),
        "import init from './hugops-team-0123456789abcdef.js';",
    )
    .unwrap();
    fs::write(
        team.join("hugops-team-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0team",
    )
    .unwrap();

    for path in ["/team", "/team/", "/team/index.html"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(page.text(), html, "{path}");
        assert_eq!(page.header("cache-control"), Some("no-cache"));
        let csp = page.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    }
    // Its bundle sits beside it, cached like the widget's.
    let wasm = app.get("/team/hugops-team-0123456789abcdef_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        app.get("/team/team.js").await.header("cache-control"),
        Some("no-cache")
    );
    // The visitor's front page is untouched by it.
    assert_eq!(
        app.get("/").await.text(),
        "<!doctype html><title>demo</title>"
    );
    assert_eq!(app.get("/").await.header("content-security-policy"), None);
}
