//! A language's word lists and nudge texts, read from a small text format so
//! that adding a language means adding a data file, not code.

use super::text::fold;
use super::NudgeKind;
use crate::language::Language;
use crate::unicode::{AsciiOnly, UnicodeOps};
use std::fmt;
use std::sync::OnceLock;

/// One place in an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Any one of these words.
    Words(Vec<WordPattern>),
    /// Determiners, then a target.
    Target,
}

/// A folded word, where each `*` stands for any letters (or none):
/// `idiot*` begins with "idiot", `*idiot*` holds it anywhere (German
/// compounds: "Vollidiot"), `scheiss*team*` begins with one word and goes on
/// with another ("Scheißteam", "Scheiß-Team" being two words anyway).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WordPattern {
    pub(crate) text: String,
}

impl WordPattern {
    /// Whether `word` (folded) is this pattern.
    pub(crate) fn matches(&self, word: &str) -> bool {
        let mut pieces = self.text.split('*');
        let first = pieces.next().unwrap_or("");
        let Some(mut rest) = word.strip_prefix(first) else {
            return false;
        };
        let mut pieces: Vec<&str> = pieces.collect();
        let Some(last) = pieces.pop() else {
            // No `*`: the whole word.
            return rest.is_empty();
        };
        for piece in pieces {
            match rest.find(piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        rest.ends_with(last)
    }

    /// Whether a word with masked letters ("f*ck", a `*` per hidden letter)
    /// may be this pattern. Only plain and `word*` patterns are compared so.
    pub(crate) fn matches_masked(&self, form: &str) -> bool {
        let (want, prefix) = match self.text.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (self.text.as_str(), false),
        };
        if want.contains('*') || !form.contains('*') || form.starts_with('*') {
            return false;
        }
        let form: Vec<char> = form.chars().collect();
        let want: Vec<char> = want.chars().collect();
        let long_enough = if prefix {
            form.len() >= want.len()
        } else {
            form.len() == want.len()
        };
        long_enough && want.iter().zip(&form).all(|(w, f)| *f == '*' || f == w)
    }
}

pub(crate) type Phrase = Vec<Slot>;

/// The sections whose entries are flagged when they match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    Insult,
    Judgement,
    Profanity,
    Blame,
    Threat,
}

impl Rule {
    pub(crate) fn kind(self) -> NudgeKind {
        match self {
            Rule::Insult | Rule::Judgement => NudgeKind::Insult,
            Rule::Profanity => NudgeKind::Profanity,
            Rule::Blame => NudgeKind::Blame,
            Rule::Threat => NudgeKind::Threat,
        }
    }

    /// Whether a `*` inside a message's word stands for a hidden letter
    /// ("f*ck"). Only for the word lists of bad words, so that "f***" is
    /// never read as "fire".
    pub(crate) fn reads_masked_words(self) -> bool {
        matches!(self, Rule::Insult | Rule::Judgement | Rule::Profanity)
    }
}

/// The texts shown in the composer, per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct NudgeTexts {
    message: [Option<String>; 4],
    suggestion: [Option<String>; 4],
    default_suggestion: Option<String>,
}

