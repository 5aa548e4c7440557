//! Everything the window does with the disk, off the UI thread: file dialogs (through the
//! [`FilePicker`] seam), and one worker thread that opens stories, saves sidecars, runs
//! exports and imports' reads, and watches the open story and folder for outside changes.
//!
//! One worker, in order: a save submitted before an open is written before the open reads,
//! and a disk check never overtakes a save (so an old read cannot undo a newer write).
//! Results come back as [`Done`] and the worker wakes the window with `request_repaint`;
//! nothing here repaints on a timer. This module must not draw or change a document: the
//! dispatcher applies what comes back.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::app::command::ExportChoice;
use crate::document::{DiskStamps, Document, FileStamp, SaveDone, SaveJob};
use crate::settings::{FolderSettings, SettingsError};
use crate::store::Loaded;
use crate::workspace::{Change, StoryEntry, Watcher};

/// How often the open story and its sidecar are checked for outside changes (a `stat`).
pub const DISK_CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often the worker drains the folder watcher's debounced batches.
const FOLDER_POLL_EVERY: Duration = Duration::from_millis(100);

/// What a file dialog is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickRequest {
    /// Open a story.
    Story { start_dir: Option<PathBuf> },
    /// Open a folder of stories as a workspace.
    Folder { start_dir: Option<PathBuf> },
    /// Choose a W3C Web Annotation file to import.
    Annotations { start_dir: Option<PathBuf> },
    /// Choose where to save an export.
    SaveExport {
        start_dir: Option<PathBuf>,
        file_name: String,
    },
}

impl PickRequest {
    /// The folder the dialog starts in, if the request names one.
    pub fn start_dir(&self) -> Option<&Path> {
        match self {
            PickRequest::Story { start_dir }
            | PickRequest::Folder { start_dir }
            | PickRequest::Annotations { start_dir }
            | PickRequest::SaveExport { start_dir, .. } => start_dir.as_deref(),
        }
    }
}

/// How a file dialog ended, for pickers that can tell a dialog the person cancelled from
/// one that could not open at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickOutcome {
    Picked(PathBuf),
    Cancelled,
    /// No dialog could be shown (why, in words); the window offers its own path dialog.
    Unavailable(String),
}

/// Asks the user for a file. The native one runs a dialog off the UI thread; tests inject
/// their own.
pub trait FilePicker {
    /// Shows a dialog; the answer is the path chosen, or `None` (cancelled, or no dialog).
    fn pick(&self, request: PickRequest) -> Receiver<Option<PathBuf>>;

    /// Like [`FilePicker::pick`], but says when no dialog could open. Pickers that cannot
    /// tell keep the default (`None`: the app uses `pick`).
    fn pick_or_report(&self, request: &PickRequest) -> Option<Receiver<PickOutcome>> {
        let _ = request;
        None
    }
}

/// The system file dialog (rfd), run on its own thread so the window keeps painting.
///
/// rfd shows the desktop portal's dialog, else zenity's; with neither it returns `None` at
/// once, like a cancel. So before asking rfd this checks that one of them exists
/// ([`native_dialog_unavailable`]) and reports [`PickOutcome::Unavailable`] when not.
pub struct NativePicker;

impl FilePicker for NativePicker {
    fn pick(&self, request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(native_dialog(request));
        });
        rx
    }

    fn pick_or_report(&self, request: &PickRequest) -> Option<Receiver<PickOutcome>> {
        let (tx, rx) = channel();
        let request = request.clone();
        std::thread::spawn(move || {
            let outcome = match native_dialog_unavailable() {
                Some(reason) => PickOutcome::Unavailable(reason),
                None => match native_dialog(request) {
                    Some(p) => PickOutcome::Picked(p),
                    None => PickOutcome::Cancelled,
                },
            };
            let _ = tx.send(outcome);
        });
        Some(rx)
    }
}

