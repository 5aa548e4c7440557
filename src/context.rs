//! [`StoryContext`]: the labels, rating scale and organisation in force for one story.
//!
//! The one place that answers "which settings apply to this story". Each is resolved on
//! its own, in this order:
//! 1. the story's sidecar override (labels and scale only: a sidecar has no organisation);
//! 2. else the nearest `factmark.ron` in the story's folder or a folder above it
//!    ([`FolderSettings::find_for`]), or the workspace's settings when the caller already
//!    holds them;
//! 3. else the built-in default (no organisation).
//!
//! The window ([`crate::document::Document`]), the workspace, `check`, `export`, `import`
//! and `merge-driver` all ask this module, so they cannot disagree.
//!
//! [`StoryContext::resolve`] is pure; only [`StoryContext::for_story`] reads files (the
//! folder settings). It must not read or write a sidecar or a story.

use std::path::{Path, PathBuf};

use crate::model::{Label, RatingScale, default_labels};
use crate::settings::{FolderSettings, Organisation, SettingsError};
use crate::sidecar::Sidecar;

/// Where a setting in force came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The story's own sidecar.
    Sidecar,
    /// Folder settings (`factmark.ron`); the path when it is known.
    Folder(Option<PathBuf>),
    /// The built-in default.
    Default,
}

/// The labels, rating scale and organisation in force for one story.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryContext {
    pub labels: Vec<Label>,
    pub scale: RatingScale,
    /// The publisher of ClaimReviews; `None` when no folder names one.
    pub organisation: Option<Organisation>,
    pub labels_from: Origin,
    pub scale_from: Origin,
}

impl Default for StoryContext {
    /// Nothing overridden: the built-in labels and scale, no organisation.
    fn default() -> Self {
        Self::resolve(None, None, None, None)
    }
}

impl StoryContext {
    /// Resolves each setting: the sidecar's override, else the folder's, else the default.
    /// `folder_path` only names where the folder settings came from.
    pub fn resolve(
        sidecar_labels: Option<&[Label]>,
        sidecar_scale: Option<&RatingScale>,
        folder: Option<&FolderSettings>,
        folder_path: Option<&Path>,
    ) -> Self {
        let from_folder = |o: Origin| match o {
            Origin::Folder(_) => Origin::Folder(folder_path.map(Path::to_owned)),
            other => other,
        };
        let (labels, labels_from) = resolve_labels(sidecar_labels, folder);
        let (scale, scale_from) = resolve_scale(sidecar_scale, folder);
        let (labels_from, scale_from) = (from_folder(labels_from), from_folder(scale_from));
        Self {
            labels,
            scale,
            organisation: folder.and_then(|f| f.organisation.clone()),
            labels_from,
            scale_from,
        }
    }

    /// The context of a story whose sidecar (if any) is `sidecar`, in a folder whose
    /// settings are already known (a workspace's, a document's).
    pub fn of(sidecar: Option<&Sidecar>, folder: Option<&FolderSettings>) -> Self {
        Self::resolve(
            sidecar.and_then(|s| s.labels.as_deref()),
            sidecar.and_then(|s| s.rating_scale.as_ref()),
            folder,
            None,
        )
    }

    /// The context of the story at `story`: its sidecar's overrides, else the nearest
    /// `factmark.ron` at or above the story's folder, else the defaults.
    ///
    /// A settings file that exists but cannot be read is returned as the error, together
    /// with the context resolved without it, so a caller can report it and carry on.
    // The context travels with its error on purpose (the caller carries on with it); it is
    // built once per story, so its size costs nothing worth boxing for.
    #[allow(clippy::result_large_err)]
    pub fn for_story(
        story: &Path,
        sidecar: Option<&Sidecar>,
    ) -> Result<Self, (SettingsError, Self)> {
        match FolderSettings::find_for(story) {
            Ok(found) => {
                let (path, folder) = found.unzip();
                Ok(Self::resolve(
                    sidecar.and_then(|s| s.labels.as_deref()),
                    sidecar.and_then(|s| s.rating_scale.as_ref()),
                    folder.as_ref(),
                    path.as_deref(),
                ))
            }
            Err(e) => Err((e, Self::of(sidecar, None))),
        }
    }

    /// [`StoryContext::for_story`] that falls back to the context without folder settings
    /// when they cannot be read, returning the error's message alongside.
    pub fn for_story_lenient(story: &Path, sidecar: Option<&Sidecar>) -> (Self, Option<String>) {
        match Self::for_story(story, sidecar) {
            Ok(c) => (c, None),
            Err((e, c)) => (c, Some(e.to_string())),
        }
    }
}

