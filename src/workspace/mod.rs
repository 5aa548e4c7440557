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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::document::FileStamp;
use crate::export::ExportStory;
use crate::model::{Annotation, AnnotationSet, Label, RatingScale, Status};
use crate::reanchor::{self, Outcome};
use crate::settings::{FolderSettings, SETTINGS_FILE, SettingsError};
use crate::store::{self, StoreError};
use crate::text::{TextError, load_story};

/// File extensions taken as stories when a folder is scanned (a file with a sidecar is
/// always a story, whatever its extension).
pub const STORY_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// Every story under `root`, recursively, sorted by path: files with a story extension or
/// a sidecar (even when the story itself is missing, so that is reported). Hidden files and
/// folders, sidecars and backups are skipped.
pub fn find_stories(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    find_stories_until(root, &|| false)
}

/// [`find_stories`] that gives up (returning what it found so far) once `stop` says so.
fn find_stories_until(root: &Path, stop: &dyn Fn() -> bool) -> std::io::Result<Vec<PathBuf>> {
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
fn is_ignored(relative: &Path) -> bool {
    relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.')
    }) || relative.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.ends_with(".tmp") || n.ends_with(".bak") || n.ends_with('~')
    })
}

fn has_story_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| STORY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

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
            if ExportStory::is_claim(a) {
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
        entry.counts = StoryCounts::of(&entry.annotations);
        entry
    }

    /// Replaces the annotations (after an edit or a reload) and recounts.
    pub fn set_annotations(&mut self, annotations: AnnotationSet) {
        self.annotations = annotations;
        self.counts = StoryCounts::of(&self.annotations);
    }

    /// The labels in force for this story: its sidecar's, else the folder's, else defaults.
    pub fn labels_in(&self, folder: &FolderSettings) -> Vec<Label> {
        self.labels
            .clone()
            .unwrap_or_else(|| folder.labels_or_default())
    }

    /// The rating scale in force: its sidecar's, else the folder's, else the default.
    pub fn scale_in(&self, folder: &FolderSettings) -> RatingScale {
        self.rating_scale
            .clone()
            .unwrap_or_else(|| folder.scale_or_default())
    }
}

/// Verifies every anchor against the text (cheap when nothing moved) and applies what
/// re-anchoring found, so orphans and moves are counted as the window would show them.
fn reanchored(text: &crate::text::StoryText, set: AnnotationSet, drifted: bool) -> AnnotationSet {
    let result = reanchor::reanchor_all(text, set.as_slice(), drifted);
    if result.outcomes.iter().all(|o| *o == Outcome::Kept) {
        return set;
    }
    let moved: Vec<Annotation> = set
        .iter()
        .zip(&result.outcomes)
        .map(|(a, o)| reanchor::apply(text, a, o))
        .collect();
    // Ids were unique before and apply keeps them, so nothing can be a duplicate here.
    AnnotationSet::from_vec(moved).0
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Why a scan produced no workspace.
#[derive(Debug, Error)]
pub enum ScanError {
    #[error("could not list the stories in {root}: {source}")]
    List {
        root: PathBuf,
        source: std::io::Error,
    },
    #[error("could not start scanning {root}: {source}")]
    Thread {
        root: PathBuf,
        source: std::io::Error,
    },
    #[error("the scan was cancelled")]
    Cancelled,
    #[error("the scan of {root} stopped unexpectedly")]
    Stopped { root: PathBuf },
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

    /// Counts summed over every story.
    pub fn totals(&self) -> StoryCounts {
        let mut total = StoryCounts::default();
        for s in &self.stories {
            total.add(&s.counts);
        }
        total
    }
}

/// Shared between a [`Scan`] and its threads.
#[derive(Debug, Default)]
struct ScanState {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

/// A workspace being loaded on background threads.
///
/// Poll [`Scan::progress`] and [`Scan::try_finish`] once per frame; [`Scan::cancel`] (or
/// dropping the scan) stops it between two stories. The stories are loaded by up to four
/// threads.
#[derive(Debug)]
pub struct Scan {
    state: Arc<ScanState>,
    result: Receiver<Result<Workspace, ScanError>>,
    root: PathBuf,
    finished: bool,
}

impl Scan {
    /// Starts scanning `root`.
    pub fn start(root: impl AsRef<Path>) -> Scan {
        let root = root.as_ref().to_owned();
        let state = Arc::new(ScanState::default());
        let (tx, rx) = mpsc::channel();
        let thread_state = Arc::clone(&state);
        let thread_root = root.clone();
        let thread_tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("factmark-scan".into())
            .spawn(move || {
                let result = scan(&thread_root, &thread_state);
                // The receiver is gone when the scan was dropped: nobody wants the result.
                let _ = thread_tx.send(result);
            });
        if let Err(source) = spawned {
            let _ = tx.send(Err(ScanError::Thread {
                root: root.clone(),
                source,
            }));
        }
        Scan {
            state,
            result: rx,
            root,
            finished: false,
        }
    }

    /// `(stories loaded, stories found)`. The total is 0 while the folder is still listed.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.state.done.load(Ordering::Relaxed),
            self.state.total.load(Ordering::Relaxed),
        )
    }

    /// Asks the scan to stop; [`Scan::try_finish`] then gives [`ScanError::Cancelled`].
    pub fn cancel(&self) {
        self.state.cancelled.store(true, Ordering::Relaxed);
    }

    /// The result once the scan is over (once; `None` before and after that).
    pub fn try_finish(&mut self) -> Option<Result<Workspace, ScanError>> {
        if self.finished {
            return None;
        }
        match self.result.try_recv() {
            Ok(r) => {
                self.finished = true;
                Some(r)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.finished = true;
                Some(Err(ScanError::Stopped {
                    root: self.root.clone(),
                }))
            }
        }
    }

    /// Blocks until the scan is over.
    pub fn wait(mut self) -> Result<Workspace, ScanError> {
        self.finished = true;
        self.result.recv().unwrap_or_else(|_| {
            Err(ScanError::Stopped {
                root: self.root.clone(),
            })
        })
    }
}

