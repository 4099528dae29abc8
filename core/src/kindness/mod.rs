//! The kindness check: a gentle nudge in the composer when a message aims
//! hostility at the people working on an outage.
//!
//! # Policy
//!
//! HugOps means empathy for the people who run software: blame the system,
//! not the person; observe without judging; thank the responders. The check
//! makes cruelty a little awkward without censoring anyone who is simply
//! upset. It **never blocks a post**: the widget shows the nudge inline and
//! the customer may post anyway; the server may hold a flagged message for
//! the team's review. It only returns a verdict.
//!
//! What is flagged, by [`NudgeKind`]:
//!
//! - **Threat**: threats of harm against people ("kill the devs", "I know
//!   where you live", "kys"). Always flagged.
//! - **Insult**: name-calling ("idiots", "clowns", "incompetent") — always,
//!   unless the writer is clearly talking about themselves ("I feel like an
//!   idiot for not checking this page", decided by whether the nearest
//!   person the clause names before the word is the writer); and harsh
//!   judgements ("useless", "pathetic", "a joke", "suck") only when aimed at
//!   people. Aimed means a target ("you", "your team", "devs", "engineers",
//!   "whoever") stands right next to the word, or with only linking words
//!   between ("you guys are *so* useless", "you people are *a* joke"). So
//!   "useless devs" is flagged, while "this dashboard is useless" and "sorry
//!   you're stuck with this stupid outage" are not: judging the system, or
//!   a judgement merely near a "you", is fine. People the writer calls
//!   their own ("our devs are useless without your API") are not targets,
//!   and a negation right before the word cancels it ("you are not
//!   useless").
//! - **Blame**: pointing at a person to punish ("fire whoever did this",
//!   "should be fired", "heads should roll", "your fault"), unless a
//!   negation comes before it in the clause: "it's not your fault" and
//!   "nobody should be fired" are kind.
//! - **Profanity**: strong swearing *aimed at people*, as judgements are
//!   ("fuck you", "f*ck your devs", "shit engineers"). Swearing on its own is
//!   frustration, and people are allowed to be upset mid-outage: "holy shit,
//!   hang in there" and "fuck, this hurts" are not flagged.
//!
//! A word right before a bare pronoun is not aimed at it: "useless devs" is
//! an insult, "shit you guys are fast" is praise. Verb phrases that name
//! their target (`fuck <target>`, `fire <target>`) are listed as such.
//!
//! Never flagged on their own: the words of an outage ("down", "broken",
//! "fire", "dead", "kill", "crash", "hell of a day"), mild frustration
//! ("damn", "crap", "this sucks", "this outage is really frustrating",
//! "wtf happened?"), and any of the above about things rather than people.
//!
//! When a message is flagged for several reasons, the nudge is of the most
//! serious kind (threat, then insult, then blame, then profanity) and
//! `matched` lists every word or phrase that triggered, in text order.
//!
//! **When in doubt, the check does not flag.** A missed insult costs one
//! unkind message the team can hide; a kind message held for review costs a
//! customer's goodwill mid-outage. So aimed words need a target in the same
//! clause (clauses end at punctuation, line breaks and words like "but":
//! "this sucks, but you've got this" is two clauses), and phrases in the
//! `ok` list ("the fire", "on fire", "dumpster fire", "holy shit") cancel
//! any match they overlap.
//!
//! # How it matches
//!
//! On the message normalised by [`crate::message::normalize`] (which already
//! removed zero-width characters hidden inside words), words are compared
//! whole, so "Scunthorpe", "class" and "assessment" never match anything,
//! after folding: lower case, full-width and other compatibility letters
//! made plain, accents dropped. Cheap de-obfuscation is tried too: leetspeak
//! digits ("id1ots"), masked letters ("f*ck", "sh*t", only against the bad
//! word lists), stretched letters ("fuuuck") and spelled-out words
//! ("s h i t", "f.u.c.k").
//!
//! # Languages are data
//!
//! Every word and phrase, and the texts of the nudges, come from a
//! [`Lexicon`]: [`check`] uses [`Lexicon::english`] (`en.txt`), and
//! [`check_with`] any other. English, German, French and Spanish have their
//! own (`en.txt`, `de.txt`, `fr.txt`, `es.txt`); [`Lexicon::for_language`]
//! picks one by language tag (`de-AT` is German; a language without its
//! own, or a malformed tag, gets English), and [`Lexicon::source`] and
//! [`Lexicon::file_name`] give a lexicon's text as data, for a client that
//! loads it on demand. [`check_any_language`] is for a reader that does
//! not know the message's language. Adding a language means adding a data
//! file in the format documented on [`Lexicon`] and naming it in
//! `lexicon.rs`.
//!
//! What each language needs beyond words is in the file too: French
//! elisions (`[elision]`: "t'es nul" reads "t'" "es" "nul"); German compound
//! words through `*` anywhere in an entry (`*idiot*` matches "Vollidioten",
//! with "idiotensicher" in `[ok]`); Spanish and German verb forms that carry
//! their subject ("sois unos inútiles", "seid ihr blöd") as pronouns and
//! links. Folding reads "ß" as "ss", and "¡" and "¿" end a clause.
//!
//! # Unicode
//!
//! Normalising and folding need Unicode operations ([`UnicodeOps`]):
//! [`check_with_ops`] takes them; with the `unicode-tables` feature (the
//! default), [`check`] and [`check_with`] use the compiled-in
//! [`crate::unicode::Tables`].

