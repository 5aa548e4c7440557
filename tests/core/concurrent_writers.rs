//! Several writers, one sidecar (SPEC 10): real `factmark import` processes at once, threads
//! saving through `SidecarFile`, and a writer that ignores the lock (as on a network drive).
//! Nothing may be lost and every conflict must be kept.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, AnnotationId, Field};
use factmark::store::{self, Sidecar, SidecarFile, lock_path, sidecar_path};
use factmark::text::StoryText;

const WRITERS: usize = 8;
const EACH: usize = 50;

/// A story of `n` distinct sentences; sentence `i` is "Sentence i says the figure is i."
fn story_text(n: usize) -> String {
    (0..n)
        .map(|i| format!("Sentence {i} says the figure is {}.\n", i * 7))
        .collect()
}

/// The char span of sentence `i` in [`story_text`].
fn sentence_span(text: &str, i: usize) -> (usize, usize, String) {
    let line = text.lines().nth(i).expect("sentence exists");
    let start_byte = line.as_ptr() as usize - text.as_ptr() as usize;
    let start = text[..start_byte].chars().count();
    (start, start + line.chars().count(), line.to_owned())
}

/// A W3C file with the annotations of sentences `from..from + EACH`.
fn w3c_file(text: &str, from: usize) -> String {
    let items: Vec<serde_json::Value> = (from..from + EACH)
        .map(|i| {
            let (start, end, quote) = sentence_span(text, i);
            serde_json::json!({
                "type": "Annotation",
                "id": format!("urn:factmark:writer-test-{i:04}"),
                "body": [{"type": "TextualBody", "purpose": "commenting", "value": format!("note {i}")}],
                "target": {"source": "file:///news/story.txt", "selector": [
                    {"type": "TextQuoteSelector", "exact": quote},
                    {"type": "TextPositionSelector", "start": start, "end": end}
                ]}
            })
        })
        .collect();
    serde_json::json!({"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": items}})
        .to_string()
}

fn annotations_on_disk(story: &Path) -> Vec<Annotation> {
    store::load(&sidecar_path(story))
        .expect("load")
        .expect("sidecar exists")
        .0
        .sidecar
        .annotations
        .into_vec()
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

fn setup(sentences: usize) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("story.txt");
    let text = story_text(sentences);
    std::fs::write(&story, &text).expect("write story");
    (dir, story, text)
}

/// The bug: 8 imports at once all said "50 added" and 250 of 400 survived.
#[test]
fn concurrent_import_processes_lose_nothing() {
    let (dir, story, text) = setup(WRITERS * EACH);
    let files: Vec<PathBuf> = (0..WRITERS)
        .map(|w| {
            let f = dir.path().join(format!("set{w}.json"));
            std::fs::write(&f, w3c_file(&text, w * EACH)).expect("write w3c");
            f
        })
        .collect();
    let bin = assert_cmd::cargo::cargo_bin!("factmark");
    let children: Vec<_> = files
        .iter()
        .map(|f| {
            Command::new(bin)
                .args(["import", "--format", "w3c"])
                .arg(f)
                .arg("--story")
                .arg(&story)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn factmark import")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("50 added"), "{stdout}");
    }
    let on_disk = annotations_on_disk(&story);
    assert_eq!(on_disk.len(), WRITERS * EACH, "annotations were lost");
    let ids: BTreeSet<String> = on_disk.iter().map(|a| a.id.0.clone()).collect();
    assert_eq!(ids.len(), WRITERS * EACH);
    // No lock file or temp file is left behind.
    let names = names_in(dir.path());
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".lock") && !n.ends_with(".tmp")),
        "{names:?}"
    );
}