impl Drop for Scan {
    fn drop(&mut self) {
        // A folder closed mid-scan should not keep the disk busy.
        if !self.finished {
            self.cancel();
        }
    }
}

fn scan(root: &Path, state: &ScanState) -> Result<Workspace, ScanError> {
    let cancelled = || state.cancelled.load(Ordering::Relaxed);
    let paths = find_stories_until(root, &cancelled).map_err(|source| ScanError::List {
        root: root.to_owned(),
        source,
    })?;
    if cancelled() {
        return Err(ScanError::Cancelled);
    }
    state.total.store(paths.len(), Ordering::Relaxed);
    let (settings, settings_error) = match FolderSettings::load(root) {
        Ok(s) => (s, None),
        Err(e) => (FolderSettings::default(), Some(e)),
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(paths.len().max(1));
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<StoryEntry>> = Vec::new();
    slots.resize_with(paths.len(), || None);
    let loaded: Vec<Vec<(usize, StoryEntry)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while !cancelled() {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        mine.push((i, StoryEntry::load(root, path)));
                        state.done.fetch_add(1, Ordering::Relaxed);
                    }
                    mine
                })
            })
            .collect();
        // A worker that panicked lost its stories; they are loaded again below.
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    if cancelled() {
        return Err(ScanError::Cancelled);
    }
    for (i, entry) in loaded.into_iter().flatten() {
        slots[i] = Some(entry);
    }
    let stories = slots
        .into_iter()
        .zip(&paths)
        .map(|(slot, path)| slot.unwrap_or_else(|| StoryEntry::load(root, path)))
        .collect();
    Ok(Workspace {
        root: root.to_owned(),
        settings,
        settings_error,
        stories,
    })
}

/// A row of the [`ClaimTable`]: an annotation of a story, by index
/// (`workspace.stories[story].annotations.as_slice()[annotation]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowId {
    pub story: usize,
    pub annotation: usize,
}

