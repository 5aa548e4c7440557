//! The window saves pending edits when it gets SIGTERM, SIGHUP or SIGINT (SPEC 10): the real
//! binary under Xvfb, an edit made through the test hook (`FACTMARK_TEST_ANNOTATE`, which
//! highlights a quote as a claim once the story is open and says so on stderr), then the
//! signal at once, well inside the autosave delay. Without the handler the process dies
//! with the edit in memory only.
//!
//! Needs `Xvfb` on the PATH; without it the test is skipped with a note, or fails when
//! `FACTMARK_REQUIRE_XVFB=1`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const STORY: &str = "Council approves bridge budget\n\nThe mayor said repairs will cost 48 million euros, twice the estimate.\n";
const QUOTE: &str = "repairs will cost 48 million euros";

fn run_and_signal(signal: &str) {
    let Some(x) = crate::xvfb::start("signal_exit") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("bridge.txt");
    std::fs::write(&story, STORY).expect("story");
    let config = dir.path().join("config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .arg(&story)
        .env_remove("WAYLAND_DISPLAY")
        .env("DISPLAY", &x.display)
        // A private config/data home: the run must not read or write the user's.
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", &config)
        .env("FACTMARK_TEST_ANNOTATE", QUOTE)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start factmark");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    let edited = lines.by_ref().map_while(Result::ok).any(|l| {
        seen.push(l.clone());
        l.contains("test hook: annotated")
    });
    assert!(
        edited,
        "the test hook never ran; stderr:\n{}",
        seen.join("\n")
    );
    // The signal follows at once, well inside the autosave delay (1.5 s), so the edit is
    // only in memory when it arrives.
    let sidecar = factmark::store::sidecar_path(&story);
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let text = std::fs::read_to_string(&sidecar).unwrap_or_else(|e| {
        panic!(
            "no sidecar after {signal} ({status}): {e}; stderr:\n{}\n{}",
            seen.join("\n"),
            rest.join("\n")
        )
    });
    assert!(text.contains(&format!("quote: \"{QUOTE}\"")), "{text}");
}

#[test]
fn sigterm_saves_the_pending_edit() {
    run_and_signal("-TERM");
}

#[test]
fn sighup_saves_the_pending_edit() {
    run_and_signal("-HUP");
}

#[test]
fn sigint_saves_the_pending_edit() {
    run_and_signal("-INT");
}
