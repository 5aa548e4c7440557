//! Which files of a folder are stories: story extensions or a sidecar; hidden files,
//! temp files, sidecars and backups skipped. It only lists: it must not read a story.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::store;

/// File extensions taken as stories when a folder is scanned (a file with a sidecar is
/// always a story, whatever its extension).
pub const STORY_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text", "html", "htm", "docx"];

/// Every story under `root`, recursively, sorted by path: files with a story extension or
/// a sidecar (even when the story itself is missing, so that is reported). Hidden files and
/// folders, sidecars and backups are skipped.
pub fn find_stories(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    find_stories_until(root, &|| false)
}

/// [`find_stories`] that gives up (returning what it found so far) once `stop` says so.
pub(super) fn find_stories_until(
    root: &Path,
    stop: &dyn Fn() -> bool,
) -> std::io::Result<Vec<PathBuf>> {
    let mut found = BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        if stop() {
            break;
        }
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if let Some(story) = store::story_path_for(&path) {
                found.insert(story);
            } else if store::is_sidecar_path(&path) || name.ends_with(".tmp") {
                continue;
            } else if has_story_extension(&path) {
                found.insert(path);
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// True when `path` (relative to a workspace root) is ours or hidden, never a story:
/// hidden files and folders (our own `.factmark-*.tmp` among them), temp files, backups.
pub(super) fn is_ignored(relative: &Path) -> bool {
    relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.')
    }) || relative.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.ends_with(".tmp") || n.ends_with(".bak") || n.ends_with('~')
    })
}

pub(super) fn has_story_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| STORY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
