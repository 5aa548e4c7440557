//! Folder settings (SPEC 6): the optional `factmark.ron` at the root of a workspace.
//!
//! It holds what a newsroom shares across a folder of stories: the labels, the rating scale
//! (names, ClaimReview values, colours) and the organisation that publishes ClaimReviews.
//! Every field is optional; a missing field (or a missing file) means the built-in default.
//! A story's own sidecar may still override labels and scale for that story.
//!
//! The file is treated like a sidecar:
//! - **Versioned**: it starts with `format: "factmark-settings", version: 1`; a newer version
//!   is refused (never half-read), unknown fields are parse errors so typos are not ignored.
//! - **Deterministic**: the same settings always give the same bytes (fixed field order,
//!   pretty-printed, trailing newline), so a folder under git shows clean diffs.
//! - **Atomic**: saved with [`crate::store::write_atomic`] (temp file, sync, rename, `.bak`).
//!
//! ```
//! use factmark::settings::{FolderSettings, Organisation};
//!
//! let dir = tempfile::tempdir()?;
//! assert_eq!(FolderSettings::load(dir.path())?, FolderSettings::default());
//! let settings = FolderSettings {
//!     organisation: Some(Organisation { name: "Check Desk".into(), url: None }),
//!     ..Default::default()
//! };
//! settings.save(dir.path())?;
//! assert_eq!(FolderSettings::load(dir.path())?, settings);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This module must not depend on any UI crate.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{Label, RatingScale, default_labels};
use crate::store::{self, StoreError};

/// The settings file's name, at the root of a workspace folder.
pub const SETTINGS_FILE: &str = "factmark.ron";
/// The `format` tag every settings file starts with.
pub const FORMAT: &str = "factmark-settings";
/// The settings version this build writes.
pub const VERSION: u32 = 1;
/// Settings files larger than this are refused: real ones are a few kilobytes.
pub const MAX_SETTINGS_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("could not read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid folder settings: line {line}, column {column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path} is not a factmark settings file (its format tag is \"{found}\")")]
    NotSettings { path: PathBuf, found: String },
    #[error(
        "{path} was written by a newer factmark (settings version {version}, this one knows up to {VERSION}); \
         update factmark to use it"
    )]
    NewerVersion { path: PathBuf, version: u32 },
    #[error("{path} is too large to be a settings file ({size} bytes)")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path}: the organisation's url is not usable: {message}")]
    BadUrl { path: PathBuf, message: String },
    #[error("could not encode the folder settings: {0}")]
    Encode(String),
    #[error(transparent)]
    Write(#[from] StoreError),
}

/// The publisher of ClaimReviews, as written in the settings file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Everything a folder's `factmark.ron` can set; `None` = the built-in default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderSettings {
    pub labels: Option<Vec<Label>>,
    pub rating_scale: Option<RatingScale>,
    pub organisation: Option<Organisation>,
}

/// The on-disk shape, for writing (borrowed).
#[derive(Serialize)]
struct FileRef<'a> {
    format: &'a str,
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<&'a Vec<Label>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rating_scale: Option<&'a RatingScale>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<&'a Organisation>,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// The on-disk shape of version 1, for reading.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    #[serde(default)]
    labels: Option<Vec<Label>>,
    #[serde(default)]
    rating_scale: Option<RatingScale>,
    #[serde(default)]
    organisation: Option<Organisation>,
}

impl FolderSettings {
    /// Where the settings of the folder `root` live.
    pub fn path_in(root: &Path) -> PathBuf {
        root.join(SETTINGS_FILE)
    }

    /// The labels in force: the folder's, or the built-in ones.
    pub fn labels_or_default(&self) -> Vec<Label> {
        self.labels.clone().unwrap_or_else(default_labels)
    }

    /// The rating scale in force: the folder's, or the built-in one.
    pub fn scale_or_default(&self) -> RatingScale {
        self.rating_scale.clone().unwrap_or_default()
    }

