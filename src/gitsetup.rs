//! Sharing sidecars through git: the merge driver's file handling (`factmark merge-driver`)
//! and the one-time repository setup (`factmark git-setup`).
//!
//! The merge itself is [`crate::merge::merge_sidecars`]; this module reads git's three
//! temporary files, finds the story for re-anchoring, writes the result over ours, and
//! writes the `.gitattributes` line and the `git config` entry that make git call the
//! driver. It never writes a file it could not read, never writes conflict markers into a
//! sidecar, and must not depend on any UI crate.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use thiserror::Error;

use crate::merge::{SidecarMerge, merge_sidecars};
use crate::store::{self, MAX_SIDECAR_BYTES, Sidecar, StoreError};
use crate::text::{self, Story};

/// The name of the merge driver in `.gitattributes` and `git config`.
pub const DRIVER_NAME: &str = "factmark";
/// The `.gitattributes` line that sends every sidecar through the driver.
pub const ATTRIBUTES_LINE: &str = "*.annotations.ron merge=factmark";

#[derive(Debug, Error)]
pub enum GitError {
    #[error("could not read {role} version of {name}: {source}")]
    Read {
        role: &'static str,
        name: String,
        source: std::io::Error,
    },
    #[error("could not merge {name}: both sides are empty files, not sidecars")]
    BothEmpty { name: String },
    #[error("could not merge {name}: {source}")]
    Unreadable { name: String, source: StoreError },
    #[error("could not write the merged {name}: {source}")]
    Write { name: String, source: StoreError },
    #[error("could not run git ({0}); is git installed and on the PATH?")]
    NoGit(std::io::Error),
    #[error("{path} is not inside a git repository")]
    NotARepository { path: PathBuf },
    #[error("git {args} failed: {message}")]
    GitFailed { args: String, message: String },
    #[error("could not update {path}: {source}")]
    Attributes { path: PathBuf, source: StoreError },
    #[error("could not find the factmark program to register as the driver: {0}")]
    NoProgram(std::io::Error),
}

/// Which of git's three files a sidecar came from, in the user's words.
#[derive(Clone, Copy, Debug)]
enum Role {
    Base,
    Ours,
    Theirs,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Base => "the common ancestor's",
            Role::Ours => "our",
            Role::Theirs => "their",
        }
    }
}

/// What the driver did, for its exit code and message.
#[derive(Debug)]
pub struct DriverOutcome {
    pub merge: SidecarMerge,
    /// The story re-anchoring looked at, when it exists.
    pub story: Option<PathBuf>,
}

/// Runs the merge driver: merges `base`, `ours` and `theirs` (git's `%O %A %B`) and writes
/// the result over `ours`. `pathname` (`%P`) is the sidecar's path in the repository,
/// relative to the current folder (git runs drivers from the repository root); it names the
/// file in messages and locates the story.
///
/// On an error nothing is written, so git keeps its own conflict state. A merge with
/// conflicts is still written (both values are kept in the sidecar); the caller reports it.
pub fn run_merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    pathname: Option<&Path>,
) -> Result<DriverOutcome, GitError> {
    let name = pathname.unwrap_or(ours).display().to_string();
    let base_sc = read_side(base, Role::Base, &name)?;
    let ours_sc = read_side(ours, Role::Ours, &name)?;
    let theirs_sc = read_side(theirs, Role::Theirs, &name)?;
    // A side without a sidecar (git passes an empty file for a missing ancestor) merges as
    // an empty one with the other side's header.
    let (ours_sc, theirs_sc) = match (ours_sc, theirs_sc) {
        (Some(o), Some(t)) => (o, t),
        (Some(o), None) => (o.clone(), empty_like(&o)),
        (None, Some(t)) => (empty_like(&t), t),
        (None, None) => {
            return Err(GitError::BothEmpty { name });
        }
    };
    let story_path = pathname.and_then(store::story_path_for);
    let story = story_path.as_deref().and_then(load_story_quietly);
    let merge = merge_sidecars(base_sc.as_ref(), &ours_sc, &theirs_sc, story.as_ref());
    let bytes = merge
        .sidecar
        .to_ron()
        .map_err(|source| GitError::Unreadable {
            name: name.clone(),
            source,
        })?;
    store::write_atomic(ours, bytes.as_bytes(), false)
        .map_err(|source| GitError::Write { name, source })?;
    Ok(DriverOutcome {
        merge,
        story: story.map(|s| s.path),
    })
}

/// The story is optional for a merge: one that cannot be read is simply not used.
fn load_story_quietly(path: &Path) -> Option<Story> {
    text::load_story(path).ok()
}

fn empty_like(s: &Sidecar) -> Sidecar {
    Sidecar {
        annotations: Default::default(),
        dismissed_suggestions: Vec::new(),
        ..s.clone()
    }
}

