//! Words and clauses of a message, folded for matching.

use crate::unicode::{is_mark, UnicodeOps};

/// One word of a message, as its byte span in the normalised text and the
/// folded forms it may be read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The folded word first, then its de-obfuscated readings: leetspeak
    /// digits read as letters, stretched letters squeezed.
    pub(crate) forms: Vec<String>,
}

/// Folds text for comparison: lower case, compatibility forms made plain
/// (full-width and mathematical letters, ligatures), accents dropped, and
/// typographic apostrophes read as `'`.
pub(crate) fn fold(ops: &dyn UnicodeOps, text: &str) -> String {
    let lower: String = text.chars().flat_map(char::to_lowercase).collect();
    // ASCII is its own NFKD and holds no marks: most words need no tables.
    if lower.is_ascii() {
        return lower;
    }
    ops.nfkd(&lower)
        .chars()
        .filter(|c| !is_mark(ops, *c))
        .flat_map(char::to_lowercase)
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        // German writes "ss" for "ß" wherever "ß" is not at hand, and
        // Switzerland always: "Scheiße" and "Scheisse" are one word.
        .fold(String::new(), |mut out, c| {
            if c == 'ß' {
                out.push_str("ss");
            } else {
                out.push(c);
            }
            out
        })
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Characters that belong to a word: letters, digits, apostrophes, and the
/// symbols people mask letters with (`f*ck`, `$hit`, `@ss`).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_apostrophe(c) || matches!(c, '*' | '@' | '$')
}

/// Characters that end a clause.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '.'
            | ','
            | '!'
            | '?'
            | ';'
            | ':'
            | '…'
            | '‽'
            | '¡'
            | '¿'
            | '—'
            | '–'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '«'
            | '»'
            | '。'
            | '，'
            | '、'
            | '！'
            | '？'
            | '；'
            | '：'
    )
}

/// Splits normalised text into clauses of words. Clauses end at punctuation
/// and line breaks (the caller also ends them at boundary words). Runs of
/// three or more single letters with at most two spaces, dots, dashes or
/// underscores between each ("s h i t", "f.u.c.k") are joined into one word.
pub(crate) fn clauses(ops: &dyn UnicodeOps, text: &str) -> Vec<Vec<Token>> {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut breaks: Vec<usize> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            words.push((s, i));
        }
        if is_clause_break(c) {
            breaks.push(i);
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }

    let words = join_spelled_out(text, words, &mut breaks);

    let mut clauses: Vec<Vec<Token>> = vec![Vec::new()];
    let mut next_break = breaks.iter().peekable();
    for (start, end) in words {
        let mut crossed = false;
        while next_break.next_if(|&&b| b < start).is_some() {
            crossed = true;
        }
        if crossed && clauses.last().is_some_and(|c| !c.is_empty()) {
            clauses.push(Vec::new());
        }
        let forms = forms(ops, &text[start..end]);
        if forms.is_empty() {
            continue;
        }
        if let Some(clause) = clauses.last_mut() {
            clause.push(Token { start, end, forms });
        }
    }
    clauses.retain(|c| !c.is_empty());
    clauses
}

/// Splits elided words off the word they are joined to: with the French
/// elisions `l'` and `t'`, "l'équipe" reads as "l'" "equipe" and "t'es" as
/// "t'" "es", so that entries can name "équipe" and "es" alone. Only the
/// first apostrophe of a word counts ("jusqu'aujourd'hui" splits once).
pub(crate) fn split_elisions(
    ops: &dyn UnicodeOps,
    text: &str,
    clause: Vec<Token>,
    elisions: &[String],
) -> Vec<Token> {
    if elisions.is_empty() {
        return clause;
    }
    let mut out = Vec::with_capacity(clause.len());
    for token in clause {
        let raw = &text[token.start..token.end];
        let cut = raw
            .char_indices()
            .find(|(_, c)| is_apostrophe(*c))
            .map(|(i, c)| token.start + i + c.len_utf8());
        if let Some(cut) = cut.filter(|&cut| cut < token.end) {
            let head = fold(ops, &text[token.start..cut]);
            let rest = forms(ops, &text[cut..token.end]);
            if elisions.contains(&head) && !rest.is_empty() {
                out.push(Token {
                    start: token.start,
                    end: cut,
                    forms: vec![head],
                });
                out.push(Token {
                    start: cut,
                    end: token.end,
                    forms: rest,
                });
                continue;
            }
        }
        out.push(token);
    }
    out
}

