//! The bad-input matrix of `docs/RELIABILITY.md` (issue 8), for the rows no other test
//! file proves: odd stories (200 MB, NUL bytes, mixed line endings, a 1 MB line),
//! hand-edited sidecars, failed writes (read-only folder, full disk, a failing writer),
//! symlinked sidecars, stories deleted while open, and the security promises (no network
//! client, only web links opened, nothing written outside the story's folder).
//!
//! Tests run as root in CI, where permission bits do not stop a write. A read-only folder
//! is made with `chattr +i` (the immutable flag stops root too); a full disk is a 64 KiB
//! tmpfs. Where either is not available (no root, no `chattr`, a file system without the
//! flag) the test says so on stderr and proves the same promise through
//! [`store::write_atomic_with`], which makes the write fail the same way.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use factmark::anchor::{Anchor, AnchorState, Span};
use factmark::check::check_story;
use factmark::document::{Document, DocumentError};
use factmark::model::{Annotation, AnnotationId, validate_source_url};
use factmark::store::{self, Sidecar, StoreError, backup_path, sidecar_path};
use factmark::text::{StoryText, TextError, load_story};

const STORY: &str = "The mayor said the bridge cost 48 million euros.\n\nCritics said it was twice that, \
                     according to the regional audit office.\n";

fn story_in(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("story.txt");
    fs::write(&path, text).expect("write story");
    path
}

/// A story with one saved annotation ("mayor"); returns the folder, story and sidecar bytes.
fn saved_story() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story_in(dir.path(), STORY);
    let mut doc = Document::open(&story).expect("open");
    doc.create(Span::new(4, 9), "Claim", "ana").expect("create");
    doc.save().expect("first save");
    let bytes = fs::read(sidecar_path(&story)).expect("sidecar");
    (dir, story, bytes)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------- odd stories

#[test]
fn a_200_mb_story_is_refused_from_its_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.txt");
    // Sparse: 200 MB long without writing 200 MB; the refusal must come from the size alone.
    let file = fs::File::create(&path).expect("create");
    file.set_len(200 * 1000 * 1000).expect("set_len");
    let err = load_story(&path).expect_err("too large");
    assert!(matches!(err, TextError::TooLarge { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("is too large (200000000 bytes; the limit is 67108864 bytes)"),
        "{msg}"
    );
    assert!(msg.contains("split it into smaller stories"), "{msg}");
    assert!(matches!(
        Document::open(&path),
        Err(DocumentError::Text(TextError::TooLarge { .. }))
    ));
}

#[test]
fn nul_bytes_in_a_story_are_refused_as_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nul.txt");
    let mut bytes = STORY.as_bytes().to_vec();
    bytes.insert(20, 0);
    fs::write(&path, &bytes).expect("write");
    let err = load_story(&path).expect_err("NUL is not text");
    assert!(matches!(err, TextError::Binary { .. }), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("looks like a binary file, not text; open a plain-text story (.txt, .md)"),
        "{err}"
    );
    assert_eq!(fs::read(&path).expect("read"), bytes, "never rewritten");
}

#[test]
fn mixed_line_endings_open_as_one_canonical_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mixed.txt");
    let raw = "First line\r\nsecond line\nthird line\rfourth line\r\n";
    fs::write(&path, raw).expect("write");
    let story = load_story(&path).expect("opens");
    assert_eq!(
        story.text.as_str(),
        "First line\nsecond line\nthird line\nfourth line\n"
    );
    assert_eq!(story.text.line_count(), 5);
    // An annotation on the last line is placed by chars of the canonical text and saved;
    // the story file itself keeps its original line endings.
    let mut doc = Document::open(&path).expect("open");
    let start = story.text.as_str().find("fourth").expect("there");
    let id = doc
        .create(Span::new(start, start + 6), "Claim", "ana")
        .expect("create");
    doc.save().expect("save");
    assert_eq!(fs::read_to_string(&path).expect("read"), raw);
    let again = Document::open(&path).expect("reopen");
    assert_eq!(again.get(&id).expect("kept").anchor.quote, "fourth");
    assert!(again.reanchored.is_none());
}