/// The columns of the claims table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Story,
    Quote,
    Statement,
    Claimant,
    Verdict,
    Status,
    Sources,
    Tags,
    Author,
    Modified,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Story,
        Column::Quote,
        Column::Statement,
        Column::Claimant,
        Column::Verdict,
        Column::Status,
        Column::Sources,
        Column::Tags,
        Column::Author,
        Column::Modified,
    ];

    /// The column's heading.
    pub fn name(self) -> &'static str {
        match self {
            Column::Story => "Story",
            Column::Quote => "Quote",
            Column::Statement => "Statement",
            Column::Claimant => "Claimant",
            Column::Verdict => "Verdict",
            Column::Status => "Status",
            Column::Sources => "Sources",
            Column::Tags => "Tags",
            Column::Author => "Author",
            Column::Modified => "Modified",
        }
    }
}

/// What the claims table shows. Empty lists do not filter; within a list any value
/// matches (labels Claim *or* Note), across lists all must (label *and* status).
///
/// Text, labels, verdicts and tags match case-insensitively. Every word of `text` must
/// occur in the row: story name, quote, statement, claimant, verdict, label, tags, author,
/// rationale, sources (URL, title, note) or comments.
///
/// Sorting is stable (rows that tie keep reading order, story by story), and:
/// - Story sorts by the story's name; Quote, Statement, Claimant, Tags, Author by text
///   (case-insensitive); Sources by how many; Modified by time; Status in workflow order
///   (Draft, Needs review, Approved, Disputed).
/// - Verdict sorts by the story's rating scale, best first when ascending; verdicts not on
///   the scale come after (by name), claims without a verdict last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub labels: Vec<String>,
    /// `None` matches annotations without a verdict.
    pub verdicts: Vec<Option<String>>,
    pub statuses: Vec<Status>,
    pub tags: Vec<String>,
    /// Story indexes into [`Workspace::stories`].
    pub stories: Vec<usize>,
    /// The column and `true` for ascending.
    pub sort: (Column, bool),
}

impl Default for Query {
    fn default() -> Self {
        Self {
            text: String::new(),
            labels: Vec::new(),
            verdicts: Vec::new(),
            statuses: Vec::new(),
            tags: Vec::new(),
            stories: Vec::new(),
            sort: (Column::Story, true),
        }
    }
}

/// Where each sortable text lives in a row's `haystack`.
#[derive(Clone, Debug)]
struct Row {
    /// Lower-cased searchable text of the row, fields separated by `\u{1}` so a word
    /// cannot match across two fields.
    haystack: String,
    quote: std::ops::Range<usize>,
    statement: std::ops::Range<usize>,
    claimant: std::ops::Range<usize>,
    tags_text: std::ops::Range<usize>,
    author: std::ops::Range<usize>,
    label: String,
    verdict: Option<String>,
    /// (0 on the scale / 1 off it / 2 none, minus the rating value): ascending = best first.
    verdict_rank: (u8, i64),
    status: Status,
    tags: Vec<String>,
    sources: usize,
    modified: jiff::Timestamp,
}

impl Row {
    fn new(a: &Annotation, scale: &RatingScale) -> Self {
        let mut haystack = String::new();
        let mut push = |text: &str| {
            let start = haystack.len();
            haystack.push_str(&text.to_lowercase());
            let end = haystack.len();
            haystack.push('\u{1}');
            start..end
        };
        let quote = push(&a.anchor.quote);
        let statement = push(&a.statement);
        let claimant = push(&a.claimant);
        let tags_text = push(&a.tags.join(", "));
        let author = push(&a.author);
        push(&a.label);
        push(a.verdict.as_deref().unwrap_or(""));
        push(&a.rationale);
        for s in &a.sources {
            match s {
                crate::model::Source::External {
                    url, title, note, ..
                } => {
                    push(url);
                    push(title);
                    push(note);
                }
                crate::model::Source::Highlight { note, .. } => {
                    push(note);
                }
            }
        }
        for c in &a.comments {
            push(&c.text);
        }
        let verdict_rank = match &a.verdict {
            None => (2, 0),
            Some(v) => match scale.find(v) {
                Some(r) => (0, -i64::from(r.value)),
                None => (1, 0),
            },
        };
        Row {
            haystack,
            quote,
            statement,
            claimant,
            tags_text,
            author,
            label: a.label.to_lowercase(),
            verdict: a.verdict.as_ref().map(|v| v.trim().to_lowercase()),
            verdict_rank,
            status: a.status,
            tags: a.tags.iter().map(|t| t.trim().to_lowercase()).collect(),
            sources: a.sources.len(),
            modified: a.modified,
        }
    }

