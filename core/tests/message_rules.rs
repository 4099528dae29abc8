//! The message rules of `hugops_core::message`, one concrete case per rule,
//! plus the Big List of Naughty Strings and property tests.

use hugops_core::message::{
    grapheme_len, normalize, prepare, CleanMessage, MessageError, MAX_AUTHOR_CHARS, MAX_BODY_CHARS,
    MAX_CLUSTER_CODE_POINTS, MAX_MARKS_PER_CHAR,
};
use hugops_core::wire::{ApiError, ErrorCode};
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

const FAMILY: &str = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";

fn body(text: &str) -> String {
    prepare(None, text).expect("a valid body").body
}

// --- NFC and counting -----------------------------------------------------

#[test]
fn nfc_composes_and_counts_one() {
    assert_eq!(normalize("e\u{301}"), "\u{E9}");
    assert_eq!(grapheme_len("e\u{301}"), 1);
    assert_eq!(body("Cafe\u{301} down"), "Caf\u{E9} down");
    // Hangul jamo compose to one syllable.
    assert_eq!(normalize("\u{1100}\u{1161}"), "\u{AC00}");
}

#[test]
fn emoji_sequences_count_one_and_stay_intact() {
    assert_eq!(grapheme_len(FAMILY), 1);
    assert_eq!(normalize(FAMILY), FAMILY);
    assert_eq!(
        grapheme_len("\u{1F44D}\u{1F3FD}"),
        1,
        "thumbs up with a skin tone"
    );
    assert_eq!(grapheme_len("\u{1F1E9}\u{1F1EA}"), 1, "a flag");
    assert_eq!(grapheme_len("hi\n"), 3, "a newline is a character");
    let rainbow = "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}";
    assert_eq!(normalize(rainbow), rainbow);
    let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    assert_eq!(normalize(scotland), scotland);
    assert_eq!(grapheme_len(scotland), 1);
}

#[test]
fn joiner_chains_cannot_hide_hundreds_of_emoji_in_one_character() {
    let kiss =
        "\u{1F469}\u{1F3FB}\u{200D}\u{2764}\u{FE0F}\u{200D}\u{1F48B}\u{200D}\u{1F468}\u{1F3FC}";
    assert_eq!(kiss.chars().count(), MAX_CLUSTER_CODE_POINTS);
    assert_eq!(grapheme_len(kiss), 1, "the longest real emoji is one");
    // 1 000 hugs joined into one cluster of 1 999 code points.
    let chain = vec!["\u{1F917}"; 1_000].join("\u{200D}");
    assert_eq!(chain.graphemes(true).count(), 1);
    assert_eq!(grapheme_len(&chain), 200);
    let error = prepare(None, &format!("{chain}{chain}{chain}")).unwrap_err();
    assert_eq!(
        error,
        MessageError::BodyTooLong {
            chars: 600,
            max: 500
        }
    );
}

// --- Lengths --------------------------------------------------------------

#[test]
fn five_hundred_emoji_fit_and_five_hundred_and_one_do_not() {
    let ok = "\u{1F917}".repeat(MAX_BODY_CHARS);
    assert_eq!(body(&ok), ok);
    let families = FAMILY.repeat(500);
    assert_eq!(
        body(&families),
        families,
        "2 750 code points, 500 characters"
    );

    let long = "\u{1F917}".repeat(501);
    let error = prepare(None, &long).unwrap_err();
    assert_eq!(
        error,
        MessageError::BodyTooLong {
            chars: 501,
            max: 500
        }
    );
    assert_eq!(
        error.to_string(),
        "Your message is 501 characters; the limit is 500. Please shorten it by 1."
    );
}

#[test]
fn too_long_says_by_how_much() {
    let error = prepare(None, &"a".repeat(612)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Your message is 612 characters; the limit is 500. Please shorten it by 112."
    );
    assert_eq!(error.field(), "body");
}

#[test]
fn length_is_measured_after_normalising() {
    // 500 characters plus trailing blanks and decomposed accents still fit.
    let text = format!("{}{}   \n\n\n", "e\u{301}".repeat(250), "x".repeat(250));
    assert_eq!(grapheme_len(&body(&text)), 500);
    // Zero-width spaces are not characters anyone can see.
    let hidden = format!("{}{}", "a".repeat(500), "\u{200B}".repeat(100));
    assert_eq!(body(&hidden), "a".repeat(500));
}

// --- Line breaks, controls, invisible characters ---------------------------

