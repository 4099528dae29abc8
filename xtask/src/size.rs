//! `cargo xtask size`: what a browser downloads for each bundle, and the
//! budget each must fit.
//!
//! The budgets live in size-budget.toml at the repository root: the total
//! gzip size of the wasm, JS and CSS a bundle needs. The visitor's widget is
//! split (xtask/src/split.rs), so it is measured three ways: the first
//! module (what the banner waits for: `hugops.js`, the glue, the link file
//! and the first wasm), the wall's chunks (fetched after it inline, only on
//! opening as a toast), and the two together (all an inline visitor
//! downloads). The team page (dist/team/) is measured apart, so it can
//! never make the widget grow. The demo host page's own files count for
//! none. Raise a budget only with a note saying what the bytes bought.
//!
//! Each bundle's report ends with where its wasm bytes go, by crate and
//! module (`wasm_names`). The shipped wasm has no names (wasm-opt strips
//! them), so the breakdown reads the same modules before wasm-opt (the
//! widget's, as `split` leaves them; the team page's, as cargo wrote it):
//! its figures are raw bytes of those, larger than the shipped ones, and
//! their shares are what to compare between builds.

use crate::build::{brotli, dist_dir, gzip};
use crate::cmd::{self, Result};
use crate::split;
use crate::{size_languages, wasm_names};

/// The budget of what one language other than English adds to its
/// visitors' download (`size_languages`).
const LANGUAGE_BUDGET_KEY: &str = "language_gzip_bytes";
use std::fs;
use std::path::{Path, PathBuf};

pub struct FileSize {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// One bundle: which files of dist/ are its own, the named modules its
/// breakdown reads, and its budget's key in size-budget.toml.
struct Bundle {
    title: &'static str,
    /// Whether a file (its path relative to dist/) belongs to the bundle.
    owns: fn(&Path) -> bool,
    /// Its wasm modules with their `name` sections.
    named_wasm: fn() -> Vec<PathBuf>,
    budget_key: &'static str,
}

fn bundles() -> [Bundle; 4] {
    [
        Bundle {
            title: "visitor's first module (before the banner)",
            owns: |path| visitor(path) && !chunk(path),
            named_wasm: || vec![split::named_dir().join(split::MAIN_WASM)],
            budget_key: "first_module_gzip_bytes",
        },
        Bundle {
            title: "visitor's wall chunks (after the banner)",
            owns: chunk,
            named_wasm: || named_files(split::is_chunk),
            budget_key: "wall_chunks_gzip_bytes",
        },
        Bundle {
            title: "visitor's widget, all of it (inline mode)",
            owns: visitor,
            named_wasm: || named_files(|name| name.ends_with(".wasm")),
            budget_key: "total_gzip_bytes",
        },
        Bundle {
            title: "team page (/team)",
            owns: |path| path.starts_with("team"),
            named_wasm: || {
                vec![cmd::root().join("target/wasm32-unknown-unknown/release/hugops-team.wasm")]
            },
            budget_key: "team_total_gzip_bytes",
        },
    ]
}

/// The visitor's files: all of dist/ but the demo page's and the team's.
fn visitor(path: &Path) -> bool {
    !path.starts_with("demo") && !path.starts_with("team")
}

/// A wall chunk: a wasm module in the widget's folder other than the first.
fn chunk(path: &Path) -> bool {
    let in_widget = path
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .is_some_and(|dir| dir.starts_with(split::FOLDER_PREFIX));
    in_widget
        && path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(split::is_chunk)
}

fn named_files(matches: fn(&str) -> bool) -> Vec<PathBuf> {
    let dir = split::named_dir();
    let mut found: Vec<PathBuf> = fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(matches)
        })
        .collect();
    found.sort();
    found
}

pub fn report_and_check() -> Result<()> {
    let budgets = fs::read_to_string(budget_path())
        .map_err(|e| format!("{}: {e}", budget_path().display()))?;
    let mut over = Vec::new();
    for bundle in bundles() {
        let sizes = measure(&bundle)?;
        if sizes.is_empty() {
            return Err(format!(
                "{} holds no {}: run `cargo xtask build` first",
                dist_dir().display(),
                bundle.title
            ));
        }
        println!("\n{}", bundle.title);
        println!(
            "{:<48} {:>10} {:>10} {:>10}",
            "file", "raw", "gzip", "brotli"
        );
        let (mut raw, mut gz, mut br) = (0, 0, 0);
        for size in &sizes {
            println!(
                "{:<48} {:>10} {:>10} {:>10}",
                size.name, size.raw, size.gzip, size.brotli
            );
            raw += size.raw;
            gz += size.gzip;
            br += size.brotli;
        }
        println!("{:<48} {raw:>10} {gz:>10} {br:>10}", "total");
        let budget = budget_gzip_bytes(&budgets, bundle.budget_key).ok_or_else(|| {
            format!(
                "{}: no `{} = N` line",
                budget_path().display(),
                bundle.budget_key
            )
        })?;
        println!(
            "budget (gzip): {budget} bytes; used {gz} ({:.1}%)",
            gz as f64 * 100.0 / budget as f64
        );
        print_breakdown(&bundle)?;
        if gz > budget {
            over.push(format!(
                "the {} is {gz} bytes gzip, over the {budget}-byte `{}` in size-budget.toml",
                bundle.title, bundle.budget_key
            ));
        }
    }
    let language_budget = budget_gzip_bytes(&budgets, LANGUAGE_BUDGET_KEY).ok_or_else(|| {
        format!(
            "{}: no `{LANGUAGE_BUDGET_KEY} = N` line",
            budget_path().display()
        )
    })?;
    over.extend(size_languages::report(language_budget)?);
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("; "))
    }
}

