//! The RON sidecar file (SPEC 5): `story.txt` -> `story.txt.annotations.ron`.
//!
//! What this module promises:
//! - **Deterministic**: the same [`Sidecar`] always gives the same bytes (annotations sorted
//!   by `(start, end, id)`, fixed field order, pretty-printed, trailing newline).
//! - **Atomic**: a save writes a temporary file in the same folder, syncs it and renames it
//!   over the old one; the previous version is kept as `*.annotations.ron.bak`.
//!   A reader never sees a half-written sidecar, whenever the process dies.
//! - **Never overwrites what it could not read**: [`SidecarFile::save`] re-reads the file on
//!   disk; if another program changed it since it was loaded, the two sets are merged by id
//!   ([`crate::merge`]); if it cannot be parsed, the save is refused.
//! - **One writer at a time** (SPEC 10): a save holds an advisory lock ([`FileLock`], on a
//!   hidden `.NAME.lock` file beside the sidecar) around read -> merge -> write -> rename,
//!   so two windows, a window and `factmark import`, or eight imports at once serialise
//!   instead of overwriting each other. Where locks are not honoured (some network file
//!   systems), the file is read again just before the rename; if it changed, the save merges
//!   again and retries ([`MAX_SAVE_ATTEMPTS`]).
//! - **Readable by colleagues**: every file is written by [`write_atomic`]; a new file gets
//!   the mode the umask allows (like any program's `open(0666)`), a replaced file keeps its
//!   mode and, where the owner may set it, its group.
//! - **Versioned**: older versions are migrated on load ([`migrate`]); newer ones are
//!   refused with [`StoreError::NewerVersion`] so the caller opens the story read-only.
//! - **Fast, with ron as the reference**: the bytes are written by a hand-made encoder and
//!   read by a hand-made reader for the canonical layout (`ron_fast`), several times faster
//!   than serde through the `ron` crate on large sidecars. The writer's output is proven
//!   byte-identical to ron's pretty printer (`tests/sidecar_codec.rs`); whatever the fast
//!   reader does not understand (comments, hand edits in other layouts, errors) is parsed
//!   by the `ron` crate, which also gives the line and column of errors.
//!
//! This module must not depend on any UI crate.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::merge::{MergeReport, merge3};
pub(crate) use crate::sidecar::error_position;
pub use crate::sidecar::{FORMAT, Loaded, Sidecar, StoreError, VERSION};

/// The file name suffix added to a story's file name.
pub const SIDECAR_SUFFIX: &str = ".annotations.ron";
/// Sidecars larger than this are refused (a hand-made or corrupt file, not real work).
pub const MAX_SIDECAR_BYTES: u64 = 512 * 1024 * 1024;

/// Where the sidecar of `story` lives: same folder, full file name + `.annotations.ron`.
pub fn sidecar_path(story: &Path) -> PathBuf {
    let mut name = story.file_name().unwrap_or_default().to_os_string();
    name.push(SIDECAR_SUFFIX);
    story.with_file_name(name)
}

/// Where the backup of a sidecar lives.
pub fn backup_path(sidecar: &Path) -> PathBuf {
    let mut name = sidecar.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    sidecar.with_file_name(name)
}

/// The story a sidecar belongs to, if `path` is named like a sidecar.
pub fn story_path_for(sidecar: &Path) -> Option<PathBuf> {
    let name = sidecar.file_name()?.to_str()?;
    let story = name.strip_suffix(SIDECAR_SUFFIX)?;
    (!story.is_empty()).then(|| sidecar.with_file_name(story))
}

pub fn is_sidecar_path(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(SIDECAR_SUFFIX) || n.ends_with(".annotations.ron.bak"))
}

/// Reads and parses a sidecar file, returning it with the file's text. `Ok(None)` when
/// there is no file at `path`.
pub fn load(path: &Path) -> Result<Option<(Loaded, String)>, StoreError> {
    read_if_exists(path)?
        .map(|bytes| parse_bytes(bytes, path))
        .transpose()
}

/// Parses the bytes of the sidecar file at `path`, returning it with its text.
fn parse_bytes(bytes: Vec<u8>, path: &Path) -> Result<(Loaded, String), StoreError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        StoreError::Parse {
            path: path.to_owned(),
            line,
            column,
            message: "the file is not UTF-8 text".to_owned(),
        }
    })?;
    let loaded = Sidecar::from_ron(&text, path)?;
    Ok((loaded, text))
}

fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    let read_err = |source| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    match fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_SIDECAR_BYTES => {
            return Err(StoreError::TooLarge {
                path: path.to_owned(),
                size: meta.len(),
            });
        }
        Ok(meta) if meta.is_dir() => {
            return Err(read_err(std::io::Error::other(
                "it is a folder, not a file",
            )));
        }
        Ok(_) => {}
        // A path under a regular file cannot hold a sidecar either: there is none to read,
        // and a save reports the real problem (it cannot write there) instead of a read error.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(read_err(e)),
    }
    fs::read(path).map(Some).map_err(read_err)
}

/// A sidecar on disk as this process last saw it, so a later save can tell whether someone
/// else changed the file in between.
///
/// It keeps the file's text as last loaded or saved rather than a hash of it and a copy of
/// its annotations: telling whether the file changed is then a read and a byte comparison,
/// saving needs no hashing or cloning, and the merge base is parsed from that text only in
/// the rare case that a merge is needed.
#[derive(Clone, Debug)]
pub struct SidecarFile {
    path: PathBuf,
    /// The file's text as last loaded or saved; `None` when there was no file.
    seen: Option<String>,
}

/// What a save did.
#[derive(Clone, Debug, Default)]
pub struct SaveOutcome {
    /// Set when the file had changed on disk and was merged in; the caller's sidecar now
    /// holds the merged set.
    pub merged: Option<MergeReport>,
    /// False when the file already held exactly these bytes (nothing was written).
    pub wrote: bool,
}

impl SidecarFile {
    /// Opens the sidecar of `story`. `Ok((file, None))` when the story has no sidecar yet.
    pub fn open(story: &Path) -> Result<(Self, Option<Loaded>), StoreError> {
        let path = sidecar_path(story);
        let (loaded, seen) = match load(&path)? {
            None => (None, None),
            Some((loaded, text)) => (Some(loaded), Some(text)),
        };
        Ok((Self { path, seen }, loaded))
    }

