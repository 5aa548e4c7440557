//! The idle window must not burn CPU: the real binary under Xvfb (llvmpipe, where every
//! repaint is expensive), once with a story open and once with a folder's claims table,
//! left alone for 10 s, must use at most 3 % of a core (utime + stime from /proc/PID/stat).
//!
//! This is the one timed assertion in the tests, by design (issue 13). Without `Xvfb` it is
//! skipped with a note, unless `FACTMARK_REQUIRE_XVFB=1` (CI sets it): then it fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const LIMIT_PERCENT: f64 = 3.0;
const MEASURE: Duration = Duration::from_secs(10);
/// Time for the window to come up and finish its first frames before measuring.
const SETTLE: Duration = Duration::from_secs(6);

/// Kills the child when dropped (a failed assertion must not leave windows behind).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc stat");
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    let after = &stat[stat.rfind(')').expect("stat format") + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3, so field 14 is index 11.
    let utime: u64 = fields[11].parse().expect("utime");
    let stime: u64 = fields[12].parse().expect("stime");
    utime + stime
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Starts the window on `target` under its own Xvfb and returns its idle CPU in percent of
/// one core.
fn idle_percent(target: &Path) -> f64 {
    let home = tempfile::tempdir().expect("home");
    let xvfb = crate::xvfb::start("idle_cpu").expect("Xvfb was found a moment ago");
    let app = Killed(
        Command::new(env!("CARGO_BIN_EXE_factmark"))
            .arg(target)
            .env_remove("WAYLAND_DISPLAY")
            .env("DISPLAY", &xvfb.display)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start factmark"),
    );
    let pid = app.0.id();
    std::thread::sleep(SETTLE);
    let before = cpu_ticks(pid);
    std::thread::sleep(MEASURE);
    let after = cpu_ticks(pid);
    let seconds = (after - before) as f64 / clock_ticks_per_second();
    100.0 * seconds / MEASURE.as_secs_f64()
}

fn fixture_folder() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("bridge.txt");
    std::fs::write(
        &story,
        "Council approves bridge budget\n\nThe mayor said repairs will cost 48 million euros.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("rain.txt"),
        "Rainfall record broken\n\nJune brought 212 mm of rain.\n",
    )
    .expect("write");
    let root = dir.path().to_owned();
    (dir, story, root)
}

#[test]
fn idle_window_uses_at_most_three_percent_of_a_core() {
    // Probe once here so that a machine without Xvfb skips (or fails) before any thread.
    if crate::xvfb::start("idle_cpu").is_none() {
        return;
    }
    let (_dir, story, root) = fixture_folder();
    // Both windows at once: the measurement is per process, and it halves the wait.
    let story_run = std::thread::spawn(move || idle_percent(&story));
    let folder_run = std::thread::spawn(move || idle_percent(&root));
    let story_cpu = story_run.join().expect("story run");
    let folder_cpu = folder_run.join().expect("folder run");
    eprintln!("idle_cpu: story view {story_cpu:.1} %, folder view {folder_cpu:.1} % of a core");
    assert!(
        story_cpu <= LIMIT_PERCENT,
        "idle window with a story open used {story_cpu:.1} % of a core (limit {LIMIT_PERCENT} %)"
    );
    assert!(
        folder_cpu <= LIMIT_PERCENT,
        "idle window with a folder open used {folder_cpu:.1} % of a core (limit {LIMIT_PERCENT} %)"
    );
}
