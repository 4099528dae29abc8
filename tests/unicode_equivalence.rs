//! The browser's Unicode operations (what the widget passes core in wasm,
//! `hugops_widget::unicode::ops`) against core's compiled-in tables (what
//! the server uses): the same message rules must give the same results, or
//! the count the customer sees would differ from the one the server applies.
//!
//! Every string of the Big List of Naughty Strings and a set of tricky
//! cases go through both: NFC, NFKD, marks and grapheme clusters, then
//! `normalize`, `grapheme_len`, `prepare` (as body and as author) and the
//! kindness verdict. Then every code point is swept: marks, NFC and NFKD of
//! each, and its grapheme clusters beside the characters that cluster
//! (marks, joiners, Hangul jamo, regional indicators, Indic viramas).
//!
//! # Where the two may differ
//!
//! Only where their Unicode versions do. Chromium's ICU and the crates are
//! updated on different schedules: here, Chromium 156 knows Unicode 17,
//! unicode-segmentation's tables are Unicode 17 and unicode-normalization's
//! Unicode 18. A character added in the newer version is unassigned in the
//! older, so there it has no decomposition, is no mark, and clusters like
//! any unassigned code point. The sweeps below allow a difference only at
//! code points the browser itself reports unassigned (`\p{Cn}`), list them
//! in the test output (`-- --nocapture`), and fail on any other.
//!
//! Found in Chromium 156: 37 marks and 68 compatibility decompositions that
//! Unicode 18 adds (U+05C8, U+0B53, U+1ADE…, U+10ECB…, U+1D250… are marks
//! to the tables only; U+0558, U+209D, U+1DFD0… decompose in the tables
//! only); no NFC and no grapheme cluster differs, nor does any result for
//! the naughty strings or the tricky cases. So only text with characters
//! newer than the browser can differ: a run of more than eight of those new
//! marks is cut by the server and not by the widget (so the widget may
//! count such text longer than the server does, never shorter), and the
//! kindness check may fold a word spelt with them differently. The server,
//! which runs the rules again, decides.
#![cfg(target_arch = "wasm32")]

use hugops_core::kindness::{check_with_ops, Lexicon};
use hugops_core::message::{grapheme_len_with, normalize_with, prepare_with};
use hugops_core::unicode::{Tables, UnicodeOps};
use hugops_widget::unicode::ops;
use std::fmt::Write;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BLNS: &str = include_str!("fixtures/hostile/blns.json");