    /// A handle for a story whose sidecar could not be read. Its saves still re-read the
    /// file first, so they fail rather than overwrite what could not be parsed.
    pub fn unreadable(story: &Path) -> Self {
        Self {
            path: sidecar_path(story),
            seen: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sidecar as last loaded or saved (an empty one when there was none): the base of
    /// a three-way merge, parsed once per merge.
    pub fn base(&self) -> Result<Sidecar, StoreError> {
        match &self.seen {
            None => Ok(Sidecar::new("", "", 0, "")),
            Some(text) => Ok(Sidecar::from_ron(text, &self.path)?.sidecar),
        }
    }

    /// True when the file on disk differs from what was last loaded or saved.
    pub fn changed_on_disk(&self) -> Result<bool, StoreError> {
        let now = read_if_exists(&self.path)?;
        Ok(now.as_deref() != self.seen.as_ref().map(|s| s.as_bytes()))
    }

    /// Saves `sidecar`. If the file changed on disk since it was loaded, the disk version is
    /// merged in first (and `sidecar.annotations` becomes the merged set). A file on disk
    /// that cannot be read or parsed is never overwritten.
    ///
    /// The whole read -> merge -> write -> rename runs under the sidecar's [`FileLock`], and
    /// the file is compared once more just before the rename (for writers that ignore the
    /// lock); when it changed, the new version is merged in and the write retried.
    pub fn save(&mut self, sidecar: &mut Sidecar) -> Result<SaveOutcome, StoreError> {
        self.save_with(sidecar, &mut |file, bytes| file.write_all(bytes))
    }

    /// [`SidecarFile::save`] with the step that fills the temporary file supplied by the
    /// caller, as for [`write_atomic_with`]: tests use it to change the file on disk behind
    /// the lock's back, as a writer on a network drive that ignores locks would.
    #[doc(hidden)]
    pub fn save_with(
        &mut self,
        sidecar: &mut Sidecar,
        fill: &mut FillTemp<'_>,
    ) -> Result<SaveOutcome, StoreError> {
        let mut outcome = SaveOutcome::default();
        // A folder where the sidecar goes (e.g. the file was replaced by one) is a write
        // problem for the user, not a sidecar that could not be read: say that the save
        // failed and the edits are kept.
        if fs::metadata(&self.path).is_ok_and(|m| m.is_dir()) {
            return Err(StoreError::Write {
                path: self.path.clone(),
                source: std::io::Error::other(
                    "a folder with the sidecar's name is in the way (move it, or save elsewhere)",
                ),
            });
        }
        let _lock = FileLock::acquire(&self.path)?;
        for _ in 0..MAX_SAVE_ATTEMPTS {
            // Compare what is on disk with what we last loaded or saved. When it is the same
            // (the usual case) it was readable then and there is nothing to merge, so it is
            // not parsed again.
            let on_disk = read_if_exists(&self.path)?;
            if on_disk.as_deref() != self.seen.as_ref().map(|s| s.as_bytes()) {
                let (theirs, their_text) = match on_disk.clone() {
                    Some(bytes) => {
                        let (loaded, text) = parse_bytes(bytes, &self.path)?;
                        (loaded.sidecar, Some(text))
                    }
                    None => (Sidecar::new("", "", 0, ""), None),
                };
                let base = self.base()?;
                let (merged, report) =
                    merge3(&base.annotations, &sidecar.annotations, &theirs.annotations);
                sidecar.annotations = merged;
                crate::merge::merge_story_fields(&base, sidecar, &theirs);
                outcome.merged = Some(match outcome.merged.take() {
                    None => report,
                    Some(earlier) => combine(earlier, report),
                });
                // What is on disk is now part of ours: it is the base of any further merge.
                self.seen = their_text;
            }
            let text = sidecar.to_ron()?;
            if on_disk.as_deref() == Some(text.as_bytes()) {
                self.seen = Some(text);
                return Ok(outcome);
            }
            let unchanged = || read_if_exists(&self.path).ok().as_ref() == Some(&on_disk);
            match write_checked(&self.path, text.as_bytes(), true, fill, &unchanged)? {
                Written::Yes => {
                    outcome.wrote = true;
                    self.seen = Some(text);
                    return Ok(outcome);
                }
                // Someone wrote meanwhile without taking the lock: merge again.
                Written::ChangedMeanwhile => {}
            }
        }
        Err(StoreError::Write {
            path: self.path.clone(),
            source: std::io::Error::other(format!(
                "another program kept changing the file while it was being saved \
                 ({MAX_SAVE_ATTEMPTS} attempts); the edits are kept, try saving again"
            )),
        })
    }

    /// Takes `text`, now on disk, as what was last seen (after the caller merged it in
    /// itself).
    pub fn rebase(&mut self, text: Option<String>) {
        self.seen = text;
    }
}

/// How many times a save merges and writes again when the file changed just before its
/// rename (only where the lock is not honoured); beyond that it gives up and says so.
pub const MAX_SAVE_ATTEMPTS: usize = 8;

/// Merges two reports of one save that had to merge twice.
fn combine(mut a: MergeReport, b: MergeReport) -> MergeReport {
    a.added += b.added;
    a.removed += b.removed;
    a.updated += b.updated;
    a.conflicts.extend(b.conflicts);
    a
}

/// The one helper for "atomic write of a file", used by every writer (sidecars, backups,
/// `factmark.ron`, exports, the merge driver's output): a temp file in the same folder,
/// flushed and synced, then renamed over `path`. With `backup`, the previous file first
/// becomes `.bak` (itself atomically: hard-linked, or copied where links are not possible).
/// A symlink at `path` is followed, so the link stays a link.
///
/// Modes: a new file gets `0666` less the umask, as files made by any other program do
/// (never the temp file's private `0600`); a replaced file keeps its mode and, where the
/// owner is allowed to set it, its group.
pub fn write_atomic(path: &Path, bytes: &[u8], backup: bool) -> Result<(), StoreError> {
    write_atomic_with(path, bytes, backup, &mut |file, bytes| {
        file.write_all(bytes)
    })
}

/// How the bytes get into a temporary file; [`write_atomic`] uses `write_all`.
pub type FillTemp<'a> = dyn FnMut(&mut dyn Write, &[u8]) -> std::io::Result<()> + 'a;

/// [`write_atomic`] with the step that fills each temporary file (the backup copy, then
/// the new sidecar) supplied by the caller. It exists so tests can make a write fail
/// midway, as a full disk does, on any file system; everything else is the real path.
#[doc(hidden)]
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    backup: bool,
    fill: &mut FillTemp<'_>,
) -> Result<(), StoreError> {
    write_checked(path, bytes, backup, fill, &|| true).map(|_| ())
}

/// Whether [`write_checked`] renamed its file into place.
enum Written {
    Yes,
    /// `unchanged` said no just before the rename: nothing was replaced.
    ChangedMeanwhile,
}

/// [`write_atomic_with`], asking `unchanged` just before the rename whether the file is
/// still what the caller based its bytes on.
fn write_checked(
    path: &Path,
    bytes: &[u8],
    backup: bool,
    fill: &mut FillTemp<'_>,
    unchanged: &dyn Fn() -> bool,
) -> Result<Written, StoreError> {
    let target = match fs::read_link(path) {
        Ok(link) => path.parent().unwrap_or(Path::new(".")).join(link),
        Err(_) => path.to_owned(),
    };
    let err = |source| StoreError::Write {
        path: path.to_owned(),
        source,
    };
    let old = fs::metadata(&target).ok();
    if let Some(meta) = &old {
        if meta.is_dir() {
            return Err(err(std::io::Error::other("a folder is in the way")));
        }
        if backup {
            // The new version replaces `target` by rename (a new inode), so the old inode can
            // simply become the backup: no read and rewrite of the whole file. Where hard
            // links are not available (some network and FAT file systems) it is copied.
            if link_backup(&target).is_err() {
                let old_bytes = fs::read(&target).map_err(err)?;
                let bak = backup_path(&target);
                let like = fs::metadata(&bak).ok().unwrap_or_else(|| meta.clone());
                write_replacing(&bak, &old_bytes, Some(&like), fill, &|| true).map_err(err)?;
            }
        }
    }
    write_replacing(&target, bytes, old.as_ref(), fill, unchanged).map_err(err)
}

/// Makes `path`'s current file its `.bak` without copying it: a hard link under a temporary
/// name, renamed over the old backup (so the `.bak` is always whole, like the sidecar).
fn link_backup(path: &Path) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let backup = backup_path(path);
    // Already the backup (a save whose write failed after linking): POSIX `rename` between
    // two links of one file does nothing and would leave the temporary link behind.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (fs::metadata(path), fs::metadata(&backup))
            && (a.dev(), a.ino()) == (b.dev(), b.ino())
        {
            return Ok(());
        }
    }
    let link = tempfile::Builder::new()
        .prefix(".factmark-")
        .suffix(".bak.tmp")
        .make_in(dir, |tmp| fs::hard_link(path, tmp))?;
    link.into_temp_path().persist(backup).map_err(|e| e.error)
}

