//! Typed paths, for the path dialog the window shows when no system file dialog can open:
//! completing a partial path (Tab) and checking the finished one before it is used.
//!
//! Plain functions over the file system (a directory listing, a `stat`), no egui; the dialog
//! itself is `crate::ui::path_dialog`. Completion reads one directory per Tab press, on the
//! UI thread: fine on local disks, noticeable on a slow network drive.

use std::path::{Path, PathBuf};

/// What the typed path must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// A file that exists (a story, an annotation file).
    ExistingFile,
    /// A folder that exists.
    Folder,
    /// A file to write: its folder exists; the file may or may not.
    NewFile,
}

/// The result of completing a partial path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The text to put in the box (unchanged when nothing matched).
    pub text: String,
    /// Entry names that match, when more than one does (for the list under the box).
    pub candidates: Vec<String>,
}

/// Completes `typed` as a shell does on Tab: to the one entry that matches (a folder gets
/// a trailing `/`), else to what all matches share, listing them. `~` stands for the home
/// folder and a relative path is taken from `base`. For [`PathKind::Folder`] only folders
/// match. Hidden entries match only when the typed name starts with a dot.
pub fn complete(typed: &str, base: &Path, kind: PathKind) -> Completion {
    let unchanged = Completion {
        text: typed.to_owned(),
        candidates: Vec::new(),
    };
    let full = expand(typed, base);
    let (dir, prefix) = if typed.is_empty() || typed.ends_with('/') {
        (full.clone(), String::new())
    } else {
        match (full.parent(), full.file_name()) {
            (Some(dir), Some(name)) => (dir.to_owned(), name.to_string_lossy().into_owned()),
            _ => return unchanged,
        }
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return unchanged;
    };
    let mut matches: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.path().is_dir();
            let wanted = is_dir || kind != PathKind::Folder;
            let visible = !name.starts_with('.') || prefix.starts_with('.');
            (wanted && visible && name.starts_with(&prefix)).then_some((name, is_dir))
        })
        .collect();
    matches.sort();
    let shown_dir = if typed.is_empty() {
        format!("{}/", dir.display())
    } else {
        let d = dir.display().to_string();
        if d.ends_with('/') { d } else { format!("{d}/") }
    };
    match matches.as_slice() {
        [] => unchanged,
        [(name, is_dir)] => Completion {
            text: format!("{shown_dir}{name}{}", if *is_dir { "/" } else { "" }),
            candidates: Vec::new(),
        },
        many => {
            let common = common_prefix(many.iter().map(|(n, _)| n.as_str()));
            Completion {
                text: format!("{shown_dir}{common}"),
                candidates: many
                    .iter()
                    .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
                    .collect(),
            }
        }
    }
}

/// The longest prefix all `names` share (on char boundaries).
fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut len = first.len();
    for n in names {
        len = first
            .char_indices()
            .zip(n.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    first[..len].to_owned()
}

/// `typed` as a full path: `~` is the home folder, a relative path is under `base`.
pub fn expand(typed: &str, base: &Path) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_owned());
    let path = if typed == "~" {
        home().unwrap_or_else(|| PathBuf::from(typed))
    } else if let Some(rest) = typed.strip_prefix("~/") {
        match home() {
            Some(h) => h.join(rest),
            None => PathBuf::from(typed),
        }
    } else {
        PathBuf::from(typed)
    };
    if path.is_absolute() {
        path
    } else {
        base.join(path)
    }
}

/// Why a typed path cannot be used, in words.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathProblem {
    #[error("Type a path first (Tab completes).")]
    Empty,
    #[error("Nothing is at {0}.")]
    Missing(PathBuf),
    #[error("{0} is a folder: type a file name in it (Tab completes).")]
    IsFolder(PathBuf),
    #[error("{0} is a file, not a folder.")]
    NotFolder(PathBuf),
    #[error("The folder {0} does not exist.")]
    NoParent(PathBuf),
}

/// A path the dialog may hand on: where, and whether writing there replaces a file.
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    pub path: PathBuf,
    pub replaces: bool,
}

/// Checks `typed` (expanded as [`expand`] does) for `kind`.
pub fn check(typed: &str, base: &Path, kind: PathKind) -> Result<Checked, PathProblem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(PathProblem::Empty);
    }
    let path = expand(typed, base);
    let ok = |path| {
        Ok(Checked {
            path,
            replaces: false,
        })
    };
    match kind {
        PathKind::ExistingFile if path.is_file() => ok(path),
        PathKind::ExistingFile if path.is_dir() => Err(PathProblem::IsFolder(path)),
        PathKind::ExistingFile => Err(PathProblem::Missing(path)),
        PathKind::Folder if path.is_dir() => ok(path),
        PathKind::Folder if path.exists() => Err(PathProblem::NotFolder(path)),
        PathKind::Folder => Err(PathProblem::Missing(path)),
        PathKind::NewFile if path.is_dir() || typed.ends_with('/') => {
            Err(PathProblem::IsFolder(path))
        }
        PathKind::NewFile => {
            let parent = path.parent().map(Path::to_owned).unwrap_or_default();
            if !parent.is_dir() {
                return Err(PathProblem::NoParent(parent));
            }
            let replaces = path.exists();
            Ok(Checked { path, replaces })
        }
    }
}