#[test]
fn a_one_megabyte_single_line_opens_edits_and_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut line = String::with_capacity(1 << 20);
    while line.len() < (1 << 20) {
        line.push_str("the budget grew by «12 %» again ");
    }
    line.push_str("END");
    let path = story_in(dir.path(), &line);
    let mut doc = Document::open(&path).expect("open");
    assert_eq!(doc.story.text.line_count(), 1);
    let len = doc.story.text.len_chars();
    let id = doc
        .create(Span::new(len - 3, len), "Claim", "ana")
        .expect("create at the far end");
    doc.save().expect("save");
    let again = Document::open(&path).expect("reopen");
    assert_eq!(again.get(&id).expect("kept").anchor.quote, "END");
    assert!(again.reanchored.is_none());
}

// ---------------------------------------------------------------- hand-edited sidecars

/// A sidecar for [`STORY`] holding `annotations` exactly as given (no validation), which
/// is what a hand-edited file can contain.
fn write_sidecar(story: &Path, annotations: Vec<Annotation>) -> String {
    let text = StoryText::new(STORY.to_owned());
    let mut sidecar = Sidecar::new("story.txt", text.sha256(), text.len_chars(), "UTF-8");
    for a in annotations {
        sidecar.annotations.insert(a);
    }
    let ron = sidecar.to_ron().expect("encode");
    fs::write(sidecar_path(story), &ron).expect("write sidecar");
    ron
}

fn annotation(id: &str, start: usize, end: usize, quote: &str) -> Annotation {
    let text = StoryText::new(STORY.to_owned());
    let mut a = Annotation::new(Anchor::from_span(&text, Span::new(0, 3)), "Claim", "ana");
    a.id = AnnotationId(id.to_owned());
    a.anchor = Anchor {
        start,
        end,
        quote: quote.to_owned(),
        prefix: String::new(),
        suffix: String::new(),
    };
    a
}

/// A story whose hand-edited sidecar gives two annotations ("mayor", "bridge") the id `dup-a`.
fn story_with_a_repeated_id(dir: &Path) -> PathBuf {
    let story = story_in(dir, STORY);
    let ron = write_sidecar(
        &story,
        vec![
            annotation("dup-a", 4, 9, "mayor"),
            annotation("dup-b", 19, 25, "bridge"),
        ],
    );
    fs::write(sidecar_path(&story), ron.replace("\"dup-b\"", "\"dup-a\"")).expect("edit");
    story
}

#[test]
fn duplicate_ids_in_a_sidecar_keep_both_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story_with_a_repeated_id(dir.path());
    let report = check_story(&story);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.starts_with("duplicate annotation id dup-a (the copy would be renamed ")),
        "{:?}",
        report.problems
    );
    let doc = Document::open(&story).expect("open");
    assert!(doc.read_only().is_none());
    assert_eq!(doc.annotations().len(), 2, "nothing dropped");
    let quotes: Vec<&str> = doc
        .annotations()
        .iter()
        .map(|a| a.anchor.quote.as_str())
        .collect();
    assert_eq!(quotes, ["mayor", "bridge"]);
    assert!(
        doc.notes.iter().any(|n| n.starts_with(
            "The sidecar had two annotations with id dup-a; the second now has id dup-a-2"
        )),
        "{:?}",
        doc.notes
    );
}

/// Every reader renames a repeated id the same way, so two editors (or the merge base parsed
/// again at save time) agree on it, and a save merging an outside change keeps both
/// annotations once each.
#[test]
fn a_repeated_id_is_renamed_the_same_way_by_every_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story_with_a_repeated_id(dir.path());

    let mut mine = Document::open(&story).expect("open");
    let mut theirs = Document::open(&story).expect("open again");
    let ids = |d: &Document| -> Vec<String> {
        d.annotations().iter().map(|a| a.id.to_string()).collect()
    };
    assert_eq!(ids(&mine), ["dup-a", "dup-a-2"]);
    assert_eq!(ids(&mine), ids(&theirs));

    // The other editor changes the renamed copy and saves first.
    let mut copy = theirs.annotations().iter().nth(1).expect("copy").clone();
    copy.claimant = "Critics".into();
    theirs
        .apply(
            "Edit claimant",
            factmark::history::Edit::Replace(copy),
            false,
        )
        .expect("edit");
    theirs.save().expect("their save");
    // Mine changes the first one and saves: a merge with the file on disk.
    let mut first = mine.annotations().iter().next().expect("first").clone();
    first.claimant = "The mayor".into();
    mine.apply(
        "Edit claimant",
        factmark::history::Edit::Replace(first),
        false,
    )
    .expect("edit");
    let outcome = mine.save().expect("my save");
    let report = outcome.merged.expect("the outside change was merged");
    assert!(report.conflicts.is_empty(), "{report:?}");

    let (loaded, _) = store::load(&sidecar_path(&story))
        .expect("load")
        .expect("exists");
    let saved: Vec<(String, String)> = loaded
        .sidecar
        .annotations
        .iter()
        .map(|a| (a.id.to_string(), a.claimant.clone()))
        .collect();
    assert_eq!(
        saved,
        [
            ("dup-a".to_owned(), "The mayor".to_owned()),
            ("dup-a-2".to_owned(), "Critics".to_owned())
        ]
    );
}