mod lexicon;
mod text;

pub use lexicon::{Lexicon, LexiconError};

use crate::sort::stable_sort_by_key;
use crate::unicode::UnicodeOps;

use lexicon::{Phrase, Rule, Slot, WordPattern};
use serde::{Deserialize, Serialize};
use text::Token;

/// How many linking words may stand between a judgement or swear word and
/// the people it is aimed at ("you guys are just so very useless").
const AIM_WINDOW: usize = 4;
/// How many determiners may stand before a target ("all of the devs").
const MAX_DETERMINERS: usize = 3;

/// Why a message was nudged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NudgeKind {
    /// Name-calling, or a harsh judgement aimed at people.
    Insult,
    /// Pointing at a person to punish.
    Blame,
    /// Strong swearing aimed at people.
    Profanity,
    /// A threat of harm.
    Threat,
}

impl NudgeKind {
    /// Higher is more serious; the nudge shows the most serious kind found.
    fn severity(self) -> u8 {
        match self {
            NudgeKind::Profanity => 0,
            NudgeKind::Blame => 1,
            NudgeKind::Insult => 2,
            NudgeKind::Threat => 3,
        }
    }

    /// The kind's name as on the wire: `insult`, `blame`, `profanity`,
    /// `threat`.
    pub fn as_str(self) -> &'static str {
        match self {
            NudgeKind::Insult => "insult",
            NudgeKind::Blame => "blame",
            NudgeKind::Profanity => "profanity",
            NudgeKind::Threat => "threat",
        }
    }
}

/// The verdict on a message that could hurt: shown inline in the composer,
/// never blocking the post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nudge {
    pub kind: NudgeKind,
    /// Gentle, plain words about why, for the composer.
    pub message: String,
    /// A suggested rephrase in the HugOps spirit: observe without judging,
    /// say how it affects you, thank the people working on it.
    pub suggestion: String,
    /// The words and phrases that triggered the nudge, as they appear in the
    /// normalised message, in text order, overlapping ones merged, without
    /// repeats.
    pub matched: Vec<String>,
}

/// Checks a message with the English lexicon. `None` means no nudge.
#[cfg(feature = "unicode-tables")]
pub fn check(text: &str) -> Option<Nudge> {
    check_with(Lexicon::english(), text)
}

/// Checks a message with the given lexicon. `None` means no nudge.
#[cfg(feature = "unicode-tables")]
pub fn check_with(lexicon: &Lexicon, text: &str) -> Option<Nudge> {
    check_with_ops(&crate::unicode::Tables, lexicon, text)
}

/// Checks a message whose language the reader does not know, such as the
/// server deciding whether to hold a post: with the lexicon of the language
/// it most looks like, by how many of its words a lexicon lists: its
/// common words (pronouns, the writer's own words, determiners, links,
/// negations, boundaries) and the words of its entries. "Ich Idiot, ich habe nicht nachgesehen" is German
/// by "ich" and "nicht", so the German lexicon reads it and sees the writer
/// talking about themselves, where the English one would see an insult.
/// When languages tie (a message of one word, "Gilipollas"), every tied
/// lexicon reads it, and the most serious nudge wins.
#[cfg(feature = "unicode-tables")]
pub fn check_any_language(text: &str) -> Option<Nudge> {
    let ops = &crate::unicode::Tables;
    let normalised = crate::message::normalize_with(ops, text);
    let lexicons: Vec<&Lexicon> = Lexicon::languages()
        .iter()
        .map(|language| Lexicon::of(*language))
        .collect();
    let scores: Vec<usize> = lexicons
        .iter()
        .map(|lexicon| familiarity(ops, lexicon, &normalised))
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    lexicons
        .iter()
        .zip(scores)
        .filter(|(_, score)| *score == best)
        .filter_map(|(lexicon, _)| check_with(lexicon, text))
        .max_by_key(|nudge| nudge.kind.severity())
}

