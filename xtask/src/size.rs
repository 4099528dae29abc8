//! `cargo xtask size`: what a browser downloads for each bundle, and the
//! budget each must fit.
//!
//! The budgets live in size-budget.toml at the repository root: the total
//! gzip size of the wasm, JS and CSS a bundle needs. The visitor's widget
//! (dist/, without the demo page's own files and without the team page)
//! and the team page (dist/team/) are measured apart, so the team page can
//! never make the widget grow. Raise a budget only with a note saying what
//! the bytes bought.
//!
//! Each bundle's report ends with where its wasm bytes go, by crate and
//! module (`wasm_names`). The shipped wasm has no names (wasm-opt strips
//! them), so the breakdown reads cargo's own output of the same build, the
//! module before wasm-bindgen and wasm-opt: its figures are raw bytes of
//! that module, larger than the shipped one, and their shares are what to
//! compare between builds.

use crate::build::{brotli, dist_dir, gzip, team_dist_dir};
use crate::cmd::{self, Result};
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

/// One bundle: where its files are, what under there is not its own, and
/// its budget's key in size-budget.toml.
struct Bundle {
    title: &'static str,
    dir: PathBuf,
    /// The crate's wasm as cargo wrote it (with its `name` section).
    cargo_wasm: PathBuf,
    not_counted: Vec<PathBuf>,
    budget_key: &'static str,
}

fn bundles() -> [Bundle; 2] {
    [
        Bundle {
            title: "visitor's widget",
            dir: dist_dir(),
            cargo_wasm: cargo_wasm("hugops-widget"),
            // The demo host page's stylesheet, and the team page's bundle.
            not_counted: vec![dist_dir().join("demo"), team_dist_dir()],
            budget_key: "total_gzip_bytes",
        },
        Bundle {
            title: "team page (/team)",
            dir: team_dist_dir(),
            cargo_wasm: cargo_wasm("hugops-team"),
            not_counted: Vec::new(),
            budget_key: "team_total_gzip_bytes",
        },
    ]
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
                bundle.dir.display(),
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
    let mut sizes = Vec::new();
    let mut stack = vec![bundle.dir.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if bundle.not_counted.iter().any(|n| path.starts_with(n)) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !counted(&path) {
                continue;
            }
            let bytes = fs::read(&path).map_err(|e| e.to_string())?;
            sizes.push(FileSize {
                name: path
                    .strip_prefix(dist_dir())
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
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
    let path = &bundle.cargo_wasm;
    let wasm = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let breakdown = wasm_names::breakdown(&wasm).map_err(|e| format!("{}: {e}", path.display()))?;
    let groups = &breakdown.groups;
    let total: usize = groups.iter().map(|g| g.bytes).sum();
    println!(
        "where the wasm goes, by crate::module: {}, cargo's module before wasm-bindgen \
         and wasm-opt (names kept); {total} bytes raw of code and data",
        path.strip_prefix(cmd::root()).unwrap_or(path).display()
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
        breakdown.descriptors, breakdown.structure
    );
    Ok(())
}

/// Where `trunk build --release` leaves cargo's output for a binary.
fn cargo_wasm(bin: &str) -> PathBuf {
    cmd::root()
        .join("target/wasm32-unknown-unknown/release")
        .join(format!("{bin}.wasm"))
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
    fn the_visitor_bundle_never_counts_the_team_page() {
        let [visitor, team] = bundles();
        assert!(visitor.not_counted.contains(&team.dir));
        assert!(team.dir.starts_with(&visitor.dir));
        assert!(counted(Path::new("dist/team/hugops-team-0123_bg.wasm")));
        assert!(!counted(Path::new("dist/team/index.html")));
    }
}
