//! The command line (SPEC 8). Parsing with clap; each subcommand calls the core and turns
//! its errors into one sentence on stderr and a non-zero exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::check;
use crate::export::{self, ExportOptions, ExportSet, Filter, Format, Organisation};
use crate::gitsetup;
use crate::import;
use crate::memory;

/// factmark: highlight, rate and source the claims in news stories.
#[derive(Debug, Parser)]
#[command(name = "factmark", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Stories (or folders) to open, each in its own window; without one, the last story
    /// or the bundled example opens.
    pub paths: Vec<PathBuf>,
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
    /// Export annotations as csv, json, w3c, claimreview, markdown or html.
    Export {
        /// csv, json, w3c, claimreview, markdown or html.
        #[arg(long)]
        format: String,
        /// Only annotations with this label (repeatable: any of them).
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<String>,
        /// Only annotations with this status (repeatable).
        #[arg(long = "status", value_name = "STATUS")]
        statuses: Vec<String>,
        /// Only claims with this verdict; `none` for claims without one (repeatable).
        #[arg(long = "verdict", value_name = "VERDICT")]
        verdicts: Vec<String>,
        /// Only annotations with this tag (repeatable).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// CSV: start with a byte order mark so Excel reads UTF-8.
        #[arg(long)]
        excel: bool,
        /// ClaimReview: the organisation publishing the reviews.
        #[arg(long)]
        org_name: Option<String>,
        /// ClaimReview: the organisation's web site.
        #[arg(long)]
        org_url: Option<String>,
        /// ClaimReview: the page where the fact-check is published (each claim's url is
        /// this plus `#claim-<id>`, unless the claim has its own).
        #[arg(long)]
        review_url: Option<String>,
        /// The story's public address, used as its identifier (one story only); without
        /// it, the sidecar's URL or a `urn:sha256:` of the text.
        #[arg(long)]
        source_uri: Option<String>,
        /// Write here (atomically) instead of to standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Stories, sidecars or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Import W3C Web Annotations (JSON-LD, e.g. from Hypothesis) into a story's sidecar.
    Import {
        /// Only w3c.
        #[arg(long)]
        format: String,
        /// The JSON-LD file to read.
        file: PathBuf,
        /// The story the annotations belong to.
        #[arg(long)]
        story: PathBuf,
    },
    /// Git merge driver for sidecars: three-way merge by annotation id, written to OURS.
    /// Git runs it as `factmark merge-driver %O %A %B %P` (see `factmark git-setup`).
    /// Exits 1 when both sides changed the same field (both values are kept in the
    /// sidecar for the window to resolve), 2 when a version cannot be read (OURS untouched).
    MergeDriver {
        /// The common ancestor's version (git's %O; an empty file when there is none).
        base: PathBuf,
        /// Our version (git's %A); the merged sidecar is written here.
        ours: PathBuf,
        /// Their version (git's %B).
        theirs: PathBuf,
        /// The sidecar's path in the repository (git's %P), for messages and to find the
        /// story to re-anchor against.
        pathname: Option<PathBuf>,
    },
    /// Make git merge sidecars with factmark in the repository at REPO (default: here):
    /// adds `*.annotations.ron merge=factmark` to .gitattributes and the driver to the
    /// repository's git config. Safe to run again.
    GitSetup {
        /// A folder inside the repository.
        repo: Option<PathBuf>,
    },
    /// Print a shell completion script for bash, zsh, fish, elvish or powershell, e.g.
    /// `factmark completions bash > ~/.local/share/bash-completion/completions/factmark`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `factmark man | man -l -`.
    Man,
    /// List the sentences most worth checking, best first, with a score from 0 to 1, the
    /// reasons (the words that triggered each) and the claimant when the sentence names one.
    Suggest {
        /// The story to read.
        story: PathBuf,
        /// Only the N best candidates.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Print a JSON array (start, end, text, score, reasons, claimant).
        #[arg(long)]
        json: bool,
    },
    /// Find words, numbers and "quoted phrases" (any script) in the stories' text and in
    /// their annotations.
    Search {
        query: String,
        /// Print a JSON array: story, start and end (chars) or id and field, snippet.
        #[arg(long)]
        json: bool,
        /// Folders or stories to search.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List the annotated claims most like a text or an annotation, best first, with why.
    Similar {
        /// The claim, as text.
        #[arg(long, conflicts_with_all = ["story", "id"], required_unless_present = "story")]
        text: Option<String>,
        /// The story of the annotation to compare (with --id).
        #[arg(long, requires = "id")]
        story: Option<PathBuf>,
        /// The annotation's id in that story.
        #[arg(long, requires = "story")]
        id: Option<String>,
        /// How many claims to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Print a JSON array: story, id, quote, statement, verdict, status, date, score,
        /// reasons.
        #[arg(long)]
        json: bool,
        /// Folders or stories to look in.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Runs a subcommand; `None` means "open the window".
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { paths } => run_check(&paths),
        Command::Export {
            format,
            labels,
            statuses,
            verdicts,
            tags,
            excel,
            org_name,
            org_url,
            review_url,
            source_uri,
            output,
            paths,
        } => {
            // URLs typed on the command line go into published files: normalised, and
            // refused with the reason when they are not URLs.
            let normal = |u: Option<String>| u.map(|u| crate::model::normalise_url(&u)).transpose();
            let (org_url, review_url) = match (normal(org_url), normal(review_url)) {
                (Ok(o), Ok(r)) => (o, r),
                (Err(e), _) | (_, Err(e)) => return fail(&e),
            };
            let options = ExportOptions {
                excel,
                organisation: Organisation {
                    name: org_name.unwrap_or_default(),
                    url: org_url,
                },
                review_url,
            };
            let filter = (labels, statuses, verdicts, tags);
            let out = output.as_deref();
            match run_export(
                &format,
                filter,
                &options,
                &paths,
                source_uri.as_deref(),
                out,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Import {
            format,
            file,
            story,
        } => run_import(&format, &file, &story),
        Command::MergeDriver {
            base,
            ours,
            theirs,
            pathname,
        } => run_merge_driver(&base, &ours, &theirs, pathname.as_deref()),
        Command::GitSetup { repo } => run_git_setup(repo.as_deref()),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "factmark", &mut out);
            write_stdout(&out)
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => write_stdout(&out),
                Err(e) => fail(&format!("could not write the manual page: {e}")),
            }
        }
        Command::Suggest { story, top, json } => run_suggest(&story, top, json),
        Command::Search { query, json, paths } => memory::cli::run_search(&query, json, &paths),
        Command::Similar {
            text,
            story,
            id,
            top,
            json,
            paths,
        } => memory::cli::run_similar(text, story.zip(id), top, json, &paths),
    }
}