/// How many words of `text` (normalised) are common words of `lexicon`'s
/// language. Only `check_any_language` (the server's) guesses the language.
#[cfg(feature = "unicode-tables")]
fn familiarity(ops: &dyn UnicodeOps, lexicon: &Lexicon, text: &str) -> usize {
    let single = |phrases: &[Phrase], token: &Token| {
        phrases.iter().any(|phrase| match phrase.as_slice() {
            [Slot::Words(words)] => words.iter().any(|w| word_matches(w, token, false)),
            _ => false,
        })
    };
    text::clauses(ops, text)
        .into_iter()
        .flat_map(|clause| text::split_elisions(ops, text, clause, &lexicon.elisions))
        .filter(|token| {
            single(&lexicon.pronouns, token)
                || single(&lexicon.selves, token)
                || single(&lexicon.determiners, token)
                || single(&lexicon.negations, token)
                || lexicon
                    .links
                    .iter()
                    .chain(&lexicon.boundaries)
                    .any(|w| word_matches(w, token, false))
                || lexicon.rules.iter().any(|(_, phrase)| {
                    phrase.iter().any(|slot| match slot {
                        Slot::Words(words) => words.iter().any(|w| word_matches(w, token, false)),
                        Slot::Target => false,
                    })
                })
        })
        .count()
}

/// Checks a message with the given Unicode operations and lexicon (read
/// with the same operations, or [`Lexicon::english`]). `None` means no
/// nudge.
pub fn check_with_ops(ops: &dyn UnicodeOps, lexicon: &Lexicon, text: &str) -> Option<Nudge> {
    let text = crate::message::normalize_with(ops, text);
    let mut hits: Vec<(NudgeKind, usize, usize)> = Vec::new();
    for clause in text::clauses(ops, &text) {
        let clause = text::split_elisions(ops, &text, clause, &lexicon.elisions);
        for clause in split_at_boundary_words(lexicon, clause) {
            hits.extend(
                Clause::new(lexicon, &clause)
                    .hits()
                    .into_iter()
                    .map(|(kind, span)| (kind, clause[span.0].start, clause[span.1 - 1].end)),
            );
        }
    }
    let kind = hits.iter().map(|h| h.0).max_by_key(|k| k.severity())?;
    // Quote each stretch of text that triggered once: overlapping matches
    // ("f*ck" and "f*ck your devs") merge into one.
    stable_sort_by_key(&mut hits, |h| (h.1, h.2));
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    for (_, start, end) in hits {
        match stretches.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => stretches.push((start, end)),
        }
    }
    let mut matched: Vec<String> = Vec::new();
    for (start, end) in stretches {
        let words = text[start..end].to_owned();
        if !matched.contains(&words) {
            matched.push(words);
        }
    }
    Some(Nudge {
        kind,
        message: lexicon.message(kind).to_owned(),
        suggestion: lexicon.suggestion(kind).to_owned(),
        matched,
    })
}

