//! Claim memory (SPEC 12): every story and annotation of a workspace, and of read-only claim
//! libraries, searchable; and the claims already checked that look like a given one.
//!
//! What it owns:
//! - [`Memory`]: one search index per root ([`Root`]: the workspace, libraries, or single
//!   stories), kept in the user's cache folder (never beside the stories; the
//!   `FACTMARK_CACHE_DIR` environment variable moves it, for tests), opened or rebuilt
//!   without asking anything of the user;
//! - [`Memory::refresh`]: incremental indexing with progress; it takes `&mut self` and
//!   blocks, so a window runs it on a worker thread (a `Memory` is `Send`) and calls it again
//!   when its watcher reports changes;
//! - [`Memory::search`]: exact places of a query in story text (char spans) and in
//!   annotation fields;
//! - [`Memory::similar`]: claims like a given text or annotation, scored `0..=1`, with the
//!   reasons (shared numbers, names, words) in words.
//!
//! Submodules: [`analyze`] (words, numbers, names, scripts), [`index`] (the tantivy index),
//! [`search`] (query parts, exact spans, snippets), [`rank`] (the re-ranker).
//! It must not depend on any UI crate, and never writes a story or a sidecar.
//!
//! ```
//! use factmark::anchor::{Anchor, Span};
//! use factmark::memory::{Memory, Place, Probe, Root};
//! use factmark::model::Annotation;
//! use factmark::store::{Sidecar, sidecar_path};
//! use factmark::text::StoryText;
//!
//! let stories = tempfile::tempdir()?;
//! let cache = tempfile::tempdir()?;
//! let story = stories.path().join("bridges.txt");
//! let text = StoryText::new("The minister said bridge repairs cost $4bn.".to_owned());
//! std::fs::write(&story, text.as_str())?;
//! let mut sidecar = Sidecar::new("bridges.txt", text.sha256(), text.len_chars(), "UTF-8");
//! let mut claim = Annotation::new(Anchor::from_span(&text, Span::new(18, 42)), "Claim", "ana");
//! claim.verdict = Some("False".into());
//! sidecar.annotations.insert(claim);
//! std::fs::write(sidecar_path(&story), sidecar.to_ron()?)?;
//!
//! let mut memory = Memory::open_in(cache.path(), &[Root::folder(stories.path())])?;
//! memory.refresh(&mut |_| {})?;
//! let hits = memory.search("repairs", 10)?;
//! assert!(hits.iter().any(|h| h.place == Place::Text { start: 25, end: 32 }));
//! let similar = memory.similar(&Probe::Text("Fixing bridges cost 4 billion dollars".into()), 5)?;
//! assert_eq!(similar[0].verdict.as_deref(), Some("False"));
//! assert!(similar[0].reasons.contains(&"number: 4 billion".to_owned()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analyze;
pub mod checked;
pub mod cli;
pub mod index;
pub mod links;
pub mod rank;
pub mod search;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::AnnotationId;
use crate::store;
use index::{FolderIndex, FoundKind, Scope};
use rank::Features;

/// The environment variable that moves the cache folder (tests, portable installs).
pub const CACHE_ENV: &str = "FACTMARK_CACHE_DIR";
/// How many candidates the index proposes to the re-ranker, per root.
const CANDIDATES: usize = 200;
/// At most this many keys of a claim are asked of the index (a long claim's rarest words
/// and numbers are what finds it).
const MAX_PROBE_KEYS: usize = 48;

/// Why claim memory could not answer. A damaged index is not among them: it is rebuilt.
#[derive(Debug, Error)]
pub enum MemoryError {
    #[error("there is no cache folder for this user; set {CACHE_ENV} to a folder factmark may use")]
    NoCacheDir,
    #[error("the search index cannot be kept in {}: {source}", path.display())]
    Cache {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the search index would be inside the stories' folder ({}); choose a cache folder elsewhere",
        cache.display()
    )]
    CacheInsideFolder { cache: PathBuf },
    #[error("cannot read the folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the search index in {} failed: {message}", path.display())]
    Engine { path: PathBuf, message: String },
    #[error("{} has no annotation with id {id}", story.display())]
    NoSuchClaim { story: PathBuf, id: String },
    #[error("cannot read the annotations of {}: {source}", story.display())]
    Sidecar {
        story: PathBuf,
        source: store::StoreError,
    },
    #[error("{} does not exist", path.display())]
    Missing { path: PathBuf },
}

/// A place whose stories claim memory covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// A folder (every story under it) or one story file.
    pub path: PathBuf,
    /// A claim library: searched and matched, never edited from here.
    pub library: bool,
}

impl Root {
    pub fn folder(path: impl Into<PathBuf>) -> Self {
        Root {
            path: path.into(),
            library: false,
        }
    }

    pub fn library(path: impl Into<PathBuf>) -> Self {
        Root {
            path: path.into(),
            library: true,
        }
    }
}