/// Writes generated text to standard output; a closed pipe (`| head`) is not worth a message.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
    ExitCode::SUCCESS
}

fn run_suggest(story: &std::path::Path, top: Option<usize>, json: bool) -> ExitCode {
    let loaded = match crate::text::load_story(story) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let found = crate::suggest::suggest(loaded.text.as_str(), top);
    let out = if json {
        crate::suggest::to_json(&found)
    } else {
        crate::suggest::to_human(&found, &story.display().to_string())
    };
    write_stdout(out.as_bytes())
}

fn run_check(paths: &[PathBuf]) -> ExitCode {
    let reports = check::check_paths(paths);
    let mut attention = 0;
    for r in &reports {
        println!("{}", r.line());
        for line in r.wording_lines() {
            println!("{line}");
        }
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

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("factmark: {e}");
    ExitCode::from(1)
}

type FilterArgs = (Vec<String>, Vec<String>, Vec<String>, Vec<String>);

fn run_export(
    format: &str,
    (labels, statuses, verdicts, tags): FilterArgs,
    options: &ExportOptions,
    paths: &[PathBuf],
    source_uri: Option<&str>,
    output: Option<&std::path::Path>,
) -> Result<(), export::ExportError> {
    let format: Format = format.parse()?;
    let filter = Filter {
        labels,
        statuses: Filter::parse_statuses(&statuses)?,
        verdicts,
        tags,
    };
    let mut set = ExportSet::load(paths, &filter)?;
    if let Some(uri) = source_uri {
        set.set_source_uri(uri)?;
    }
    let exported = export::export(&set, format, options)?;
    for s in &exported.skipped {
        eprintln!("factmark: {s}");
    }
    match output {
        Some(path) => export::write_file(path, &exported.bytes)?,
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(&exported.bytes).and_then(|()| out.flush());
        }
    }
    Ok(())
}

fn run_import(format: &str, file: &std::path::Path, story: &std::path::Path) -> ExitCode {
    if !format.eq_ignore_ascii_case("w3c") {
        return fail(&import::ImportError::UnknownFormat(format.to_owned()));
    }
    match import::import_w3c_file(file, story) {
        Ok(report) => {
            println!("{}: {}", story.display(), report.summary());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn run_merge_driver(
    base: &std::path::Path,
    ours: &std::path::Path,
    theirs: &std::path::Path,
    pathname: Option<&std::path::Path>,
) -> ExitCode {
    let outcome = match gitsetup::run_merge_driver(base, ours, theirs, pathname) {
        Ok(outcome) => outcome,
        Err(e) => {
            // Distinct from a conflict: OURS was not touched and git keeps its own state.
            eprintln!("factmark: {e}");
            return ExitCode::from(2);
        }
    };
    let name = pathname.unwrap_or(ours).display();
    let merge = &outcome.merge;
    if let (Some(counts), Some(story)) = (&merge.reanchored, &outcome.story) {
        eprintln!(
            "factmark: {name}: re-anchored against {}: {}",
            story.display(),
            counts.summary()
        );
    }
    for s in &merge.settings_conflicts {
        eprintln!("factmark: {name}: {s}");
    }
    if merge.is_clean() {
        return ExitCode::SUCCESS;
    }
    let n = merge.report.conflicts.len();
    if n > 0 {
        eprintln!(
            "factmark: {name}: {n} field{} changed on both sides; both values are kept in the \
             sidecar: open the story in factmark to pick one, then `git add` it",
            if n == 1 { "" } else { "s" }
        );
    }
    ExitCode::from(1)
}

fn run_git_setup(repo: Option<&std::path::Path>) -> ExitCode {
    let repo = repo.unwrap_or(std::path::Path::new("."));
    let program = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => return fail(&gitsetup::GitError::NoProgram(e)),
    };
    match gitsetup::git_setup(repo, &program) {
        Ok(o) => {
            let root = o.root.display();
            match (o.attributes_added, o.config_changed) {
                (false, false) => println!("{root}: already set up for factmark merges"),
                (attributes, config) => {
                    if attributes {
                        println!(
                            "{root}: added `{}` to .gitattributes; commit it so every clone uses it",
                            gitsetup::ATTRIBUTES_LINE
                        );
                    }
                    if config {
                        println!(
                            "{root}: set merge.factmark.driver in the repository's git config \
                             (each clone runs `factmark git-setup` once)"
                        );
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