/// Why no system file dialog can open here, or `None` when one can: rfd needs the desktop
/// portal's FileChooser on the session bus, or the `zenity` program. (Only the free
/// desktops are checked; elsewhere rfd uses the system's own dialogs.)
#[cfg(all(unix, not(target_os = "macos")))]
pub fn native_dialog_unavailable() -> Option<String> {
    if crate::app::paths::program_on_path("zenity") || file_chooser_portal() {
        None
    } else {
        Some("the system file dialog is not available (no desktop portal, no zenity)".into())
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn native_dialog_unavailable() -> Option<String> {
    None
}

/// Whether the session bus has a desktop portal with a FileChooser: asks it for the
/// interface's version (which also starts a portal that is activated on demand).
#[cfg(all(unix, not(target_os = "macos")))]
fn file_chooser_portal() -> bool {
    pollster::block_on(async {
        let Ok(bus) = zbus::Connection::session().await else {
            return false;
        };
        bus.call_method(
            Some("org.freedesktop.portal.Desktop"),
            "/org/freedesktop/portal/desktop",
            Some("org.freedesktop.DBus.Properties"),
            "Get",
            &("org.freedesktop.portal.FileChooser", "version"),
        )
        .await
        .is_ok()
    })
}

fn native_dialog(request: PickRequest) -> Option<PathBuf> {
    let with_dir = |d: rfd::FileDialog, dir: Option<PathBuf>| match dir {
        Some(dir) => d.set_directory(dir),
        None => d,
    };
    match request {
        PickRequest::Story { start_dir } => with_dir(
            rfd::FileDialog::new()
                .set_title("Open a story")
                .add_filter("Stories", crate::workspace::STORY_EXTENSIONS)
                .add_filter("All files", &["*"]),
            start_dir,
        )
        .pick_file(),
        PickRequest::Folder { start_dir } => with_dir(
            rfd::FileDialog::new().set_title("Open a folder of stories"),
            start_dir,
        )
        .pick_folder(),
        PickRequest::Annotations { start_dir } => with_dir(
            rfd::FileDialog::new()
                .set_title("Import W3C Web Annotations")
                .add_filter("JSON-LD / JSON", &["jsonld", "json"])
                .add_filter("All files", &["*"]),
            start_dir,
        )
        .pick_file(),
        PickRequest::SaveExport {
            start_dir,
            file_name,
        } => with_dir(
            rfd::FileDialog::new()
                .set_title("Export annotations")
                .set_file_name(file_name),
            start_dir,
        )
        .save_file(),
    }
}

/// What the app does with the file the user picks.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    OpenStory,
    OpenFolder,
    ExportClaims(crate::export::Format),
    Import,
    Export(Box<ExportChoice>),
    SaveCopy,
    /// A folder to add as a claim library.
    AddLibrary,
}

/// Work for the worker thread.
// One job at a time crosses the channel, so the size of the largest variant costs nothing
// worth a Box (the sidecar grew fields this round).
#[allow(clippy::large_enum_variant)]
enum Job {
    Open {
        path: PathBuf,
        serial: u64,
    },
    Save {
        serial: u64,
        job: SaveJob,
    },
    /// Watch this story and its sidecar (replacing the previous one).
    Watch {
        serial: u64,
        story: PathBuf,
        sidecar: PathBuf,
        stamps: DiskStamps,
    },
    WatchFolder(PathBuf),
    UnwatchFolder,
    /// Check the open story's files now (answers [`Done::Checked`]).
    CheckNow,
    SaveSettings {
        root: PathBuf,
        settings: FolderSettings,
    },
    /// Any other one-off disk task (exports, copies, reading an import file).
    Task(Box<dyn FnOnce() -> Done + Send>),
}

/// What the worker reports back.
pub enum Done {
    /// A story was opened (or could not be), for the open with this serial.
    Opened {
        path: PathBuf,
        serial: u64,
        result: Result<Box<Document>, String>,
        stamps: DiskStamps,
    },
    Saved {
        serial: u64,
        done: SaveDone,
    },
    /// The open story's file changed on disk (`exists`: it is still there).
    StoryChanged {
        serial: u64,
        exists: bool,
    },
    /// The open story's sidecar changed on disk: what it holds now (`None`: deleted).
    SidecarChanged {
        serial: u64,
        loaded: Result<Option<(Loaded, String)>, String>,
    },
    /// Files in the watched folder changed: the changes, the stories (other than the open
    /// one) re-read from disk, and the settings when `factmark.ron` changed.
    Folder {
        changes: Vec<Change>,
        entries: Vec<StoryEntry>,
        settings: Option<Result<FolderSettings, SettingsError>>,
    },
    FolderWatchFailed(String),
    /// The answer to a check asked for with [`Io::check_now`].
    Checked,
    SettingsSaved {
        settings: Box<FolderSettings>,
        result: Result<PathBuf, String>,
    },
    /// The text of a file to import.
    ImportRead {
        file: PathBuf,
        result: Result<String, String>,
    },
    /// A finished task's message for the status bar.
    Message {
        error: bool,
        text: String,
    },
}

impl Done {
    /// Whether this answers exactly one submitted job (what [`Io::wait`] waits for), as
    /// opposed to something the watchers noticed on their own.
    fn answers_a_job(&self) -> bool {
        !matches!(
            self,
            Done::StoryChanged { .. }
                | Done::SidecarChanged { .. }
                | Done::Folder { .. }
                | Done::FolderWatchFailed(_)
        )
    }
}

/// Wakes the window when the worker has something (a context arrives with the first frame).
#[derive(Clone, Default)]
struct Waker(Arc<Mutex<Option<egui::Context>>>);

impl Waker {
    fn wake(&self) {
        let ctx = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ctx) = ctx.as_ref() {
            ctx.request_repaint();
        }
    }
}

