//! Running child processes with the project's tool paths, loudly.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T> = std::result::Result<T, String>;

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    home.join("bin")
}

/// PATH with the npm tools (binaryen's wasm-opt, which must win over any
/// system wasm-opt) and cargo-installed tools first.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command run from the repository root with the tool PATH.
pub fn new(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

/// Runs a command to completion, echoing it first; fails on a non-zero exit.
pub fn run(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs a command quietly and returns its trimmed stdout, or None when it
/// cannot run or fails. For probing what is installed.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let output = new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Tests passed and failed, summed over every runner `run_counted` ran.
#[derive(Default, Debug)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    /// Reads a runner's summary line: cargo's and wasm-bindgen-test's
    /// `test result: ok. N passed; M failed; …`, node's TAP `# pass N` /
    /// `# fail N`.
    fn read(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(kind), Some(count)) = (words.next(), words.next()) else {
                    continue;
                };
                let count = count.parse::<u64>().unwrap_or(0);
                match kind {
                    "passed" => self.passed += count,
                    "failed" => self.failed += count,
                    _ => {}
                }
            }
        } else if let Some(n) = line.strip_prefix("# pass ") {
            self.passed += n.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            self.failed += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
}

/// Like `run`, passing the command's stdout through line by line while
/// adding its test summaries to `tally`.
pub fn run_counted(command: &mut Command, tally: &mut Tally) -> Result<()> {
    use std::io::{BufRead, Write};
    eprintln!("$ {}", describe(command));
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", describe(command)))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut out = std::io::stdout().lock();
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        tally.read(&line);
        let _ = writeln!(out, "{line}");
    }
    drop(out);
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn reads_cargo_and_node_summaries() {
        let mut tally = Tally::default();
        tally.read("test result: ok. 60 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.05s");
        tally.read(
            "test result: FAILED. 6 passed; 1 failed; 0 ignored; 0 filtered out; finished in 0.48s",
        );
        tally.read("# pass 5");
        tally.read("# fail 2");
        tally.read("ok 3 - something passed");
        assert_eq!((tally.passed, tally.failed), (71, 3));
    }
}
