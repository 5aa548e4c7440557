//! The command line (SPEC 8). Parsing with clap; each subcommand calls the core and turns
//! its errors into one sentence on stderr and a non-zero exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::check;

/// factmark: highlight, rate and source the claims in news stories.
#[derive(Debug, Parser)]
#[command(name = "factmark", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A story (or folder) to open in the window; without it, the last story or the
    /// bundled example opens.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify stories and their sidecars: decoding, parse errors, anchors, hash drift.
    /// Exits non-zero when anything needs attention.
    Check {
        /// Stories, sidecars or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Runs a subcommand; `None` means "open the window".
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { paths } => run_check(&paths),
    }
}

fn run_check(paths: &[PathBuf]) -> ExitCode {
    let reports = check::check_paths(paths);
    let mut attention = 0;
    for r in &reports {
        println!("{}", r.line());
        if r.needs_attention() {
            attention += 1;
        }
    }
    if reports.is_empty() {
        eprintln!("factmark: no stories found in the given paths");
        return ExitCode::from(1);
    }
    if attention > 0 {
        eprintln!(
            "factmark: {attention} of {} stor{} need{} attention",
            reports.len(),
            if reports.len() == 1 { "y" } else { "ies" },
            if attention == 1 { "s" } else { "" }
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