/// The files a browser loads to show the bundle: the wasm, the JS (glue,
/// snippets and loader) and CSS.
fn measure(bundle: &Bundle) -> Result<Vec<FileSize>> {
    let dist = dist_dir();
    let mut sizes = Vec::new();
    let mut stack = vec![dist.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(&dist).unwrap_or(&path);
            if !counted(&path) || !(bundle.owns)(relative) {
                continue;
            }
            let bytes = fs::read(&path).map_err(|e| e.to_string())?;
            sizes.push(FileSize {
                name: relative.display().to_string(),
                raw: bytes.len(),
                gzip: gzip(&bytes).len(),
                brotli: brotli(&bytes).len(),
            });
        }
    }
    sizes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sizes)
}

/// How many groups the breakdown lists; the rest are summed in one line.
const TOP_GROUPS: usize = 25;

fn print_breakdown(bundle: &Bundle) -> Result<()> {
    let paths = (bundle.named_wasm)();
    if paths.is_empty() {
        return Err(format!(
            "no named modules for the {}: run `cargo xtask build` first",
            bundle.title
        ));
    }
    let (mut groups, mut descriptors, mut structure) = (Vec::new(), 0, 0);
    for path in &paths {
        let wasm = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let one = wasm_names::breakdown(&wasm).map_err(|e| format!("{}: {e}", path.display()))?;
        groups.extend(one.groups);
        descriptors += one.descriptors;
        structure += one.structure;
    }
    let groups = merged(groups);
    let total: usize = groups.iter().map(|g| g.bytes).sum();
    let names: Vec<_> = paths
        .iter()
        .map(|p| {
            p.strip_prefix(cmd::root())
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    println!(
        "where the wasm goes, by crate::module: {}, before wasm-opt (names kept); \
         {total} bytes raw of code and data",
        names.join(", ")
    );
    let share = |bytes: usize| bytes as f64 * 100.0 / total as f64;
    for group in groups.iter().take(TOP_GROUPS) {
        println!(
            "  {:<56} {:>9} {:>6.1}%",
            group.name,
            group.bytes,
            share(group.bytes)
        );
    }
    let rest: usize = groups.iter().skip(TOP_GROUPS).map(|g| g.bytes).sum();
    if rest > 0 {
        println!(
            "  {:<56} {rest:>9} {:>6.1}%",
            format!("({} more groups)", groups.len() - TOP_GROUPS),
            share(rest)
        );
    }
    println!(
        "  not counted: {} bytes of wasm-bindgen descriptors (run and removed at build time) \
         and {} of other sections (types, imports, exports, names; rewritten or dropped)",
        descriptors, structure
    );
    Ok(())
}

/// One group per name, largest first (a bundle of several modules has
/// each crate in several).
fn merged(groups: Vec<wasm_names::Group>) -> Vec<wasm_names::Group> {
    let mut by_name = std::collections::BTreeMap::<String, usize>::new();
    for group in groups {
        *by_name.entry(group.name).or_default() += group.bytes;
    }
    let mut merged: Vec<_> = by_name
        .into_iter()
        .map(|(name, bytes)| wasm_names::Group { name, bytes })
        .collect();
    merged.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    merged
}

fn counted(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "js" | "css")
    )
}

fn budget_path() -> PathBuf {
    cmd::root().join("size-budget.toml")
}

/// The `key = N` line's N (underscores allowed, as in TOML).
fn budget_gzip_bytes(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .and_then(|(_, value)| value.trim().replace('_', "").parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bundle_reads_its_own_budget() {
        let text =
            "# total_gzip_bytes = 1\ntotal_gzip_bytes = 290_000\nteam_total_gzip_bytes = 400_000\n";
        assert_eq!(budget_gzip_bytes(text, "total_gzip_bytes"), Some(290_000));
        assert_eq!(
            budget_gzip_bytes(text, "team_total_gzip_bytes"),
            Some(400_000)
        );
        assert_eq!(budget_gzip_bytes("x = 1", "total_gzip_bytes"), None);
    }

    #[test]
    fn each_file_is_counted_in_its_own_bundles() {
        let [first, chunks, visitor, team] = bundles();
        let owners = |path: &str| {
            [&first, &chunks, &visitor, &team]
                .iter()
                .filter(|b| (b.owns)(Path::new(path)))
                .map(|b| b.budget_key)
                .collect::<Vec<_>>()
        };
        let widget = "widget-0123456789abcdef";
        assert_eq!(
            owners(&format!("{widget}/hugops-widget_bg.wasm")),
            ["first_module_gzip_bytes", "total_gzip_bytes"]
        );
        assert_eq!(
            owners("hugops.js"),
            ["first_module_gzip_bytes", "total_gzip_bytes"]
        );
        assert_eq!(
            owners(&format!("{widget}/chunk_3.wasm")),
            ["wall_chunks_gzip_bytes", "total_gzip_bytes"]
        );
        assert_eq!(
            owners("team/hugops-team-0123_bg.wasm"),
            ["team_total_gzip_bytes"]
        );
        assert_eq!(owners("demo/demo.css"), Vec::<&str>::new());
        assert!(counted(Path::new("team/hugops-team-0123_bg.wasm")));
        assert!(!counted(Path::new("team/index.html")));
    }
}
