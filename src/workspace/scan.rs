//! Loading a workspace on background threads ([`Scan`]), with progress and cancel.
//! It must not block the caller: a window polls it once per frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use thiserror::Error;

use super::discover::find_stories_until;
use super::{StoryEntry, Workspace};
use crate::settings::FolderSettings;

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

/// Shared between a [`Scan`] and its threads.
#[derive(Debug, Default)]
pub(super) struct ScanState {
    pub(super) done: AtomicUsize,
    pub(super) total: AtomicUsize,
    pub(super) cancelled: AtomicBool,
}

/// A workspace being loaded on background threads.
///
/// Poll [`Scan::progress`] and [`Scan::try_finish`] once per frame; [`Scan::cancel`] (or
/// dropping the scan) stops it between two stories. The stories are loaded by up to four
/// threads.
#[derive(Debug)]
pub struct Scan {
    pub(super) state: Arc<ScanState>,
    pub(super) result: Receiver<Result<Workspace, ScanError>>,
    pub(super) root: PathBuf,
    pub(super) finished: bool,
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

pub(super) fn scan(root: &Path, state: &ScanState) -> Result<Workspace, ScanError> {
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
