//! A folder of stories: finding them, and (later) their settings and queries across them.
//!
//! This module must not depend on any UI crate.

use std::path::{Path, PathBuf};

use crate::store;

/// File extensions taken as stories when a folder is scanned (a file with a sidecar is
/// always a story, whatever its extension).
pub const STORY_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// Every story under `root`, recursively, sorted by path: files with a story extension or
/// a sidecar (even when the story itself is missing, so that is reported). Hidden files and
/// folders, sidecars and backups are skipped.
pub fn find_stories(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
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
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| STORY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                found.insert(path);
            }
        }
    }
    Ok(found.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_stories_and_skips_sidecars_and_hidden() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path();
        std::fs::create_dir_all(p.join("sub/.git")).expect("mkdir");
        for f in [
            "a.txt",
            "a.txt.annotations.ron",
            "a.txt.annotations.ron.bak",
            "sub/b.md",
            "sub/.hidden.txt",
            "sub/.git/c.txt",
            "image.png",
            "gone.txt.annotations.ron",
        ] {
            std::fs::write(p.join(f), "x").expect("write");
        }
        let found = find_stories(p).expect("scan");
        let names: Vec<String> = found
            .iter()
            .map(|f| {
                f.strip_prefix(p)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, vec!["a.txt", "gone.txt", "sub/b.md"]);
    }
}