/// Reads one of git's files. `Ok(None)` for an empty file (no common ancestor).
fn read_side(path: &Path, role: Role, name: &str) -> Result<Option<Sidecar>, GitError> {
    let read_err = |source| GitError::Read {
        role: role.name(),
        name: name.to_owned(),
        source,
    };
    let size = fs::metadata(path).map_err(read_err)?.len();
    // Messages name the file the user knows, not git's temporary one.
    let shown = PathBuf::from(format!("{} version of {name}", role.name()));
    if size > MAX_SIDECAR_BYTES {
        return Err(GitError::Unreadable {
            name: name.to_owned(),
            source: StoreError::TooLarge { path: shown, size },
        });
    }
    let bytes = fs::read(path).map_err(read_err)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let unreadable = |source| GitError::Unreadable {
        name: name.to_owned(),
        source,
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        unreadable(StoreError::Parse {
            path: shown.clone(),
            line: 1,
            column: 1,
            message: "the file is not UTF-8 text".to_owned(),
        })
    })?;
    if text.contains("\n<<<<<<< ") || text.starts_with("<<<<<<< ") {
        return Err(unreadable(StoreError::Parse {
            path: shown,
            line: 1,
            column: 1,
            message: "it holds git conflict markers".to_owned(),
        }));
    }
    Sidecar::from_ron(&text, &shown)
        .map(|l| Some(l.sidecar))
        .map_err(unreadable)
}

/// What `git-setup` changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SetupOutcome {
    /// The repository's top folder.
    pub root: PathBuf,
    /// True when the `.gitattributes` line was added (false: it was there already).
    pub attributes_added: bool,
    /// True when the `git config` entry was written or changed.
    pub config_changed: bool,
}

/// Makes git use factmark for sidecars in the repository containing `repo`: adds
/// [`ATTRIBUTES_LINE`] to the top-level `.gitattributes` (once) and sets
/// `merge.factmark.name` / `merge.factmark.driver` in the repository's own config, pointing
/// at `program`. Running it again changes nothing.
pub fn git_setup(repo: &Path, program: &Path) -> Result<SetupOutcome, GitError> {
    let root = git(repo, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
        GitError::GitFailed { .. } => GitError::NotARepository {
            path: repo.to_owned(),
        },
        other => other,
    })?;
    let root = PathBuf::from(root.trim_end_matches(['\n', '\r']));

    let attributes = root.join(".gitattributes");
    let current = match fs::read_to_string(&attributes) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(GitError::Attributes {
                path: attributes,
                source: StoreError::Read {
                    path: root.join(".gitattributes"),
                    source,
                },
            });
        }
    };
    let present = current
        .lines()
        .any(|l| l.split_whitespace().eq(ATTRIBUTES_LINE.split_whitespace()));
    let mut outcome = SetupOutcome {
        root: root.clone(),
        ..SetupOutcome::default()
    };
    if !present {
        let mut text = current;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(ATTRIBUTES_LINE);
        text.push('\n');
        store::write_atomic(&attributes, text.as_bytes(), false).map_err(|source| {
            GitError::Attributes {
                path: attributes.clone(),
                source,
            }
        })?;
        outcome.attributes_added = true;
    }

    let driver = driver_command(program);
    let entries = [
        (
            format!("merge.{DRIVER_NAME}.name"),
            "factmark annotation merge".to_owned(),
        ),
        (format!("merge.{DRIVER_NAME}.driver"), driver),
    ];
    for (key, value) in entries {
        // `--get` fails when the key is unset; that only means it must be written.
        let now = git(&root, &["config", "--local", "--get", &key]).ok();
        if now.as_deref().map(|s| s.trim_end_matches(['\n', '\r'])) != Some(value.as_str()) {
            git(&root, &["config", "--local", &key, &value])?;
            outcome.config_changed = true;
        }
    }
    Ok(outcome)
}

/// The driver entry: git runs it through the shell with `%O %A %B %P` replaced by paths.
pub fn driver_command(program: &Path) -> String {
    format!(
        "{} merge-driver %O %A %B %P",
        shell_quote(&program.to_string_lossy())
    )
}

/// Quotes for a POSIX shell when needed (git runs drivers with `sh -c`, on Windows too).
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@\\".contains(c));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(GitError::NoGit)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(GitError::GitFailed {
            args: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_command_quotes_paths_with_spaces() {
        assert_eq!(
            driver_command(Path::new("/usr/bin/factmark")),
            "/usr/bin/factmark merge-driver %O %A %B %P"
        );
        assert_eq!(
            driver_command(Path::new("/home/a b/it's/factmark")),
            r"'/home/a b/it'\''s/factmark' merge-driver %O %A %B %P"
        );
    }
}
