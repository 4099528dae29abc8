//! The signed-in session: the API with its token, and the page's one
//! status line. Provided as context to every component.

use crate::api::{Answer, Failure, TeamApi};
use crate::browser::SessionStorage;
use crate::token::TokenStore;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Session {
    /// `Some` while signed in.
    pub api: RwSignal<Option<TeamApi>>,
    /// What just happened, read out by screen readers (a live region).
    pub notice: RwSignal<String>,
    /// Why the sign-in form is shown again, if it was not the team's choice.
    pub signed_out_because: RwSignal<Option<String>>,
}

impl Session {
    /// Starts signed in when this tab kept a token.
    pub fn restore() -> Session {
        let api = TokenStore::new(SessionStorage).load().map(TeamApi::new);
        Session {
            api: RwSignal::new(api),
            notice: RwSignal::new(String::new()),
            signed_out_because: RwSignal::new(None),
        }
    }

    pub fn sign_in(&self, token: String) {
        TokenStore::new(SessionStorage).keep(&token);
        self.signed_out_because.set(None);
        self.notice.set("Signed in.".into());
        self.api.set(Some(TeamApi::new(token)));
    }

    /// Forgets the token and shows nothing but the sign-in form.
    pub fn sign_out(&self, because: Option<String>) {
        TokenStore::new(SessionStorage).forget();
        self.api.set(None);
        self.notice.set(if because.is_some() {
            String::new()
        } else {
            "Signed out.".into()
        });
        self.signed_out_because.set(because);
    }

    /// The API for a request, untracked (handlers and loops call this).
    pub fn api(&self) -> Option<TeamApi> {
        self.api.get_untracked()
    }

    /// The value of an answer; a failure is told on the status line, and a
    /// refused token signs out (the server no longer takes it).
    pub fn accept<T>(&self, answer: Answer<T>) -> Option<T> {
        match answer {
            Ok(value) => Some(value),
            Err(Failure::Unauthorized(message)) => {
                self.sign_out(Some(message));
                None
            }
            Err(failure) => {
                self.notice.set(failure.message());
                None
            }
        }
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
