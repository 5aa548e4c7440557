//! What the window remembers between runs: recent files, theme, sizes, the author's name,
//! the autosave delay; and the bundled example story opened when there is nothing else.
//!
//! The Preferences window (`crate::ui::prefs_window`) shows these; its changes arrive as
//! commands and are applied here, by the setters below, which keep every value in bounds
//! (a hand-edited or old settings file is clamped the same way when read).
//!
//! Plain data and file paths; it must not draw or touch a document.

use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// The name written as author of new annotations and comments. Empty until the person
    /// gives one: the first run asks (see [`Settings::needs_name`]).
    pub author: String,
    /// Claim libraries (SPEC 12): folders of stories already checked (a desk's archive),
    /// searched and matched by claim memory, read-only: never written.
    pub libraries: Vec<PathBuf>,
    /// How long after the last edit the sidecar is written, in milliseconds.
    pub autosave_ms: u64,
}

/// Bounds of the reader's text size, in points.
pub const FONT_SIZE_RANGE: std::ops::RangeInclusive<f32> = 10.0..=40.0;
/// Bounds of the autosave delay, in milliseconds: not so short that every keystroke writes,
/// not so long that a crash loses much.
pub const AUTOSAVE_MS_RANGE: std::ops::RangeInclusive<u64> = 500..=30_000;
/// The autosave delay of a first run.
pub const DEFAULT_AUTOSAVE_MS: u64 = 1500;

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            dark: false,
            font_size: 17.0,
            zoom: 1.0,
            // Not the login name: a published fact-check carries a person's name, so the
            // first run asks for it (prefilled from `crate::identity`).
            author: String::new(),
            autosave_ms: DEFAULT_AUTOSAVE_MS,
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
        self.set_font_size(self.font_size * factor);
    }

    /// Sets the reader's text size, within readable bounds.
    pub fn set_font_size(&mut self, points: f32) {
        self.font_size = if points.is_finite() {
            points.clamp(*FONT_SIZE_RANGE.start(), *FONT_SIZE_RANGE.end())
        } else {
            Settings::default().font_size
        };
    }

    /// Sets the author's name (trimmed; empty means "not given").
    pub fn set_author(&mut self, name: &str) {
        self.author = name.trim().to_owned();
    }

    /// True while no name is set: new annotations would carry no author.
    pub fn needs_name(&self) -> bool {
        self.author.trim().is_empty()
    }

    /// Sets the autosave delay, within [`AUTOSAVE_MS_RANGE`].
    pub fn set_autosave(&mut self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.autosave_ms = ms.clamp(*AUTOSAVE_MS_RANGE.start(), *AUTOSAVE_MS_RANGE.end());
    }

    /// The autosave delay in force (a stored value out of bounds is clamped).
    pub fn autosave_delay(&self) -> Duration {
        Duration::from_millis(
            self.autosave_ms
                .clamp(*AUTOSAVE_MS_RANGE.start(), *AUTOSAVE_MS_RANGE.end()),
        )
    }

    /// The folders to offer in the path dialog: those of the recent stories and folders,
    /// newest first, each once, only those that still exist.
    pub fn recent_folders(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        for p in &self.recent {
            let dir = if p.is_dir() {
                Some(p.as_path())
            } else {
                p.parent()
            };
            if let Some(dir) = dir.filter(|d| d.is_dir())
                && !out.iter().any(|o| o == dir)
            {
                out.push(dir.to_owned());
            }
        }
        out
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

    #[test]
    fn a_first_run_has_no_name_and_asks_for_one() {
        let s = Settings::default();
        assert_eq!(s.author, "", "not the login name");
        assert!(s.needs_name());
        let mut s = s;
        s.set_author("  Asha Rao \n");
        assert_eq!(s.author, "Asha Rao");
        assert!(!s.needs_name());
        s.set_author("   ");
        assert!(s.needs_name());
    }

    #[test]
    fn preferences_stay_in_bounds() {
        let mut s = Settings::default();
        assert_eq!(s.autosave_delay(), Duration::from_millis(1500));
        s.set_autosave(Duration::from_millis(1));
        assert_eq!(s.autosave_delay(), Duration::from_millis(500));
        s.set_autosave(Duration::from_secs(3600));
        assert_eq!(s.autosave_delay(), Duration::from_secs(30));
        // A hand-edited file with a silly value is clamped when used.
        s.autosave_ms = 0;
        assert_eq!(s.autosave_delay(), Duration::from_millis(500));
        s.set_font_size(400.0);
        assert_eq!(s.font_size, 40.0);
        s.set_font_size(f32::NAN);
        assert_eq!(s.font_size, 17.0);
        s.set_font_size(2.0);
        assert_eq!(s.font_size, 10.0);
    }

    #[test]
    fn old_settings_files_still_load() {
        // Written before the autosave delay existed: the missing field takes its default.
        let old = r#"(recent: [], dark: true, font_size: 20.0, zoom: 1.0, author: "Bo")"#;
        let s: Settings = ron::from_str(old).expect("old settings load");
        assert!(s.dark);
        assert_eq!(s.author, "Bo");
        assert_eq!(s.autosave_ms, DEFAULT_AUTOSAVE_MS);
    }

    #[test]
    fn recent_folders_are_the_existing_parents_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "a").expect("write");
        std::fs::write(&b, "b").expect("write");
        let mut s = Settings::default();
        s.remember(Path::new("/nonexistent/folder/c.txt"));
        s.remember(&a);
        s.remember(&b);
        s.remember(dir.path());
        let canonical = std::fs::canonicalize(dir.path()).expect("canonical");
        assert_eq!(s.recent_folders(), vec![canonical]);
    }
}