/// Where a search hit is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// Chars `[start, end)` of the story's canonical text.
    Text { start: usize, end: usize },
    /// A field of an annotation: `quote`, `statement`, `claimant`, `rationale`, `tags`,
    /// `comments`.
    Field { id: String, field: &'static str },
}

/// One place a query matched.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// Index into the roots the memory was opened with.
    pub root: usize,
    /// The story's name in its root (relative path with `/`, or the file name).
    pub story: String,
    /// The story file.
    pub path: PathBuf,
    pub place: Place,
    pub snippet: String,
    /// The engine's relevance (BM25); only the order means something.
    pub relevance: f32,
}

/// A claim already annotated that looks like the one asked about.
#[derive(Clone, Debug, PartialEq)]
pub struct SimilarClaim {
    pub root: usize,
    pub library: bool,
    pub story: String,
    pub path: PathBuf,
    pub id: String,
    pub quote: String,
    pub statement: String,
    pub verdict: Option<String>,
    pub status: String,
    /// The annotation's last change, `YYYY-MM-DD`.
    pub date: String,
    /// `0..=1`, from [`rank::compare`].
    pub score: f32,
    /// What matched, e.g. `number: 4 billion`, `name: Brandt`, `words: inspection, bridge`.
    pub reasons: Vec<String>,
}

/// What `similar` looks for.
#[derive(Clone, Debug)]
pub enum Probe {
    /// Any text: a sentence being checked.
    Text(String),
    /// An annotation of a story: its statement and quote; it is left out of the results.
    Claim { story: PathBuf, id: AnnotationId },
}

/// Where an indexing run is, for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub root: usize,
    pub done: usize,
    pub total: usize,
    pub story: String,
}

/// What a refresh did, over all roots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefreshReport {
    pub indexed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Roots left as they were because another process was updating their index.
    pub busy: Vec<PathBuf>,
    /// Files that could not be read, one sentence each.
    pub problems: Vec<String>,
}

/// The claim memory of a workspace and its libraries.
pub struct Memory {
    roots: Vec<Root>,
    indexes: Vec<FolderIndex>,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("roots", &self.roots)
            .finish()
    }
}

/// The cache folder: `FACTMARK_CACHE_DIR` if set, else the user's cache folder for factmark.
pub fn cache_dir() -> Result<PathBuf, MemoryError> {
    if let Some(dir) = std::env::var_os(CACHE_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "factmark", "factmark")
        .map(|d| d.cache_dir().to_owned())
        .ok_or(MemoryError::NoCacheDir)
}

impl Memory {
    /// Opens (or builds empty) the index of every root in the user's cache folder. Call
    /// [`Memory::refresh`] before the first query.
    pub fn open(roots: &[Root]) -> Result<Self, MemoryError> {
        Self::open_in(&cache_dir()?, roots)
    }

    /// [`Memory::open`] with the cache folder given.
    pub fn open_in(cache: &Path, roots: &[Root]) -> Result<Self, MemoryError> {
        let mut indexes = Vec::with_capacity(roots.len());
        for root in roots {
            let meta = std::fs::metadata(&root.path).map_err(|_| MemoryError::Missing {
                path: root.path.clone(),
            })?;
            let scope = if meta.is_dir() {
                Scope::Folder(absolute(&root.path))
            } else {
                // A sidecar given for its story.
                let story = store::story_path_for(&root.path).unwrap_or_else(|| root.path.clone());
                Scope::Story(absolute(&story))
            };
            indexes.push(FolderIndex::open(cache, scope)?);
        }
        Ok(Memory {
            roots: roots.to_vec(),
            indexes,
        })
    }

    pub fn roots(&self) -> &[Root] {
        &self.roots
    }

    /// Why indexes were rebuilt when opened: (root, reason), for a log line.
    pub fn rebuilt(&self) -> Vec<(PathBuf, String)> {
        self.roots
            .iter()
            .zip(&self.indexes)
            .filter_map(|(r, i)| i.rebuilt.clone().map(|why| (r.path.clone(), why)))
            .collect()
    }

    /// The index folders, in root order (tests, benches, a "clear cache" action).
    pub fn index_dirs(&self) -> Vec<PathBuf> {
        self.indexes.iter().map(|i| i.dir().to_owned()).collect()
    }