#[test]
fn line_breaks_become_newlines() {
    assert_eq!(normalize("a\r\nb\rc\nd"), "a\nb\nc\nd");
    assert_eq!(normalize("a\r\n\r\nb"), "a\n\nb");
    assert_eq!(normalize("a\u{2028}b\u{2029}c\u{85}d"), "a\nb\nc\nd");
    assert_eq!(normalize("a\u{B}b\u{C}c"), "a\nb\nc");
}

#[test]
fn tabs_become_spaces() {
    assert_eq!(normalize("a\tb\t\tc"), "a b  c");
}

#[test]
fn control_characters_are_removed() {
    assert_eq!(normalize("a\u{0}b\u{7}c\u{8}d"), "abcd");
    assert_eq!(normalize("\u{1B}[31mred\u{1B}[0m"), "[31mred[0m");
    assert_eq!(normalize("a\u{7F}b\u{9B}c\u{80}d"), "abcd");
}

#[test]
fn bidi_overrides_and_isolates_are_removed_but_marks_stay() {
    assert_eq!(normalize("pay\u{202E}gnp.exe"), "paygnp.exe");
    assert_eq!(
        normalize("\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{202E}e"),
        "abcde"
    );
    assert_eq!(normalize("\u{2066}a\u{2067}b\u{2068}c\u{2069}"), "abc");
    assert_eq!(
        normalize("a\u{200E}b\u{200F}c\u{61C}d"),
        "a\u{200E}b\u{200F}c\u{61C}d"
    );
}

#[test]
fn invisible_disguises_are_removed() {
    assert_eq!(normalize("id\u{200B}iot"), "idiot");
    assert_eq!(normalize("\u{FEFF}hello"), "hello");
    assert_eq!(
        normalize("in\u{AD}com\u{2060}pe\u{2063}tent"),
        "incompetent"
    );
    assert_eq!(normalize("a\u{FFF9}b\u{FFFA}c\u{FFFB}"), "abc");
    assert_eq!(
        normalize("x\u{E0001}\u{E0068}\u{E0069}"),
        "x",
        "stray tags go"
    );
}

#[test]
fn joiners_that_spell_words_stay() {
    // Persian "I want" needs its zero-width non-joiner.
    let persian = "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}";
    assert_eq!(normalize(persian), persian);
    // Devanagari conjunct with an explicit zero-width joiner.
    let hindi = "\u{915}\u{94D}\u{200D}\u{937}";
    assert_eq!(normalize(hindi), hindi);
}

#[test]
fn blank_looking_fillers_do_not_make_a_name() {
    assert_eq!(
        prepare(Some("\u{3164}\u{3164}"), "hi").unwrap().author,
        None
    );
    assert_eq!(prepare(None, "\u{FFA0}"), Err(MessageError::EmptyBody));
}

#[test]
fn zalgo_marks_are_capped() {
    let zalgo = format!("Z{}A{}", "\u{36D}".repeat(30), "\u{317}".repeat(30));
    let calm = normalize(&zalgo);
    assert_eq!(grapheme_len(&calm), 2);
    assert_eq!(calm.chars().count(), 2 + 2 * MAX_MARKS_PER_CHAR);
    // Joiners between the marks do not restart the count.
    let sneaky = format!("a{}", "\u{301}\u{302}\u{200D}".repeat(20));
    let marks = normalize(&sneaky)
        .chars()
        .filter(|c| is_combining_mark(*c))
        .count();
    assert_eq!(marks, MAX_MARKS_PER_CHAR);
    // Real stacked marks are untouched: Vietnamese, pointed Hebrew.
    assert_eq!(normalize("Vi\u{1EC7}t"), "Vi\u{1EC7}t");
    let hebrew = "\u{5E9}\u{5B8}\u{5BC}\u{5C1}";
    assert_eq!(normalize(hebrew), hebrew);
}

// --- Lines and trimming ----------------------------------------------------

#[test]
fn trailing_spaces_on_each_line_are_trimmed() {
    assert_eq!(normalize("a  \nb\t\nc\u{A0}\u{3000}"), "a\nb\nc");
    assert_eq!(normalize("a\n  indented"), "a\n  indented");
}

#[test]
fn blank_lines_collapse_to_one() {
    assert_eq!(normalize("a\n\n\n\nb"), "a\n\nb");
    assert_eq!(normalize("a\n \n\t\n\u{200D}\n\nb"), "a\n\nb");
    assert_eq!(normalize("a\nb\n\nc"), "a\nb\n\nc");
}

#[test]
fn the_whole_text_is_trimmed() {
    assert_eq!(normalize("\n\n   hang in there   \n\n"), "hang in there");
    assert_eq!(normalize("\u{FEFF} \u{200B}\n hi"), "hi");
}

