//! A folder of stories (SPEC 6): finding them, scanning them with their counts, the claims
//! table across all of them, and watching the folder for outside changes.
//!
//! What it owns:
//! - [`find_stories`]: which files of a folder are stories.
//! - [`Workspace`] / [`StoryEntry`]: every story with its annotations (read from the
//!   sidecar, re-anchored **in memory** when the story changed) and [`StoryCounts`].
//!   A story that cannot be read, or whose sidecar cannot be parsed, is listed with its
//!   error, never hidden.
//! - [`Scan`]: loading a workspace on background threads, with progress and cancel.
//! - [`ClaimTable`]: one flat, pre-lowercased row per annotation of every story, queried
//!   (filtered and stably sorted by any [`Column`]) with a [`Query`]; one story's rows can
//!   be refreshed alone ([`ClaimTable::update_story`]).
//! - [`Watcher`]: debounced notifications (the `notify` crate) of stories, sidecars and
//!   settings changed on disk by someone else.
//!
//! Files: `discover.rs` (which files are stories), `scan.rs` (loading on background
//! threads), `table.rs` (the claims table), `watch.rs` (outside changes); this file holds
//! the loaded [`Workspace`], its entries and counts.
//!
//! It never writes a story or a sidecar (saving is [`crate::document`]'s job) and must not
//! depend on any UI crate.
//!
//! ```
//! use factmark::anchor::{Anchor, Span};
//! use factmark::model::Annotation;
//! use factmark::store::{Sidecar, sidecar_path};
//! use factmark::text::StoryText;
//! use factmark::workspace::{ClaimTable, Column, Query, Scan};
//!
//! // A folder with one annotated story.
//! let dir = tempfile::tempdir()?;
//! let story = dir.path().join("budget.txt");
//! let text = StoryText::new("The mayor said taxes fell by half.".to_owned());
//! std::fs::write(&story, text.as_str())?;
//! let mut sidecar = Sidecar::new("budget.txt", text.sha256(), text.len_chars(), "UTF-8");
//! let mut claim = Annotation::new(Anchor::from_span(&text, Span::new(15, 33)), "Claim", "ana");
//! claim.verdict = Some("False".into());
//! sidecar.annotations.insert(claim);
//! std::fs::write(sidecar_path(&story), sidecar.to_ron()?)?;
//!
//! // Scan it off the calling thread; a window polls `progress` and `try_finish` each frame.
//! let scan = Scan::start(dir.path());
//! let workspace = scan.wait()?;
//! assert_eq!(workspace.stories.len(), 1);
//! assert_eq!(workspace.stories[0].counts.claims, 1);
//! assert_eq!(workspace.stories[0].counts.by_verdict.get("False"), Some(&1));
//!
//! // Query the claims of every story.
//! let table = ClaimTable::new(&workspace);
//! let query = Query { text: "TAXES".into(), sort: (Column::Verdict, true), ..Query::default() };
//! let rows = table.query(&query);
//! assert_eq!(rows.len(), 1);
//! let annotation = workspace.annotation(rows[0]).expect("the row's annotation");
//! assert_eq!(annotation.anchor.quote, "taxes fell by half");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::context::{self, StoryContext};
use crate::model::{Annotation, AnnotationSet, Label, RatingScale, Status};
use crate::reanchor;
use crate::settings::{FolderSettings, SettingsError};
use crate::store::{self, StoreError};
use crate::text::{TextError, load_story};

mod discover;
mod groups;
mod scan;
mod table;
mod watch;

pub use discover::{STORY_EXTENSIONS, find_stories};
pub use groups::SameClaimGroups;
pub use scan::{Scan, ScanError};
pub use table::{ClaimTable, Column, Query, RowId};
pub use watch::{Change, DEBOUNCE, MAX_DELAY, WatchError, Watcher};