/// The answer a dialog will give.
enum Answer {
    Plain(Receiver<Option<PathBuf>>),
    Reported(Receiver<PickOutcome>),
}

/// A dialog's answer, as [`Io::picked`] hands it on.
#[derive(Debug, PartialEq)]
pub enum Picked {
    Path(Pending, PathBuf),
    /// No dialog could open: the window asks with its own path dialog instead.
    Unavailable {
        purpose: Pending,
        request: PickRequest,
        reason: String,
    },
}

/// The window's disk side: dialogs and the worker.
pub struct Io {
    picker: Box<dyn FilePicker>,
    pick: Option<(Pending, PickRequest, Answer)>,
    jobs: Sender<Job>,
    done: Receiver<Done>,
    in_flight: usize,
    waker: Waker,
}

impl Io {
    pub fn new(picker: Box<dyn FilePicker>) -> Self {
        let (jobs, job_rx) = channel();
        let (done_tx, done) = channel();
        let waker = Waker::default();
        let thread_waker = waker.clone();
        // If the thread cannot start, every job's sender fails and `submit` reports it.
        let _ = std::thread::Builder::new()
            .name("factmark-io".into())
            .spawn(move || worker(&job_rx, &done_tx, &thread_waker));
        Self {
            picker,
            pick: None,
            jobs,
            done,
            in_flight: 0,
            waker,
        }
    }

