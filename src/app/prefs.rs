//! What the window remembers between runs: recent files, theme, sizes, the author's name;
//! and the bundled example story opened when there is nothing else.
//!
//! Plain data and file paths; it must not draw or touch a document.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The key the preferences are stored under in eframe's storage.
pub const STORAGE_KEY: &str = "factmark-settings";
const MAX_RECENT: usize = 10;
/// The example story shipped with factmark, opened when there is nothing else to open.
pub const EXAMPLE_STORY: &str = include_str!("../../assets/example-story.txt");

/// What is remembered between runs (window size is remembered by eframe itself).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub recent: Vec<PathBuf>,
    pub dark: bool,
    /// Reader font size in points.
    pub font_size: f32,
    /// Whole-UI zoom.
    pub zoom: f32,
    /// The name written as author of new annotations and comments.
    pub author: String,
    /// Claim libraries (SPEC 12): folders of stories already checked (a desk's archive),
    /// searched and matched by claim memory, read-only: never written.
    pub libraries: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            dark: false,
            font_size: 17.0,
            zoom: 1.0,
            author: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_default(),
            libraries: Vec::new(),
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent list (once), keeping the list short.
    pub fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Adds a claim library folder (once). Returns false when it was already there.
    pub fn add_library(&mut self, path: &Path) -> bool {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        if self.libraries.contains(&path) {
            return false;
        }
        self.libraries.push(path);
        true
    }

    /// Scales the reader's text, within readable bounds.
    pub fn zoom_text(&mut self, factor: f32) {
        self.font_size = (self.font_size * factor).clamp(10.0, 40.0);
    }
}

/// The story to open when none is given: the most recent one that still exists, else the
/// bundled example.
pub fn default_story(settings: &Settings) -> Result<PathBuf, String> {
    if let Some(p) = settings.recent.iter().find(|p| p.is_file()) {
        return Ok(p.clone());
    }
    example_story_path()
}

/// The bundled example: the copy in the source tree when run from a checkout, else a copy
/// written once to the user's data folder.
pub fn example_story_path() -> Result<PathBuf, String> {
    let in_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/example-story.txt");
    if in_tree.is_file() {
        return Ok(in_tree);
    }
    let dirs = directories::ProjectDirs::from("org", "factmark", "factmark")
        .ok_or("could not find a folder for the example story")?;
    let path = dirs.data_dir().join("example-story.txt");
    if !path.is_file() {
        std::fs::create_dir_all(dirs.data_dir()).map_err(|e| e.to_string())?;
        crate::store::write_atomic(&path, EXAMPLE_STORY.as_bytes(), false)
            .map_err(|e| e.to_string())?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_story_is_bundled_and_decodes() {
        let path = example_story_path().expect("example");
        let story = crate::text::load_story(&path).expect("decodes");
        assert!(story.text.as_str().contains("Harbour Bridge"));
    }

    #[test]
    fn recent_list_keeps_each_path_once_newest_first() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.remember(Path::new(&format!("/nonexistent/{i}.txt")));
        }
        s.remember(Path::new("/nonexistent/5.txt"));
        assert_eq!(s.recent.len(), 10);
        assert_eq!(s.recent[0], Path::new("/nonexistent/5.txt"));
        assert_eq!(s.recent.iter().filter(|p| p.ends_with("5.txt")).count(), 1);
    }
}
