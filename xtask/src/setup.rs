//! Installs what the build and the tests need, only when it is missing, so a
//! second run costs a few probes. Every tool is pinned: Trunk by the version
//! below, wasm-bindgen-cli by the `wasm-bindgen` crate in Cargo.lock (the two
//! must be equal), npm packages by package-lock.json.

use crate::cmd::{self, Result};
use std::fs;

/// Trunk 0.22 needs a newer rustc than this project's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What a command needs installed.
#[derive(Clone, Copy)]
pub struct Needs {
    pub widget_build: bool,
    pub browser: bool,
}

impl Needs {
    pub fn build() -> Needs {
        Needs {
            widget_build: true,
            browser: false,
        }
    }

    pub fn everything() -> Needs {
        Needs {
            widget_build: true,
            browser: true,
        }
    }
}

pub fn ensure(needs: Needs) -> Result<()> {
    let mut apt = AptBatch::default();
    if needs.browser {
        if !std::path::Path::new(CHROMIUM).exists() {
            apt.packages.push("chromium");
        }
        if !std::path::Path::new(CHROMEDRIVER).exists() {
            apt.packages.push("chromium-driver");
        }
    }
    if needs.browser && crate::postgres::bin_dir().is_none() {
        apt.packages.push("postgresql");
    }
    apt.install()?;
    if needs.browser {
        // The test command checks formatting and lints first.
        ensure_rust_components(&["rustfmt", "clippy"])?;
    }
    if needs.widget_build || needs.browser {
        ensure_wasm_target()?;
        ensure_npm_packages()?;
        ensure_wasm_bindgen_cli()?;
    }
    if needs.widget_build {
        ensure_trunk()?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = cmd::probe("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    cmd::run(cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// rustup's minimal profile leaves out rustfmt and clippy.
fn ensure_rust_components(wanted: &[&str]) -> Result<()> {
    let installed = cmd::probe("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|name| {
            !installed
                .lines()
                .any(|l| l.trim() == *name || l.trim().starts_with(&format!("{name}-")))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    cmd::run(cmd::new("rustup").args(["component", "add"]).args(&missing))
}

fn ensure_trunk() -> Result<()> {
    let have = cmd::probe("trunk", &["--version"]).unwrap_or_default();
    if have == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    cmd::run(cmd::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// The CLI must be exactly the crate's version or the generated JS glue and
/// the wasm disagree. Installed without `--locked`: its lock file names a
/// crate version the registry here lacks.
fn ensure_wasm_bindgen_cli() -> Result<()> {
    let version = locked_version("wasm-bindgen")?;
    let have = cmd::probe("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = cmd::probe("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    let want = format!("wasm-bindgen {version}");
    if have == want && runner.ends_with(&version) {
        return Ok(());
    }
    cmd::run(cmd::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={version}"),
    ]))
}

/// `npm ci` when node_modules does not match package-lock.json.
fn ensure_npm_packages() -> Result<()> {
    let root = cmd::root();
    let lock =
        fs::read(root.join("package-lock.json")).map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp = root.join("node_modules/.hugops-lock-stamp");
    if fs::read(&stamp).ok().as_deref() == Some(&lock[..]) {
        return Ok(());
    }
    cmd::run(cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// The version of a crate as Cargo.lock pins it.
pub fn locked_version(name: &str) -> Result<String> {
    let lock = fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_owned());
            }
        }
    }
    Err(format!("Cargo.lock names no `{name}`"))
}

/// Debian packages to install in one apt-get call.
#[derive(Default)]
struct AptBatch {
    packages: Vec<&'static str>,
}

impl AptBatch {
    fn install(&self) -> Result<()> {
        if self.packages.is_empty() {
            return Ok(());
        }
        cmd::run(cmd::new("apt-get").arg("update"))?;
        cmd::run(
            cmd::new("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(&self.packages)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    }
}
