//! The message rules: how a HugOps wall message is normalised, measured and
//! validated. The widget runs them before posting (to show the limit as the
//! customer types) and the server runs them again on what arrives (the only
//! check that counts), so both call [`prepare`] and cannot disagree.
//!
//! Lengths are counted in user-perceived characters (extended grapheme
//! clusters), not bytes or code points: a family emoji is one character, and
//! so is an "e" followed by a combining accent. That is what a person counts
//! when told "500 characters".
//!
//! Each rule takes the Unicode operations it needs ([`UnicodeOps`]):
//! [`prepare_with`], [`normalize_with`] and [`grapheme_len_with`]. With the
//! `unicode-tables` feature (the default), [`prepare`], [`normalize`] and
//! [`grapheme_len`] do the same with the compiled-in [`Tables`]. Both give
//! the same results for every text their Unicode versions share.
//!
//! [`Tables`]: crate::unicode::Tables

use crate::unicode::{is_mark, UnicodeOps};
use crate::wire::{ApiError, ErrorCode};
use std::fmt;

/// The most user-perceived characters a message body may have.
pub const MAX_BODY_CHARS: usize = 500;
/// The most user-perceived characters an author name may have.
pub const MAX_AUTHOR_CHARS: usize = 40;
/// The most combining marks kept in a row after one character. Real writing
/// needs far fewer (Vietnamese stacks two, pointed Hebrew four); "Zalgo" text
/// stacks dozens, which paint over the messages above and below it.
pub const MAX_MARKS_PER_CHAR: usize = 8;
/// The most code points one user-perceived character counts for. The longest
/// real ones are emoji sequences of ten (a kiss with two skin tones); joiners
/// can chain thousands of emoji into one "character", so a longer cluster
/// counts as one character per this many code points, rounded up.
pub const MAX_CLUSTER_CODE_POINTS: usize = 10;

/// A message that passed the rules, normalised and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanMessage {
    /// The author's name on one line, or `None` when they left it blank.
    pub author: Option<String>,
    pub body: String,
}

/// Why a message was refused. [`fmt::Display`] gives plain words the widget
/// shows beside the field as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageError {
    /// Nothing is left of the body once normalised.
    EmptyBody,
    /// The normalised body has `chars` user-perceived characters, over `max`.
    BodyTooLong { chars: usize, max: usize },
    /// The normalised author name has `chars` user-perceived characters,
    /// over `max`.
    AuthorTooLong { chars: usize, max: usize },
}

impl MessageError {
    /// The request field at fault: `"body"` or `"author"`.
    pub fn field(&self) -> &'static str {
        match self {
            MessageError::EmptyBody | MessageError::BodyTooLong { .. } => "body",
            MessageError::AuthorTooLong { .. } => "author",
        }
    }
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MessageError::EmptyBody => {
                f.write_str("Your message is empty. Please write a few words before posting.")
            }
            MessageError::BodyTooLong { chars, max } => write!(
                f,
                "Your message is {chars} characters; the limit is {max}. \
                 Please shorten it by {}.",
                chars.saturating_sub(max)
            ),
            MessageError::AuthorTooLong { chars, max } => write!(
                f,
                "Your name is {chars} characters; the limit is {max}. \
                 Please shorten it by {}.",
                chars.saturating_sub(max)
            ),
        }
    }
}

impl std::error::Error for MessageError {}

impl From<MessageError> for ApiError {
    fn from(error: MessageError) -> Self {
        ApiError::new(ErrorCode::InvalidMessage, error.to_string()).with_field(error.field())
    }
}