/// Whether `program` is an executable file in one of `$PATH`'s folders.
pub fn program_on_path(program: &str) -> bool {
    let Some(paths) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&paths).any(|dir| is_executable(&dir.join(program)))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("stories/2026")).expect("mkdir");
        std::fs::create_dir_all(root.join("stash")).expect("mkdir");
        std::fs::write(root.join("stories/bridge.txt"), "b").expect("write");
        std::fs::write(root.join("stories/budget.txt"), "b").expect("write");
        std::fs::write(root.join("stories/.hidden.txt"), "h").expect("write");
        std::fs::write(root.join("notes.md"), "n").expect("write");
        dir
    }

    #[test]
    fn one_match_completes_fully_and_folders_get_a_slash() {
        let dir = tree();
        let root = dir.path().display().to_string();
        let c = complete(&format!("{root}/sto"), dir.path(), PathKind::ExistingFile);
        assert_eq!(c.text, format!("{root}/stories/"));
        assert!(c.candidates.is_empty());
        let c = complete(
            &format!("{root}/stories/br"),
            dir.path(),
            PathKind::ExistingFile,
        );
        assert_eq!(c.text, format!("{root}/stories/bridge.txt"));
    }

    #[test]
    fn several_matches_complete_to_what_they_share_and_are_listed() {
        let dir = tree();
        let root = dir.path().display().to_string();
        let c = complete(
            &format!("{root}/stories/b"),
            dir.path(),
            PathKind::ExistingFile,
        );
        assert_eq!(c.text, format!("{root}/stories/b"));
        assert_eq!(c.candidates, vec!["bridge.txt", "budget.txt"]);
        let c = complete(&format!("{root}/st"), dir.path(), PathKind::ExistingFile);
        assert_eq!(c.text, format!("{root}/st"));
        assert_eq!(c.candidates, vec!["stash/", "stories/"]);
        // A listing of a folder (trailing slash) hides dot files.
        let c = complete(
            &format!("{root}/stories/"),
            dir.path(),
            PathKind::ExistingFile,
        );
        assert_eq!(c.candidates, vec!["2026/", "bridge.txt", "budget.txt"]);
        let c = complete(
            &format!("{root}/stories/.h"),
            dir.path(),
            PathKind::ExistingFile,
        );
        assert_eq!(c.text, format!("{root}/stories/.hidden.txt"));
    }

    #[test]
    fn folders_only_when_a_folder_is_wanted_and_relative_paths_use_the_base() {
        let dir = tree();
        let root = dir.path().display().to_string();
        let c = complete("stories/", dir.path(), PathKind::Folder);
        assert_eq!(c.text, format!("{root}/stories/2026/"));
        let c = complete("no-such/x", dir.path(), PathKind::Folder);
        assert_eq!(c.text, "no-such/x", "nothing to read: unchanged");
    }

    #[test]
    fn common_prefix_respects_char_boundaries() {
        assert_eq!(
            common_prefix(["straße.txt", "straßen.txt"].into_iter()),
            "straße"
        );
        assert_eq!(common_prefix(["été", "était"].into_iter()), "ét");
        assert_eq!(common_prefix(["ab", "cd"].into_iter()), "");
    }

    #[test]
    fn checks_say_what_is_wrong() {
        let dir = tree();
        let base = dir.path();
        let story = base.join("stories/bridge.txt");
        let s = story.display().to_string();
        assert_eq!(
            check(&s, base, PathKind::ExistingFile),
            Ok(Checked {
                path: story.clone(),
                replaces: false
            })
        );
        assert_eq!(
            check("  ", base, PathKind::ExistingFile),
            Err(PathProblem::Empty)
        );
        assert_eq!(
            check("stories", base, PathKind::ExistingFile),
            Err(PathProblem::IsFolder(base.join("stories")))
        );
        assert_eq!(
            check("stories/nope.txt", base, PathKind::ExistingFile),
            Err(PathProblem::Missing(base.join("stories/nope.txt")))
        );
        assert_eq!(
            check("notes.md", base, PathKind::Folder),
            Err(PathProblem::NotFolder(base.join("notes.md")))
        );
        assert!(check("stories", base, PathKind::Folder).is_ok());
        assert_eq!(
            check("stories/out.csv", base, PathKind::NewFile).map(|c| c.replaces),
            Ok(false)
        );
        assert_eq!(
            check(&s, base, PathKind::NewFile).map(|c| c.replaces),
            Ok(true)
        );
        assert_eq!(
            check("missing/out.csv", base, PathKind::NewFile),
            Err(PathProblem::NoParent(base.join("missing")))
        );
        let msg = PathProblem::NoParent(base.join("missing")).to_string();
        assert!(msg.contains("does not exist"), "{msg}");
    }

    #[test]
    fn finds_programs_on_the_path() {
        assert!(program_on_path("sh"));
        assert!(!program_on_path("factmark-no-such-program"));
    }
}