    /// Gives the worker the window to wake (once, from the first frame).
    pub fn set_context(&self, ctx: &egui::Context) {
        let mut slot = self.waker.0.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(ctx.clone());
        }
    }

    /// Opens a dialog for `purpose` (replacing one still open).
    pub fn pick(&mut self, request: PickRequest, purpose: Pending) {
        let answer = match self.picker.pick_or_report(&request) {
            Some(rx) => Answer::Reported(rx),
            None => Answer::Plain(self.picker.pick(request.clone())),
        };
        self.pick = Some((purpose, request, answer));
    }

    /// The dialog's answer, once there is one (a cancel ends the pick with nothing).
    pub fn picked(&mut self) -> Option<Picked> {
        let (_, _, answer) = self.pick.as_ref()?;
        let outcome = match answer {
            Answer::Plain(rx) => match rx.try_recv() {
                Ok(Some(path)) => PickOutcome::Picked(path),
                Ok(None) | Err(TryRecvError::Disconnected) => PickOutcome::Cancelled,
                Err(TryRecvError::Empty) => return None,
            },
            Answer::Reported(rx) => match rx.try_recv() {
                Ok(outcome) => outcome,
                Err(TryRecvError::Disconnected) => PickOutcome::Cancelled,
                Err(TryRecvError::Empty) => return None,
            },
        };
        let (purpose, request, _) = self.pick.take()?;
        match outcome {
            PickOutcome::Picked(path) => Some(Picked::Path(purpose, path)),
            PickOutcome::Cancelled => None,
            PickOutcome::Unavailable(reason) => Some(Picked::Unavailable {
                purpose,
                request,
                reason,
            }),
        }
    }

    /// True while a dialog is open (the window polls it, as dialogs do not wake it).
    pub fn picking(&self) -> bool {
        self.pick.is_some()
    }

    fn submit(&mut self, job: Job) -> bool {
        if self.jobs.send(job).is_ok() {
            self.in_flight += 1;
            true
        } else {
            false
        }
    }

    fn send_quiet(&self, job: Job) {
        let _ = self.jobs.send(job);
    }

    /// Reads a story and its sidecar on the worker.
    pub fn open(&mut self, path: &Path, serial: u64) -> bool {
        self.submit(Job::Open {
            path: path.to_owned(),
            serial,
        })
    }

    /// Writes a sidecar on the worker.
    pub fn save(&mut self, serial: u64, job: SaveJob) -> bool {
        self.submit(Job::Save { serial, job })
    }

    /// Watches the open story's files (for the story with this serial).
    pub fn watch(&self, serial: u64, doc: &Document, stamps: DiskStamps) {
        self.send_quiet(Job::Watch {
            serial,
            story: doc.path().to_owned(),
            sidecar: doc.sidecar_path().to_owned(),
            stamps,
        });
    }

    pub fn watch_folder(&self, root: &Path) {
        self.send_quiet(Job::WatchFolder(root.to_owned()));
    }

    pub fn unwatch_folder(&self) {
        self.send_quiet(Job::UnwatchFolder);
    }

    /// Looks at the open story's files now rather than at the next check.
    pub fn check_now(&mut self) {
        self.submit(Job::CheckNow);
    }

    pub fn save_settings(&mut self, root: &Path, settings: FolderSettings) -> bool {
        self.submit(Job::SaveSettings {
            root: root.to_owned(),
            settings,
        })
    }

    /// Runs a one-off disk task on the worker; its [`Done`] comes back like any other.
    pub fn task(&mut self, task: impl FnOnce() -> Done + Send + 'static) -> bool {
        self.submit(Job::Task(Box::new(task)))
    }

    /// What the worker finished so far, without waiting.
    pub fn finished(&mut self) -> Vec<Done> {
        let mut out = Vec::new();
        while let Ok(d) = self.done.try_recv() {
            self.count(&d);
            out.push(d);
        }
        out
    }

    /// Waits until every submitted job answered (tests; closing the window). Returns what
    /// came back; empty when nothing was in flight.
    pub fn wait(&mut self) -> Vec<Done> {
        let mut out = self.finished();
        while self.in_flight > 0 {
            match self.done.recv() {
                Ok(d) => {
                    self.count(&d);
                    out.push(d);
                }
                Err(_) => {
                    self.in_flight = 0;
                }
            }
        }
        out
    }

    /// True while submitted jobs have not answered yet.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    fn count(&mut self, d: &Done) {
        if d.answers_a_job() {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
    }
}

/// The open story's files as the worker last saw them.
struct Watched {
    serial: u64,
    story: PathBuf,
    sidecar: PathBuf,
    stamps: DiskStamps,
}