    fn text(&self, range: &std::ops::Range<usize>) -> &str {
        &self.haystack[range.clone()]
    }
}

#[derive(Clone, Debug, Default)]
struct StoryRows {
    name: String,
    scale: RatingScale,
    rows: Vec<Row>,
}

impl StoryRows {
    fn new(name: &str, scale: RatingScale, annotations: &AnnotationSet) -> Self {
        let rows = annotations.iter().map(|a| Row::new(a, &scale)).collect();
        Self {
            name: name.to_lowercase(),
            scale,
            rows,
        }
    }
}

/// Every annotation of a workspace as a flat table, ready to filter and sort quickly.
///
/// Building it lower-cases every row once; a [`Query`] then only compares. The table holds
/// no annotation: rows are [`RowId`]s into the [`Workspace`] it was built from, so after a
/// story's annotations change, call [`ClaimTable::update_story`] with the new set.
///
/// Sorting by a text column uses a cached ranking of all rows by that column (built by
/// the first query that sorts by it), so a re-sort compares integers, not strings. An
/// update drops the cached rankings; the next sort builds the one it needs again.
#[derive(Clone, Debug, Default)]
pub struct ClaimTable {
    stories: Vec<StoryRows>,
    rankings: [std::sync::OnceLock<Ranking>; RANKED.len()],
}

/// The columns sorted by text, whose order is cached as ranks.
const RANKED: [Column; 5] = [
    Column::Quote,
    Column::Statement,
    Column::Claimant,
    Column::Tags,
    Column::Author,
];

/// The place of every row in one text column's order.
#[derive(Clone, Debug, Default)]
struct Ranking {
    /// Where each story's rows start in `rank`.
    start: Vec<usize>,
    /// Rank of each row, story by story; rows with equal text share a rank.
    rank: Vec<u32>,
}

impl Ranking {
    fn of(&self, id: RowId) -> u32 {
        self.rank[self.start[id.story] + id.annotation]
    }
}

impl ClaimTable {
    pub fn new(workspace: &Workspace) -> Self {
        let stories = workspace
            .stories
            .iter()
            .map(|s| StoryRows::new(&s.name, s.scale_in(&workspace.settings), &s.annotations))
            .collect();
        Self {
            stories,
            rankings: Default::default(),
        }
    }