/// Normalises and validates a message: the one rule both the widget and the
/// server apply, so what the customer sees counted is what the server stores.
///
/// Normalisation ([`normalize`]), applied to the body and the author alike:
///
/// 1. **Line breaks become `\n`.** CR LF, a lone CR, and the other Unicode
///    line breaks (vertical tab U+000B, form feed U+000C, next line U+0085,
///    line separator U+2028, paragraph separator U+2029) each become one
///    `\n`. A tab becomes one space.
/// 2. **Invisible characters that carry no meaning go.** Removed: every
///    other control character (C0, DEL, C1); the bidirectional embeddings,
///    overrides and isolates U+202A–U+202E and U+2066–U+2069, which reorder
///    what is displayed (a message could otherwise show text other than it
///    holds, or flip the text after it); the soft hyphen U+00AD; the
///    zero-width space U+200B, word joiner U+2060, invisible operators
///    U+2061–U+2064, deprecated format characters U+206A–U+206F, byte order
///    mark U+FEFF and interlinear annotation controls U+FFF9–U+FFFB, which
///    can hide inside a word to disguise it; the musical beam and slur
///    controls U+1D173–U+1D17A; the Hangul fillers U+3164 and U+FFA0, which
///    look blank and fake an empty name; the language tag U+E0001; and tag
///    characters U+E0020–U+E007F except inside an emoji tag sequence (a
///    black flag U+1F3F4, tags, then the cancel tag U+E007F: the flags of
///    England, Scotland and Wales).
///
///    **Kept**, because real text needs them: the zero-width joiner U+200D
///    (emoji sequences such as 👨‍👩‍👧‍👦, and Indic scripts), the zero-width
///    non-joiner U+200C (Persian, Indic scripts), the direction marks U+200E,
///    U+200F and U+061C (they nudge punctuation in mixed-direction text and
///    cannot reorder a run of text), variation selectors, the prepended
///    concatenation marks (U+0600–U+0605, U+06DD, U+070F and similar, which
///    are visible), the Mongolian vowel separator U+180E and other
///    script-specific format characters.
/// 3. **Unicode NFC**, so that "e" plus a combining acute and "é" are the
///    same text and the same length.
/// 4. **Combining-mark runs are cut** to [`MAX_MARKS_PER_CHAR`] marks, so
///    "Zalgo" text cannot paint over its neighbours on the wall. The joiners
///    and direction marks kept in step 2 do not end a run (they would
///    otherwise let marks stack on without limit).
/// 5. **Lines are tidied.** Trailing blanks on each line are trimmed (white
///    space, and the joiners and direction marks of step 2 where nothing
///    follows them on the line); runs of blank lines collapse to one blank
///    line; and blank lines and blanks at the start and end of the whole
///    text are removed.
///
/// Normalisation never fails and is idempotent: normalising normalised text
/// changes nothing.
///
/// Then, for the **author**: it is one line, so its lines are trimmed and
/// joined with single spaces; an author that is empty after that is `None`
/// ("anonymous"), and one longer than [`MAX_AUTHOR_CHARS`] characters is
/// refused with [`MessageError::AuthorTooLong`].
///
/// For the **body**: an empty body is refused with
/// [`MessageError::EmptyBody`], and one longer than [`MAX_BODY_CHARS`]
/// characters with [`MessageError::BodyTooLong`]. The body is checked first,
/// so a customer fixes the field they care about first.
///
/// Lengths are counted with [`grapheme_len`] on the normalised text: the
/// characters a person sees, so a newline counts as one and so does 👍🏽
/// (and a cluster of more than [`MAX_CLUSTER_CODE_POINTS`], which no real
/// character is, counts as several).
///
/// The message is text, always: nothing here strips or escapes markup,
/// because nothing that shows a message may ever interpret it.
///
/// This uses the compiled-in Unicode tables; [`prepare_with`] takes others.
#[cfg(feature = "unicode-tables")]
pub fn prepare(author: Option<&str>, body: &str) -> Result<CleanMessage, MessageError> {
    prepare_with(&crate::unicode::Tables, author, body)
}

/// [`prepare`] with the given Unicode operations.
pub fn prepare_with(
    ops: &dyn UnicodeOps,
    author: Option<&str>,
    body: &str,
) -> Result<CleanMessage, MessageError> {
    let body = normalize_with(ops, body);
    if body.is_empty() {
        return Err(MessageError::EmptyBody);
    }
    let chars = grapheme_len_with(ops, &body);
    if chars > MAX_BODY_CHARS {
        return Err(MessageError::BodyTooLong {
            chars,
            max: MAX_BODY_CHARS,
        });
    }
    let author = author
        .map(|a| normalize_author(ops, a))
        .filter(|a| !a.is_empty());
    if let Some(name) = &author {
        let chars = grapheme_len_with(ops, name);
        if chars > MAX_AUTHOR_CHARS {
            return Err(MessageError::AuthorTooLong {
                chars,
                max: MAX_AUTHOR_CHARS,
            });
        }
    }
    Ok(CleanMessage { author, body })
}

/// The user-perceived characters (extended grapheme clusters) in `text`.
///
/// One exception keeps the limits honest: a cluster of more than
/// [`MAX_CLUSTER_CODE_POINTS`] code points (emoji chained with zero-width
/// joiners beyond any real sequence) counts as one character per
/// [`MAX_CLUSTER_CODE_POINTS`] code points, rounded up, since it shows as
/// that many pictures.
///
/// This uses the compiled-in Unicode tables; [`grapheme_len_with`] takes
/// others.
#[cfg(feature = "unicode-tables")]
pub fn grapheme_len(text: &str) -> usize {
    grapheme_len_with(&crate::unicode::Tables, text)
}

