//! `cargo xtask size`: what a visitor downloads, and the budget it must fit.
//!
//! The budget lives in size-budget.toml at the repository root. It is the
//! total gzip size of the wasm, JS and CSS the widget needs; raise it only
//! with a note saying what the bytes bought.

use crate::build::{brotli, dist_dir, gzip};
use crate::cmd::{self, Result};
use std::fs;
use std::path::Path;

pub struct FileSize {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

pub fn report_and_check() -> Result<()> {
    let sizes = measure(&dist_dir())?;
    if sizes.is_empty() {
        return Err("dist/ holds no widget: run `cargo xtask build` first".into());
    }
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
    let budget = budget_gzip_bytes()?;
    println!(
        "budget (gzip): {budget} bytes; used {gz} ({:.1}%)",
        gz as f64 * 100.0 / budget as f64
    );
    if gz > budget {
        return Err(format!(
            "the widget is {gz} bytes gzip, over the {budget}-byte budget in size-budget.toml"
        ));
    }
    Ok(())
}

/// The files a browser loads to show the widget: the wasm, the JS (glue,
/// snippets and loader) and CSS; not the demo page.
fn measure(dir: &Path) -> Result<Vec<FileSize>> {
    let mut sizes = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
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
            let counted = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("wasm" | "js" | "css")
            ) && !path.starts_with(dir_of_demo_css());
            if !counted {
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

/// The demo host page's own stylesheet is not part of the widget.
fn dir_of_demo_css() -> std::path::PathBuf {
    dist_dir().join("demo")
}

fn budget_gzip_bytes() -> Result<usize> {
    let path = cmd::root().join("size-budget.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(key, _)| key.trim() == "total_gzip_bytes")
        .and_then(|(_, value)| value.trim().replace('_', "").parse().ok())
        .ok_or_else(|| format!("{}: no `total_gzip_bytes = N` line", path.display()))
}
