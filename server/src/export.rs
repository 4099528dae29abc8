//! The wall for the postmortem: JSON (everything, for programs), CSV (for
//! spreadsheets, safe against formula injection) and a Markdown digest (for
//! the postmortem document itself).

use crate::error::AppError;
use hugops_core::time::Timestamp;
use hugops_core::wall::is_public;
use hugops_core::wire::{ApiError, ErrorCode, Message, WallSlug};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Markdown,
}

impl Format {
    /// `json` when absent.
    pub fn parse(text: Option<&str>) -> Result<Format, AppError> {
        match text.map(str::trim).unwrap_or("json") {
            "" | "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "md" | "markdown" => Ok(Format::Markdown),
            _ => Err(AppError::Refused(
                ApiError::new(ErrorCode::BadRequest, "`format` is one of json, csv or md.")
                    .with_field("format"),
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::Markdown => "text/markdown; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "md",
        }
    }
}

/// Tallies of a wall.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub messages: usize,
    pub visible: usize,
    pub hidden: usize,
    pub held: usize,
    pub pinned: usize,
    pub hugs: u64,
}

impl Counts {
    pub fn of(messages: &[Message]) -> Counts {
        let mut c = Counts {
            messages: messages.len(),
            ..Counts::default()
        };
        for m in messages {
            // A message both hidden and held counts as hidden: the team
            // already dealt with it.
            if is_public(m) {
                c.visible += 1;
            } else if m.hidden {
                c.hidden += 1;
            } else {
                c.held += 1;
            }
            c.pinned += usize::from(m.pinned);
            c.hugs += u64::from(m.hugs);
        }
        c
    }
}

#[derive(Serialize)]
struct JsonExport<'a> {
    wall: &'a WallSlug,
    exported_at: Timestamp,
    counts: Counts,
    messages: &'a [Message],
}

/// Renders `messages` (oldest first, hidden and held included).
pub fn render(format: Format, wall: &WallSlug, messages: &[Message], now: Timestamp) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(&JsonExport {
            wall,
            exported_at: now,
            counts: Counts::of(messages),
            messages,
        })
        .unwrap_or_default(),
        Format::Csv => csv(messages),
        Format::Markdown => markdown(wall, messages, now),
    }
}

/// RFC 4180 CSV, one row per message.
pub fn csv(messages: &[Message]) -> String {
    let mut out = String::from("id,created_at,author,body,hugs,pinned,hidden,held,official\r\n");
    for m in messages {
        let cells = [
            m.id.to_string(),
            m.created_at.to_rfc3339(),
            m.author.clone().unwrap_or_default(),
            m.body.clone(),
            m.hugs.to_string(),
            m.pinned.to_string(),
            m.hidden.to_string(),
            m.held.to_string(),
            m.official.to_string(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell. A cell a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, tab or carriage return; OWASP's list) gets a
/// leading `'`, which spreadsheets show as text; then the cell is quoted
/// if it holds a separator, quote or line break.
pub fn csv_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len() + 3);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.push('\'');
    }
    cell.push_str(text);
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Escapes text so Markdown shows it as written: a backslash before every
/// character that can start Markdown or HTML syntax (CommonMark allows one
/// before any ASCII punctuation), so no message becomes a link, an image, a
/// heading, a list or HTML in the postmortem. Commas, quotes and colons are
/// left alone to keep the raw digest readable.
pub fn md_text(text: &str) -> String {
    const SYNTAX: &[char] = &[
        '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '+', '-', '.', '!', '|', '<', '>',
        '~', '&', '=',
    ];
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if SYNTAX.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `2024-03-01 17:00 UTC`
fn short_time(t: Timestamp) -> String {
    let full = t.to_rfc3339();
    format!("{} {} UTC", &full[..10], &full[11..16])
}

/// The author as the digest names them; the team's messages are marked
/// in emphasis, which no escaped author name can produce.
fn by(m: &Message) -> String {
    let name = m
        .author
        .as_deref()
        .map(md_text)
        .unwrap_or_else(|| if m.official { "The team" } else { "Anonymous" }.into());
    if m.official {
        format!("{name} _(official)_")
    } else {
        name
    }
}

/// The digest: counts, pinned messages, then the visible messages in time
/// order. Hidden and held messages are counted but not quoted: the digest
/// goes into a document many people read (JSON and CSV carry everything).
pub fn markdown(wall: &WallSlug, messages: &[Message], now: Timestamp) -> String {
    let counts = Counts::of(messages);
    let visible: Vec<&Message> = messages.iter().filter(|m| is_public(m)).collect();
    let mut out = format!("# HugOps wall: {}\n\n", md_text(wall.as_str()));
    out.push_str(&format!("Exported {}.\n\n", short_time(now)));
    out.push_str(&format!(
        "- Messages: {} ({} shown, {} hidden, {} held for review)\n- Hugs: {}\n",
        counts.messages, counts.visible, counts.hidden, counts.held, counts.hugs
    ));
    if let (Some(first), Some(last)) = (visible.first(), visible.last()) {
        out.push_str(&format!(
            "- First message: {}\n- Last message: {}\n",
            short_time(first.created_at),
            short_time(last.created_at)
        ));
    }
    let pinned: Vec<&&Message> = visible.iter().filter(|m| m.pinned).collect();
    if !pinned.is_empty() {
        out.push_str("\n## Pinned\n");
        for m in pinned {
            out.push('\n');
            for line in m.body.lines() {
                out.push_str("> ");
                out.push_str(&md_text(line));
                out.push('\n');
            }
            out.push_str(&format!(">\n> — {}, {}\n", by(m), short_time(m.created_at)));
        }
    }
    out.push_str("\n## Messages\n\n");
    if visible.is_empty() {
        out.push_str("No messages.\n");
    }
    for m in &visible {
        let hugs = match m.hugs {
            0 => String::new(),
            1 => " (1 hug)".into(),
            n => format!(" ({n} hugs)"),
        };
        let body = m
            .body
            .lines()
            .map(md_text)
            .collect::<Vec<_>>()
            .join("  \n  ");
        out.push_str(&format!(
            "- {} — **{}**: {}{}\n",
            short_time(m.created_at),
            by(m),
            body,
            hugs
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_cell("thanks, team"), "\"thanks, team\"");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn markdown_text_stays_text() {
        assert_eq!(md_text("[x](http://e.x)"), "\\[x\\]\\(http://e\\.x\\)");
        assert_eq!(md_text("it's fine, really"), "it's fine, really");
        assert_eq!(md_text("<img src=x>"), "\\<img src\\=x\\>");
        assert_eq!(md_text("# hi"), "\\# hi");
        assert_eq!(md_text("héllo 🎉"), "héllo 🎉");
    }
}