#[test]
fn spans_out_of_range_or_backwards_are_moved_or_orphaned_never_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story_in(dir.path(), STORY);
    let chars = STORY.chars().count();
    write_sidecar(
        &story,
        vec![
            // Far past the end, but the quote is in the story: found again.
            annotation("past-end", chars + 500, chars + 505, "mayor"),
            // End before start, quote in the story.
            annotation("backwards", 25, 19, "bridge"),
            // End before start and a quote that is nowhere: orphaned, kept.
            annotation("lost", 90, 3, "a sentence that is not there"),
            annotation("huge", usize::MAX - 1, usize::MAX, "x y z"),
        ],
    );
    let report = check_story(&story);
    assert_eq!(report.counts.moved, 2, "{:?}", report.counts);
    assert_eq!(report.counts.orphaned, 2, "{:?}", report.counts);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == "2 anchors do not match the unchanged story (the sidecar was edited?)"),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == "2 orphaned (quote no longer in the story: re-attach in the window)"),
        "{:?}",
        report.problems
    );
    let mut doc = Document::open(&story).expect("open");
    let get =
        |doc: &Document, id: &str| doc.get(&AnnotationId(id.to_owned())).expect("kept").clone();
    assert_eq!(get(&doc, "past-end").anchor.span(), Span::new(4, 9));
    assert_eq!(get(&doc, "backwards").anchor.span(), Span::new(19, 25));
    assert_eq!(get(&doc, "lost").state, AnchorState::Orphaned);
    assert_eq!(
        get(&doc, "lost").anchor.quote,
        "a sentence that is not there"
    );
    assert_eq!(get(&doc, "huge").state, AnchorState::Orphaned);
    // The repaired positions are saved with the next save; orphans keep their quote.
    doc.create(Span::new(31, 33), "Claim", "ana").expect("edit");
    doc.save().expect("save");
    let (loaded, _) = store::load(&sidecar_path(&story))
        .expect("load")
        .expect("exists");
    assert_eq!(loaded.sidecar.annotations.len(), 5);
}

#[test]
fn unknown_labels_and_verdicts_are_reported_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story_in(dir.path(), STORY);
    let mut a = annotation("odd", 4, 9, "mayor");
    a.label = "Rumour".into();
    a.verdict = Some("Pants on fire".into());
    write_sidecar(&story, vec![a]);
    let report = check_story(&story);
    assert!(
        report.problems.iter().any(|p| p == "unknown label Rumour"),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == "verdict not on the rating scale: Pants on fire"),
        "{:?}",
        report.problems
    );
    let mut doc = Document::open(&story).expect("open");
    assert!(doc.read_only().is_none());
    doc.create(Span::new(19, 25), "Claim", "ana").expect("edit");
    doc.save().expect("save");
    let (loaded, _) = store::load(&sidecar_path(&story))
        .expect("load")
        .expect("exists");
    let kept = loaded
        .sidecar
        .annotations
        .get(&AnnotationId("odd".into()))
        .expect("kept")
        .clone();
    assert_eq!(kept.label, "Rumour");
    assert_eq!(kept.verdict.as_deref(), Some("Pants on fire"));
}

// ---------------------------------------------------------------- failed writes

/// Runs a command, true when it succeeded.
fn run(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Clears the immutable flag even when the test fails.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Self> {
        let p = path.to_str()?;
        // Only when it really stops a write: `chattr` may succeed on a file system that
        // ignores the flag, or the test may not run as root.
        if !run("chattr", &["+i", p]) {
            return None;
        }
        let guard = Self(path.to_owned());
        let probe = path.join("probe");
        if fs::write(&probe, "x").is_ok() {
            let _ = fs::remove_file(&probe);
            return None;
        }
        Some(guard)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        if let Some(p) = self.0.to_str() {
            run("chattr", &["-i", p]);
        }
    }
}