fn split_at_boundary_words(lexicon: &Lexicon, clause: Vec<Token>) -> Vec<Vec<Token>> {
    let mut parts = vec![Vec::new()];
    for token in clause {
        let is_boundary = lexicon
            .boundaries
            .iter()
            .any(|b| word_matches(b, &token, false));
        match parts.last_mut() {
            Some(part) if !is_boundary => part.push(token),
            _ => parts.push(Vec::new()),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// A token span `[start, end)` within a clause.
type Span = (usize, usize);

/// A target found in a clause.
#[derive(Clone, Copy)]
struct TargetSpan {
    span: Span,
    /// A bare pronoun ("you"), as opposed to a noun ("devs", "your team").
    pronoun: bool,
}

struct Clause<'a> {
    lexicon: &'a Lexicon,
    tokens: &'a [Token],
    targets: Vec<TargetSpan>,
    selves: Vec<Span>,
    ok: Vec<Span>,
    negations: Vec<Span>,
}

impl<'a> Clause<'a> {
    fn new(lexicon: &'a Lexicon, tokens: &'a [Token]) -> Self {
        let mut clause = Clause {
            lexicon,
            tokens,
            targets: Vec::new(),
            selves: Vec::new(),
            ok: Vec::new(),
            negations: Vec::new(),
        };
        clause.selves = clause.spans(|c, at| c.longest(&lexicon.selves, at, false));
        // "our devs", "my team": people on the writer's own side.
        let own_side = |span: Span| clause.selves.iter().any(|s| s.1 == span.0);
        clause.targets = clause
            .spans(|c, at| c.match_target(at))
            .into_iter()
            .filter(|&span| !own_side(span))
            .map(|span| TargetSpan {
                span,
                pronoun: clause.longest(&lexicon.pronouns, span.0, false) == Some(span.1 - span.0),
            })
            .collect();
        clause.ok = clause.every_match(&lexicon.ok);
        clause.negations = clause.every_match(&lexicon.negations);
        clause
    }

    /// Every span where one of `phrases` matches, overlapping or not.
    fn every_match(&self, phrases: &[Phrase]) -> Vec<Span> {
        let mut spans = Vec::new();
        for at in 0..self.tokens.len() {
            for phrase in phrases {
                if let Some(len) = self.match_phrase(phrase, at, false) {
                    spans.push((at, at + len));
                }
            }
        }
        spans
    }

    /// Non-overlapping spans found left to right, longest first.
    fn spans(&self, find: impl Fn(&Self, usize) -> Option<usize>) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut at = 0;
        while at < self.tokens.len() {
            match find(self, at) {
                Some(len) => {
                    spans.push((at, at + len));
                    at += len;
                }
                None => at += 1,
            }
        }
        spans
    }

    /// Every flagged match in the clause.
    fn hits(&self) -> Vec<(NudgeKind, Span)> {
        let mut hits = Vec::new();
        for (rule, phrase) in &self.lexicon.rules {
            let masked = rule.reads_masked_words();
            let aimed_by_phrase = phrase.iter().any(|s| matches!(s, Slot::Target));
            for at in 0..self.tokens.len() {
                let Some(len) = self.match_phrase(phrase, at, masked) else {
                    continue;
                };
                let span = (at, at + len);
                if self.ok.iter().any(|ok| overlaps(*ok, span)) {
                    continue;
                }
                let flagged = match rule {
                    Rule::Blame => !self.negations.iter().any(|n| n.1 <= span.0),
                    Rule::Threat => true,
                    _ if aimed_by_phrase => true,
                    Rule::Insult => !self.about_the_writer(span) && !self.negated(span),
                    Rule::Judgement => self.aimed(span) && !self.negated(span),
                    Rule::Profanity => self.aimed(span),
                };
                if flagged {
                    hits.push((rule.kind(), span));
                }
            }
        }
        hits
    }

    /// Whether the person named nearest before `span` is the writer.
    fn about_the_writer(&self, span: Span) -> bool {
        let before = |spans: &[Span]| spans.iter().filter(|s| s.1 <= span.0).map(|s| s.1).max();
        let targets: Vec<Span> = self.targets.iter().map(|t| t.span).collect();
        match (before(&self.selves), before(&targets)) {
            (Some(me), Some(them)) => me > them,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// Whether a target stands next to `span`, or with at most
    /// [`AIM_WINDOW`] linking words between: before it ("you are so
    /// useless"), or after it unless the target is a bare pronoun ("useless
    /// devs", but not "shit you guys are fast").
    fn aimed(&self, span: Span) -> bool {
        self.targets.iter().any(|target| {
            let (start, end) = target.span;
            let between = if end <= span.0 {
                end..span.0
            } else if start >= span.1 && !target.pronoun {
                span.1..start
            } else {
                return false;
            };
            between.len() <= AIM_WINDOW && between.clone().all(|i| self.is_link(i))
        })
    }

    /// Whether a negation stands right before `span`, or with only linking
    /// words between ("you are not useless", "you're not a joke").
    fn negated(&self, span: Span) -> bool {
        let mut at = span.0;
        while at > 0 && self.is_link(at - 1) {
            at -= 1;
        }
        self.negations.iter().any(|n| n.1 == at)
    }

    fn is_link(&self, at: usize) -> bool {
        let token = &self.tokens[at];
        self.lexicon
            .links
            .iter()
            .any(|link| word_matches(link, token, true))
    }

    /// The length of `phrase` matched at `at`.
    fn match_phrase(&self, phrase: &Phrase, at: usize, masked: bool) -> Option<usize> {
        let mut pos = at;
        for slot in phrase {
            match slot {
                Slot::Words(words) => {
                    let token = self.tokens.get(pos)?;
                    if !words.iter().any(|w| word_matches(w, token, masked)) {
                        return None;
                    }
                    pos += 1;
                }
                Slot::Target => pos += self.match_target(pos)?,
            }
        }
        Some(pos - at)
    }

    /// The length of a target at `at`, with the determiners before it.
    fn match_target(&self, at: usize) -> Option<usize> {
        let mut pos = at;
        for _ in 0..=MAX_DETERMINERS {
            if let Some(len) = self.longest(&self.lexicon.targets, pos, false) {
                return Some(pos + len - at);
            }
            pos += self.longest(&self.lexicon.determiners, pos, false)?;
        }
        None
    }

    fn longest(&self, phrases: &[Phrase], at: usize, masked: bool) -> Option<usize> {
        phrases
            .iter()
            .filter_map(|p| self.match_phrase(p, at, masked))
            .max()
    }
}

fn overlaps(a: Span, b: Span) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether any reading of `token` is `pattern`. With `masked`, a `*` in the
/// message's word stands for any one letter ("f*ck"), provided the word
/// starts with a letter.
fn word_matches(pattern: &WordPattern, token: &Token, masked: bool) -> bool {
    token
        .forms
        .iter()
        .any(|form| pattern.matches(form) || (masked && pattern.matches_masked(form)))
}
