//! `cargo xtask size`, languages: what a visitor who reads a language other
//! than English downloads on top of the widget. English is compiled in; any
//! other language's table (`i18n/<tag>.json`) and, where the kindness check
//! knows it, its word list (`kindness/<tag>.txt`) are fetched by the widget
//! of a visitor who reads it, so each language costs only its own visitors,
//! and never grows the bundle itself. Each must stay within a few KB
//! (`language_gzip_bytes` in size-budget.toml).

use crate::build::{brotli, dist_dir, gzip};
use crate::cmd::Result;
use std::fs;
use std::path::Path;

/// One language's extra download.
#[derive(Debug, PartialEq, Eq)]
pub struct LanguageCost {
    pub tag: String,
    pub files: Vec<String>,
    pub gzip: usize,
    pub brotli: usize,
}

/// Prints each language's extra download and returns the languages over
/// `budget` bytes gzip (empty when all fit).
pub fn report(budget: usize) -> Result<Vec<String>> {
    let costs = measure(&dist_dir())?;
    if costs.is_empty() {
        return Err(format!(
            "{} holds no language tables: run `cargo xtask build` first",
            dist_dir().join("i18n").display()
        ));
    }
    println!("\nlanguages other than English (fetched by their own visitors only)");
    println!("{:<8} {:>8} {:>8}  files", "language", "gzip", "brotli");
    for cost in &costs {
        println!(
            "{:<8} {:>8} {:>8}  {}",
            cost.tag,
            cost.gzip,
            cost.brotli,
            cost.files.join(" + ")
        );
    }
    println!("budget (gzip) per language: {budget} bytes");
    Ok(costs
        .into_iter()
        .filter(|cost| cost.gzip > budget)
        .map(|cost| {
            format!(
                "the {} visitor downloads {} bytes gzip more than an English one, over the \
                 {budget}-byte `language_gzip_bytes` in size-budget.toml",
                cost.tag, cost.gzip
            )
        })
        .collect())
}

/// Every language with a table under `dist`, but English (compiled in).
pub fn measure(dist: &Path) -> Result<Vec<LanguageCost>> {
    let tables = dist.join("i18n");
    let Ok(entries) = fs::read_dir(&tables) else {
        return Ok(Vec::new());
    };
    let mut tags: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .filter(|tag| tag != "en")
        .collect();
    tags.sort();
    tags.into_iter()
        .map(|tag| {
            let wanted = [format!("i18n/{tag}.json"), format!("kindness/{tag}.txt")];
            let mut cost = LanguageCost {
                tag,
                files: Vec::new(),
                gzip: 0,
                brotli: 0,
            };
            for file in wanted {
                let path = dist.join(&file);
                if !path.exists() {
                    continue;
                }
                let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                cost.gzip += gzip(&bytes).len();
                cost.brotli += brotli(&bytes).len();
                cost.files.push(file);
            }
            Ok(cost)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_costs_its_table_and_its_word_list_and_english_nothing() {
        let dist =
            std::env::temp_dir().join(format!("hugops-size-languages-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dist);
        fs::create_dir_all(dist.join("i18n")).unwrap();
        fs::create_dir_all(dist.join("kindness")).unwrap();
        fs::write(dist.join("i18n/en.json"), r#"{"a":"b"}"#).unwrap();
        fs::write(dist.join("i18n/de.json"), r#"{"a":"c"}"#).unwrap();
        fs::write(dist.join("i18n/ja.json"), r#"{"a":"d"}"#).unwrap();
        fs::write(
            dist.join("i18n/de.json.gz"),
            "precompressed copies are not tables",
        )
        .unwrap();
        fs::write(dist.join("kindness/de.txt"), "idioten\n").unwrap();
        let costs = measure(&dist).unwrap();
        fs::remove_dir_all(&dist).unwrap();
        let tags: Vec<&str> = costs.iter().map(|c| c.tag.as_str()).collect();
        assert_eq!(tags, ["de", "ja"]);
        assert_eq!(costs[0].files, ["i18n/de.json", "kindness/de.txt"]);
        assert_eq!(costs[1].files, ["i18n/ja.json"]);
        let table = gzip(br#"{"a":"c"}"#).len();
        assert_eq!(costs[0].gzip, table + gzip(b"idioten\n").len());
        assert_eq!(costs[1].gzip, gzip(br#"{"a":"d"}"#).len());
    }
}