/// Threads saving through `SidecarFile` at once, each in several steps, and each also
/// editing one shared annotation's claimant: every annotation survives and every
/// writer's differing claimant is either the value or a recorded conflict.
#[test]
fn concurrent_sidecar_file_saves_keep_every_annotation_and_conflict() {
    let (_dir, story, text) = setup(WRITERS * EACH + 1);
    let story_text = StoryText::new(text.clone());
    // A first save with one shared annotation everybody will edit.
    let (mut file, _) = SidecarFile::open(&story).expect("open");
    let mut sidecar = Sidecar::new(
        "story.txt",
        story_text.sha256(),
        story_text.len_chars(),
        "UTF-8",
    );
    let (s, e, _) = sentence_span(&text, WRITERS * EACH);
    let shared = Annotation::new(Anchor::from_span(&story_text, Span::new(s, e)), "Claim", "");
    let shared_id = shared.id.clone();
    sidecar.annotations.insert(shared);
    file.save(&mut sidecar).expect("first save");

    let barrier = Arc::new(Barrier::new(WRITERS));
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (story, text, barrier, shared_id) = (
                story.clone(),
                story_text.clone(),
                barrier.clone(),
                shared_id.clone(),
            );
            std::thread::spawn(move || {
                let (mut file, loaded) = SidecarFile::open(&story).expect("open");
                let mut sidecar = loaded.expect("exists").sidecar;
                barrier.wait();
                let mut edited = sidecar.annotations.get(&shared_id).expect("shared").clone();
                edited.claimant = format!("writer {w}");
                sidecar.annotations.replace(edited);
                for chunk in 0..5 {
                    for k in 0..EACH / 5 {
                        let i = w * EACH + chunk * (EACH / 5) + k;
                        let (s, e, _) = sentence_span(text.as_str(), i);
                        let mut a =
                            Annotation::new(Anchor::from_span(&text, Span::new(s, e)), "Note", "");
                        a.id = AnnotationId(format!("thread-{i:04}"));
                        sidecar.annotations.insert(a);
                    }
                    file.save(&mut sidecar).expect("save");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    let on_disk = annotations_on_disk(&story);
    assert_eq!(on_disk.len(), WRITERS * EACH + 1, "annotations were lost");
    let shared = on_disk
        .iter()
        .find(|a| a.id == shared_id)
        .expect("shared annotation");
    let mut seen: BTreeSet<String> = shared
        .conflicts
        .iter()
        .filter(|c| c.field == Field::Claimant)
        .map(|c| format!("{:?}", c.theirs))
        .collect();
    seen.insert(format!(
        "{:?}",
        factmark::model::FieldValue::Text(shared.claimant.clone())
    ));
    for w in 0..WRITERS {
        let want = format!(
            "{:?}",
            factmark::model::FieldValue::Text(format!("writer {w}"))
        );
        assert!(
            seen.contains(&want),
            "writer {w}'s claimant was lost: {seen:?}"
        );
    }
    assert!(!lock_path(&sidecar_path(&story)).exists());
}

/// Where locks are not honoured, another writer may replace the file between our read and
/// our rename. The save notices just before the rename, merges again and keeps both.
#[test]
fn a_write_that_ignores_the_lock_is_merged_not_overwritten() {
    let (_dir, story, text) = setup(3);
    let story_text = StoryText::new(text.clone());
    let new_sidecar = || {
        Sidecar::new(
            "story.txt",
            story_text.sha256(),
            story_text.len_chars(),
            "UTF-8",
        )
    };
    let note = |i: usize, id: &str| {
        let (s, e, _) = sentence_span(&text, i);
        let mut a = Annotation::new(Anchor::from_span(&story_text, Span::new(s, e)), "Note", "");
        a.id = AnnotationId(id.to_owned());
        a
    };
    let (mut file, _) = SidecarFile::open(&story).expect("open");
    let mut ours = new_sidecar();
    ours.annotations.insert(note(0, "ours"));

    let mut theirs = new_sidecar();
    theirs.annotations.insert(note(1, "theirs"));
    let their_bytes = theirs.to_ron().expect("encode");
    let path = sidecar_path(&story);
    let mut interfered = false;
    let outcome = file
        .save_with(&mut ours, &mut |tmp, bytes| {
            if !interfered {
                // The other writer, unlocked, lands while our temp file is being written.
                interfered = true;
                std::fs::write(&path, &their_bytes)?;
            }
            tmp.write_all(bytes)
        })
        .expect("save");
    assert!(outcome.wrote);
    assert_eq!(outcome.merged.map(|m| m.added), Some(1));
    let ids: BTreeSet<String> = annotations_on_disk(&story)
        .into_iter()
        .map(|a| a.id.0)
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["ours".to_owned(), "theirs".to_owned()])
    );
}

/// The lock file is hidden and named after the sidecar, so folder scans never list it.
#[test]
fn lock_file_is_hidden_beside_the_sidecar() {
    let p = lock_path(Path::new("/news/story.txt.annotations.ron"));
    assert_eq!(p, Path::new("/news/.story.txt.annotations.ron.lock"));
    let (dir, story, _) = setup(2);
    let lock = store::FileLock::acquire(&sidecar_path(&story)).expect("lock");
    assert!(lock.is_held());
    let found = factmark::workspace::find_stories(dir.path()).expect("discover");
    assert_eq!(found, vec![story.clone()]);
    drop(lock);
    assert_eq!(
        names_in(dir.path()),
        BTreeSet::from(["story.txt".to_owned()])
    );
}
