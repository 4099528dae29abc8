//! The three exports, as the page offers and names them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Markdown,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [
        ExportFormat::Json,
        ExportFormat::Csv,
        ExportFormat::Markdown,
    ];

    /// The `format` query value.
    pub fn query(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "md",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON (everything)",
            ExportFormat::Csv => "CSV (spreadsheet)",
            ExportFormat::Markdown => "Markdown (postmortem digest)",
        }
    }

    /// The name when the server's answer names none.
    pub fn fallback_name(self, wall: &str) -> String {
        format!("hugops-{wall}.{}", self.query())
    }
}

/// The file name in a `Content-Disposition: attachment; filename="…"`,
/// kept only when it is a plain name (no path, no quotes), else `None`.
pub fn filename(disposition: &str) -> Option<String> {
    let rest = disposition.split(';').map(str::trim).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("filename")).then_some(value.trim())
    })?;
    let name = rest.trim_matches('"');
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    plain.then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_file_name_is_used_when_it_is_plain() {
        assert_eq!(
            filename("attachment; filename=\"hugops-inc-7.csv\"").as_deref(),
            Some("hugops-inc-7.csv")
        );
        assert_eq!(
            filename("attachment;FILENAME=hugops-general.md").as_deref(),
            Some("hugops-general.md")
        );
        assert_eq!(filename("attachment; filename=\"../../etc/passwd\""), None);
        assert_eq!(filename("attachment; filename=\".bashrc\""), None);
        assert_eq!(filename("attachment"), None);
        assert_eq!(
            ExportFormat::Markdown.fallback_name("general"),
            "hugops-general.md"
        );
    }
}