/// Text where Unicode's rules bite: composition and reordering, Hangul,
/// compatibility forms, emoji sequences, Zalgo, right-to-left scripts,
/// Indic conjuncts, line breaks, invisible characters, and disguised
/// insults for the kindness check's folding.
const TRICKY: &[&str] = &[
    // Combining sequences: composition, canonical reordering, singletons,
    // composition exclusions, starters that compose.
    "e\u{301}",
    "Cafe\u{301} down, cafe\u{301}s too",
    "a\u{323}\u{302} a\u{302}\u{323} \u{1EAD}",
    "\u{1E0B}\u{323} d\u{307}\u{323} \u{1E0D}\u{307}",
    "o\u{308}\u{304} u\u{308}\u{301} \u{1E7B}",
    "\u{212B}ngstr\u{F6}m \u{2126} \u{212A}elvin",
    "\u{344} \u{F73} \u{F75} \u{F81}",
    "\u{958}\u{959} \u{2ADC} \u{FB1D}",
    "\u{B47}\u{B3E} \u{B47}\u{B57} \u{BC6}\u{BBE} \u{DD9}\u{DCF}",
    "\u{301}starts with a mark",
    "\u{301}",
    "a\u{20DD} \u{20DE}\u{20DF} \u{903}\u{93E} \u{1AB0}\u{1DC0}",
    "i\u{307}\u{301} \u{130} \u{131}\u{307}",
    "\u{1C5} \u{1C4}\u{1C6} \u{3A3}\u{391}\u{3A3} \u{3C2}",
    // Hangul: jamo that compose, syllables that take a final, old Hangul,
    // compatibility and half-width jamo.
    "\u{1100}\u{1161}\u{11A8} \u{1100}\u{1161} \u{AC00}\u{11A8} \u{AC01}\u{11A8}",
    "\u{1100}\u{1100}\u{1161}\u{1161}\u{11A8}\u{11A8} \u{A960}\u{D7B0}\u{D7CB}",
    "\u{3131}\u{314F} \u{FFA1}\u{FFC2} \u{3164}\u{FFA0} \u{D55C}\u{AD6D}\u{C5B4}",
    // Japanese: voiced sound marks, half-width katakana, squared words.
    "\u{304B}\u{3099} \u{30AB}\u{309A} \u{FF76}\u{FF9E} \u{3300}\u{337B}",
    // Compatibility forms the kindness fold makes plain.
    "\u{FB01}re the devs \u{FB00} \u{2460}\u{2474} \u{FF11}\u{FF10}\u{FF10}%",
    "\u{FF29}\u{FF24}\u{FF29}\u{FF2F}\u{FF34}\u{FF33}",
    "\u{FF26}\u{FF35}\u{FF23}\u{FF2B} \u{FF39}\u{FF2F}\u{FF35}",
    "\u{1D42E}\u{1D42C}\u{1D41E}\u{1D425}\u{1D41E}\u{1D42C}\u{1D42C} \u{1D41D}\u{1D41E}\u{1D42F}\u{1D42C}",
    "You ID\u{130}OTS, \u{CD}d\u{ED}\u{F3}ts running this",
    "y\u{336}o\u{336}u\u{336} i\u{336}d\u{336}i\u{336}o\u{336}t\u{336}s\u{336}",
    "f\u{338}u\u{338}c\u{338}k\u{338} you",
    "you're \u{FF35}\u{FF33}\u{FF25}\u{FF2C}\u{FF25}\u{FF33}\u{FF33}",
    "\u{FF53} \u{FF48} \u{FF49} \u{FF54} engineers",
    "it\u{2019}s your fault \u{2018}devs\u{2019}, wh\u{2BC}s on call",
    "useless devs \u{2764}\u{FE0F}",
    // Emoji: ZWJ sequences, skin tones, flags (and an odd regional
    // indicator), tag flags, keycaps, presentation selectors.
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
    "\u{1F44D}\u{1F3FD} \u{1F44D}\u{1F3FF}\u{1F3FF} \u{1F3FD}",
    "\u{1F469}\u{1F3FB}\u{200D}\u{2764}\u{FE0F}\u{200D}\u{1F48B}\u{200D}\u{1F468}\u{1F3FC}",
    "\u{1F9D1}\u{200D}\u{1F91D}\u{200D}\u{1F9D1} \u{1FAF1}\u{1F3FB}\u{200D}\u{1FAF2}\u{1F3FF}",
    "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308} \u{2764}\u{FE0F}\u{200D}\u{1F525}",
    "\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}\u{1F1EF}\u{1F1F5} \u{1F1E9}\u{1F1EA}\u{1F1EB}",
    "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} \u{1F3F4}\u{E007F}",
    "1\u{FE0F}\u{20E3} #\u{FE0F}\u{20E3} *\u{20E3} \u{263A}\u{FE0E} \u{263A}\u{FE0F}",
    "\u{1F917}\u{200D}\u{1F917}\u{200D}\u{1F917}\u{200D}\u{1F917}\u{200D}\u{1F917}\u{200D}\u{1F917}",
    "\u{200D}\u{1F917} \u{1F917}\u{200D} a\u{200D}\u{1F917}",
    // Zalgo: far over the mark cap, marks of every class mixed.
    "Z\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}\u{36D}A\u{317}\u{317}\u{317}\u{317}\u{317}\u{317}\u{317}\u{317}\u{317}\u{317}L\u{489}\u{489}\u{489}\u{489}\u{489}\u{489}\u{489}\u{489}\u{489}\u{489}G\u{35C}\u{35D}\u{35E}\u{35F}\u{360}\u{361}\u{362}\u{334}\u{335}\u{336}\u{337}\u{338}O",
    "\u{E14}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}\u{E49}",
    "a\u{301}\u{302}\u{200D}\u{301}\u{302}\u{200D}\u{301}\u{302}\u{200D}\u{301}\u{302}\u{200D}\u{301}\u{302}\u{200D}\u{301}",
    // Right to left: Arabic with harakat and a ZWNJ, Hebrew with points,
    // mixed directions, overrides, presentation forms.
    "\u{645}\u{64E}\u{631}\u{652}\u{62D}\u{64E}\u{628}\u{64B}\u{627} \u{628}\u{627}\u{644}\u{639}\u{627}\u{644}\u{645}",
    "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}",
    "\u{5E9}\u{5B8}\u{5BC}\u{5C1} \u{5E9}\u{5C1}\u{5BC}\u{5B8} \u{FB2C}",
    "hello \u{5E9}\u{5DC}\u{5D5}\u{5DD} world \u{200F}!\u{200E}",
    "pay\u{202E}gnp.exe \u{2067}abc\u{2069}",
    "\u{FEF5}\u{FDFA} \u{FDFB} \u{FE8D}\u{FE8E}",
    "\u{600}123 \u{6DD}\u{661}\u{662} \u{110BD}\u{11083}",
    // Indic: conjuncts with a virama (grapheme rule GB9c), explicit joiners,
    // spacing marks.
    "\u{915}\u{94D}\u{937}\u{93F} \u{915}\u{94D}\u{200D}\u{937} \u{915}\u{94D}\u{200C}\u{937}",
    "\u{995}\u{9CD}\u{9B7} \u{9A4}\u{9CD}\u{200D} \u{9CB} \u{9C7}\u{9BE}",
    "\u{BA8}\u{BBF} \u{B95}\u{BCD}\u{BB7} \u{D28}\u{D4D}\u{200D} \u{D7B}",
    "\u{DC1}\u{DCA}\u{200D}\u{DBB}\u{DD3} \u{E01}\u{E33} \u{E40}\u{E01} \u{E81}\u{EB3}",
    "\u{1000}\u{103A}\u{1039}\u{1000} \u{17D2}\u{1780} \u{1B05}\u{1B44}\u{1B13}",
    // Line breaks in every mix, and marks after them.
    "a\r\nb",
    "a\r\r\nb\n\rc\r\n\r\n\r\nd",
    "\r\n\r\n\r\n",
    "line1\r\nline2\u{2028}line3\u{85}line4\u{2029}\u{B}\u{C}end",
    "a\r\n\u{301}b \r\u{301} \n\u{308}",
    "\t\ttabbed\t \r\n  \r\n indented \u{A0}\u{3000}",
    // Invisible and odd characters.
    "id\u{200B}iot \u{FEFF}in\u{AD}com\u{2060}pe\u{2063}tent",
    "x\u{E0001}\u{E0068}\u{E0069} \u{1D173}\u{1D17A}",
    "\u{180E}\u{FE0F}\u{FE00}\u{E0100} \u{115F}\u{1160}",
    "\u{FFFF}\u{10FFFF}\u{E000}\u{F8FF}\u{FFFD}",
    "\u{0}\u{1B}[31mred\u{1B}[0m \u{7F}\u{9B}",
];

