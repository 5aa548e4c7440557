//! A private X server for the tests that start the real binary (`idle_cpu`, `signal_exit`).
//!
//! Xvfb picks a free display itself (`-displayfd`) and writes its number once it listens,
//! so two runs on one machine never fight over a display number, and a stale socket from
//! an earlier run can never be mistaken for a live server.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running Xvfb, killed when dropped (a failed assertion must not leave servers behind).
pub struct Xvfb {
    child: Child,
    /// The display to hand to clients, such as `:3`.
    pub display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn installed() -> bool {
    Command::new("sh")
        .args(["-c", "command -v Xvfb"])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts a server, or returns `None` (with a note) when Xvfb is not installed. With
/// `FACTMARK_REQUIRE_XVFB=1` (CI sets it) a missing Xvfb fails the test instead.
pub fn start(test: &str) -> Option<Xvfb> {
    if !installed() {
        assert!(
            std::env::var("FACTMARK_REQUIRE_XVFB").as_deref() != Ok("1"),
            "{test}: FACTMARK_REQUIRE_XVFB=1 but Xvfb is not installed (apt-get install xvfb)"
        );
        eprintln!("{test}: skipped, no Xvfb (install xvfb to run it)");
        return None;
    }
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start Xvfb");
    let stdout = child.stdout.take().expect("Xvfb stdout");
    let mut line = String::new();
    let read = BufReader::new(stdout).read_line(&mut line);
    let number = line.trim();
    if read.is_err() || number.is_empty() || number.parse::<u32>().is_err() {
        let _ = child.kill();
        let output = child.wait_with_output().expect("Xvfb output");
        panic!(
            "{test}: Xvfb did not report a display (read {line:?}); its stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // Nothing reads the server's log from here on; let it go nowhere rather than fill a pipe.
    drop(child.stderr.take());
    Some(Xvfb {
        display: format!(":{number}"),
        child,
    })
}