/// Why a story of the workspace could not be (fully) loaded. The entry is still listed.
#[derive(Debug, Error)]
pub enum EntryError {
    /// The story itself: missing (while its sidecar exists), binary, too large...
    #[error(transparent)]
    Story(#[from] TextError),
    /// The sidecar: unparseable, newer version, not a sidecar. Its annotations are not shown
    /// and the story must open read-only.
    #[error(transparent)]
    Sidecar(#[from] StoreError),
}

/// What a story (or the whole workspace) holds, for the story list and statistics.
///
/// Claims are the annotations labelled `Claim` or given a verdict (the same rule as the
/// exports); `by_verdict`, `unrated` and `by_status` count claims only. `orphaned` and
/// `unconfirmed` count every annotation, since any highlight can lose its place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoryCounts {
    pub annotations: usize,
    pub claims: usize,
    /// Claims per verdict name, as written in the sidecar.
    pub by_verdict: BTreeMap<String, usize>,
    /// Claims without a verdict.
    pub unrated: usize,
    pub by_status: BTreeMap<Status, usize>,
    pub orphaned: usize,
    /// Re-anchored approximately and not yet confirmed.
    pub unconfirmed: usize,
    /// Annotations whose wording changed under them, waiting for a decision (SPEC 9).
    pub wording_changed: usize,
    /// Stories whose sidecar could not be read: their annotations are in none of these
    /// counts, and views must say so (1 for such a story's own counts).
    pub left_out: usize,
}

impl StoryCounts {
    pub fn of(annotations: &AnnotationSet) -> Self {
        let mut c = Self::default();
        for a in annotations {
            c.annotations += 1;
            if a.state.is_orphaned() {
                c.orphaned += 1;
            }
            if a.state.needs_confirming() {
                c.unconfirmed += 1;
            }
            if a.wording_changed() {
                c.wording_changed += 1;
            }
            if a.is_claim() {
                c.claims += 1;
                match &a.verdict {
                    Some(v) => *c.by_verdict.entry(v.clone()).or_default() += 1,
                    None => c.unrated += 1,
                }
                *c.by_status.entry(a.status).or_default() += 1;
            }
        }
        c
    }

    /// Adds another story's counts (for folder totals).
    pub fn add(&mut self, other: &StoryCounts) {
        self.annotations += other.annotations;
        self.claims += other.claims;
        for (v, n) in &other.by_verdict {
            *self.by_verdict.entry(v.clone()).or_default() += n;
        }
        self.unrated += other.unrated;
        for (s, n) in &other.by_status {
            *self.by_status.entry(*s).or_default() += n;
        }
        self.orphaned += other.orphaned;
        self.unconfirmed += other.unconfirmed;
        self.wording_changed += other.wording_changed;
        self.left_out += other.left_out;
    }
}

/// One story of a workspace as the scan found it.
#[derive(Debug)]
pub struct StoryEntry {
    pub path: PathBuf,
    /// The path relative to the workspace root, with `/` separators, e.g. `2024/budget.txt`.
    pub name: String,
    /// Why the story or its sidecar could not be loaded, if so.
    pub error: Option<EntryError>,
    /// The encoding the story was decoded with, when it could be read.
    pub encoding: Option<&'static str>,
    pub encoding_guessed: bool,
    pub chars: usize,
    /// True when the story changed since its sidecar was written; `annotations` are then
    /// re-anchored in memory (nothing is written).
    pub drifted: bool,
    /// The sidecar's own labels and scale, overriding the folder's for this story.
    pub labels: Option<Vec<Label>>,
    pub rating_scale: Option<RatingScale>,
    pub annotations: AnnotationSet,
    pub counts: StoryCounts,
}

impl StoryEntry {
    /// Loads `path` (a story under `root`) and its sidecar. Never fails: problems are kept
    /// in [`StoryEntry::error`].
    pub fn load(root: &Path, path: &Path) -> Self {
        let mut entry = StoryEntry {
            path: path.to_owned(),
            name: relative_name(root, path),
            error: None,
            encoding: None,
            encoding_guessed: false,
            chars: 0,
            drifted: false,
            labels: None,
            rating_scale: None,
            annotations: AnnotationSet::default(),
            counts: StoryCounts::default(),
        };
        // The story first: without its text the anchors cannot be verified, but the
        // sidecar's annotations are still shown (as stored) so no work disappears.
        let story = match load_story(path) {
            Ok(story) => Some(story),
            Err(e) => {
                entry.error = Some(e.into());
                None
            }
        };
        match store::load(&store::sidecar_path(path)) {
            Ok(None) => {}
            Ok(Some((loaded, _))) => {
                let sidecar = loaded.sidecar;
                entry.labels = sidecar.labels;
                entry.rating_scale = sidecar.rating_scale;
                entry.annotations = sidecar.annotations;
                if let Some(story) = &story {
                    entry.drifted = sidecar.text_sha256 != story.text.sha256();
                    entry.annotations = reanchored(&story.text, entry.annotations, entry.drifted);
                }
            }
            Err(e) => {
                // A sidecar error matters more than a story error: it blocks editing.
                entry.error = Some(e.into());
            }
        }
        if let Some(story) = story {
            entry.encoding = Some(story.encoding);
            entry.encoding_guessed = story.encoding_guessed;
            entry.chars = story.text.len_chars();
        }
        entry.recount();
        entry
    }