/// Asserts the promise of a failed save: one sentence, the old sidecar as it was, the
/// edit still in memory and unsaved.
fn assert_failed_save_kept_everything(
    doc: &Document,
    err: &DocumentError,
    sidecar: &Path,
    old: &[u8],
    edit: &AnnotationId,
) {
    let msg = err.to_string();
    assert!(msg.starts_with("could not save "), "{msg}");
    assert!(
        msg.contains("the previous sidecar is unchanged and your edits are kept"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one sentence: {msg}");
    assert_eq!(fs::read(sidecar).expect("old sidecar"), old);
    assert!(doc.get(edit).is_some(), "the edit stays in memory");
    assert!(doc.is_dirty(), "and is still unsaved");
}

#[test]
fn a_read_only_folder_fails_the_save_and_keeps_everything() {
    let (dir, story, old) = saved_story();
    let mut doc = Document::open(&story).expect("open");
    let edit = doc
        .create(Span::new(19, 25), "Claim", "ana")
        .expect("create");
    let err = match Immutable::set(dir.path()) {
        Some(guard) => {
            let err = doc.save().expect_err("immutable folder");
            drop(guard);
            err
        }
        None => {
            eprintln!("chattr +i unavailable: proving the read-only folder with a failing writer");
            let path = sidecar_path(&story);
            let e = store::write_atomic_with(&path, b"new", true, &mut |_, _| {
                Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
            })
            .expect_err("refused");
            DocumentError::Store(e)
        }
    };
    assert_failed_save_kept_everything(&doc, &err, &sidecar_path(&story), &old, &edit);
    // Writable again: the same document saves.
    doc.save().expect("save once writable");
    assert!(!doc.is_dirty());
}

/// A 64 KiB tmpfs mounted for the test, unmounted on drop.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let p = dir.path().to_str()?.to_owned();
        run("mount", &["-t", "tmpfs", "-o", "size=64k", "tmpfs", &p]).then_some(Self(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        if let Some(p) = self.0.path().to_str() {
            run("umount", &[p]);
        }
    }
}

#[test]
fn a_full_disk_fails_the_save_and_keeps_everything() {
    let Some(disk) = SmallDisk::mount() else {
        eprintln!("cannot mount a tmpfs: the full disk is proven by a_write_failing_midway_*");
        a_write_failing_midway_keeps_the_old_sidecar_and_leaves_no_temp_file();
        return;
    };
    let story = story_in(disk.0.path(), STORY);
    let mut doc = Document::open(&story).expect("open");
    for i in 0..8 {
        let id = doc.create(Span::new(4, 9), "Claim", "ana").expect("create");
        let mut a = doc.get(&id).expect("a").clone();
        a.rationale = format!("note {i}: {}", "x".repeat(400));
        doc.update("Edit", a, false).expect("edit");
    }
    doc.save().expect("first save fits");
    let sidecar = sidecar_path(&story);
    let old = fs::read(&sidecar).expect("old");
    // Fill the disk to the last byte.
    let mut filler = fs::File::create(disk.0.path().join("filler")).expect("filler");
    let block = vec![b'.'; 1024];
    while filler
        .write_all(&block)
        .and_then(|()| filler.sync_all())
        .is_ok()
    {}
    while filler
        .write_all(b".")
        .and_then(|()| filler.sync_all())
        .is_ok()
    {}
    let edit = doc
        .create(Span::new(19, 25), "Claim", "ana")
        .expect("create");
    let err = doc.save().expect_err("the disk is full");
    assert!(err.to_string().contains("No space left on device"), "{err}");
    assert_failed_save_kept_everything(&doc, &err, &sidecar, &old, &edit);
    assert!(
        !files_in(disk.0.path())
            .iter()
            .any(|n| n.starts_with(".factmark-")),
        "the half-written temporary file is removed"
    );
    drop(filler);
    fs::remove_file(disk.0.path().join("filler")).expect("free space");
    doc.save().expect("saves once there is space");
    assert!(!doc.is_dirty());
    assert_eq!(fs::read(backup_path(&sidecar)).expect("backup"), old);
}

#[test]
fn a_write_failing_midway_keeps_the_old_sidecar_and_leaves_no_temp_file() {
    let (dir, story, old) = saved_story();
    let sidecar = sidecar_path(&story);
    let before = files_in(dir.path());
    // The backup is a hard link of the old file (no bytes written); the new sidecar fails
    // after half its bytes, as a disk that fills up does.
    let err = store::write_atomic_with(&sidecar, b"(new sidecar text)", true, &mut |w, b| {
        w.write_all(&b[..b.len() / 2])?;
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    })
    .expect_err("fails");
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    assert!(err.to_string().starts_with("could not save "), "{err}");
    assert_eq!(fs::read(&sidecar).expect("intact"), old);
    assert_eq!(fs::read(backup_path(&sidecar)).expect("backup"), old);
    let mut after = files_in(dir.path());
    after.retain(|n| !n.ends_with(".bak"));
    assert_eq!(after, before, "no temporary file is left behind");
}

#[test]
fn a_sidecar_replaced_by_a_folder_keeps_the_edits_in_the_document() {
    let (_dir, story, _) = saved_story();
    let mut doc = Document::open(&story).expect("open");
    let edit = doc
        .create(Span::new(19, 25), "Claim", "ana")
        .expect("create");
    let sidecar = sidecar_path(&story);
    fs::remove_file(&sidecar).expect("rm");
    fs::create_dir(&sidecar).expect("a folder in its place");
    let err = doc.save().expect_err("a folder is in the way");
    // Regression: this was `could not read ...: it is a folder, not a file`, which did not
    // tell the user that the save failed and the edits were kept.
    assert!(
        matches!(err, DocumentError::Store(StoreError::Write { .. })),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("a folder with the sidecar's name is in the way"),
        "{msg}"
    );
    assert!(msg.contains("your edits are kept"), "{msg}");
    assert!(sidecar.is_dir(), "the folder is left alone");
    assert!(doc.get(&edit).is_some() && doc.is_dirty());
}

#[test]
fn permission_denied_on_read_gives_the_read_sentence() {
    // Root reads any file, so a read error is caused by a path that cannot be opened:
    // the same `could not read` sentence as "Permission denied" in the same code path.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plain.txt");
    fs::write(&file, STORY).expect("write");
    let err = load_story(&file.join("story.txt")).expect_err("cannot read");
    let msg = err.to_string();
    assert!(msg.starts_with("could not read "), "{msg}");
    assert!(
        msg.ends_with("; check the path and that the file may be read"),
        "{msg}"
    );
}

// ---------------------------------------------------------------- links and deletions

#[cfg(unix)]
#[test]
fn a_symlinked_sidecar_stays_a_symlink_after_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story_in(dir.path(), STORY);
    let shared = dir.path().join("shared");
    fs::create_dir(&shared).expect("mkdir");
    let real = shared.join("real.annotations.ron");
    // Saved once through a normal story, then linked.
    let (_d, other_story, bytes) = saved_story();
    let _ = other_story;
    fs::write(&real, &bytes).expect("real sidecar");
    let link = sidecar_path(&story);
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let mut doc = Document::open(&story).expect("open");
    assert_eq!(doc.annotations().len(), 1);
    let id = doc
        .create(Span::new(19, 25), "Claim", "ana")
        .expect("create");
    doc.save().expect("save through the link");
    assert!(
        fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink(),
        "still a link"
    );
    let (loaded, _) = store::load(&real).expect("load").expect("exists");
    assert!(
        loaded.sidecar.annotations.get(&id).is_some(),
        "written to the target"
    );
    assert_eq!(
        fs::read(backup_path(&real)).expect("backup beside the target"),
        bytes
    );
}

#[test]
fn a_story_deleted_while_open_still_saves_its_annotations() {
    let (dir, story, _) = saved_story();
    let mut doc = Document::open(&story).expect("open");
    fs::remove_file(&story).expect("delete the story");
    let id = doc
        .create(Span::new(19, 25), "Claim", "ana")
        .expect("still editable");
    doc.save().expect("the sidecar still saves");
    assert!(!story.exists(), "the story is not recreated");
    let (loaded, _) = store::load(&sidecar_path(&story))
        .expect("load")
        .expect("exists");
    assert_eq!(loaded.sidecar.annotations.len(), 2);
    assert!(loaded.sidecar.annotations.get(&id).is_some());
    // Checking the folder now reports the missing story next to its sidecar.
    let report = check_story(&story);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.starts_with("the story is missing but its sidecar")),
        "{:?}",
        report.problems
    );
    drop(dir);
}

