//! Claim memory in the window (SPEC 12, issue 16): a thread of its own that owns the
//! [`Memory`] (the index of the open folder, or of the open story's folder, plus the claim
//! libraries), keeps it up to date, and answers the two panels that read it: workspace
//! search and "Checked before".
//!
//! Why a thread apart from the I/O worker ([`crate::app::io`]): building an index takes
//! seconds, and a save or an open must never wait behind it. Requests are coalesced (only
//! the newest search and the newest "Checked before" count), queries are answered from the
//! index as it is before a refresh starts and again once it changed, and the window is woken
//! (`request_repaint`) only when an answer or a progress step (at most ten a second)
//! arrives: the idle window costs nothing.
//!
//! Limitation: while a refresh runs, queries wait for it (the first build of a large
//! folder; later refreshes are one story each). The panels say "Indexing…" meanwhile.
//!
//! This module holds state and talks to the thread; it must not draw, and it never writes
//! a story or a sidecar (links to other stories are written by the I/O worker).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::memory::links::VerdictChange;
use crate::memory::{Memory, Progress, RefreshReport, Root, SearchHit};
use crate::model::AnnotationId;

/// How many similar claims "Checked before" shows.
pub const CHECKED_BEFORE_TOP: usize = 5;
/// How many places a workspace search lists.
pub const SEARCH_LIMIT: usize = 200;
/// Progress is reported at most this often (each report repaints the window).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

pub use crate::memory::checked::Match;

/// A same-claim group rated from the claims table, for undo: the other stories' changes
/// (written to their sidecars) and whether the open story took a step of its own.
#[derive(Clone, Debug)]
pub struct GroupRating {
    pub written: Vec<(PathBuf, Vec<VerdictChange>)>,
    pub open_story_step: Option<PathBuf>,
}

/// What "Checked before" shows for the selected claim.
#[derive(Clone, Debug, Default)]
pub struct CheckedBefore {
    /// The claim asked about: (story session serial, id, its claim text).
    pub asked: Option<(u64, AnnotationId, String)>,
    /// The answer, for `asked` (empty while waiting).
    pub matches: Vec<Match>,
    /// True from asking until the answer arrived.
    pub pending: bool,
    pub error: Option<String>,
    /// How the index is doing (copied each frame, for the panel's words while waiting).
    pub indexing: Indexing,
}

/// The workspace search window (Ctrl+Shift+F).
#[derive(Clone, Debug, Default)]
pub struct SearchPanel {
    pub open: bool,
    /// Take the keyboard next frame.
    pub focus: bool,
    /// The query box had the keyboard when last drawn.
    pub typing: bool,
    pub query: String,
    /// The query the hits are for.
    pub searched: String,
    /// The query last sent to the thread.
    pub asked: String,
    pub hits: Vec<SearchHit>,
    /// The highlighted row (Enter opens it).
    pub current: usize,
    pub pending: bool,
    pub error: Option<String>,
}

/// How the index is doing, for the status bar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Indexing {
    /// No memory open (no story or folder).
    #[default]
    Off,
    Running {
        done: usize,
        total: usize,
        story: String,
    },
    Ready {
        stories: usize,
    },
    Failed(String),
}

/// A "Checked before" answer for the claim `key` (session serial, id, claim text).
pub struct SimilarAnswer {
    pub key: (u64, AnnotationId, String),
    pub result: Result<Vec<Match>, String>,
}