    /// Total number of rows (before filtering).
    pub fn len(&self) -> usize {
        self.stories.iter().map(|s| s.rows.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces story `story`'s rows after its annotations were edited or reloaded, keeping
    /// its name and scale. Returns false (and changes nothing) for an unknown story: use
    /// [`ClaimTable::set_story`] for one that was added.
    pub fn update_story(&mut self, story: usize, annotations: &AnnotationSet) -> bool {
        let Some(s) = self.stories.get_mut(story) else {
            return false;
        };
        s.rows = annotations.iter().map(|a| Row::new(a, &s.scale)).collect();
        self.rankings = Default::default();
        true
    }

    /// Sets everything about one story (a new one, or a changed name or scale). A story
    /// index past the end adds empty stories up to it.
    pub fn set_story(
        &mut self,
        story: usize,
        name: &str,
        scale: RatingScale,
        annotations: &AnnotationSet,
    ) {
        if self.stories.len() <= story {
            self.stories.resize_with(story + 1, StoryRows::default);
        }
        self.stories[story] = StoryRows::new(name, scale, annotations);
        self.rankings = Default::default();
    }

    /// The rows `query` selects, in its order. Rows with nothing in the sorted column (no
    /// claimant, no verdict...) come last in either direction, in reading order, as in a
    /// spreadsheet.
    pub fn query(&self, query: &Query) -> Vec<RowId> {
        let (column, ascending) = query.sort;
        let (mut hits, blanks): (Vec<RowId>, Vec<RowId>) = self
            .filter(query)
            .into_iter()
            .partition(|&id| !self.is_blank(column, id));
        self.sort(&mut hits, column, ascending);
        hits.extend(blanks);
        hits
    }

    fn is_blank(&self, column: Column, id: RowId) -> bool {
        match column {
            Column::Verdict => self.stories[id.story].rows[id.annotation]
                .verdict
                .as_deref()
                .is_none_or(str::is_empty),
            _ => RANKED.contains(&column) && self.key(column, id).is_empty(),
        }
    }

    fn sort(&self, hits: &mut Vec<RowId>, column: Column, ascending: bool) {
        if let Some(slot) = RANKED.iter().position(|c| *c == column) {
            let ranking = self.ranking(slot);
            sort_rows(hits, ascending, |id| ranking.of(id));
            return;
        }
        let row = |id: RowId| &self.stories[id.story].rows[id.annotation];
        match column {
            Column::Story => {
                let mut by_name: Vec<usize> = (0..self.stories.len()).collect();
                by_name.sort_by(|&a, &b| self.stories[a].name.cmp(&self.stories[b].name));
                let mut story_rank = vec![0; self.stories.len()];
                for (rank, s) in by_name.into_iter().enumerate() {
                    story_rank[s] = rank;
                }
                sort_rows(hits, ascending, |id| story_rank[id.story]);
            }
            Column::Verdict => sort_rows(hits, ascending, |id| {
                let r = row(id);
                (r.verdict_rank, r.verdict.as_deref())
            }),
            Column::Status => sort_rows(hits, ascending, |id| row(id).status),
            Column::Sources => sort_rows(hits, ascending, |id| row(id).sources),
            Column::Modified => sort_rows(hits, ascending, |id| row(id).modified),
            // Text columns were sorted by their ranking above.
            Column::Quote
            | Column::Statement
            | Column::Claimant
            | Column::Tags
            | Column::Author => {}
        }
    }

    /// The rows `query`'s filters keep, in table order (story by story, reading order).
    fn filter(&self, query: &Query) -> Vec<RowId> {
        let words: Vec<String> = query
            .text
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let finders: Vec<memchr::memmem::Finder<'_>> = words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect();
        let lower =
            |v: &[String]| -> Vec<String> { v.iter().map(|s| s.trim().to_lowercase()).collect() };
        let labels = lower(&query.labels);
        let tags = lower(&query.tags);
        let verdicts: Vec<Option<String>> = query
            .verdicts
            .iter()
            .map(|v| v.as_ref().map(|v| v.trim().to_lowercase()))
            .collect();
        let stories: BTreeSet<usize> = query.stories.iter().copied().collect();

        let mut hits = Vec::new();
        for (si, story) in self.stories.iter().enumerate() {
            if !stories.is_empty() && !stories.contains(&si) {
                continue;
            }
            // Words found in the story's name match every row of it.
            let in_name: Vec<bool> = finders
                .iter()
                .map(|f| f.find(story.name.as_bytes()).is_some())
                .collect();
            for (ai, row) in story.rows.iter().enumerate() {
                let keep = (labels.is_empty() || labels.contains(&row.label))
                    && (verdicts.is_empty() || verdicts.contains(&row.verdict))
                    && (query.statuses.is_empty() || query.statuses.contains(&row.status))
                    && (tags.is_empty() || row.tags.iter().any(|t| tags.contains(t)))
                    && finders
                        .iter()
                        .zip(&in_name)
                        .all(|(f, &named)| named || f.find(row.haystack.as_bytes()).is_some());
                if keep {
                    hits.push(RowId {
                        story: si,
                        annotation: ai,
                    });
                }
            }
        }
        hits
    }

    /// The text a ranked column sorts `id` by.
    fn key(&self, column: Column, id: RowId) -> &str {
        let row = &self.stories[id.story].rows[id.annotation];
        match column {
            Column::Quote => row.text(&row.quote),
            Column::Statement => row.text(&row.statement),
            Column::Claimant => row.text(&row.claimant),
            Column::Tags => row.text(&row.tags_text),
            Column::Author => row.text(&row.author),
            _ => "",
        }
    }

    fn ranking(&self, slot: usize) -> &Ranking {
        self.rankings[slot].get_or_init(|| {
            let column = RANKED[slot];
            // The keys are gathered first so the sort compares strings, not lookups.
            let mut keyed: Vec<(&str, RowId)> = self
                .all_rows()
                .map(|id| (self.key(column, id), id))
                .collect();
            keyed.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut start = Vec::with_capacity(self.stories.len());
            let mut rows = 0;
            for s in &self.stories {
                start.push(rows);
                rows += s.rows.len();
            }
            let mut rank = vec![0u32; rows];
            let mut r = 0u32;
            for (i, (key, id)) in keyed.iter().enumerate() {
                if i > 0 && keyed[i - 1].0 != *key {
                    r += 1;
                }
                rank[start[id.story] + id.annotation] = r;
            }
            Ranking { start, rank }
        })
    }

    fn all_rows(&self) -> impl Iterator<Item = RowId> + '_ {
        self.stories.iter().enumerate().flat_map(|(story, s)| {
            (0..s.rows.len()).map(move |annotation| RowId { story, annotation })
        })
    }
}

/// Sorts `hits` stably by `key`; descending reverses the comparison, not the result, so
/// rows that tie keep reading order either way.
fn sort_rows<K: Ord>(hits: &mut Vec<RowId>, ascending: bool, key: impl Fn(RowId) -> K) {
    let mut keyed: Vec<(K, RowId)> = hits.iter().map(|&id| (key(id), id)).collect();
    if ascending {
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        keyed.sort_by(|a, b| b.0.cmp(&a.0));
    }
    *hits = keyed.into_iter().map(|(_, id)| id).collect();
}

/// Something that changed on disk under a watched workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// A story was created, changed or removed.
    Story(PathBuf),
    /// A sidecar was created, changed or removed.
    Sidecar { sidecar: PathBuf, story: PathBuf },
    /// The folder settings (`factmark.ron`).
    Settings(PathBuf),
    /// Events were lost (the system's queue overflowed): rescan the folder.
    Rescan,
}