#[test]
fn empty_bodies_are_refused() {
    for empty in ["", "   ", "\n\t \r\n", "\u{200B}\u{FEFF}\u{202E}", "\u{0}"] {
        assert_eq!(
            prepare(None, empty),
            Err(MessageError::EmptyBody),
            "{empty:?}"
        );
    }
    let error = MessageError::EmptyBody;
    assert_eq!(error.field(), "body");
    assert_eq!(
        error.to_string(),
        "Your message is empty. Please write a few words before posting."
    );
}

// --- Author ----------------------------------------------------------------

#[test]
fn authors_are_trimmed_and_blank_ones_are_anonymous() {
    let ok = |author: &str| prepare(Some(author), "#HugOps").unwrap().author;
    assert_eq!(ok("  Ann  "), Some("Ann".into()));
    assert_eq!(ok("Ann\nBob"), Some("Ann Bob".into()));
    assert_eq!(ok("Ann \r\n\r\n  Bob\t"), Some("Ann Bob".into()));
    assert_eq!(ok("Jos\u{E9}\u{301}"), Some("Jos\u{E9}\u{301}".into()));
    assert_eq!(ok("Jose\u{301}"), Some("Jos\u{E9}".into()));
    assert_eq!(ok(""), None);
    assert_eq!(ok(" \t\n "), None);
    assert_eq!(ok("\u{200B}"), None);
    assert_eq!(
        prepare(None, "hi"),
        Ok(CleanMessage {
            author: None,
            body: "hi".into()
        })
    );
}

#[test]
fn authors_are_limited_to_forty_characters() {
    let forty = "\u{1F917}".repeat(MAX_AUTHOR_CHARS);
    assert_eq!(prepare(Some(&forty), "hi").unwrap().author, Some(forty));
    let error = prepare(Some(&"n".repeat(41)), "hi").unwrap_err();
    assert_eq!(error, MessageError::AuthorTooLong { chars: 41, max: 40 });
    assert_eq!(error.field(), "author");
    assert_eq!(
        error.to_string(),
        "Your name is 41 characters; the limit is 40. Please shorten it by 1."
    );
    // Trimmed before measuring.
    let padded = format!("   {}   ", "n".repeat(40));
    assert!(prepare(Some(&padded), "hi").is_ok());
}

#[test]
fn the_body_is_checked_before_the_author() {
    let long_name = "n".repeat(100);
    assert_eq!(
        prepare(Some(&long_name), "  "),
        Err(MessageError::EmptyBody)
    );
}

// --- Errors on the wire ----------------------------------------------------

#[test]
fn errors_become_api_errors_with_their_field() {
    let error = MessageError::BodyTooLong {
        chars: 612,
        max: 500,
    };
    let api: ApiError = error.into();
    assert_eq!(api.error, ErrorCode::InvalidMessage);
    assert_eq!(api.error.http_status(), 422);
    assert_eq!(api.field.as_deref(), Some("body"));
    assert_eq!(api.message, error.to_string());

    let api = ApiError::from(MessageError::AuthorTooLong { chars: 41, max: 40 });
    assert_eq!(api.field.as_deref(), Some("author"));

    let boxed: Box<dyn std::error::Error> = Box::new(MessageError::EmptyBody);
    assert!(boxed.to_string().contains("empty"));
}

// --- Hostile input -------------------------------------------------------------

fn naughty_strings() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/hostile/blns.json"
    );
    let text = std::fs::read_to_string(path).expect("the BLNS fixture");
    serde_json::from_str(&text).expect("BLNS is a JSON array of strings")
}

#[test]
fn every_naughty_string_prepares_or_is_refused() {
    let strings = naughty_strings();
    assert!(strings.len() > 500, "the whole list, not a sample");
    let mut accepted = 0;
    for s in &strings {
        match prepare(None, s) {
            Ok(clean) => {
                accepted += 1;
                assert_eq!(clean.body, normalize(s));
                // What the server stores passes the rules again unchanged.
                let again = prepare(None, &clean.body).unwrap();
                assert_eq!(again, clean, "{s:?}");
            }
            Err(MessageError::EmptyBody) => assert!(normalize(s).is_empty(), "{s:?}"),
            Err(error) => panic!("no naughty string is over 500 characters: {error}"),
        }
        // As an author name: one line, or anonymous, or too long.
        match prepare(Some(s), "#HugOps") {
            Ok(CleanMessage {
                author: Some(name), ..
            }) => {
                assert!(!name.contains('\n') && grapheme_len(&name) <= MAX_AUTHOR_CHARS);
                let again = prepare(Some(&name), "#HugOps").unwrap();
                assert_eq!(again.author.as_deref(), Some(name.as_str()));
            }
            Ok(_) => assert!(normalize(s).is_empty(), "{s:?}"),
            Err(error) => assert_eq!(error.field(), "author"),
        }
    }
    assert!(accepted > 500, "naughty strings are fine text: {accepted}");
}

