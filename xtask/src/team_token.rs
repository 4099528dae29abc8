//! The team token of `cargo xtask run`, so a newcomer can open /team at
//! once: HUGOPS_TEAM_TOKEN when set; otherwise one made from the system's
//! randomness on the first run and kept for the next ones in the user's
//! data folder (`$XDG_DATA_HOME/hugops/demo-team-token`, else
//! `~/.local/share/…`), outside the repository, readable by its owner only.

use crate::cmd::Result;
use std::fs;
use std::path::PathBuf;

/// 32 random bytes: 64 hex digits.
const RANDOM_BYTES: usize = 32;
/// What a kept token must at least be, or a new one is made.
const MIN_LEN: usize = 32;

pub struct DemoToken {
    pub token: String,
    /// Where it came from, for the announcement.
    source: Source,
}

enum Source {
    Environment,
    Made(PathBuf),
    Kept(PathBuf),
}

impl DemoToken {
    /// What `run` prints: the token itself only when it was just made (the
    /// one time it is shown), else where it is kept.
    pub fn announcement(&self, team_url: &str) -> String {
        match &self.source {
            Source::Environment => {
                format!("Team page: {team_url} (sign in with your HUGOPS_TEAM_TOKEN)")
            }
            Source::Made(path) => format!(
                "Team page: {team_url}\n  sign in with this team token (made now, shown once; kept in {}):\n  {}",
                path.display(),
                self.token
            ),
            Source::Kept(path) => format!(
                "Team page: {team_url} (sign in with the team token kept in {})",
                path.display()
            ),
        }
    }
}

pub fn for_demo() -> Result<DemoToken> {
    if let Some(token) = std::env::var("HUGOPS_TEAM_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        return Ok(DemoToken {
            token,
            source: Source::Environment,
        });
    }
    let path = kept_path().ok_or("no HOME or XDG_DATA_HOME to keep the demo team token in")?;
    if let Some(token) = fs::read_to_string(&path)
        .ok()
        .as_deref()
        .and_then(read_kept)
    {
        return Ok(DemoToken {
            token,
            source: Source::Kept(path),
        });
    }
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::getrandom(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    let token = hex(&bytes);
    keep(&path, &token)?;
    Ok(DemoToken {
        token,
        source: Source::Made(path),
    })
}

fn kept_path() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("hugops").join("demo-team-token"))
}

fn keep(path: &std::path::Path, token: &str) -> Result<()> {
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(fail)?;
    std::io::Write::write_all(&mut file, format!("{token}\n").as_bytes()).map_err(fail)
}

/// A kept token, if it still looks like one we made (long, one word of
/// visible ASCII); anything else is replaced.
fn read_kept(text: &str) -> Option<String> {
    let token = text.trim();
    (token.len() >= MIN_LEN && token.bytes().all(|b| b.is_ascii_graphic()))
        .then(|| token.to_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_token_is_long_hex_and_reads_back() {
        let mut bytes = [0u8; RANDOM_BYTES];
        getrandom::getrandom(&mut bytes).unwrap();
        let token = hex(&bytes);
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(read_kept(&format!("{token}\n")), Some(token));
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }

    #[test]
    fn a_short_or_odd_kept_token_is_replaced() {
        assert_eq!(read_kept(""), None);
        assert_eq!(read_kept("short"), None);
        assert_eq!(read_kept(&format!("{} x", "a".repeat(40))), None);
    }

    #[test]
    fn it_is_kept_for_the_owner_only_outside_the_repository() {
        let dir = std::env::temp_dir().join(format!("xtask-token-{}", std::process::id()));
        let path = dir.join("hugops/demo-team-token");
        keep(&path, "0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(
            read_kept(&fs::read_to_string(&path).unwrap()).as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::remove_dir_all(&dir).unwrap();
        let kept = kept_path().unwrap();
        assert!(!kept.starts_with(crate::cmd::root()), "{}", kept.display());
    }
}