/// A language's word lists and nudge texts.
///
/// Entries are folded when the lexicon is read, with the Unicode operations
/// given to [`Lexicon::parse_with`]; check messages with the same ones
/// ([`crate::kindness::check_with_ops`]). The English lexicon is ASCII,
/// which folds the same with any.
///
/// # The format [`Lexicon::parse`] reads
///
/// ```text
/// # A comment: lines starting with '#' and blank lines are ignored.
/// [target]
/// you
/// your team
/// [insult]
/// idiot*
/// what's|whats wrong with <target>
/// [nudge]
/// insult = Name-calling lands on real people who are working hard.
/// suggestion = This outage is hurting us. Thank you for working on it.
/// ```
///
/// A line `[name]` starts a section; every other line is one entry of the
/// current section. An entry is a word or a phrase of words separated by
/// spaces, matched against whole words of a message after both are folded
/// the same way (lower case, compatibility forms such as full-width letters
/// made plain, accents dropped, `’` read as `'`). In an entry:
///
/// - `word*` matches any word that begins with `word` (`idiot*` matches
///   "idiots"); use it with care, `ass*` would match "assessment"; a `*`
///   may stand anywhere, for any letters: `*idiot*` matches "Vollidioten",
///   `scheiss*team*` matches "Scheißteams" (for languages that write
///   compound words as one);
/// - `a|b|c` matches any one of the words `a`, `b`, `c` in that place;
/// - `<target>` matches a target (below), optionally preceded by up to three
///   determiners: `fire <target>` matches "fire whoever", "fire the devs" and
///   "fire your whole team".
///
/// The sections (what each is for is explained in [`crate::kindness`]):
///
/// | section | entries | may use `<target>` |
/// | --- | --- | --- |
/// | `target` | the people a message can aim at: the team, devs, whoever | no |
/// | `pronoun` | targets that are pronouns: you, you guys, them. A word right before one is not aimed at it ("shit, you guys are fast" without the comma); only an entry that names `<target>` is (`fuck <target>`) | no |
/// | `self` | the writer themselves: I, me, we | no |
/// | `determiner` | words that may stand before a target: the, your, all | no |
/// | `boundary` | single words that end a clause as a full stop does: but | no |
/// | `link` | single words that may stand between a target and a judgement or swear word aimed at it: are, so, a | no |
/// | `negation` | words that cancel a blame entry after them in the clause, and an insult or judgement right after them (`link` words aside): not, nobody | no |
/// | `insult` | name-calling, flagged unless aimed at the writer themselves | yes |
/// | `judgement` | harsh words, flagged only when aimed at a target: next to it, or with only `link` words between | yes |
/// | `profanity` | strong swearing, flagged only when aimed at a target, as judgements are | yes |
/// | `blame` | finger-pointing at people: `fire <target>`, "your fault" | yes |
/// | `threat` | threats of harm: `kill <target>`, "watch your back" | yes |
/// | `ok` | phrases that cancel any match they overlap: "the fire", "not your fault" | yes |
/// | `elision` | words written joined to the next with an apostrophe, read as two words: French `l'`, `t'` ("t'es nul" reads "t'" "es" "nul") | — |
/// | `nudge` | `key = text` lines: the words shown in the composer | — |
///
/// The `nudge` keys are `insult`, `blame`, `profanity` and `threat` (the
/// message for that kind), `suggestion` (the suggested rephrase), and
/// `insult.suggestion` and so on for a kind-specific rephrase. Texts a
/// lexicon leaves out fall back to the English ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lexicon {
    /// Every target, pronouns included.
    pub(crate) targets: Vec<Phrase>,
    pub(crate) pronouns: Vec<Phrase>,
    pub(crate) selves: Vec<Phrase>,
    pub(crate) determiners: Vec<Phrase>,
    pub(crate) boundaries: Vec<WordPattern>,
    pub(crate) links: Vec<WordPattern>,
    pub(crate) negations: Vec<Phrase>,
    pub(crate) ok: Vec<Phrase>,
    pub(crate) rules: Vec<(Rule, Phrase)>,
    /// Elided words that are written joined to the next one with an
    /// apostrophe (French `l'`, `t'`, `qu'`), folded, apostrophe included.
    pub(crate) elisions: Vec<String>,
    texts: NudgeTexts,
}

/// A line of a lexicon that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lexicon line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LexiconError {}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Target,
    Pronoun,
    SelfRef,
    Determiner,
    Boundary,
    Link,
    Negation,
    Ok,
    Rule(Rule),
    Elision,
    Nudge,
}

