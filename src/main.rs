use std::process::ExitCode;

use clap::Parser;
use factmark::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            let mut paths = args.paths.into_iter();
            let first = paths.next();
            // Several paths (a file manager's `%F`) mean one window per file: each further
            // file is handed to a process of its own, so the window code stays one-story.
            // (Without the window, each would only fail the same way.)
            if cfg!(feature = "gui") {
                for path in paths {
                    spawn_window(&path);
                }
            }
            open_window(first)
        }
    }
}

/// Starts another factmark on `path` and does not wait for it. A failure is reported and
/// the other files still open.
fn spawn_window(path: &std::path::Path) {
    let spawned = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .arg("--")
            .arg(path)
            .stdin(std::process::Stdio::null())
            .spawn()
    });
    if let Err(e) = spawned {
        eprintln!(
            "factmark: could not open a window for {}: {e}",
            path.display()
        );
    }
}

#[cfg(feature = "gui")]
fn open_window(path: Option<std::path::PathBuf>) -> ExitCode {
    match factmark::app::run(path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("factmark: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_path: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "factmark: this build has no window (built without the `gui` feature); use a subcommand, see --help"
    );
    ExitCode::from(2)
}