// ---------------------------------------------------------------- security

#[test]
fn the_dependency_tree_has_no_network_client() {
    let lock = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(names.contains(&"serde"), "the lock file was read");
    for client in [
        "reqwest",
        "ureq",
        "hyper",
        "curl",
        "curl-sys",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "minreq",
        "ehttp",
    ] {
        assert!(!names.contains(&client), "{client} is in Cargo.lock");
    }
}

#[test]
fn only_http_and_https_sources_are_accepted() {
    for good in ["https://example.org/a?b=c", "http://example.org"] {
        assert!(validate_source_url(good).is_ok(), "{good}");
    }
    for bad in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "ftp://example.org/x",
        "mailto:a@example.org",
        "factmark://open",
        "ms-settings:privacy",
        "//example.org/no-scheme",
        "  ",
    ] {
        let err = validate_source_url(bad).expect_err(bad);
        assert!(!err.is_empty() && !err.contains('\n'), "{bad}: {err}");
    }
}

#[test]
fn an_import_naming_another_path_writes_only_the_storys_sidecar() {
    let root = tempfile::tempdir().expect("tempdir");
    let folder = root.path().join("a/b");
    fs::create_dir_all(&folder).expect("mkdir");
    let story = story_in(&folder, STORY);
    let import = root.path().join("import.json");
    fs::write(
        &import,
        r#"[{"type":"Annotation","id":"urn:x:1","body":{"type":"TextualBody","value":"hi"},
            "target":{"source":"../../x","selector":{"type":"TextQuoteSelector","exact":"mayor"}}},
           {"type":"Annotation","id":"urn:x:2",
            "target":{"source":"file:///../../evil.txt","selector":{"type":"TextQuoteSelector","exact":"bridge"}}}]"#,
    )
    .expect("write import");
    let outside_before = files_in(root.path());
    // Two sources, neither of them this story: nothing is imported (issue 12), nothing
    // written anywhere.
    let err = factmark::import::import_w3c_file(&import, &story).expect_err("other stories");
    assert!(
        err.to_string().contains("none of the 2 annotations"),
        "{err}"
    );
    assert_eq!(files_in(&folder), ["story.txt"]);
    // One hostile source is taken to be the story (as a web page's export is): imported,
    // and still only the story's own sidecar is written.
    let one_source = fs::read_to_string(&import)
        .expect("read")
        .replace("file:///../../evil.txt", "../../x");
    fs::write(&import, one_source).expect("write import");
    let report = factmark::import::import_w3c_file(&import, &story).expect("import");
    assert_eq!(report.added(), 2);
    assert_eq!(files_in(root.path()), outside_before, "nothing new outside");
    assert_eq!(
        files_in(&folder),
        ["story.txt", "story.txt.annotations.ron"],
        "only the story's own sidecar is written"
    );
    assert!(!root.path().join("x").exists() && !Path::new("/evil.txt").exists());
}

