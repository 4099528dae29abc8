//! The binary's configuration as an operator meets it: the team token from
//! a secrets file (trailing newline), a token too short to start with,
//! `--help` and `Debug` that show no secret, and wrong team tokens limited
//! per IP.

use crate::common::*;
use crate::process::launch_with_token;
use axum::http::Method;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary to its exit (killed and failed after `within`).
fn run_to_exit(command: &mut Command, within: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + within;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "still running after {within:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hugops-server"))
}

#[test]
fn help_shows_no_environment_value() {
    const SECRETS: [&str; 3] = ["s3cret-db-pass", "s3cret-up-pass", "s3cret-team-token"];
    let output = run_to_exit(
        binary()
            .arg("--help")
            .env(
                "HUGOPS_DATABASE",
                "postgres://hugops:s3cret-db-pass@db.internal:5432/hugops",
            )
            .env(
                "HUGOPS_STATUS_URL",
                "https://user:s3cret-up-pass@status.example/api/v2/summary.json",
            )
            .env("HUGOPS_TEAM_TOKEN", "s3cret-team-token-0123456789"),
        Duration::from_secs(30),
    );
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    // Still says which variable sets what.
    assert!(help.contains("HUGOPS_DATABASE"), "{help}");
    assert!(help.contains("HUGOPS_STATUS_URL"), "{help}");
    for secret in SECRETS {
        assert!(!help.contains(secret), "--help shows {secret}:\n{help}");
        assert!(
            !help.contains("db.internal"),
            "--help shows the database:\n{help}"
        );
    }
}

#[tokio::test]
async fn settings_debug_shows_no_token() {
    let app = start().await;
    let shown = format!("{:?} {:#?}", app.state.settings, app.state.settings);
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("***"), "{shown}");
}

#[tokio::test]
async fn a_team_token_from_a_secrets_file_with_a_trailing_newline_works() {
    let dir = tempfile::tempdir().unwrap();
    let server = launch_with_token(&dir.path().join("nl.db"), "nl", &format!("{TOKEN}\n"));
    let reply = reqwest::Client::new()
        .get(server.url("/api/v1/walls/general/held"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200, "{}", reply.text().await.unwrap());
}

#[test]
fn a_team_token_shorter_than_16_characters_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_to_exit(
        binary()
            .args(["--bind", "127.0.0.1:0", "--database"])
            .arg(dir.path().join("short.db"))
            // 15 characters, and the newline a secrets file adds.
            .env("HUGOPS_TEAM_TOKEN", "0123456789abcde\n"),
        Duration::from_secs(30),
    );
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("listening"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("HUGOPS_TEAM_TOKEN is 15 characters long")
            && stderr.contains("at least 16"),
        "{stderr}"
    );
    assert!(!stderr.contains("0123456789abcde"), "{stderr}");
}

#[tokio::test]
async fn wrong_team_tokens_are_limited_per_ip() {
    let app = start_with(|c| c.trust_proxy = true).await;
    let held = "/api/v1/walls/general/held";
    let attempt = |ip: &str, token: &str| {
        Call::new(Method::GET, held)
            .header("x-forwarded-for", ip)
            .header("authorization", &format!("Bearer {token}"))
    };
    for n in 0..10 {
        let reply = app.call(attempt("192.0.2.1", &format!("guess-{n}"))).await;
        reply.assert_refused(401, "unauthorized");
    }
    let refused = app.call(attempt("192.0.2.1", "guess-10")).await;
    let error = refused.assert_refused(429, "rate_limited");
    assert_eq!(refused.header("retry-after"), Some("6"), "{error}");
    // Even the right token: a blocked guesser must not learn it was right.
    app.call(attempt("192.0.2.1", TOKEN))
        .await
        .assert_refused(429, "rate_limited");
    // Another address is not blocked, and right tokens are never counted.
    for _ in 0..20 {
        let fine = app.call(attempt("192.0.2.2", TOKEN)).await;
        assert_eq!(fine.status, 200, "{}", fine.text());
    }
}
