//! `/badge.svg`: the current status as a small image for pages that run no
//! script. The status is told by an icon shape and by words, never by
//! colour alone: a check in a circle, a triangle, a diamond, an octagon, a
//! clock, or a question mark.

use hugops_core::status::Indicator;

/// The badge for an indicator (or `None`: no status known).
pub fn render(indicator: Option<&Indicator>, description: &str) -> String {
    let label = indicator.map_or("Status unknown", Indicator::label);
    let (colour, icon) = match indicator {
        Some(Indicator::None) => ("#1a7f37", ICON_OK),
        Some(Indicator::Minor) => ("#9a6700", ICON_MINOR),
        Some(Indicator::Major) => ("#bc4c00", ICON_MAJOR),
        Some(Indicator::Critical) => ("#cf222e", ICON_CRITICAL),
        Some(Indicator::Maintenance) => ("#0969da", ICON_MAINTENANCE),
        Some(Indicator::Unknown(_)) | None => ("#57606a", ICON_UNKNOWN),
    };
    let left = "status";
    // Verdana 11px averages about 7 px a character; generous is better
    // than clipped.
    let left_width = 10 + text_width(left);
    let right_width = 28 + text_width(label);
    let width = left_width + right_width;
    let title = if description.trim().is_empty() || description == label {
        format!("Status: {label}")
    } else {
        format!("Status: {label}. {description}")
    };
    let title = escape(&title);
    let label = escape(label);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}"><title>{title}</title><rect width="{left_width}" height="20" fill="#555"/><rect x="{left_width}" width="{right_width}" height="20" fill="{colour}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="5" y="14">{left}</text><g transform="translate({icon_x},3)">{icon}</g><text x="{text_x}" y="14">{label}</text></g></svg>"##,
        icon_x = left_width + 5,
        text_x = left_width + 23,
    )
}

fn text_width(text: &str) -> usize {
    text.chars().count() * 7
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

// 14×14 icons, drawn in white on the coloured half.
const ICON_OK: &str = r##"<circle cx="7" cy="7" r="6" fill="none" stroke="#fff" stroke-width="1.6"/><path d="M4 7.2l2 2 4-4.4" fill="none" stroke="#fff" stroke-width="1.6"/>"##;
const ICON_MINOR: &str = r##"<path d="M7 1l6.5 12h-13z" fill="none" stroke="#fff" stroke-width="1.4"/><path d="M7 5v4M7 10.5v1.2" stroke="#fff" stroke-width="1.4"/>"##;
const ICON_MAJOR: &str = r##"<path d="M7 0.5l6.5 6.5-6.5 6.5-6.5-6.5z" fill="none" stroke="#fff" stroke-width="1.4"/><path d="M7 3.8v4M7 9.3v1.2" stroke="#fff" stroke-width="1.4"/>"##;
const ICON_CRITICAL: &str = r##"<path d="M4.4 0.7h5.2l3.7 3.7v5.2l-3.7 3.7h-5.2l-3.7-3.7v-5.2z" fill="none" stroke="#fff" stroke-width="1.4"/><path d="M4.8 4.8l4.4 4.4M9.2 4.8l-4.4 4.4" stroke="#fff" stroke-width="1.4"/>"##;
const ICON_MAINTENANCE: &str = r##"<circle cx="7" cy="7" r="6" fill="none" stroke="#fff" stroke-width="1.4"/><path d="M7 3.5v3.5l2.5 1.5" fill="none" stroke="#fff" stroke-width="1.4"/>"##;
const ICON_UNKNOWN: &str = r##"<circle cx="7" cy="7" r="6" fill="none" stroke="#fff" stroke-width="1.4"/><path d="M5 5.5a2 2 0 1 1 2.6 1.9c-.4.2-.6.5-.6.9v.6M7 10.2v1.2" fill="none" stroke="#fff" stroke-width="1.4"/>"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_says_the_status_in_words_and_shape() {
        let svg = render(Some(&Indicator::Major), "Partial outage of the API");
        assert!(svg.contains(">Major outage</text>"));
        assert!(svg.contains(ICON_MAJOR));
        assert!(svg.contains("aria-label=\"Status: Major outage. Partial outage of the API\""));
        let ok = render(Some(&Indicator::None), "All Systems Operational");
        assert!(ok.contains(ICON_OK));
        assert_ne!(ICON_OK, ICON_MAJOR);
    }

    #[test]
    fn text_is_escaped() {
        let svg = render(
            Some(&Indicator::Minor),
            "<script>alert('x')</script> & \"more\"",
        );
        assert!(!svg.contains("<script>"));
        assert!(
            svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
        );
    }

    #[test]
    fn unknown_status_has_its_own_badge() {
        let svg = render(None, "");
        assert!(svg.contains(">Status unknown</text>"));
        assert!(svg.contains(ICON_UNKNOWN));
    }
}