/// Writes `bytes` to a temp file beside `path` and renames it over `path`. `like` is the
/// file being replaced (its mode and group are kept); `None` for a new file.
fn write_replacing(
    path: &Path,
    bytes: &[u8],
    like: Option<&fs::Metadata>,
    fill: &mut FillTemp<'_>,
    unchanged: &dyn Fn() -> bool,
) -> std::io::Result<Written> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // On any error below the temp file is dropped, which deletes it: nothing is renamed.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".factmark-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Passed to open(2), so the kernel applies the umask: what a new file of any
        // program gets. tempfile's own default, 0600, would hide the file from colleagues.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(old) = like {
        keep_mode_and_group(tmp.as_file(), old)?;
    }
    fill(&mut tmp, bytes)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    if !unchanged() {
        return Ok(Written::ChangedMeanwhile);
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Written::Yes)
}

/// Gives the new file `file` the permissions and (where allowed) the group of `old`, the
/// file it replaces, so replacing a shared `0640` sidecar does not make it `0644` or `0600`.
#[cfg(unix)]
fn keep_mode_and_group(file: &fs::File, old: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mine = file.metadata()?;
    if mine.gid() != old.gid() {
        // Only the owner's own groups may be set; anything else is EPERM, and then the file
        // keeps the owner's group rather than the save failing.
        match std::os::unix::fs::fchown(file, None, Some(old.gid())) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(libc_eperm()) => {}
            Err(e) => return Err(e),
        }
    }
    file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode_and_group(file: &fs::File, old: &fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(old.permissions())
}

/// `EPERM`, the same number on every Unix.
#[cfg(unix)]
const fn libc_eperm() -> i32 {
    1
}