impl Change {
    /// The story concerned, for story and sidecar changes.
    pub fn story(&self) -> Option<&Path> {
        match self {
            Change::Story(p) | Change::Sidecar { story: p, .. } => Some(p),
            Change::Settings(_) | Change::Rescan => None,
        }
    }
}

#[derive(Debug, Error)]
pub enum WatchError {
    #[error("could not watch {root} for changes: {source}")]
    Watch {
        root: PathBuf,
        source: notify::Error,
    },
    #[error("could not start watching {root}: {source}")]
    Thread {
        root: PathBuf,
        source: std::io::Error,
    },
}

/// How long the folder must be quiet before a batch of changes is reported: a `git pull`
/// or a sync touches many files in a burst, and one save is several events.
pub const DEBOUNCE: Duration = Duration::from_millis(250);
/// A burst longer than this is reported in parts, so a busy folder still shows changes.
pub const MAX_DELAY: Duration = Duration::from_secs(2);

/// Watches a workspace folder (recursively) and reports [`Change`]s in debounced batches.
///
/// Temp files, backups and hidden files are ignored. Our own saves are ignored too when
/// the caller says so right after saving ([`Watcher::own_write`]): a change whose file is
/// still exactly as we wrote it (same modification time and size) is not reported.
/// Limitation: network and some virtual file systems do not deliver events; the window's
/// own stamp check remains the fallback there.
pub struct Watcher {
    root: PathBuf,
    changes: Receiver<Vec<Change>>,
    own_writes: Arc<Mutex<HashMap<PathBuf, FileStamp>>>,
    // Dropping it stops the notifications, which ends the debounce thread.
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("root", &self.root).finish()
    }
}

impl Watcher {
    /// Starts watching `root` with the default [`DEBOUNCE`].
    pub fn new(root: &Path) -> Result<Self, WatchError> {
        Self::with_debounce(root, DEBOUNCE)
    }

    pub fn with_debounce(root: &Path, quiet: Duration) -> Result<Self, WatchError> {
        use notify::Watcher as _;
        let root = root.to_owned();
        let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
        let (tx, changes) = mpsc::channel();
        let own_writes: Arc<Mutex<HashMap<PathBuf, FileStamp>>> = Arc::default();
        let mut watcher =
            notify::recommended_watcher(raw_tx).map_err(|source| WatchError::Watch {
                root: root.clone(),
                source,
            })?;
        watcher
            .watch(&root, notify::RecursiveMode::Recursive)
            .map_err(|source| WatchError::Watch {
                root: root.clone(),
                source,
            })?;
        let thread_root = root.clone();
        let thread_own = Arc::clone(&own_writes);
        std::thread::Builder::new()
            .name("factmark-watch".into())
            .spawn(move || debounce(&thread_root, &raw_rx, &tx, &thread_own, quiet))
            .map_err(|source| WatchError::Thread {
                root: root.clone(),
                source,
            })?;
        Ok(Self {
            root,
            changes,
            own_writes,
            _watcher: watcher,
        })
    }

