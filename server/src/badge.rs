//! `/badge.svg`: the current status as a small image for pages that run no
//! script. The status is told by words and by the icon's shape and mark,
//! never by colour alone; words, shape and mark are core's
//! (`hugops_core::status::words`), the same the widget shows, in the
//! language asked for (`?lang=`).

use hugops_core::language::Language;
use hugops_core::status::{is_status_phrase, status_caption, Indicator, Level, Mark, Shape, Tone};

/// The badge for an indicator (or `None`: no status known), in `language`.
/// `description` is the page's own description: named in the title only
/// when it says more than the status word does ("Slow logins", not
/// "Partial System Outage").
pub fn render(indicator: Option<&Indicator>, description: &str, language: Language) -> String {
    let (label, level) = match indicator {
        Some(indicator) => (indicator.word(language), indicator.level()),
        None => (
            Indicator::Unknown(String::new()).word(language),
            Level::Unknown,
        ),
    };
    let look = level.look();
    let colour = match look.tone {
        Tone::Ok => "#1a7f37",
        Tone::Warning => "#9a6700",
        Tone::Bad => "#cf222e",
        Tone::Maintenance => "#0969da",
        Tone::Unknown => "#57606a",
    };
    let caption = status_caption(language);
    // Verdana 11px averages about 7 px a character; generous is better
    // than clipped.
    let left_width = 10 + text_width(caption);
    let right_width = 28 + text_width(label);
    let width = left_width + right_width;
    let description = description.trim();
    let title = if is_status_phrase(description) {
        format!("{}: {label}", capitalised(caption))
    } else {
        format!("{}: {label}. {description}", capitalised(caption))
    };
    let title = escape(&title);
    let (lang, dir) = (language.tag(), language.dir());
    // Right-to-left text starts at its right end.
    let (caption_x, label_x) = if language.is_rtl() {
        (left_width - 5, left_width + right_width - 5)
    } else {
        (5, left_width + 23)
    };
    let icon = format!(
        r#"<g transform="translate({x},3)" data-shape="{shape}" data-mark="{mark}">{outline}{inside}</g>"#,
        x = left_width + 5,
        shape = look.shape.name(),
        mark = look.mark.name(),
        outline = outline(look.shape),
        inside = inside(look.mark),
    );
    let (caption, label) = (escape(caption), escape(label));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{lang}" width="{width}" height="20" role="img" aria-label="{title}"><title>{title}</title><rect width="{left_width}" height="20" fill="#555"/><rect x="{left_width}" width="{right_width}" height="20" fill="{colour}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" direction="{dir}"><text x="{caption_x}" y="14">{caption}</text>{icon}<text x="{label_x}" y="14">{label}</text></g></svg>"##,
    )
}

/// About how wide `text` is at 11px: CJK characters are twice as wide.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 12 } else { 7 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}')
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Escapes text for SVG (XML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters outright.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

// 14×14 icons, drawn in white on the coloured half: an outline, and a mark
// inside it.
fn outline(shape: Shape) -> &'static str {
    match shape {
        Shape::Circle => {
            r##"<circle cx="7" cy="7" r="6" fill="none" stroke="#fff" stroke-width="1.4"/>"##
        }
        Shape::Square => {
            r##"<rect x="1" y="1" width="12" height="12" rx="1.5" fill="none" stroke="#fff" stroke-width="1.4"/>"##
        }
        Shape::Diamond => {
            r##"<path d="M7 0.3l6.7 6.7-6.7 6.7-6.7-6.7z" fill="none" stroke="#fff" stroke-width="1.4"/>"##
        }
    }
}

fn inside(mark: Mark) -> &'static str {
    match mark {
        Mark::Check => {
            r##"<path d="M4 7.2l2 2 4-4.4" fill="none" stroke="#fff" stroke-width="1.6"/>"##
        }
        Mark::Info => r##"<path d="M7 6v4.6M7 3.4v1.3" stroke="#fff" stroke-width="1.5"/>"##,
        Mark::Question => {
            r##"<path d="M5 5.5a2 2 0 1 1 2.6 1.9c-.4.2-.6.5-.6.9v.6M7 10.2v1.2" fill="none" stroke="#fff" stroke-width="1.4"/>"##
        }
        Mark::Wave => {
            r##"<path d="M3.6 7.6c1.1-1.6 2.2-1.6 3.4 0s2.3 1.6 3.4 0" fill="none" stroke="#fff" stroke-width="1.4"/>"##
        }
        Mark::Exclamation => {
            r##"<path d="M7 3.6v4.2M7 9.3v1.3" stroke="#fff" stroke-width="1.5"/>"##
        }
        Mark::Cross => {
            r##"<path d="M4.6 4.6l4.8 4.8M9.4 4.6l-4.8 4.8" stroke="#fff" stroke-width="1.5"/>"##
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_says_the_status_in_words_and_shape() {
        let svg = render(
            Some(&Indicator::Major),
            "Partial outage of the API",
            Language::English,
        );
        assert!(svg.contains(">Partial system outage</text>"));
        assert!(svg.contains(r#"data-shape="diamond" data-mark="exclamation""#));
        assert!(
            svg.contains("aria-label=\"Status: Partial system outage. Partial outage of the API\"")
        );
        let ok = render(
            Some(&Indicator::None),
            "All Systems Operational",
            Language::English,
        );
        assert!(ok.contains(r#"data-shape="circle" data-mark="check""#));
        // The upstream's own status phrase is not a second word for it.
        assert!(
            ok.contains("aria-label=\"Status: All systems operational\""),
            "{ok}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let svg = render(
            Some(&Indicator::Minor),
            "<script>alert('x')</script> & \"more\"",
            Language::English,
        );
        assert!(!svg.contains("<script>"));
        assert!(
            svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
        );
    }

    #[test]
    fn unknown_status_has_its_own_badge() {
        let svg = render(None, "", Language::English);
        assert!(svg.contains(">Status unknown</text>"));
        assert!(svg.contains(r#"data-shape="circle" data-mark="question""#));
    }

    #[test]
    fn wide_and_right_to_left_text_fit() {
        let ja = render(Some(&Indicator::Critical), "", Language::Japanese);
        assert!(ja.contains(">大規模なシステム障害が発生中</text>"));
        // 13 wide characters need more room than 13 narrow ones.
        assert!(text_width("大規模なシステム障害が発生中") > 13 * 7);
        let ar = render(Some(&Indicator::None), "", Language::Arabic);
        assert!(ar.contains(r#"xml:lang="ar""#) && ar.contains(r#"direction="rtl""#));
    }
}