/// Every difference between the two for one string, in words.
fn differences(text: &str) -> Vec<String> {
    let (browser, tables) = (ops(), &Tables);
    let english = Lexicon::english();
    let mut found = Vec::new();
    let mut same = |what: &str, b: String, t: String| {
        if b != t {
            found.push(format!("{what} of {text:?}: browser {b} / tables {t}"));
        }
    };
    same(
        "NFC",
        format!("{:?}", browser.nfc(text)),
        format!("{:?}", tables.nfc(text)),
    );
    same(
        "NFKD",
        format!("{:?}", browser.nfkd(text)),
        format!("{:?}", tables.nfkd(text)),
    );
    same(
        "graphemes",
        format!("{:?}", browser.graphemes(text)),
        format!("{:?}", tables.graphemes(text)),
    );
    let marks = |ops: &dyn UnicodeOps| text.chars().filter(|&c| ops.is_mark(c)).collect::<String>();
    same(
        "marks",
        format!("{:?}", marks(browser)),
        format!("{:?}", marks(tables)),
    );
    let normalized = normalize_with(tables, text);
    same(
        "normalize",
        format!("{:?}", normalize_with(browser, text)),
        format!("{normalized:?}"),
    );
    same(
        "grapheme_len",
        grapheme_len_with(browser, text).to_string(),
        grapheme_len_with(tables, text).to_string(),
    );
    same(
        "grapheme_len (normalised)",
        grapheme_len_with(browser, &normalized).to_string(),
        grapheme_len_with(tables, &normalized).to_string(),
    );
    same(
        "prepare (body)",
        format!("{:?}", prepare_with(browser, None, text)),
        format!("{:?}", prepare_with(tables, None, text)),
    );
    same(
        "prepare (author)",
        format!("{:?}", prepare_with(browser, Some(text), "#HugOps")),
        format!("{:?}", prepare_with(tables, Some(text), "#HugOps")),
    );
    same(
        "kindness",
        format!("{:?}", check_with_ops(browser, english, text)),
        format!("{:?}", check_with_ops(tables, english, text)),
    );
    found
}