impl Section {
    fn named(name: &str) -> Option<Section> {
        Some(match name {
            "target" => Section::Target,
            "pronoun" => Section::Pronoun,
            "self" => Section::SelfRef,
            "determiner" => Section::Determiner,
            "boundary" => Section::Boundary,
            "link" => Section::Link,
            "negation" => Section::Negation,
            "ok" => Section::Ok,
            "insult" => Section::Rule(Rule::Insult),
            "judgement" => Section::Rule(Rule::Judgement),
            "profanity" => Section::Rule(Rule::Profanity),
            "blame" => Section::Rule(Rule::Blame),
            "threat" => Section::Rule(Rule::Threat),
            "elision" => Section::Elision,
            "nudge" => Section::Nudge,
            _ => return None,
        })
    }

    fn allows_target(self) -> bool {
        matches!(self, Section::Ok | Section::Rule(_))
    }
}

fn kind_index(kind: NudgeKind) -> usize {
    match kind {
        NudgeKind::Insult => 0,
        NudgeKind::Blame => 1,
        NudgeKind::Profanity => 2,
        NudgeKind::Threat => 3,
    }
}

fn kind_named(name: &str) -> Option<NudgeKind> {
    Some(match name {
        "insult" => NudgeKind::Insult,
        "blame" => NudgeKind::Blame,
        "profanity" => NudgeKind::Profanity,
        "threat" => NudgeKind::Threat,
        _ => return None,
    })
}

/// The English lexicon. ASCII, so that it needs no Unicode tables to read
/// and folds the same under every [`UnicodeOps`].
const ENGLISH_SOURCE: &str = include_str!("en.txt");
const _: () = assert!(ENGLISH_SOURCE.is_ascii(), "en.txt must be ASCII");

/// The languages with a lexicon of their own; every other language is
/// checked with the English one.
const OWN_LEXICON: [Language; 4] = [
    Language::English,
    Language::German,
    Language::French,
    Language::Spanish,
];