/// The labels in force alone (what [`StoryContext::resolve`] does for labels), for callers
/// that need only them: the sidecar's, else the folder's, else the built-in ones.
pub fn resolve_labels(
    sidecar: Option<&[Label]>,
    folder: Option<&FolderSettings>,
) -> (Vec<Label>, Origin) {
    match (sidecar, folder.and_then(|f| f.labels.as_ref())) {
        (Some(l), _) => (l.to_vec(), Origin::Sidecar),
        (None, Some(l)) => (l.clone(), Origin::Folder(None)),
        (None, None) => (default_labels(), Origin::Default),
    }
}

/// The rating scale in force alone: the sidecar's, else the folder's, else the default.
pub fn resolve_scale(
    sidecar: Option<&RatingScale>,
    folder: Option<&FolderSettings>,
) -> (RatingScale, Origin) {
    match (sidecar, folder.and_then(|f| f.rating_scale.as_ref())) {
        (Some(s), _) => (s.clone(), Origin::Sidecar),
        (None, Some(s)) => (s.clone(), Origin::Folder(None)),
        (None, None) => (RatingScale::default(), Origin::Default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rating;

    fn scale(names: &[&str]) -> RatingScale {
        RatingScale {
            ratings: names
                .iter()
                .enumerate()
                .map(|(i, n)| Rating {
                    name: (*n).to_owned(),
                    value: i as i32 + 1,
                    color: "#808080".to_owned(),
                })
                .collect(),
        }
    }

    fn folder() -> FolderSettings {
        FolderSettings {
            labels: Some(vec![Label::new("Zitat", "#123456", 'z')]),
            rating_scale: Some(scale(&["Falsch", "Richtig"])),
            organisation: Some(Organisation {
                name: "Check Desk".into(),
                url: None,
            }),
        }
    }

    #[test]
    fn the_sidecar_override_wins() {
        let labels = vec![Label::new("Mine", "#000000", 'm')];
        let own = scale(&["Nope", "Yep"]);
        let c = StoryContext::resolve(Some(&labels), Some(&own), Some(&folder()), None);
        assert_eq!(c.labels, labels);
        assert_eq!(c.scale, own);
        assert_eq!(
            (c.labels_from, c.scale_from),
            (Origin::Sidecar, Origin::Sidecar)
        );
        // The organisation is the folder's: a sidecar cannot set one.
        assert_eq!(
            c.organisation.map(|o| o.name).as_deref(),
            Some("Check Desk")
        );
    }

    #[test]
    fn the_folder_applies_without_an_override() {
        let c = StoryContext::resolve(
            None,
            None,
            Some(&folder()),
            Some(Path::new("/n/factmark.ron")),
        );
        assert_eq!(c.labels[0].name, "Zitat");
        assert!(c.scale.find("Richtig").is_some());
        assert_eq!(
            c.scale_from,
            Origin::Folder(Some(PathBuf::from("/n/factmark.ron")))
        );
        // Each setting on its own: a sidecar scale with folder labels.
        let own = scale(&["Nope"]);
        let c = StoryContext::resolve(None, Some(&own), Some(&folder()), None);
        assert_eq!(
            (c.labels_from, c.scale_from),
            (Origin::Folder(None), Origin::Sidecar)
        );
    }

    #[test]
    fn the_defaults_apply_without_either() {
        let c = StoryContext::resolve(None, None, Some(&FolderSettings::default()), None);
        assert_eq!(c.labels, default_labels());
        assert_eq!(c.scale, RatingScale::default());
        assert_eq!(c.organisation, None);
        assert_eq!(c, StoryContext::default());
    }

    #[test]
    fn the_nearest_folder_settings_apply() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("desk/politics");
        std::fs::create_dir_all(&sub).expect("mkdir");
        let outer = FolderSettings {
            rating_scale: Some(scale(&["Outer"])),
            ..FolderSettings::default()
        };
        outer.save(dir.path()).expect("save outer");
        folder().save(&dir.path().join("desk")).expect("save inner");
        let c = StoryContext::for_story(&sub.join("story.txt"), None).expect("context");
        assert!(c.scale.find("Richtig").is_some(), "the nearer file wins");
        assert_eq!(
            c.scale_from,
            Origin::Folder(Some(
                dir.path().join("desk").join(crate::settings::SETTINGS_FILE)
            ))
        );
        // Outside any settings file: the defaults.
        let bare = tempfile::tempdir().expect("tempdir");
        let c = StoryContext::for_story(&bare.path().join("s.txt"), None).expect("context");
        assert_eq!(c.scale_from, Origin::Default);
    }
}