/// [`grapheme_len`] with the given Unicode operations.
pub fn grapheme_len_with(ops: &dyn UnicodeOps, text: &str) -> usize {
    if text.is_ascii() {
        // Every ASCII character is a cluster of its own, but CR LF.
        return text.len() - text.matches("\r\n").count();
    }
    ops.graphemes(text)
        .into_iter()
        .map(|cluster| cluster.chars().count().div_ceil(MAX_CLUSTER_CODE_POINTS))
        .sum()
}

/// Normalises message text; see [`prepare`] for the steps, in order.
///
/// This uses the compiled-in Unicode tables; [`normalize_with`] takes
/// others.
#[cfg(feature = "unicode-tables")]
pub fn normalize(text: &str) -> String {
    normalize_with(&crate::unicode::Tables, text)
}

/// [`normalize`] with the given Unicode operations.
pub fn normalize_with(ops: &dyn UnicodeOps, text: &str) -> String {
    let visible = drop_invisible(text);
    let visible = keep_emoji_tag_sequences(visible);
    // ASCII is already in NFC, and holds no marks to cap.
    if visible.is_ascii() {
        return tidy_lines(&visible);
    }
    let composed = ops.nfc(&visible);
    let calm = cap_mark_runs(ops, &composed);
    tidy_lines(&calm)
}

/// An author name: normalised, then made one line.
fn normalize_author(ops: &dyn UnicodeOps, author: &str) -> String {
    normalize_with(ops, author)
        .split('\n')
        .map(|line| line.trim_matches(is_blank))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Step 1 and most of step 2: line breaks, tabs, and invisible characters.
fn drop_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push(' '),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters step 2 removes wherever they stand (tags are handled apart).
fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{AD}'
        | '\u{200B}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
    )
}

fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

const BLACK_FLAG: char = '\u{1F3F4}';
const CANCEL_TAG: char = '\u{E007F}';

/// The rest of step 2: a run of tag characters survives only as a complete
/// emoji tag sequence, right after a black flag and ending in a cancel tag.
fn keep_emoji_tag_sequences(text: String) -> String {
    if !text.chars().any(is_tag) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let mut after_flag = false;
    fn flush(out: &mut String, run: &mut String, after_flag: bool) {
        // A valid sequence has at least one tag before the cancel tag.
        if after_flag && run.ends_with(CANCEL_TAG) && run.chars().count() >= 2 {
            out.push_str(run);
        }
        run.clear();
    }
    for c in text.chars() {
        if is_tag(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            flush(&mut out, &mut run, after_flag);
        }
        out.push(c);
        after_flag = c == BLACK_FLAG;
    }
    flush(&mut out, &mut run, after_flag);
    out
}

/// Step 4: at most [`MAX_MARKS_PER_CHAR`] combining marks in a row, not
/// counting the invisible characters between them. Dropping the marks after
/// the cap keeps NFC text in NFC: what is kept keeps its canonical order,
/// and the starter after the run stays blocked from the one before it.
fn cap_mark_runs(ops: &dyn UnicodeOps, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for c in text.chars() {
        if is_mark(ops, c) {
            run += 1;
            if run > MAX_MARKS_PER_CHAR {
                continue;
            }
        } else if !is_invisible_kept(c) {
            run = 0;
        }
        out.push(c);
    }
    out
}

/// The invisible joiners and direction marks that step 2 keeps.
fn is_invisible_kept(c: char) -> bool {
    matches!(
        c,
        '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Blank for the purpose of trimming: white space, and the invisible joiners
/// and direction marks, which mean nothing at a line's end.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || is_invisible_kept(c)
}

/// Step 5: trailing blanks per line, at most one blank line in a row, and
/// nothing blank at either end.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_blank = false;
    for line in text.split('\n') {
        let line = line.trim_end_matches(is_blank);
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if out.is_empty() {
            out.push_str(line.trim_start_matches(is_blank));
        } else {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
            out.push_str(line);
        }
        pending_blank = false;
    }
    out
}

#[cfg(all(test, feature = "unicode-tables"))]
mod tests {
    use super::*;

    #[test]
    fn tag_runs_survive_only_as_flags() {
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(normalize(scotland), scotland);
        assert_eq!(grapheme_len(scotland), 1);
        assert_eq!(normalize("hi\u{E0068}\u{E0069}\u{E007F}"), "hi");
        assert_eq!(normalize("\u{1F3F4}\u{E007F}"), "\u{1F3F4}");
    }

    #[test]
    fn mark_runs_are_capped() {
        let zalgo = format!("a{}", "\u{301}\u{302}".repeat(20));
        let once = normalize(&zalgo);
        // "a" and the first acute compose to "á"; then 8 of the 39 marks stay.
        assert_eq!(once.chars().count(), 1 + MAX_MARKS_PER_CHAR);
        assert_eq!(normalize(&once), once);
    }
}
