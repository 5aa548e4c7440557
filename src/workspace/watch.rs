//! Watching a workspace folder for outside changes ([`Watcher`]): debounced batches of
//! stories, sidecars and settings changed by someone else. It only reports: it must not
//! read or reload anything.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use thiserror::Error;

use super::discover::{has_story_extension, is_ignored};
use crate::document::FileStamp;
use crate::settings::SETTINGS_FILE;
use crate::store;

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
    pub(super) root: PathBuf,
    pub(super) changes: Receiver<Vec<Change>>,
    pub(super) own_writes: Arc<Mutex<HashMap<PathBuf, FileStamp>>>,
    // Dropping it stops the notifications, which ends the debounce thread.
    pub(super) _watcher: notify::RecommendedWatcher,
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
pub(super) fn debounce(
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
pub(super) fn collect(
    root: &Path,
    event: notify::Result<notify::Event>,
    pending: &mut BTreeSet<Change>,
) {
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
pub(super) fn classify(root: &Path, path: &Path) -> Option<Change> {
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