    /// Brings every index up to date with the stories on disk: new and changed stories
    /// (file or sidecar) are indexed again, removed ones dropped. Cheap when nothing
    /// changed (one `stat` per file).
    pub fn refresh(
        &mut self,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RefreshReport, MemoryError> {
        let mut report = RefreshReport::default();
        for (root, index) in self.indexes.iter_mut().enumerate() {
            let r = index.refresh(&mut |done, total, story| {
                progress(&Progress {
                    root,
                    done,
                    total,
                    story: story.to_owned(),
                });
            })?;
            report.indexed += r.indexed;
            report.removed += r.removed;
            report.unchanged += r.unchanged;
            report.problems.extend(r.problems);
            if r.busy {
                report.busy.push(self.roots[root].path.clone());
            }
        }
        Ok(report)
    }

    /// Places matching every word, number and "quoted phrase" of `query`, best first: story
    /// text (char spans) and annotation fields. At most `limit` hits.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, MemoryError> {
        let parts = search::parse_query(query);
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits = Vec::new();
        for (root, index) in self.indexes.iter().enumerate() {
            for found in index.find(&parts, limit.max(1))? {
                let path = index.scope.story_path(&found.story);
                let hit = |place, snippet| SearchHit {
                    root,
                    story: found.story.clone(),
                    path: path.clone(),
                    place,
                    snippet,
                    relevance: found.score,
                };
                match &found.kind {
                    FoundKind::Text { start, text } => {
                        if let Some(r) = search::locate(text, &parts) {
                            let s = start + text[..r.start].chars().count();
                            let e = s + text[r.clone()].chars().count();
                            let snippet = search::snippet(text, r);
                            hits.push(hit(Place::Text { start: s, end: e }, snippet));
                        }
                    }
                    FoundKind::Note(note) => {
                        for (field, value) in note.fields() {
                            if let Some(r) = search::locate(value, &parts) {
                                let place = Place::Field {
                                    id: note.id.clone(),
                                    field,
                                };
                                hits.push(hit(place, search::snippet(value, r)));
                            }
                        }
                    }
                }
            }
        }
        // Best first across roots; ties in story order, then position, so output is stable.
        hits.sort_by(|a, b| {
            b.relevance
                .total_cmp(&a.relevance)
                .then_with(|| a.root.cmp(&b.root))
                .then_with(|| a.story.cmp(&b.story))
                .then_with(|| place_key(&a.place).cmp(&place_key(&b.place)))
        });
        hits.truncate(limit);
        Ok(hits)
    }

    /// The `top` annotated claims most like `probe`, best first, each with its score and
    /// reasons. Claims scoring 0 are left out.
    pub fn similar(&self, probe: &Probe, top: usize) -> Result<Vec<SimilarClaim>, MemoryError> {
        let (text, own) = match probe {
            Probe::Text(t) => (t.clone(), None),
            Probe::Claim { story, id } => {
                let (text, own) = claim_of(story, id)?;
                (text, Some(own))
            }
        };
        let features = Features::of(&text);
        if features.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (root, index) in self.indexes.iter().enumerate() {
            // The rarest keys find the claim; common ones only add noise and cost.
            let mut keys: Vec<(&str, f32)> = features.keys().map(|k| (k, index.idf(k))).collect();
            keys.sort_by(|a, b| b.1.total_cmp(&a.1));
            keys.truncate(MAX_PROBE_KEYS);
            let keys: Vec<&str> = keys.into_iter().map(|(k, _)| k).collect();
            let idf = |k: &str| index.idf(k);
            for found in index.candidates(&keys, CANDIDATES)? {
                let FoundKind::Note(note) = found.kind else {
                    continue;
                };
                let path = index.scope.story_path(&found.story);
                if own
                    .as_ref()
                    .is_some_and(|(p, id)| id == &note.id && same_file(p, &path))
                {
                    continue;
                }
                let likeness = rank::compare(&features, &Features::of(&note.claim_text()), &idf);
                if likeness.score <= 0.0 {
                    continue;
                }
                out.push(SimilarClaim {
                    root,
                    library: self.roots[root].library,
                    story: found.story,
                    path,
                    id: note.id,
                    quote: note.quote,
                    statement: note.statement,
                    verdict: note.verdict,
                    status: note.status,
                    date: note.date,
                    score: likeness.score,
                    reasons: likeness.reasons,
                });
            }
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.story.cmp(&b.story))
                .then_with(|| a.id.cmp(&b.id))
        });
        out.truncate(top);
        Ok(out)
    }
}

fn place_key(p: &Place) -> (usize, &str, &str) {
    match p {
        Place::Text { start, .. } => (*start, "", ""),
        Place::Field { id, field } => (usize::MAX, id, field),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The comparable text of annotation `id` of `story`, and (story path, id) to leave out.
fn claim_of(story: &Path, id: &AnnotationId) -> Result<(String, (PathBuf, String)), MemoryError> {
    let story = store::story_path_for(story).unwrap_or_else(|| story.to_owned());
    let loaded =
        store::load(&store::sidecar_path(&story)).map_err(|source| MemoryError::Sidecar {
            story: story.clone(),
            source,
        })?;
    let missing = || MemoryError::NoSuchClaim {
        story: story.clone(),
        id: id.to_string(),
    };
    let (loaded, _) = loaded.ok_or_else(missing)?;
    let a = loaded.sidecar.annotations.get(id).ok_or_else(missing)?;
    let text = index::claim_text(&a.statement, &a.anchor.quote);
    Ok((text, (story.clone(), id.to_string())))
}