    /// The folder being watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every change reported so far, without waiting (call once per frame).
    pub fn poll(&self) -> Vec<Change> {
        let mut all = BTreeSet::new();
        while let Ok(batch) = self.changes.try_recv() {
            all.extend(batch);
        }
        all.into_iter().collect()
    }

    /// Waits up to `timeout` for the next batch of changes (empty if none came).
    pub fn wait(&self, timeout: Duration) -> Vec<Change> {
        self.changes.recv_timeout(timeout).unwrap_or_default()
    }

    /// Tells the watcher that we just wrote `path` (a sidecar or the settings), so the
    /// events of that write are not reported back as an outside change.
    pub fn own_write(&self, path: &Path) {
        if let Some(stamp) = FileStamp::of(path) {
            let mut own = self.own_writes.lock().unwrap_or_else(|e| e.into_inner());
            own.insert(path.to_owned(), stamp);
        }
    }
}

/// The debounce thread: gathers raw events until the folder is quiet, then sends one batch.
/// Ends when the notify watcher is dropped (its sender closes) or the [`Watcher`] is gone.
fn debounce(
    root: &Path,
    raw: &Receiver<notify::Result<notify::Event>>,
    out: &mpsc::Sender<Vec<Change>>,
    own_writes: &Mutex<HashMap<PathBuf, FileStamp>>,
    quiet: Duration,
) {
    loop {
        let Ok(first) = raw.recv() else { return };
        let mut pending = BTreeSet::new();
        collect(root, first, &mut pending);
        let started = Instant::now();
        let mut closed = false;
        while started.elapsed() < MAX_DELAY {
            match raw.recv_timeout(quiet) {
                Ok(event) => collect(root, event, &mut pending),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    closed = true;
                    break;
                }
            }
        }
        {
            let mut own = own_writes.lock().unwrap_or_else(|e| e.into_inner());
            pending.retain(|change: &Change| {
                let path = match change {
                    Change::Story(p) | Change::Settings(p) => p,
                    Change::Sidecar { sidecar, .. } => sidecar,
                    Change::Rescan => return true,
                };
                match own.remove(path) {
                    Some(stamp) => FileStamp::of(path) != Some(stamp),
                    None => true,
                }
            });
        }
        if !pending.is_empty() && out.send(pending.into_iter().collect()).is_err() {
            return;
        }
        if closed {
            return;
        }
    }
}

/// Turns one raw event into the changes it means for a workspace.
fn collect(root: &Path, event: notify::Result<notify::Event>, pending: &mut BTreeSet<Change>) {
    use notify::EventKind;
    use notify::event::AccessKind;
    let event = match event {
        Ok(e) => e,
        Err(_) => {
            // An error from the watcher means events may have been missed.
            pending.insert(Change::Rescan);
            return;
        }
    };
    if event.need_rescan() {
        pending.insert(Change::Rescan);
    }
    // Reads and opens change nothing; closing after a write, creating, modifying,
    // renaming and removing all do.
    if let EventKind::Access(AccessKind::Read | AccessKind::Open(_) | AccessKind::Any) = event.kind
    {
        return;
    }
    for path in event.paths {
        if let Some(change) = classify(root, &path) {
            pending.insert(change);
        }
    }
}

/// What a changed path is to a workspace, if anything.
fn classify(root: &Path, path: &Path) -> Option<Change> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    if relative.as_os_str().is_empty() || is_ignored(relative) {
        return None;
    }
    if relative == Path::new(SETTINGS_FILE) {
        return Some(Change::Settings(path.to_owned()));
    }
    if let Some(story) = store::story_path_for(path) {
        return Some(Change::Sidecar {
            sidecar: path.to_owned(),
            story,
        });
    }
    if store::is_sidecar_path(path) {
        return None;
    }
    has_story_extension(path).then(|| Change::Story(path.to_owned()))
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
