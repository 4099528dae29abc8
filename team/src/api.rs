//! The team API client: the only code that talks to the server. Every
//! request carries the token in the `Authorization` header (never in a
//! URL) and asks the browser not to cache the answer.

use crate::export::{self, ExportFormat};
use gloo_net::http::{Request, RequestBuilder, Response};
use hugops_core::wire::{
    ApiError, GlobalSlowMode, Message, MessageId, MessagePage, ModerationAction, ModerationRequest,
    OfficialMessage, SlowModeSettings, WallList, WallSlowMode, WallSummary,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Why a request did not work, in words the page shows as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 401: the token is wrong, or the server has team endpoints off.
    Unauthorized(String),
    /// Any other refusal, with the server's message.
    Refused(String),
    /// No answer at all.
    Unreachable,
}

impl Failure {
    pub fn message(&self) -> String {
        match self {
            Failure::Unauthorized(text) | Failure::Refused(text) => text.clone(),
            Failure::Unreachable => {
                "The server did not answer. Check the connection and try again.".into()
            }
        }
    }
}

pub type Answer<T> = Result<T, Failure>;

/// The API with one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamApi {
    token: String,
}

impl TeamApi {
    pub fn new(token: String) -> Self {
        TeamApi { token }
    }

    fn authorised(&self, request: RequestBuilder) -> RequestBuilder {
        request
            .header("Authorization", &format!("Bearer {}", self.token))
            .cache(web_sys::RequestCache::NoStore)
    }

    async fn get<T: DeserializeOwned>(&self, url: &str) -> Answer<T> {
        let response = self
            .authorised(Request::get(url))
            .send()
            .await
            .map_err(|_| Failure::Unreachable)?;
        read_json(response).await
    }

    async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        body: &B,
    ) -> Answer<T> {
        let request = self
            .authorised(request)
            .json(body)
            .map_err(|_| Failure::Refused("The request could not be encoded.".into()))?;
        let response = request.send().await.map_err(|_| Failure::Unreachable)?;
        read_json(response).await
    }

    /// Every wall, newest activity first (the server's order).
    pub async fn walls(&self) -> Answer<Vec<WallSummary>> {
        Ok(self.get::<WallList>("/api/v1/walls").await?.walls)
    }

    /// Every message of a wall, hidden and held included.
    pub async fn messages(&self, wall: &str) -> Answer<Vec<Message>> {
        let url = format!("/api/v1/walls/{wall}/messages/all");
        Ok(self.get::<MessagePage>(&url).await?.messages)
    }

    pub async fn moderate(
        &self,
        wall: &str,
        id: MessageId,
        action: ModerationAction,
    ) -> Answer<Message> {
        let url = format!("/api/v1/walls/{wall}/messages/{id}");
        self.send(Request::patch(&url), &ModerationRequest { action })
            .await
    }

    pub async fn post_official(&self, wall: &str, post: &OfficialMessage) -> Answer<Message> {
        let url = format!("/api/v1/walls/{wall}/official");
        self.send(Request::post(&url), post).await
    }

    pub async fn global_slow_mode(&self) -> Answer<SlowModeSettings> {
        self.get("/api/v1/slow-mode").await
    }

    pub async fn set_global_slow_mode(&self, seconds: u32) -> Answer<SlowModeSettings> {
        let body = GlobalSlowMode {
            global_seconds: seconds,
        };
        self.send(Request::put("/api/v1/slow-mode"), &body).await
    }

    pub async fn set_wall_slow_mode(&self, wall: &str, seconds: Option<u32>) -> Answer<()> {
        let url = format!("/api/v1/walls/{wall}/slow-mode");
        self.send::<_, SlowModeSettings>(Request::put(&url), &WallSlowMode { seconds })
            .await
            .map(|_| ())
    }

    /// An export as (file name, media type, contents).
    pub async fn export(
        &self,
        wall: &str,
        format: ExportFormat,
    ) -> Answer<(String, String, String)> {
        let url = format!("/api/v1/walls/{wall}/export?format={}", format.query());
        let response = self
            .authorised(Request::get(&url))
            .send()
            .await
            .map_err(|_| Failure::Unreachable)?;
        if !response.ok() {
            return Err(failure(response).await);
        }
        let headers = response.headers();
        let name = headers
            .get("content-disposition")
            .and_then(|d| export::filename(&d))
            .unwrap_or_else(|| format.fallback_name(wall));
        let mime = headers
            .get("content-type")
            .unwrap_or_else(|| "application/octet-stream".into());
        let text = response.text().await.map_err(|_| Failure::Unreachable)?;
        Ok((name, mime, text))
    }
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Answer<T> {
    if !response.ok() {
        return Err(failure(response).await);
    }
    response
        .json()
        .await
        .map_err(|_| Failure::Refused("The server's answer was not what this page expects.".into()))
}

/// A refusal: the server's `ApiError` message, or words for the status
/// when something in between answered.
async fn failure(response: Response) -> Failure {
    let status = response.status();
    let message = response
        .json::<ApiError>()
        .await
        .map(|e| e.message)
        .unwrap_or_else(|_| format!("The server answered {status}."));
    if status == 401 {
        Failure::Unauthorized(message)
    } else {
        Failure::Refused(message)
    }
}

/// The wall's public live stream, open while this is alive: each visible
/// change (a new message, hugs, a moderation) calls `on_change`. Held
/// arrivals are not on it; the page polls for those.
pub struct LiveStream {
    source: web_sys::EventSource,
    _listener: Closure<dyn FnMut(web_sys::Event)>,
}

impl LiveStream {
    pub fn open(wall: &str, on_change: impl Fn() + 'static) -> Option<LiveStream> {
        let source = web_sys::EventSource::new(&format!("/api/v1/walls/{wall}/stream")).ok()?;
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_change());
        for name in ["message", "hugs", "moderated"] {
            let _ =
                source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
        Some(LiveStream {
            source,
            _listener: listener,
        })
    }
}

impl Drop for LiveStream {
    fn drop(&mut self) {
        self.source.close();
    }
}