/// An advisory lock on a sidecar (or any file [`write_atomic`] replaces), held while it is
/// read, merged and replaced. Released (and its lock file removed) on drop.
///
/// Why a separate lock file and not the sidecar itself: a save replaces the sidecar by
/// rename, so a lock on the sidecar would be on an inode that stops being the sidecar at
/// the first save, and a process waiting on it would then hold a lock nobody else asks for.
/// The lock file `.NAME.lock` (hidden, so folder scans and the watcher skip it) is never
/// renamed. It is removed by the holder before unlocking, so none is left behind; a process
/// that got the lock on a file that was removed meanwhile notices (its inode is no longer
/// the one at the path) and takes the lock again.
///
/// Where locking is not supported (some network file systems) the lock is skipped; saves
/// then rely on the check before the rename.
#[derive(Debug)]
pub struct FileLock {
    held: Option<(fs::File, PathBuf)>,
}

/// How long a save waits for another process's lock before saying so. Real saves hold it
/// for milliseconds; only a stuck program holds it this long.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Where the lock of `path` lives: `dir/.NAME.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".lock");
    path.with_file_name(name)
}

impl FileLock {
    /// Takes the lock of `path`, waiting up to [`LOCK_WAIT`] for another holder.
    pub fn acquire(path: &Path) -> Result<Self, StoreError> {
        let lock = lock_path(path);
        let deadline = Instant::now() + LOCK_WAIT;
        let mut pause = Duration::from_millis(1);
        loop {
            let file = match fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock)
            {
                Ok(f) => f,
                // No lock file possible here (read-only folder, odd file system): go on
                // unlocked; the write itself reports a folder it cannot write to.
                Err(_) => return Ok(Self { held: None }),
            };
            match file.try_lock() {
                Ok(()) => {
                    if same_file(&file, &lock) {
                        return Ok(Self {
                            held: Some((file, lock)),
                        });
                    }
                    // The previous holder removed this lock file as we got it: start over.
                    continue;
                }
                Err(fs::TryLockError::WouldBlock) => {}
                // Locks not supported here: rely on the check before the rename.
                Err(fs::TryLockError::Error(_)) => return Ok(Self { held: None }),
            }
            drop(file);
            if Instant::now() >= deadline {
                return Err(StoreError::Write {
                    path: path.to_owned(),
                    source: std::io::Error::other(format!(
                        "another program has been saving it for over {} s (its lock is {}); \
                         the edits are kept, try again",
                        LOCK_WAIT.as_secs(),
                        lock.display()
                    )),
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// True when the lock was taken (false where locks are not available).
    pub fn is_held(&self) -> bool {
        self.held.is_some()
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        if let Some((file, path)) = self.held.take() {
            // Remove while still holding it, so nobody can lock this inode and believe it
            // is the current lock file (see `same_file`); closing the file then unlocks.
            let _ = fs::remove_file(&path);
            drop(file);
        }
    }
}

/// True when the open `file` is still the file at `path`.
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::{Anchor, Span};
    use crate::model::Annotation;
    use crate::model::{Source, Status};
    use crate::text::StoryText;

    fn sample(text: &StoryText) -> Sidecar {
        let mut s = Sidecar::new("story.txt", text.sha256(), text.len_chars(), "UTF-8");
        let mut a = Annotation::new(Anchor::from_span(text, Span::new(4, 9)), "Claim", "ana");
        a.verdict = Some("False".into());
        a.status = Status::NeedsReview;
        a.sources.push(Source::External {
            url: "https://example.org/budget".into(),
            title: "Budget \"2024\"".into(),
            note: "line 1\nline 2".into(),
            accessed: None,
        });
        s.annotations.insert(a);
        s
    }

    #[test]
    fn round_trip_is_byte_identical() {
        let text = StoryText::new("The mayor said: «ça coûte 3 €» 👍".to_owned());
        let s = sample(&text);
        let ron = s.to_ron().expect("encode");
        let back = Sidecar::from_ron(&ron, Path::new("x"))
            .expect("parse")
            .sidecar;
        assert_eq!(back, s);
        assert_eq!(back.to_ron().expect("encode"), ron);
        assert!(ron.ends_with(")\n"));
        assert!(ron.starts_with("(\n    format: \"factmark\",\n    version: 1,"));
    }

    #[test]
    fn parse_errors_have_line_and_column() {
        let err = Sidecar::from_ron(
            "(\n  format: \"factmark\",\n  version: 1,\n  story: oops\n)",
            Path::new("s.ron"),
        )
        .expect_err("must fail");
        match err {
            StoreError::Parse { line, .. } => assert_eq!(line, 4),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn parse_error_points_at_the_token_not_the_blank_before_it() {
        // Regression: RON's span starts at the space after `story:`, one column early.
        for (text, line, column) in [
            (
                "(\n  format: \"factmark\",\n  version: 1,\n  story: ???\n)",
                4,
                10,
            ),
            ("(format:\"factmark\",version:1,story:???)", 1, 36),
            ("(format: \"factmark\", version: 1, story:\n\n   ???)", 3, 4),
        ] {
            match Sidecar::from_ron(text, Path::new("s.ron")) {
                Err(StoreError::Parse {
                    line: l, column: c, ..
                }) => assert_eq!((l, c), (line, column), "{text:?}"),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn newer_version_is_refused() {
        let err = Sidecar::from_ron("(format: \"factmark\", version: 99)", Path::new("s.ron"))
            .expect_err("must fail");
        assert!(matches!(err, StoreError::NewerVersion { version: 99, .. }));
    }

    #[test]
    fn save_writes_backup_and_merges_outside_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let story = dir.path().join("story.txt");
        fs::write(&story, "The mayor said so.").expect("write story");
        let text = StoryText::new("The mayor said so.".to_owned());

        let (mut file, loaded) = SidecarFile::open(&story).expect("open");
        assert!(loaded.is_none());
        let mut ours = sample(&text);
        file.save(&mut ours).expect("first save");
        assert!(!backup_path(file.path()).exists(), "nothing to back up yet");

        // Another editor adds an annotation on disk.
        let mut theirs = ours.clone();
        let other = Annotation::new(Anchor::from_span(&text, Span::new(10, 14)), "Note", "bo");
        theirs.annotations.insert(other.clone());
        fs::write(file.path(), theirs.to_ron().expect("encode")).expect("outside write");

        // We edit ours and save: theirs must survive.
        let id = ours.annotations.iter().next().expect("one").id.clone();
        let mut edited = ours.annotations.get(&id).expect("a").clone();
        edited.claimant = "The mayor".into();
        ours.annotations.replace(edited);
        let outcome = file.save(&mut ours).expect("second save");
        assert_eq!(outcome.merged.map(|r| r.added), Some(1));
        let (back, _) = load(file.path()).expect("load").expect("exists");
        assert!(back.sidecar.annotations.get(&other.id).is_some());
        assert_eq!(
            back.sidecar
                .annotations
                .get(&id)
                .map(|a| a.claimant.as_str()),
            Some("The mayor")
        );
        assert!(backup_path(file.path()).exists());
    }

    /// The `.bak` is the previous version (made by a hard link, not a copy) and leaves no
    /// temporary file behind, also when it already is a link of the current file.
    #[test]
    fn backup_holds_the_previous_version_and_no_temp_files_remain() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.ron");
        let bak = backup_path(&path);
        write_atomic(&path, b"one", true).expect("first");
        assert!(!bak.exists());
        write_atomic(&path, b"two", true).expect("second");
        write_atomic(&path, b"three", true).expect("third");
        assert_eq!(fs::read(&path).expect("read"), b"three");
        assert_eq!(fs::read(&bak).expect("read bak"), b"two");

        // As after a save that linked the backup but then failed to write: both names
        // are one file.
        fs::remove_file(&bak).expect("rm bak");
        fs::hard_link(&path, &bak).expect("link");
        write_atomic(&path, b"four", true).expect("fourth");
        assert_eq!(fs::read(&path).expect("read"), b"four");
        assert_eq!(fs::read(&bak).expect("read bak"), b"three");

        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["s.ron", "s.ron.bak"]);
    }

    #[test]
    fn unreadable_sidecar_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let story = dir.path().join("story.txt");
        let text = StoryText::new("The mayor said so.".to_owned());
        let (mut file, _) = SidecarFile::open(&story).expect("open");
        fs::write(file.path(), "garbage (").expect("write garbage");
        let mut s = sample(&text);
        assert!(file.save(&mut s).is_err());
        assert_eq!(fs::read_to_string(file.path()).expect("read"), "garbage (");
    }

    #[test]
    fn sidecar_names() {
        let p = sidecar_path(Path::new("/a/story.txt"));
        assert_eq!(p, Path::new("/a/story.txt.annotations.ron"));
        assert_eq!(
            story_path_for(&p).as_deref(),
            Some(Path::new("/a/story.txt"))
        );
        assert!(is_sidecar_path(&p));
    }
}