impl Lexicon {
    /// The languages that have a lexicon of their own, English first.
    pub fn languages() -> &'static [Language] {
        &OWN_LEXICON
    }

    /// The language whose lexicon serves `language`: its own where it has
    /// one, else English.
    pub fn language_serving(language: Language) -> Language {
        if OWN_LEXICON.contains(&language) {
            language
        } else {
            Language::English
        }
    }

    /// The file name of the lexicon that serves `language` (`de.txt`), as
    /// it sits beside this module: what a client ships and fetches when it
    /// loads a language's lexicon on demand instead of compiling it in.
    pub fn file_name(language: Language) -> &'static str {
        match Lexicon::language_serving(language) {
            Language::German => "de.txt",
            Language::French => "fr.txt",
            Language::Spanish => "es.txt",
            _ => "en.txt",
        }
    }

    /// The text of the lexicon that serves `language`, in the format
    /// [`Lexicon::parse`] reads. Calling it compiles every lexicon's text
    /// into the caller; a client that cares about its size fetches the
    /// file named by [`Lexicon::file_name`] instead.
    pub fn source(language: Language) -> &'static str {
        match Lexicon::language_serving(language) {
            Language::German => include_str!("de.txt"),
            Language::French => include_str!("fr.txt"),
            Language::Spanish => include_str!("es.txt"),
            _ => ENGLISH_SOURCE,
        }
    }

    /// The lexicon that serves a language tag, read once: `de-AT` is
    /// German, an unknown or malformed tag English (the rule is
    /// [`Language::from_tag`]).
    #[cfg(feature = "unicode-tables")]
    pub fn for_language(tag: &str) -> &'static Lexicon {
        Lexicon::of(Language::from_tag(tag))
    }

    /// The lexicon that serves `language`, read once.
    #[cfg(feature = "unicode-tables")]
    pub fn of(language: Language) -> &'static Lexicon {
        static READ: [OnceLock<Lexicon>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match Lexicon::language_serving(language) {
            Language::German => &READ[0],
            Language::French => &READ[1],
            Language::Spanish => &READ[2],
            _ => return Lexicon::english(),
        };
        slot.get_or_init(|| {
            Lexicon::parse(Lexicon::source(language)).unwrap_or_else(|e| {
                panic!("{} is a valid lexicon: {e}", Lexicon::file_name(language))
            })
        })
    }

    /// The English lexicon, `en.txt`, read once. It is ASCII, so it serves
    /// every build and every [`UnicodeOps`] alike.
    pub fn english() -> &'static Lexicon {
        static ENGLISH: OnceLock<Lexicon> = OnceLock::new();
        ENGLISH.get_or_init(|| {
            Lexicon::parse_with(&AsciiOnly, ENGLISH_SOURCE).expect("en.txt is a valid lexicon")
        })
    }

    /// Reads a lexicon in the format described on [`Lexicon`], folding its
    /// entries with the compiled-in Unicode tables.
    #[cfg(feature = "unicode-tables")]
    pub fn parse(source: &str) -> Result<Lexicon, LexiconError> {
        Lexicon::parse_with(&crate::unicode::Tables, source)
    }

    /// Reads a lexicon in the format described on [`Lexicon`], folding its
    /// entries with `ops`.
    pub fn parse_with(ops: &dyn UnicodeOps, source: &str) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::default();
        let mut section = None;
        for (index, raw) in source.lines().enumerate() {
            let line = raw.trim();
            let error = |message: String| LexiconError {
                line: index + 1,
                message,
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                let name = name.trim();
                section = Some(
                    Section::named(name)
                        .ok_or_else(|| error(format!("unknown section [{name}]")))?,
                );
                continue;
            }
            let section =
                section.ok_or_else(|| error("an entry before the first [section]".into()))?;
            if section == Section::Nudge {
                lexicon.read_nudge_text(line).map_err(error)?;
                continue;
            }
            if section == Section::Elision {
                let elided = fold(ops, line);
                let word = elided.strip_suffix('\'').unwrap_or("");
                if word.is_empty() || !word.chars().all(char::is_alphabetic) {
                    return Err(error(format!(
                        "`{line}` is not a word ending with an apostrophe"
                    )));
                }
                lexicon.elisions.push(elided);
                continue;
            }
            let phrase = parse_phrase(ops, line, section.allows_target()).map_err(error)?;
            match section {
                Section::Target => lexicon.targets.push(phrase),
                Section::Pronoun => {
                    lexicon.targets.push(phrase.clone());
                    lexicon.pronouns.push(phrase);
                }
                Section::SelfRef => lexicon.selves.push(phrase),
                Section::Determiner => lexicon.determiners.push(phrase),
                Section::Boundary | Section::Link => {
                    let Ok([Slot::Words(words)]) = <[Slot; 1]>::try_from(phrase) else {
                        return Err(error("an entry of this section is a single word".into()));
                    };
                    if section == Section::Link {
                        lexicon.links.extend(words);
                    } else {
                        lexicon.boundaries.extend(words);
                    }
                }
                Section::Negation => lexicon.negations.push(phrase),
                Section::Ok => lexicon.ok.push(phrase),
                Section::Rule(rule) => lexicon.rules.push((rule, phrase)),
                Section::Nudge | Section::Elision => unreachable!("handled above"),
            }
        }
        Ok(lexicon)
    }

    fn read_nudge_text(&mut self, line: &str) -> Result<(), String> {
        let (key, text) = line
            .split_once('=')
            .ok_or_else(|| "a nudge text is written `key = text`".to_owned())?;
        let (key, text) = (key.trim(), text.trim());
        if text.is_empty() {
            return Err(format!("the nudge text `{key}` is empty"));
        }
        let unknown = || format!("unknown nudge key `{key}`");
        let slot = if key == "suggestion" {
            &mut self.texts.default_suggestion
        } else if let Some(kind) = key.strip_suffix(".suggestion") {
            &mut self.texts.suggestion[kind_index(kind_named(kind).ok_or_else(unknown)?)]
        } else {
            &mut self.texts.message[kind_index(kind_named(key).ok_or_else(unknown)?)]
        };
        *slot = Some(text.to_owned());
        Ok(())
    }

    /// The gentle message shown for a nudge of this kind.
    pub fn message(&self, kind: NudgeKind) -> &str {
        match &self.texts.message[kind_index(kind)] {
            Some(text) => text,
            None if std::ptr::eq(self, Lexicon::english()) => "",
            None => Lexicon::english().message(kind),
        }
    }

    /// The suggested rephrase shown for a nudge of this kind.
    pub fn suggestion(&self, kind: NudgeKind) -> &str {
        let own = self.texts.suggestion[kind_index(kind)]
            .as_deref()
            .or(self.texts.default_suggestion.as_deref());
        match own {
            Some(text) => text,
            None if std::ptr::eq(self, Lexicon::english()) => "",
            None => Lexicon::english().suggestion(kind),
        }
    }
}

