//! The visitor's widget, split: the status panel in a first wasm module,
//! the wall in chunks loaded after it (src/wall/lazy.rs). Trunk 0.21 cannot
//! split (trunk-rs/trunk#1022), so this runs the steps cargo-leptos runs
//! for `--split`:
//!
//! 1. cargo builds the widget with the `split` feature, the linker keeping
//!    its relocations (`--emit-relocs`), which wasm-split needs to move
//!    functions and data between modules;
//! 2. wasm-split cuts the module at the `#[lazy]` functions: a main module,
//!    one `.wasm` per split point (and one per group of code several split
//!    points share), and `__wasm_split.js`, which fetches a chunk the first
//!    time its function is called and links it to the main module's
//!    memory, table and exports;
//! 3. wasm-bindgen makes the main module's JS glue, keeping the exports
//!    the chunks link to (`--keep-lld-exports`) under their linker names
//!    (`--no-demangle`);
//! 4. wasm-opt shrinks each module on its own (`-Oz`, as Trunk did).
//!
//! Everything lands in `dist/widget-<hash>/`, the hash taken over all of
//! it: the chunks are fetched by fixed names relative to the link file, so
//! the folder is what changes with each build, and the server caches any
//! path with a hashed segment as immutable (server/src/static_files.rs).

use crate::cmd::{self, Result};
use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const CRATE: &str = "hugops-widget";
/// The glue wasm-bindgen writes, and its module, in the widget's folder.
pub const GLUE: &str = "hugops-widget.js";
pub const MAIN_WASM: &str = "hugops-widget_bg.wasm";
/// The file the main module imports the chunk loaders from.
pub const LINK: &str = "__wasm_split.js";
/// The widget folder's prefix in dist/ (`widget-<16 hex digits>`).
pub const FOLDER_PREFIX: &str = "widget-";

/// Where cargo leaves the widget's wasm (with names and relocations).
fn cargo_wasm() -> PathBuf {
    cmd::root()
        .join("target/wasm32-unknown-unknown/release")
        .join(format!("{CRATE}.wasm"))
}

/// The modules with their names (`build` copies them before wasm-opt):
/// the main one as `MAIN_WASM`, the chunks by their own file names.
pub fn named_dir() -> PathBuf {
    cmd::root().join("target/split-named")
}

/// Builds the split widget into `dist/widget-<hash>/` and returns that
/// folder's name.
pub fn build(dist: &Path) -> Result<String> {
    // `cargo rustc`: the link argument reaches the final link only, so the
    // dependencies stay the ones other release builds compiled.
    cmd::run(cmd::new("cargo").args([
        "rustc",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        CRATE,
        "--bin",
        CRATE,
        "--no-default-features",
        "--features",
        "split",
        "--",
        "-Clink-args=--emit-relocs",
    ]))?;
    let work = cmd::root().join("target/split");
    if work.exists() {
        fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let input = fs::read(cargo_wasm()).map_err(|e| format!("{}: {e}", cargo_wasm().display()))?;
    let main_split = work.join(format!("{CRATE}_split.wasm"));
    let main_module = format!("./{GLUE}");
    let link_name = format!("./{LINK}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &work;
    options.main_out_path = &main_split;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split =
        wasm_split_cli_support::transform(options).map_err(|e| format!("wasm-split: {e:#}"))?;
    cmd::run(
        cmd::new("wasm-bindgen")
            .args(["--target=web", "--keep-lld-exports", "--no-demangle"])
            .arg(format!("--out-name={CRATE}"))
            .arg("--out-dir")
            .arg(&work)
            .arg(&main_split),
    )?;
    fs::remove_file(&main_split).map_err(|e| format!("{}: {e}", main_split.display()))?;
    let mut modules = vec![work.join(MAIN_WASM)];
    modules.extend(split.split_modules);
    // Each module as it is before wasm-opt strips its names, for `cargo
    // xtask size`'s breakdown of each bundle.
    let named = named_dir();
    if named.exists() {
        fs::remove_dir_all(&named).map_err(|e| format!("{}: {e}", named.display()))?;
    }
    fs::create_dir_all(&named).map_err(|e| format!("{}: {e}", named.display()))?;
    for module in &modules {
        let name = module.file_name().expect("a module file has a name");
        fs::copy(module, named.join(name)).map_err(|e| format!("{}: {e}", module.display()))?;
        optimize(module)?;
    }
    // Only what the browser loads: not wasm-bindgen's TypeScript files.
    for entry in fs::read_dir(&work).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.to_string_lossy().ends_with(".d.ts") {
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let folder = format!("{FOLDER_PREFIX}{:016x}", hash_dir(&work)?);
    let target = dist.join(&folder);
    if target.exists() {
        fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    fs::rename(&work, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(folder)
}

/// binaryen's wasm-opt, as Trunk ran it for the unsplit widget, with the
/// features rustc's wasm target emits by default.
fn optimize(module: &Path) -> Result<()> {
    cmd::run(
        cmd::new("wasm-opt")
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(module)
            .arg("-o")
            .arg(module),
    )
}

/// A hash over every file's name and bytes, in name order (walking
/// subfolders such as wasm-bindgen's `snippets/`).
fn hash_dir(dir: &Path) -> Result<u64> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        let relative = file.strip_prefix(dir).unwrap_or(&file);
        hasher.write(relative.to_string_lossy().as_bytes());
        hasher.write(&fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?);
    }
    Ok(hasher.finish())
}

/// Whether a file in the widget's folder is a chunk (a wasm module other
/// than the first).
pub fn is_chunk(name: &str) -> bool {
    name.ends_with(".wasm") && name != MAIN_WASM
}