fn assert_no_differences(texts: &[&str]) {
    let found: Vec<String> = texts.iter().flat_map(|t| differences(t)).collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[wasm_bindgen_test]
fn every_naughty_string_gives_the_same_results() {
    let strings: Vec<String> = serde_json::from_str(BLNS).unwrap();
    assert!(strings.len() > 500, "the whole list, not a sample");
    let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
    assert_no_differences(&strings);
}

#[wasm_bindgen_test]
fn tricky_text_gives_the_same_results() {
    assert_no_differences(TRICKY);
    // Joined up, so the cases also meet each other, and long: a 1 000-hug
    // joiner chain and 500 families.
    assert_no_differences(&[&TRICKY.join("\n")]);
    let chain = vec!["\u{1F917}"; 1_000].join("\u{200D}");
    let families = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}".repeat(501);
    assert_no_differences(&[&chain, &families]);
}

#[wasm_bindgen_test]
fn the_kindness_check_reads_disguises_alike() {
    // Not only the same verdict: the disguises are read at all.
    for text in [
        "\u{FF29}\u{FF24}\u{FF29}\u{FF2F}\u{FF34}\u{FF33}",
        "You ID\u{130}OTS",
        "\u{CD}d\u{ED}\u{F3}ts running this",
        "you're \u{FF35}\u{FF33}\u{FF25}\u{FF2C}\u{FF25}\u{FF33}\u{FF33}",
        "\u{1D42E}\u{1D42C}\u{1D41E}\u{1D425}\u{1D41E}\u{1D42C}\u{1D42C} \u{1D41D}\u{1D41E}\u{1D42F}\u{1D42C}",
    ] {
        let nudge = check_with_ops(ops(), Lexicon::english(), text);
        assert!(nudge.is_some(), "{text:?} is not nudged in the browser");
    }
}

// --- Sweeps over every code point -------------------------------------------

/// Every Unicode scalar value in `range`.
fn scalars(range: std::ops::RangeInclusive<u32>) -> impl Iterator<Item = char> {
    range.filter_map(char::from_u32)
}

/// Whether the browser's Unicode version has no character at `c`.
fn unassigned_in_browser(c: char) -> bool {
    thread_local! {
        static UNASSIGNED: js_sys::RegExp = js_sys::RegExp::new(r"^\p{Cn}$", "u");
    }
    let mut buf = [0; 4];
    UNASSIGNED.with(|re| re.test(c.encode_utf8(&mut buf)))
}