    /// Replaces the annotations (after an edit or a reload) and recounts.
    pub fn set_annotations(&mut self, annotations: AnnotationSet) {
        self.annotations = annotations;
        self.recount();
    }

    /// Why this story's annotations are left out of the folder's views and counts: its
    /// sidecar could not be read (the reason, for the warning), else `None`.
    pub fn left_out(&self) -> Option<&StoreError> {
        match &self.error {
            Some(EntryError::Sidecar(e)) => Some(e),
            _ => None,
        }
    }

    fn recount(&mut self) {
        self.counts = StoryCounts::of(&self.annotations);
        self.counts.left_out = usize::from(self.left_out().is_some());
    }

    /// The labels in force for this story: its sidecar's, else the folder's, else defaults.
    pub fn labels_in(&self, folder: &FolderSettings) -> Vec<Label> {
        context::resolve_labels(self.labels.as_deref(), Some(folder)).0
    }

    /// Everything in force for this story ([`StoryContext`]) in a folder with `folder`'s
    /// settings.
    pub fn context_in(&self, folder: &FolderSettings) -> StoryContext {
        StoryContext::resolve(
            self.labels.as_deref(),
            self.rating_scale.as_ref(),
            Some(folder),
            None,
        )
    }

    /// The rating scale in force: its sidecar's, else the folder's, else the default.
    pub fn scale_in(&self, folder: &FolderSettings) -> RatingScale {
        context::resolve_scale(self.rating_scale.as_ref(), Some(folder)).0
    }
}

/// Verifies every anchor against the text (cheap when nothing moved) and applies what
/// re-anchoring found, so orphans and moves are counted as the window would show them.
fn reanchored(text: &crate::text::StoryText, set: AnnotationSet, drifted: bool) -> AnnotationSet {
    reanchor::reanchor_set(text, &set, drifted).0.unwrap_or(set)
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// A folder of stories, loaded.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    /// The folder's `factmark.ron` (defaults when missing or unreadable).
    pub settings: FolderSettings,
    /// Why `factmark.ron` could not be read, if it could not: the scan goes on with the
    /// defaults and the window says so (and must not save settings over the file).
    pub settings_error: Option<SettingsError>,
    /// Sorted by path after a scan; stories that appear later are appended, so an index
    /// stays valid for the life of the workspace.
    pub stories: Vec<StoryEntry>,
}

impl Workspace {
    /// Scans `root` on this thread (for the command line and tests; the window uses [`Scan`]).
    pub fn open(root: &Path) -> Result<Self, ScanError> {
        Scan::start(root).wait()
    }

    /// The index of the story at `path` (a story or its sidecar), if it is in the workspace.
    pub fn story_index(&self, path: &Path) -> Option<usize> {
        let story = store::story_path_for(path).unwrap_or_else(|| path.to_owned());
        self.stories.iter().position(|s| s.path == story)
    }

    /// Re-reads the story at `path` (a story or its sidecar) from disk after an outside
    /// change, or adds it when it is new. Returns its index. The caller merges unsaved
    /// edits of an open document itself (see [`crate::document`]); this only reflects disk.
    pub fn reload_story(&mut self, path: &Path) -> usize {
        let story = store::story_path_for(path).unwrap_or_else(|| path.to_owned());
        let entry = StoryEntry::load(&self.root, &story);
        match self.story_index(&story) {
            Some(i) => {
                self.stories[i] = entry;
                i
            }
            None => {
                self.stories.push(entry);
                self.stories.len() - 1
            }
        }
    }

    /// Re-reads `factmark.ron`.
    pub fn reload_settings(&mut self) {
        match FolderSettings::load(&self.root) {
            Ok(s) => {
                self.settings = s;
                self.settings_error = None;
            }
            Err(e) => self.settings_error = Some(e),
        }
    }