fn parse_phrase(ops: &dyn UnicodeOps, line: &str, allows_target: bool) -> Result<Phrase, String> {
    line.split_whitespace()
        .map(|word| {
            if word == "<target>" {
                return if allows_target {
                    Ok(Slot::Target)
                } else {
                    Err("<target> is not allowed in this section".to_owned())
                };
            }
            word.split('|')
                .map(|alternative| {
                    let text = fold(ops, alternative);
                    let letters = text.replace('*', "");
                    if letters.is_empty()
                        || text.contains(char::is_whitespace)
                        || text.contains("**")
                    {
                        return Err(format!("`{word}` is not a word"));
                    }
                    Ok(WordPattern { text })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Slot::Words)
        })
        .collect()
}

#[cfg(all(test, feature = "unicode-tables"))]
mod tests {
    use super::*;

    #[test]
    fn english_parses_and_has_every_text() {
        let en = Lexicon::english();
        for kind in [
            NudgeKind::Insult,
            NudgeKind::Blame,
            NudgeKind::Profanity,
            NudgeKind::Threat,
        ] {
            assert!(!en.message(kind).is_empty(), "{kind:?}");
            assert!(!en.suggestion(kind).is_empty(), "{kind:?}");
        }
        assert!(!en.targets.is_empty() && !en.rules.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let e = Lexicon::parse("[insult]\nidiot\n[nonsense]\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(Lexicon::parse("idiot").is_err());
        assert!(Lexicon::parse("[target]\n<target>").is_err());
        assert!(Lexicon::parse("[boundary]\nbut then").is_err());
        assert!(Lexicon::parse("[nudge]\nmood = calm").is_err());
        assert!(Lexicon::parse("[insult]\nfoo|*").is_err());
    }

    #[test]
    fn a_star_stands_for_any_letters_anywhere() {
        let pattern = |text: &str| WordPattern { text: text.into() };
        assert!(pattern("idiot").matches("idiot"));
        assert!(!pattern("idiot").matches("idiots"));
        assert!(pattern("idiot*").matches("idioten"));
        assert!(pattern("*idiot*").matches("vollidioten"));
        assert!(pattern("*entwickler").matches("backendentwickler"));
        assert!(!pattern("*entwickler").matches("entwicklerin"));
        assert!(pattern("scheiss*team*").matches("scheissteams"));
        assert!(!pattern("scheiss*team*").matches("scheissegal"));
        assert!(!pattern("a*b*b").matches("ab"));
        assert!(pattern("fuck*").matches_masked("f*cking"));
        assert!(!pattern("*idiot*").matches_masked("id*ot"));
        assert!(Lexicon::parse("[insult]\n*idiot*\n").is_ok());
        assert!(Lexicon::parse("[insult]\nfoo**bar\n").is_err());
        assert!(Lexicon::parse("[elision]\nl'\n").is_ok());
        assert!(Lexicon::parse("[elision]\nle\n").is_err());
    }

    #[test]
    fn entries_are_folded() {
        let lexicon = Lexicon::parse("[insult]\nIDIÖT*\n").unwrap();
        assert_eq!(
            lexicon.rules,
            vec![(
                Rule::Insult,
                vec![Slot::Words(vec![WordPattern {
                    text: "idiot*".into(),
                }])]
            )]
        );
    }
}