/// Fails on a difference at a character the browser knows; lists those at
/// code points it does not (a newer Unicode version in the tables).
fn allow_only_version_skew(what: &str, mut differing: Vec<char>) {
    differing.sort_unstable();
    differing.dedup();
    let (skew, real): (Vec<char>, Vec<char>) = differing
        .into_iter()
        .partition(|&c| unassigned_in_browser(c));
    let list = |cs: &[char]| {
        let mut out = String::new();
        for c in cs {
            let _ = write!(out, "U+{:04X} ", u32::from(*c));
        }
        out
    };
    if !skew.is_empty() {
        console_log!(
            "{what}: {} code points differ, all unassigned in this browser's Unicode version: {}",
            skew.len(),
            list(&skew)
        );
    }
    assert!(
        real.is_empty(),
        "{what} differs at characters the browser knows: {}",
        list(&real)
    );
}

#[wasm_bindgen_test]
fn every_code_point_is_a_mark_alike() {
    let differing: Vec<char> = scalars(0..=0x10FFFF)
        .filter(|&c| ops().is_mark(c) != Tables.is_mark(c))
        .collect();
    allow_only_version_skew("is_mark", differing);
}

#[wasm_bindgen_test]
fn every_code_point_normalizes_alike() {
    // One call per block of code points, each on a line of its own: a line
    // feed neither composes nor comes out of any decomposition.
    for start in (0..=0x10FFFF).step_by(0x10000) {
        let chars: Vec<char> = scalars(start..=start + 0xFFFF)
            .filter(|&c| c != '\n')
            .collect();
        let text: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        for (form, browser, tables) in [
            ("NFC", ops().nfc(&text), Tables.nfc(&text)),
            ("NFKD", ops().nfkd(&text), Tables.nfkd(&text)),
        ] {
            if browser == tables {
                continue;
            }
            let (b, t): (Vec<&str>, Vec<&str>) =
                (browser.split('\n').collect(), tables.split('\n').collect());
            assert_eq!(b.len(), t.len(), "{form}: lines lost");
            let differing = chars
                .iter()
                .zip(b.iter().zip(&t))
                .filter(|(_, (b, t))| b != t)
                .map(|(&c, _)| c)
                .collect();
            allow_only_version_skew(form, differing);
        }
    }
}

/// Characters before which and after which every code point is tried: they
/// start or continue clusters under different rules of UAX #29.
const BEFORE: &[&str] = &[
    "a",
    "\u{1F600}\u{200D}",
    "\u{915}\u{94D}",
    "\u{1100}",
    "\u{1161}",
    "\u{AC00}",
    "\u{AC01}",
    "\u{1F1E6}",
];
const AFTER: &[&str] = &[
    "a", "\u{301}", "\u{903}", "\u{1161}", "\u{11A8}", "\u{200D}",
];

#[wasm_bindgen_test]
fn every_code_point_clusters_alike() {
    // Planes 0, 1 and 14: every character that clusters is there. Planes 2
    // and 3 hold CJK ideographs (which cluster alone, like letters), 15 and
    // 16 private use, the rest nothing.
    for range in [0..=0xFFFF, 0x10000..=0x1FFFF, 0xE0000..=0xE0FFF] {
        // Each case on a line of its own: clusters never cross a line feed
        // (but CR LF, which the cases of a CR show).
        let mut text = String::new();
        let mut cases: Vec<(usize, char)> = Vec::new();
        for c in scalars(range) {
            let own = c.to_string();
            for before in BEFORE {
                cases.push((text.len(), c));
                let _ = writeln!(text, "{before}{c}");
            }
            for after in AFTER.iter().copied().chain([own.as_str()]) {
                cases.push((text.len(), c));
                let _ = writeln!(text, "{c}{after}");
            }
        }
        let browser = ops().graphemes(&text);
        let tables = Tables.graphemes(&text);
        if browser == tables {
            continue;
        }
        let starts = |clusters: &[&str]| {
            clusters
                .iter()
                .map(|cluster| cluster.as_ptr() as usize - text.as_ptr() as usize)
                .collect::<std::collections::BTreeSet<usize>>()
        };
        let (b, t) = (starts(&browser), starts(&tables));
        let differing = b
            .symmetric_difference(&t)
            .map(|&at| cases[cases.partition_point(|&(start, _)| start <= at) - 1].1)
            .collect();
        allow_only_version_skew("graphemes", differing);
    }
}