    /// The annotation a table row points at.
    pub fn annotation(&self, row: RowId) -> Option<&Annotation> {
        self.stories
            .get(row.story)?
            .annotations
            .as_slice()
            .get(row.annotation)
    }

    /// The stories whose annotations could not be read, with the reason: the claims table
    /// and statistics leave them out and say how many (also in [`StoryCounts::left_out`]).
    pub fn left_out(&self) -> impl Iterator<Item = (&StoryEntry, &StoreError)> {
        self.stories
            .iter()
            .filter_map(|s| s.left_out().map(|e| (s, e)))
    }

    /// Counts summed over every story.
    pub fn totals(&self) -> StoryCounts {
        let mut total = StoryCounts::default();
        for s in &self.stories {
            total.add(&s.counts);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::watch::classify;
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

    #[test]
    fn changed_paths_are_classified_and_ours_ignored() {
        let root = Path::new("/w");
        let p = |s: &str| root.join(s);
        assert_eq!(
            classify(root, &p("a/s.txt")),
            Some(Change::Story(p("a/s.txt")))
        );
        assert_eq!(
            classify(root, &p("a/s.txt.annotations.ron")),
            Some(Change::Sidecar {
                sidecar: p("a/s.txt.annotations.ron"),
                story: p("a/s.txt"),
            })
        );
        assert_eq!(
            classify(root, &p("factmark.ron")),
            Some(Change::Settings(p("factmark.ron")))
        );
        for ignored in [
            "a/s.txt.annotations.ron.bak",
            "a/.factmark-1.tmp",
            "factmark.ron.bak",
            ".git/HEAD.txt",
            "a/.hidden/s.txt",
            "a/image.png",
            "a",
            "",
        ] {
            assert_eq!(classify(root, &p(ignored)), None, "{ignored}");
        }
        // A settings file in a sub-folder is not this workspace's settings.
        assert_eq!(classify(root, &p("sub/factmark.ron")), None);
    }

    #[test]
    fn a_broken_sidecar_is_listed_with_its_reason_and_counted_as_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path();
        std::fs::write(p.join("good.txt"), "The mayor said taxes fell.").expect("write");
        std::fs::write(p.join("bad.txt"), "Another story.").expect("write");
        std::fs::write(
            p.join("bad.txt.annotations.ron"),
            "(format: \"factmark\", version: 1, annotations: [ oops",
        )
        .expect("write");
        let ws = Workspace::open(p).expect("scan");
        assert_eq!(ws.stories.len(), 2, "the broken story stays listed");
        let bad = ws
            .stories
            .iter()
            .find(|s| s.name == "bad.txt")
            .expect("bad");
        let reason = bad.left_out().expect("left out").to_string();
        assert!(reason.contains("bad.txt.annotations.ron"), "{reason}");
        assert_eq!(bad.counts.left_out, 1);
        let left: Vec<&str> = ws.left_out().map(|(s, _)| s.name.as_str()).collect();
        assert_eq!(left, vec!["bad.txt"]);
        assert_eq!(ws.totals().left_out, 1);
        let good = ws
            .stories
            .iter()
            .find(|s| s.name == "good.txt")
            .expect("good");
        assert!(good.left_out().is_none());
    }

    #[test]
    fn counts_add_up() {
        use crate::anchor::{Anchor, Span};
        use crate::text::StoryText;
        let text = StoryText::new("one two three four".to_owned());
        let mk = |start, end, label: &str, verdict: Option<&str>| {
            let mut a =
                Annotation::new(Anchor::from_span(&text, Span::new(start, end)), label, "t");
            a.verdict = verdict.map(str::to_owned);
            a
        };
        let (set, _) = AnnotationSet::from_vec(vec![
            mk(0, 3, "Claim", Some("True")),
            mk(4, 7, "Claim", None),
            mk(8, 13, "Note", None),
            mk(14, 18, "Note", Some("False")),
        ]);
        let one = StoryCounts::of(&set);
        assert_eq!((one.annotations, one.claims, one.unrated), (4, 3, 1));
        assert_eq!(one.by_status.get(&Status::Draft), Some(&3));
        let mut total = one.clone();
        total.add(&one);
        assert_eq!(total.claims, 6);
        assert_eq!(total.by_verdict.get("True"), Some(&2));
        assert_eq!(total.by_verdict.get("False"), Some(&2));
    }
}