/// Joins runs of single letters; drops the clause breaks inside a run.
fn join_spelled_out(
    text: &str,
    words: Vec<(usize, usize)>,
    breaks: &mut Vec<usize>,
) -> Vec<(usize, usize)> {
    let single = |&(s, e): &(usize, usize)| {
        let mut chars = text[s..e].chars();
        chars.next().is_some_and(char::is_alphanumeric) && chars.next().is_none()
    };
    let close = |a: (usize, usize), b: (usize, usize)| {
        let gap = &text[a.1..b.0];
        gap.chars().count() <= 2
            && gap
                .chars()
                .all(|c| matches!(c, ' ' | '.' | '-' | '_' | '·'))
    };
    let mut joined = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j + 1 < words.len()
            && single(&words[j])
            && single(&words[j + 1])
            && close(words[j], words[j + 1])
        {
            j += 1;
        }
        if j - i >= 2 {
            let span = (words[i].0, words[j].1);
            breaks.retain(|&b| b < span.0 || b >= span.1);
            joined.push(span);
        } else {
            joined.extend_from_slice(&words[i..=j]);
        }
        i = j + 1;
    }
    joined
}

/// The folded readings of one word: empty when it has no letter or digit.
fn forms(ops: &dyn UnicodeOps, raw: &str) -> Vec<String> {
    // A spelled-out word keeps only its letters: "s h i t" reads "shit".
    let compact: String = raw.chars().filter(|c| is_word_char(*c)).collect();
    let folded = fold(ops, &compact);
    let trimmed = folded.trim_matches(|c| matches!(c, '\'' | '@' | '$'));
    let trimmed = trimmed.trim_start_matches('*');
    if !trimmed.chars().any(char::is_alphanumeric) {
        return Vec::new();
    }
    let mut forms = vec![trimmed.to_owned()];
    let has_letter = folded.chars().any(char::is_alphabetic);
    if has_letter && folded.chars().any(|c| "0134578@$".contains(c)) {
        let leet: String = folded
            .trim_matches('\'')
            .chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                '8' => 'b',
                '@' => 'a',
                other => other,
            })
            .collect();
        forms.push(leet);
    }
    // Stretched words ("fuuuck", "idiooots"): runs of three or more of one
    // letter read as one letter, and as two ("assssholes").
    for i in 0..forms.len() {
        if has_run_of_three(&forms[i]) {
            let one = squeeze(&forms[i], 1);
            let two = squeeze(&forms[i], 2);
            forms.push(one);
            forms.push(two);
        }
    }
    forms.dedup();
    forms
}

fn has_run_of_three(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
}

fn squeeze(word: &str, keep: usize) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    let mut run = 0;
    for c in word.chars() {
        if Some(c) == last {
            run += 1;
        } else {
            last = Some(c);
            run = 1;
        }
        if run <= keep {
            out.push(c);
        }
    }
    out
}

#[cfg(all(test, feature = "unicode-tables"))]
mod tests {
    use super::*;
    use crate::unicode::Tables;

    fn clauses(text: &str) -> Vec<Vec<Token>> {
        super::clauses(&Tables, text)
    }

    fn words(text: &str) -> Vec<Vec<String>> {
        clauses(text)
            .into_iter()
            .map(|c| c.into_iter().map(|t| t.forms[0].clone()).collect())
            .collect()
    }

    #[test]
    fn splits_words_and_clauses() {
        assert_eq!(
            words("Hang in there, you're doing GREAT! #HugOps"),
            vec![
                vec!["hang", "in", "there"],
                vec!["you're", "doing", "great"],
                vec!["hugops"]
            ]
        );
    }

    #[test]
    fn folds_disguises() {
        assert_eq!(words("ＩＤＩＯＴＳ Ídíóts"), vec![vec!["idiots", "idiots"]]);
        assert_eq!(words("s h i t, f.u.c.k"), vec![vec!["shit"], vec!["fuck"]]);
        assert_eq!(words("a b engineers"), vec![vec!["a", "b", "engineers"]]);
        let id1ots = &clauses("id1ots")[0][0].forms;
        assert!(id1ots.contains(&"idiots".to_owned()), "{id1ots:?}");
        let fuuuck = &clauses("fuuuuck")[0][0].forms;
        assert!(fuuuck.contains(&"fuck".to_owned()), "{fuuuck:?}");
    }

    #[test]
    fn elided_words_split_off_where_the_lexicon_says() {
        let text = "T’es nul, l'équipe ! y'all";
        let elisions = vec!["t'".to_owned(), "l'".to_owned()];
        let words: Vec<Vec<String>> = clauses(text)
            .into_iter()
            .map(|c| {
                split_elisions(&Tables, text, c, &elisions)
                    .into_iter()
                    .map(|t| t.forms[0].clone())
                    .collect()
            })
            .collect();
        assert_eq!(
            words,
            vec![vec!["t'", "es", "nul"], vec!["l'", "equipe"], vec!["y'all"]]
        );
        // Without elisions (English), nothing splits.
        let english = split_elisions(&Tables, text, clauses(text).remove(0), &[]);
        assert_eq!(english[0].forms[0], "t'es");
    }

    #[test]
    fn sharp_s_folds_to_ss() {
        assert_eq!(fold(&Tables, "Scheiße STRAẞE"), "scheisse strasse");
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "oh s h i t, devs";
        let clauses = clauses(text);
        let shit = &clauses[0][1];
        assert_eq!(&text[shit.start..shit.end], "s h i t");
    }
}
