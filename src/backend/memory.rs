//! In-memory adapters for tests: nothing leaves the page.

use super::{LocalFuture, StatusProblem, StatusSource};
use hugops_core::status::{parse_summary_str, Summary};
use std::cell::RefCell;
use std::collections::VecDeque;

/// A status source that answers from a script: each fetch takes the next
/// scripted answer (a body to parse, or a failure), and the last answer
/// repeats once the script runs out. Bodies go through the same parser as
/// the real `statuspage` adapter, so garbage fails the same way.
pub struct ScriptedStatusSource {
    script: RefCell<VecDeque<Result<String, StatusProblem>>>,
    last: RefCell<Option<Result<String, StatusProblem>>>,
    fetches: std::cell::Cell<u32>,
}

impl ScriptedStatusSource {
    pub fn new(script: impl IntoIterator<Item = Result<String, StatusProblem>>) -> Self {
        ScriptedStatusSource {
            script: RefCell::new(script.into_iter().collect()),
            last: RefCell::new(None),
            fetches: std::cell::Cell::new(0),
        }
    }

    /// Appends answers to the script.
    pub fn push(&self, answer: Result<String, StatusProblem>) {
        self.script.borrow_mut().push_back(answer);
    }

    /// How many times the panel has fetched.
    pub fn fetches(&self) -> u32 {
        self.fetches.get()
    }
}

impl StatusSource for ScriptedStatusSource {
    fn fetch(&self) -> LocalFuture<'_, Result<Option<Summary>, StatusProblem>> {
        self.fetches.set(self.fetches.get() + 1);
        let next = self.script.borrow_mut().pop_front();
        let answer = match next {
            Some(answer) => {
                *self.last.borrow_mut() = Some(answer.clone());
                answer
            }
            None => self
                .last
                .borrow()
                .clone()
                .unwrap_or_else(|| Err(StatusProblem::Unreadable("Nothing scripted.".into()))),
        };
        Box::pin(async move {
            let body = answer?;
            parse_summary_str(&body)
                .map(Some)
                .map_err(|e| StatusProblem::Unreadable(e.to_string()))
        })
    }
}