fn worker(jobs: &Receiver<Job>, done: &Sender<Done>, waker: &Waker) {
    let send = |d: Done| {
        let _ = done.send(d);
        waker.wake();
    };
    let mut watched: Option<Watched> = None;
    let mut folder: Option<(PathBuf, Watcher)> = None;
    let mut next_check = Instant::now() + DISK_CHECK_EVERY;
    loop {
        let until_check = next_check.saturating_duration_since(Instant::now());
        let timeout = if folder.is_some() {
            until_check.min(FOLDER_POLL_EVERY)
        } else {
            until_check
        };
        match jobs.recv_timeout(timeout) {
            Ok(job) => run_job(job, &mut watched, &mut folder, &send),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if Instant::now() >= next_check {
            if let Some(w) = &mut watched {
                check(w, &send);
            }
            next_check = Instant::now() + DISK_CHECK_EVERY;
        }
        if let Some((root, w)) = &folder {
            let changes = w.poll();
            if !changes.is_empty() {
                folder_changes(root, changes, &mut watched, &send);
            }
        }
    }
}

fn run_job(
    job: Job,
    watched: &mut Option<Watched>,
    folder: &mut Option<(PathBuf, Watcher)>,
    send: &impl Fn(Done),
) {
    match job {
        Job::Open { path, serial } => {
            let result = Document::open(&path)
                .map(Box::new)
                .map_err(|e| e.to_string());
            let stamps = match &result {
                Ok(doc) => doc.disk_stamps(),
                Err(_) => (None, None),
            };
            send(Done::Opened {
                path,
                serial,
                result,
                stamps,
            });
        }
        Job::Save { serial, job } => {
            let path = job.path().to_owned();
            let done = job.run();
            if done.succeeded() {
                // Our own write: neither watcher reports it back as an outside change.
                if let Some(w) = watched.as_mut().filter(|w| w.sidecar == path) {
                    w.stamps.1 = FileStamp::of(&path);
                }
                if let Some((_, f)) = folder {
                    f.own_write(&path);
                }
            }
            send(Done::Saved { serial, done });
        }
        Job::Watch {
            serial,
            story,
            sidecar,
            stamps,
        } => {
            *watched = Some(Watched {
                serial,
                story,
                sidecar,
                stamps,
            });
        }
        Job::WatchFolder(root) => match Watcher::new(&root) {
            Ok(w) => *folder = Some((root, w)),
            Err(e) => {
                *folder = None;
                send(Done::FolderWatchFailed(e.to_string()));
            }
        },
        Job::UnwatchFolder => *folder = None,
        Job::CheckNow => {
            if let Some(w) = watched {
                check(w, send);
            }
            send(Done::Checked);
        }
        Job::SaveSettings { root, settings } => {
            let result = settings.save(&root).map_err(|e| e.to_string());
            if let (Ok(path), Some((_, f))) = (&result, folder.as_ref()) {
                f.own_write(path);
            }
            send(Done::SettingsSaved {
                settings: Box::new(settings),
                result,
            });
        }
        Job::Task(task) => send(task()),
    }
}

/// Compares the open story's stamps with the last ones and reports what changed.
fn check(w: &mut Watched, send: &impl Fn(Done)) {
    let now = (FileStamp::of(&w.story), FileStamp::of(&w.sidecar));
    if now.0 != w.stamps.0 {
        send(Done::StoryChanged {
            serial: w.serial,
            exists: now.0.is_some(),
        });
    }
    if now.1 != w.stamps.1 {
        let loaded = crate::store::load(&w.sidecar).map_err(|e| e.to_string());
        send(Done::SidecarChanged {
            serial: w.serial,
            loaded,
        });
    }
    w.stamps = now;
}

/// Reads what the folder watcher reported: the open story is checked like any outside
/// change to it (merged by the document), the others are re-read for the table.
fn folder_changes(
    root: &Path,
    changes: Vec<Change>,
    watched: &mut Option<Watched>,
    send: &impl Fn(Done),
) {
    let mut entries = Vec::new();
    let mut settings = None;
    let mut check_open = false;
    for change in &changes {
        match change {
            Change::Story(_) | Change::Sidecar { .. } => {
                let Some(story) = change.story() else {
                    continue;
                };
                if watched.as_ref().is_some_and(|w| w.story == story) {
                    check_open = true;
                } else {
                    entries.push(StoryEntry::load(root, story));
                }
            }
            Change::Settings(_) => settings = Some(FolderSettings::load(root)),
            Change::Rescan => {}
        }
    }
    if check_open && let Some(w) = watched {
        check(w, send);
    }
    send(Done::Folder {
        changes,
        entries,
        settings,
    });
}