impl CheckedBefore {
    /// Takes `answer` when it is for the claim asked about.
    pub fn answered(&mut self, answer: SimilarAnswer) {
        if self.asked.as_ref() != Some(&answer.key) {
            return;
        }
        self.pending = false;
        match answer.result {
            Ok(m) => {
                self.matches = m;
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}

enum Job {
    Open {
        cache: PathBuf,
        roots: Vec<Root>,
    },
    Refresh,
    Similar {
        key: (u64, AnnotationId, String),
        own: PathBuf,
    },
    Search(String),
}

enum Answer {
    Progress(Progress),
    Refreshed(Result<RefreshReport, String>),
    Similar {
        key: (u64, AnnotationId, String),
        result: Result<Vec<Match>, String>,
    },
    Found {
        query: String,
        result: Result<Vec<SearchHit>, String>,
    },
    /// The thread finished a batch of this many jobs.
    Handled(usize),
}

/// The window's side of claim memory.
pub struct MemoryWorker {
    jobs: Sender<Job>,
    answers: Receiver<Answer>,
    context: Arc<Mutex<Option<egui::Context>>>,
    in_flight: usize,
    /// The cache folder (`None`: the user's, see [`crate::memory::cache_dir`]).
    cache: Option<PathBuf>,
    /// The roots the memory was last opened with.
    pub roots: Vec<Root>,
    pub indexing: Indexing,
    pub search: SearchPanel,
    /// "Checked before" answers not yet handed to the story session.
    similar: Vec<SimilarAnswer>,
    /// Set when a refresh or rebuild has been asked and not answered.
    refreshing: bool,
}

impl Default for MemoryWorker {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryWorker {
    pub fn new() -> Self {
        let (jobs, job_rx) = channel();
        let (answer_tx, answers) = channel();
        let context: Arc<Mutex<Option<egui::Context>>> = Arc::default();
        let wake = context.clone();
        // If the thread cannot start, sends fail and the panels say memory is off.
        let _ = std::thread::Builder::new()
            .name("factmark-memory".into())
            .spawn(move || run(&job_rx, &answer_tx, &wake));
        Self {
            jobs,
            answers,
            context,
            in_flight: 0,
            cache: None,
            roots: Vec::new(),
            indexing: Indexing::Off,
            search: SearchPanel::default(),
            similar: Vec::new(),
            refreshing: false,
        }
    }

    /// Keeps the index in `cache` instead of the user's cache folder (tests).
    pub fn set_cache_dir(&mut self, cache: impl Into<PathBuf>) {
        self.cache = Some(cache.into());
    }

    pub fn set_context(&self, ctx: &egui::Context) {
        let mut slot = self.context.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(ctx.clone());
        }
    }

    fn submit(&mut self, job: Job) {
        if self.jobs.send(job).is_ok() {
            self.in_flight += 1;
        } else {
            self.indexing = Indexing::Failed("the claim memory thread stopped".into());
        }
    }

    /// Opens the memory on `roots` when they differ from the current ones (then builds or
    /// updates the index). No roots: memory off.
    pub fn use_roots(&mut self, roots: Vec<Root>) {
        if roots == self.roots {
            return;
        }
        self.roots = roots.clone();
        self.search.hits.clear();
        self.search.searched.clear();
        self.search.asked.clear();
        if roots.is_empty() {
            self.indexing = Indexing::Off;
            return;
        }
        let cache = match self
            .cache
            .clone()
            .map(Ok)
            .unwrap_or_else(crate::memory::cache_dir)
        {
            Ok(c) => c,
            Err(e) => {
                self.indexing = Indexing::Failed(e.to_string());
                return;
            }
        };
        self.indexing = Indexing::Running {
            done: 0,
            total: 0,
            story: String::new(),
        };
        self.refreshing = true;
        self.submit(Job::Open { cache, roots });
    }

    /// Brings the index up to date (a story or sidecar changed on disk or was saved).
    pub fn refresh(&mut self) {
        if self.roots.is_empty() {
            return;
        }
        self.refreshing = true;
        self.submit(Job::Refresh);
    }

    /// Asks for the claims like `text` (annotation `id` of the story at `own`, left out),
    /// unless `checked` already asked exactly that.
    pub fn ask_similar(
        &mut self,
        checked: &mut CheckedBefore,
        serial: u64,
        id: AnnotationId,
        text: String,
        own: &Path,
    ) {
        let key = (serial, id, text);
        if checked.asked.as_ref() == Some(&key) {
            return;
        }
        *checked = CheckedBefore {
            asked: Some(key.clone()),
            matches: Vec::new(),
            pending: !self.roots.is_empty(),
            error: None,
            indexing: self.indexing.clone(),
        };
        if !self.roots.is_empty() {
            self.submit(Job::Similar {
                key,
                own: own.to_owned(),
            });
        }
    }

    /// The "Checked before" answers that arrived since the last call.
    pub fn take_similar(&mut self) -> Vec<SimilarAnswer> {
        std::mem::take(&mut self.similar)
    }

    /// Searches for the panel's query (when it changed).
    pub fn ask_search(&mut self) {
        let query = self.search.query.trim().to_owned();
        self.search.asked = query.clone();
        if query.is_empty() {
            self.search.hits.clear();
            self.search.searched.clear();
            self.search.pending = false;
            return;
        }
        self.search.pending = true;
        self.submit(Job::Search(query));
    }

    /// Takes in what the thread answered so far.
    pub fn poll(&mut self) {
        while let Ok(a) = self.answers.try_recv() {
            self.take(a);
        }
    }

    /// Waits until the thread answered everything asked (tests; like `Io::wait`).
    pub fn wait(&mut self) {
        self.poll();
        while self.in_flight > 0 {
            match self.answers.recv() {
                Ok(a) => self.take(a),
                Err(_) => self.in_flight = 0,
            }
        }
    }

    /// True while something asked has not been answered.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    fn take(&mut self, answer: Answer) {
        match answer {
            Answer::Progress(p) => {
                if self.refreshing {
                    self.indexing = Indexing::Running {
                        done: p.done,
                        total: p.total,
                        story: p.story,
                    };
                }
            }
            Answer::Refreshed(result) => {
                self.refreshing = false;
                self.indexing = match result {
                    Ok(r) => Indexing::Ready {
                        stories: r.indexed + r.unchanged,
                    },
                    Err(e) => Indexing::Failed(e),
                };
            }
            Answer::Similar { key, result } => {
                self.similar.retain(|a| a.key != key);
                self.similar.push(SimilarAnswer { key, result });
            }
            Answer::Found { query, result } => {
                if self.search.asked == query {
                    self.search.pending = false;
                    match result {
                        Ok(hits) => {
                            if self.search.searched != query {
                                self.search.current = 0;
                            }
                            self.search.current =
                                self.search.current.min(hits.len().saturating_sub(1));
                            self.search.hits = hits;
                            self.search.error = None;
                        }
                        Err(e) => self.search.error = Some(e),
                    }
                    self.search.searched = query;
                }
            }
            Answer::Handled(n) => self.in_flight = self.in_flight.saturating_sub(n),
        }
    }

    /// True while the index is being built or updated.
    pub fn indexing_now(&self) -> bool {
        matches!(self.indexing, Indexing::Running { .. })
    }
}

/// The thread: owns the memory, answers jobs in batches.
fn run(jobs: &Receiver<Job>, answers: &Sender<Answer>, wake: &Arc<Mutex<Option<egui::Context>>>) {
    let send = |a: Answer| {
        let _ = answers.send(a);
        let ctx = wake.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ctx) = ctx.as_ref() {
            ctx.request_repaint();
        }
    };
    let mut memory: Option<Memory> = None;
    // The newest of each question, asked again after the index changed.
    let mut last_similar: Option<(u64, AnnotationId, String)> = None;
    let mut last_own = PathBuf::new();
    let mut last_search: Option<String> = None;
    let mut pruned = false;
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while let Ok(j) = jobs.try_recv() {
            batch.push(j);
        }
        let count = batch.len();
        let mut open = None;
        let mut refresh = false;
        let mut similar = None;
        let mut search = None;
        for job in batch {
            match job {
                Job::Open { cache, roots } => open = Some((cache, roots)),
                Job::Refresh => refresh = true,
                Job::Similar { key, own } => similar = Some((key, own)),
                Job::Search(q) => search = Some(q),
            }
        }
        if let Some((cache, roots)) = open {
            refresh = true;
            if !pruned {
                // Once a run: the indexes of folders that were deleted since.
                pruned = true;
                crate::memory::index::prune(&cache);
            }
            // A library folder that is gone (an unplugged drive) is left out, not an error.
            let roots: Vec<Root> = roots.into_iter().filter(|r| r.path.exists()).collect();
            memory = match Memory::open_in(&cache, &roots) {
                Ok(m) => {
                    // Rebuilt silently (missing, older schema, damaged): a log line only.
                    for (root, why) in m.rebuilt() {
                        eprintln!(
                            "factmark: rebuilding the search index of {}: {why}",
                            root.display()
                        );
                    }
                    Some(m)
                }
                Err(e) => {
                    send(Answer::Refreshed(Err(e.to_string())));
                    None
                }
            };
        }
        // Answer from the index as it is first: an existing index answers at once.
        if let Some((key, own)) = similar {
            last_own = own;
            send(similar_answer(memory.as_ref(), &key, &last_own));
            last_similar = Some(key);
        }
        if let Some(q) = search {
            send(search_answer(memory.as_ref(), &q));
            last_search = Some(q);
        }
        let refreshed = match memory.as_mut().filter(|_| refresh) {
            None => None,
            Some(m) => {
                let mut last: Option<Instant> = None;
                Some(m.refresh(&mut |p| {
                    if last.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) {
                        last = Some(Instant::now());
                        send(Answer::Progress(p.clone()));
                    }
                }))
            }
        };
        if let Some(result) = refreshed {
            let changed = result.as_ref().is_ok_and(|r| r.indexed + r.removed > 0);
            send(Answer::Refreshed(result.map_err(|e| e.to_string())));
            if changed {
                if let Some(key) = &last_similar {
                    send(similar_answer(memory.as_ref(), key, &last_own));
                }
                if let Some(q) = &last_search {
                    send(search_answer(memory.as_ref(), q));
                }
            }
        }
        send(Answer::Handled(count));
    }
}

fn similar_answer(
    memory: Option<&Memory>,
    key: &(u64, AnnotationId, String),
    own: &Path,
) -> Answer {
    let result = match memory {
        None => Ok(Vec::new()),
        Some(m) => similar(m, &key.2, own, &key.1),
    };
    Answer::Similar {
        key: key.clone(),
        result,
    }
}

/// "Checked before" for the claim `id` of `own` (see [`crate::memory::checked`]).
fn similar(
    memory: &Memory,
    text: &str,
    own: &Path,
    id: &AnnotationId,
) -> Result<Vec<Match>, String> {
    crate::memory::checked::checked_before(memory, text, own, id, CHECKED_BEFORE_TOP)
        .map_err(|e| e.to_string())
}

fn search_answer(memory: Option<&Memory>, query: &str) -> Answer {
    let result = match memory {
        None => Ok(Vec::new()),
        Some(m) => m.search(query, SEARCH_LIMIT).map_err(|e| e.to_string()),
    };
    Answer::Found {
        query: query.to_owned(),
        result,
    }
}