#[test]
fn naughty_strings_normalise_idempotently_and_cleanly() {
    for s in naughty_strings() {
        let once = normalize(&s);
        assert_eq!(normalize(&once), once, "{s:?}");
        assert_no_hidden_controls(&once);
    }
}

#[test]
fn naughty_specimens_normalise_as_documented() {
    let strings = naughty_strings();
    let find = |needle: &str| {
        strings
            .iter()
            .find(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("BLNS holds {needle:?}"))
            .clone()
    };
    // The right-to-left override trick keeps its letters, not its order trick.
    let rlo = find("\u{202E}");
    assert!(!normalize(&rlo).contains('\u{202E}'));
    // The zero-width-space line loses them; the BOM table flip loses its BOM.
    let flip = find("\u{FEFF} \u{253B}");
    assert_eq!(
        normalize(&flip),
        flip.replace('\u{FEFF}', ""),
        "only the BOM goes"
    );
    // Script that reads as markup stays text, byte for byte.
    let script = find("<script>alert(");
    assert_eq!(normalize(&script), script.trim());
    // Zalgo within the cap is left alone; the Thai tone-mark tower is cut.
    let zalgo = find("\u{1E70}\u{33A}");
    assert_eq!(normalize(&zalgo), zalgo.trim());
    let thai = find("\u{E14}\u{E49}\u{E49}\u{E49}");
    assert!(max_mark_run(&thai) > MAX_MARKS_PER_CHAR);
    let calm = normalize(&thai);
    assert_eq!(max_mark_run(&calm), MAX_MARKS_PER_CHAR);
    assert_eq!(
        calm.graphemes(true).count(),
        thai.trim().graphemes(true).count()
    );
}

fn max_mark_run(text: &str) -> usize {
    let (mut max, mut run) = (0, 0);
    for c in text.chars() {
        run = if is_combining_mark(c) { run + 1 } else { 0 };
        max = max.max(run);
    }
    max
}

fn assert_no_hidden_controls(text: &str) {
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || matches!(
                c,
                '\u{200B}' | '\u{FEFF}' | '\u{AD}' | '\u{2028}' | '\u{2029}'
            );
        assert!(!bad, "{c:?} survived in {text:?}");
    }
    assert!(!text.starts_with(char::is_whitespace));
    assert!(!text.ends_with(char::is_whitespace));
    assert!(!text.contains("\n\n\n"));
    assert!(max_mark_run(text) <= MAX_MARKS_PER_CHAR);
}

// --- Properties ----------------------------------------------------------------

/// Characters the rules treat specially, mixed into arbitrary strings so the
/// properties meet them often.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '\r',
            '\n',
            '\t',
            ' ',
            '\u{B}',
            '\u{85}',
            '\u{A0}',
            '\u{3000}',
            '\u{2028}',
            'e',
            'a',
            '\u{301}',
            '\u{302}',
            '\u{323}',
            '\u{36D}',
            '\u{5BC}',
            '\u{E49}',
            '\u{FE0F}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{202E}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{1100}',
            '\u{1161}',
            '\u{11A8}',
            '\u{AC00}',
            '\u{1F468}',
            '\u{1F3FD}',
            '\u{1F3F4}',
            '\u{E0067}',
            '\u{E007F}',
            '\u{E0001}',
            '\u{0B47}',
            '\u{0B3E}',
            '\u{0600}',
            '\u{3164}',
            '\u{0}',
            '\u{1B}',
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn normalize_is_idempotent(chars in prop::collection::vec(tricky_char(), 0..80)) {
        let s: String = chars.into_iter().collect();
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
        assert_no_hidden_controls(&once);
    }

    #[test]
    fn normalize_is_idempotent_on_any_string(s in any::<String>()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn prepare_never_panics_and_is_stable(
        author in prop::option::of(any::<String>()),
        chars in prop::collection::vec(tricky_char(), 0..600),
    ) {
        let body: String = chars.into_iter().collect();
        match prepare(author.as_deref(), &body) {
            Ok(clean) => {
                prop_assert!(!clean.body.is_empty());
                prop_assert!(grapheme_len(&clean.body) <= MAX_BODY_CHARS);
                if let Some(name) = &clean.author {
                    prop_assert!(!name.is_empty() && !name.contains('\n'));
                    prop_assert!(grapheme_len(name) <= MAX_AUTHOR_CHARS);
                }
                let again = prepare(clean.author.as_deref(), &clean.body);
                prop_assert_eq!(again, Ok(clean));
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }
}