    /// Why these settings cannot be saved, if they cannot: the rating scale must have at
    /// least one rating, and every rating a name, unique regardless of case.
    pub fn problem(&self) -> Option<String> {
        self.rating_scale.as_ref().and_then(scale_problem)
    }

    /// The exact bytes these settings are saved as.
    pub fn to_ron(&self) -> Result<String, SettingsError> {
        let file = FileRef {
            format: FORMAT,
            version: VERSION,
            labels: self.labels.as_ref(),
            rating_scale: self.rating_scale.as_ref(),
            organisation: self.organisation.as_ref(),
        };
        // The same layout as sidecars, so both kinds of file read (and diff) alike.
        let config = ron::ser::PrettyConfig::new()
            .indentor("    ")
            .new_line("\n")
            .struct_names(false)
            .separate_tuple_members(false)
            .enumerate_arrays(false)
            .compact_arrays(false)
            // As people typed it: no `\'`, accents as they are (raw strings for `"`, `\`).
            .escape_strings(false);
        let mut text = ron::ser::to_string_pretty(&file, config)
            .map_err(|e| SettingsError::Encode(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// Parses settings text. `path` is only used in error messages.
    pub fn from_ron(text: &str, path: &Path) -> Result<Self, SettingsError> {
        let header: Header = ron::from_str(text).map_err(|e| parse_error(path, text, &e))?;
        if header.format != FORMAT {
            return Err(SettingsError::NotSettings {
                path: path.to_owned(),
                found: header.format,
            });
        }
        if header.version > VERSION {
            return Err(SettingsError::NewerVersion {
                path: path.to_owned(),
                version: header.version,
            });
        }
        // Version 1 is the first format; older versions would be migrated here.
        let file: FileV1 = ron::from_str(text).map_err(|e| parse_error(path, text, &e))?;
        // The organisation's site goes into published ClaimReview: stored normalised, and a
        // value that is no URL is refused here rather than exported.
        let mut organisation = file.organisation;
        if let Some(o) = organisation.as_mut()
            && let Some(url) = o.url.as_deref()
        {
            let normal = crate::model::normalise_url(url).map_err(|e| SettingsError::BadUrl {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
            o.url = Some(normal);
        }
        Ok(Self {
            labels: file.labels,
            rating_scale: file.rating_scale,
            organisation,
        })
    }

    /// Reads `<root>/factmark.ron`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Self, SettingsError> {
        Ok(Self::load_file(&Self::path_in(root))?.unwrap_or_default())
    }

    /// Reads one settings file; `Ok(None)` when there is none at `path`.
    pub fn load_file(path: &Path) -> Result<Option<Self>, SettingsError> {
        let read_err = |source| SettingsError::Read {
            path: path.to_owned(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(read_err(e)),
        };
        if meta.is_dir() {
            return Err(read_err(std::io::Error::other(
                "it is a folder, not a file",
            )));
        }
        if meta.len() > MAX_SETTINGS_BYTES {
            return Err(SettingsError::TooLarge {
                path: path.to_owned(),
                size: meta.len(),
            });
        }
        let bytes = std::fs::read(path).map_err(read_err)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            SettingsError::Parse {
                path: path.to_owned(),
                line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                column: valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1,
                message: "the file is not UTF-8 text".to_owned(),
            }
        })?;
        Self::from_ron(&text, path).map(Some)
    }

    /// Saves to `<root>/factmark.ron` atomically, keeping the previous file as `.bak`.
    /// Nothing is written when the file already holds exactly these bytes.
    pub fn save(&self, root: &Path) -> Result<PathBuf, SettingsError> {
        let path = Self::path_in(root);
        let text = self.to_ron()?;
        // The same lock as sidecar saves, so two windows saving settings take turns and
        // neither's `.bak` is the other's half-finished step.
        let _lock = store::FileLock::acquire(&path)?;
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            return Ok(path);
        }
        store::write_atomic(&path, text.as_bytes(), true)?;
        Ok(path)
    }

    /// The settings that apply to `story`: the nearest `factmark.ron` in the story's folder
    /// or any folder above it, up to the filesystem root. `Ok(None)` when there is none.
    /// A file that exists but cannot be read is an error, not skipped: the user would
    /// otherwise get the default scale without knowing why.
    pub fn find_for(story: &Path) -> Result<Option<(PathBuf, Self)>, SettingsError> {
        // A relative story path ("story.txt") has an empty parent; walk from the absolute
        // folder so the search does not stop early.
        let start = std::path::absolute(story).unwrap_or_else(|_| story.to_owned());
        let mut dir = start.parent();
        while let Some(d) = dir {
            let candidate = Self::path_in(d);
            if let Some(settings) = Self::load_file(&candidate)? {
                return Ok(Some((candidate, settings)));
            }
            dir = d.parent();
        }
        Ok(None)
    }
}

/// Why a rating scale is not usable, if it is not (see [`FolderSettings::problem`]).
pub fn scale_problem(scale: &RatingScale) -> Option<String> {
    if scale.ratings.is_empty() {
        return Some("The scale needs at least one rating.".into());
    }
    for (i, r) in scale.ratings.iter().enumerate() {
        if r.name.trim().is_empty() {
            return Some(format!("Rating {} has no name.", i + 1));
        }
        if scale.ratings[..i]
            .iter()
            .any(|o| o.name.trim().eq_ignore_ascii_case(r.name.trim()))
        {
            return Some(format!("Two ratings are named {}.", r.name.trim()));
        }
    }
    None
}

fn parse_error(path: &Path, text: &str, e: &ron::error::SpannedError) -> SettingsError {
    let (line, column) = store::error_position(text, e);
    SettingsError::Parse {
        path: path.to_owned(),
        line,
        column,
        message: e.code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rating;

    #[test]
    fn organisation_urls_are_normalised_or_refused() {
        let text = |url: &str| {
            format!(
                "(format: \"factmark-settings\", version: 1, organisation: Some((name: \"D\", url: Some(\"{url}\"))))"
            )
        };
        let path = Path::new("factmark.ron");
        let s = FolderSettings::from_ron(&text("https://De.Example.org/prüfung 1"), path)
            .expect("parses");
        assert_eq!(
            s.organisation.and_then(|o| o.url).as_deref(),
            Some("https://de.example.org/pr%C3%BCfung%201")
        );
        assert!(matches!(
            FolderSettings::from_ron(&text("desk dot org"), path),
            Err(SettingsError::BadUrl { .. })
        ));
    }

    #[test]
    fn settings_are_written_without_escapes() {
        let text = full().to_ron().expect("encode");
        assert!(text.contains("Zitat «Quelle»"), "{text}");
        assert!(text.contains(r##"r#"Vérif "Desk""#"##), "{text}");
        assert_eq!(
            FolderSettings::from_ron(&text, Path::new("f.ron")).expect("reads back"),
            full()
        );
    }

    fn full() -> FolderSettings {
        FolderSettings {
            labels: Some(vec![
                Label::new("Claim", "#e8a33d", 'c'),
                Label::new("Zitat «Quelle»", "#123456", 'q'),
            ]),
            rating_scale: Some(RatingScale {
                ratings: vec![
                    Rating {
                        name: "Correct".into(),
                        value: 3,
                        color: "#00aa00".into(),
                    },
                    Rating {
                        name: "Faux".into(),
                        value: 1,
                        color: "#aa0000".into(),
                    },
                ],
            }),
            organisation: Some(Organisation {
                name: "Vérif \"Desk\"".into(),
                url: Some("https://example.org/checks".into()),
            }),
        }
    }

    #[test]
    fn rating_scale_problems_are_found_here() {
        let mut s = full();
        assert_eq!(s.problem(), None);
        let scale = s.rating_scale.as_mut().expect("scale");
        let first = scale.ratings[0].clone();
        scale.ratings.push(Rating {
            name: format!(" {} ", first.name.to_uppercase()),
            ..first
        });
        assert!(
            s.problem()
                .is_some_and(|p| p.starts_with("Two ratings are named"))
        );
        s.rating_scale = Some(RatingScale { ratings: vec![] });
        assert!(s.problem().is_some());
        assert_eq!(FolderSettings::default().problem(), None);
    }

    #[test]
    fn round_trip_is_byte_identical() {
        for s in [FolderSettings::default(), full()] {
            let text = s.to_ron().expect("encode");
            assert!(text.starts_with("(\n    format: \"factmark-settings\",\n    version: 1,"));
            assert!(text.ends_with(")\n"));
            let back = FolderSettings::from_ron(&text, Path::new("f.ron")).expect("parse");
            assert_eq!(back, s);
            assert_eq!(back.to_ron().expect("encode"), text);
        }
    }

    #[test]
    fn parse_errors_point_at_the_token() {
        let text = "(\n    format: \"factmark-settings\",\n    version: 1,\n    organisation: (name: ???),\n)";
        match FolderSettings::from_ron(text, Path::new("f.ron")) {
            Err(SettingsError::Parse { line, column, .. }) => assert_eq!((line, column), (4, 26)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_wrong_format_and_newer_versions_are_refused() {
        let typo = "(format: \"factmark-settings\", version: 1,\n rating_scael: None)";
        match FolderSettings::from_ron(typo, Path::new("f.ron")) {
            Err(SettingsError::Parse { line, .. }) => assert_eq!(line, 2),
            other => panic!("unexpected {other:?}"),
        }
        let sidecar = "(format: \"factmark\", version: 1)";
        assert!(matches!(
            FolderSettings::from_ron(sidecar, Path::new("f.ron")),
            Err(SettingsError::NotSettings { found, .. }) if found == "factmark"
        ));
        let newer = "(format: \"factmark-settings\", version: 7)";
        assert!(matches!(
            FolderSettings::from_ron(newer, Path::new("f.ron")),
            Err(SettingsError::NewerVersion { version: 7, .. })
        ));
    }

    #[test]
    fn defaults_fill_missing_fields() {
        let s = FolderSettings::from_ron(
            "(format: \"factmark-settings\", version: 1)",
            Path::new("f.ron"),
        )
        .expect("parse");
        assert_eq!(s.labels_or_default(), default_labels());
        assert_eq!(s.scale_or_default(), RatingScale::default());
        let custom = full();
        assert_eq!(custom.scale_or_default().ratings.len(), 2);
    }

    #[test]
    fn save_is_atomic_keeps_a_backup_and_skips_identical_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = FolderSettings::default();
        let path = first.save(dir.path()).expect("save");
        assert!(!store::backup_path(&path).exists());
        let second = full();
        second.save(dir.path()).expect("save again");
        assert_eq!(
            std::fs::read_to_string(store::backup_path(&path)).expect("backup"),
            first.to_ron().expect("encode")
        );
        assert_eq!(FolderSettings::load(dir.path()).expect("load"), second);
        let before = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        second.save(dir.path()).expect("same again");
        let after = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        assert_eq!(before, after, "identical settings are not rewritten");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn find_for_walks_up_to_the_nearest_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b/c")).expect("mkdir");
        let outer = full();
        outer.save(root).expect("save outer");
        let inner = FolderSettings {
            organisation: Some(Organisation {
                name: "Inner".into(),
                url: None,
            }),
            ..Default::default()
        };
        inner.save(&root.join("a/b")).expect("save inner");
        let (path, found) = FolderSettings::find_for(&root.join("a/b/c/story.txt"))
            .expect("find")
            .expect("some");
        assert_eq!(path, root.join("a/b").join(SETTINGS_FILE));
        assert_eq!(found, inner);
        let (path, found) = FolderSettings::find_for(&root.join("a/story.txt"))
            .expect("find")
            .expect("some");
        assert_eq!(path, root.join(SETTINGS_FILE));
        assert_eq!(found, outer);
        std::fs::write(root.join("a").join(SETTINGS_FILE), "(oops").expect("write");
        assert!(matches!(
            FolderSettings::find_for(&root.join("a/story.txt")),
            Err(SettingsError::Parse { .. })
        ));
    }
}
