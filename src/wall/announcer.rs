//! What the wall says to screen readers when messages arrive, and how
//! often. Each arrival is worth hearing, but during a busy outage dozens
//! can come in a minute, and a screen reader that reads every one drowns
//! out everything else on the page. So the first arrival is announced at
//! once; arrivals within the next `gap` are gathered and announced together
//! when the gap is over ("4 new messages on the wall").

use crate::i18n::Texts;
use hugops_core::time::Timestamp;
use std::sync::Arc;

/// How much of a message an announcement reads out.
pub const ANNOUNCE_CHARS: usize = 140;

#[derive(Clone, Debug, PartialEq)]
pub struct Announcer {
    gap_ms: i64,
    last_at: Option<Timestamp>,
    waiting: Vec<(Option<String>, String)>,
    texts: Arc<Texts>,
}

/// What to do with an arrival.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Announce {
    /// Say this now.
    Now(String),
    /// Gathered; call [`Announcer::flush`] at this time.
    Later(Timestamp),
}

impl Announcer {
    pub fn new(gap_ms: u32, texts: Arc<Texts>) -> Self {
        Announcer {
            gap_ms: i64::from(gap_ms),
            last_at: None,
            waiting: Vec::new(),
            texts,
        }
    }

    pub fn arrive(&mut self, author: Option<&str>, body: &str, now: Timestamp) -> Announce {
        let quiet_since_last = self
            .last_at
            .is_none_or(|last| now.millis() - last.millis() >= self.gap_ms);
        if quiet_since_last && self.waiting.is_empty() {
            self.last_at = Some(now);
            return Announce::Now(one(&self.texts, author, body));
        }
        self.waiting
            .push((author.map(str::to_owned), body.to_owned()));
        let last = self.last_at.unwrap_or(now);
        Announce::Later(Timestamp::from_millis(last.millis() + self.gap_ms))
    }

    /// What was gathered, as one announcement (`None` when nothing was).
    pub fn flush(&mut self, now: Timestamp) -> Option<String> {
        let waiting = std::mem::take(&mut self.waiting);
        let text = match waiting.as_slice() {
            [] => return None,
            [(author, body)] => one(&self.texts, author.as_deref(), body),
            many => self.texts.count("announce.many", many.len() as u64, &[]),
        };
        self.last_at = Some(now);
        Some(text)
    }
}

fn one(texts: &Texts, author: Option<&str>, body: &str) -> String {
    let someone = texts.t("announce.someone");
    let who = author.unwrap_or(&someone);
    let mut excerpt: String = body.chars().take(ANNOUNCE_CHARS).collect();
    if body.chars().nth(ANNOUNCE_CHARS).is_some() {
        excerpt.push('…');
    }
    texts.fill("announce.one", &[("name", who), ("text", &excerpt)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    #[test]
    fn the_first_arrival_is_announced_at_once() {
        let mut a = Announcer::new(5_000, Texts::english("en"));
        assert_eq!(
            a.arrive(Some("Ana"), "Hang in there", at(0)),
            Announce::Now("New message from Ana: Hang in there".into())
        );
        assert_eq!(
            a.arrive(None, "thanks", at(10_000)),
            Announce::Now("New message from someone: thanks".into())
        );
    }

    #[test]
    fn a_flood_is_gathered_into_one_announcement() {
        let mut a = Announcer::new(5_000, Texts::english("en"));
        a.arrive(None, "one", at(0));
        assert_eq!(a.arrive(None, "two", at(100)), Announce::Later(at(5_000)));
        assert_eq!(a.arrive(None, "three", at(200)), Announce::Later(at(5_000)));
        // Even after the gap, arrivals queue behind what is gathered.
        assert_eq!(
            a.arrive(None, "four", at(6_000)),
            Announce::Later(at(5_000))
        );
        assert_eq!(
            a.flush(at(6_000)),
            Some("3 new messages on the wall.".into())
        );
        assert_eq!(a.flush(at(6_001)), None);
        assert!(matches!(
            a.arrive(None, "five", at(7_000)),
            Announce::Later(_)
        ));
        assert_eq!(
            a.flush(at(11_000)),
            Some("New message from someone: five".into())
        );
    }

    #[test]
    fn long_messages_are_cut() {
        let mut a = Announcer::new(1, Texts::english("en"));
        let Announce::Now(text) = a.arrive(Some("Bo"), &"é".repeat(300), at(0)) else {
            panic!()
        };
        assert!(text.ends_with('…'));
        assert_eq!(text.chars().filter(|&c| c == 'é').count(), ANNOUNCE_CHARS);
    }
}
