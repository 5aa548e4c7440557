use std::process::ExitCode;

use clap::Parser;
use factmark::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => open_window(args.path),
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