#[test]
fn a_sidecars_story_field_is_never_a_write_path() {
    let root = tempfile::tempdir().expect("tempdir");
    let folder = root.path().join("a/b");
    fs::create_dir_all(&folder).expect("mkdir");
    let story = story_in(&folder, STORY);
    let text = StoryText::new(STORY.to_owned());
    let mut sidecar = Sidecar::new("../../evil.txt", text.sha256(), text.len_chars(), "UTF-8");
    sidecar.annotations.insert(annotation("one", 4, 9, "mayor"));
    fs::write(sidecar_path(&story), sidecar.to_ron().expect("encode")).expect("write");
    let outside_before = files_in(root.path());
    let mut doc = Document::open(&story).expect("open");
    doc.create(Span::new(19, 25), "Claim", "ana").expect("edit");
    doc.save().expect("save");
    assert_eq!(files_in(root.path()), outside_before);
    assert_eq!(
        files_in(&folder),
        [
            "story.txt",
            "story.txt.annotations.ron",
            "story.txt.annotations.ron.bak"
        ]
    );
    let (loaded, _) = store::load(&sidecar_path(&story))
        .expect("load")
        .expect("exists");
    assert_eq!(
        loaded.sidecar.story, "story.txt",
        "the field is repaired, not followed"
    );
}
