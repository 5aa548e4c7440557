//! The dispatcher's unit tests: whole edit, save and open cycles on the real app state,
//! with no window and no egui context (the worker thread does the disk work as in the app).

use super::command::Command;
use super::dispatch::{Effect, FactmarkApp};
use super::io::{FilePicker, PickRequest};
use super::prefs::Settings;
use crate::anchor::Span;
use crate::model::AnnotationId;
use std::path::PathBuf;

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _: PickRequest) -> std::sync::mpsc::Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

const STORY: &str = "The mayor said repairs will cost 48 million euros.\n\nCritics disagreed.\n";

fn app_with_story() -> (tempfile::TempDir, PathBuf, FactmarkApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.txt");
    std::fs::write(&path, STORY).expect("write");
    let mut app = FactmarkApp::new(Settings::default(), Box::new(NoPicker));
    app.open(&path);
    app.settle();
    (dir, path, app)
}

fn select_and_claim(app: &mut FactmarkApp) -> AnnotationId {
    app.set_reader_selection(Some(Span::new(15, 49)));
    app.run(Command::ApplyLabel(0));
    app.selected().cloned().expect("created and selected")
}

#[test]
fn opening_runs_on_the_worker_and_replaces_the_session() {
    let (_dir, path, mut app) = app_with_story();
    assert_eq!(app.doc().map(|d| d.path()), Some(path.as_path()));
    let id = select_and_claim(&mut app);
    assert!(app.doc().and_then(|d| d.get(&id)).is_some());
    // Opening again saves first, then gives a fresh session, back at the place this story
    // was left (#14: each story keeps its own place; nothing of another story leaks in).
    app.run(Command::Reload);
    app.settle();
    assert_eq!(app.selected(), Some(&id));
    assert!(
        app.doc().and_then(|d| d.get(&id)).is_some(),
        "saved and reread"
    );
    assert!(!app.doc().expect("doc").is_dirty());
}

#[test]
fn label_verdict_undo_redo_and_save_without_a_window() {
    let (_dir, path, mut app) = app_with_story();
    let id = select_and_claim(&mut app);
    app.run(Command::SetVerdict(5));
    let verdict = |app: &FactmarkApp| app.doc().and_then(|d| d.get(&id)?.verdict.clone());
    assert_eq!(verdict(&app).as_deref(), Some("False"));
    app.run(Command::Undo);
    assert_eq!(verdict(&app), None);
    app.run(Command::Redo);
    assert_eq!(verdict(&app).as_deref(), Some("False"));
    app.run(Command::Save);
    app.settle();
    let (loaded, _) = crate::store::load(&crate::store::sidecar_path(&path))
        .expect("parses")
        .expect("written");
    assert_eq!(
        Some(&loaded.sidecar.annotations),
        app.doc().map(|d| d.annotations())
    );
}

#[test]
fn a_save_that_fails_keeps_the_edits_and_says_so() {
    let (_dir, path, mut app) = app_with_story();
    select_and_claim(&mut app);
    // A folder where the sidecar goes makes the write fail.
    std::fs::create_dir(crate::store::sidecar_path(&path)).expect("block");
    assert!(!app.save_now());
    assert!(app.session.as_ref().is_some_and(|s| s.save_failed));
    assert!(app.status().starts_with("Not saved"), "{}", app.status());
    assert!(app.doc().is_some_and(|d| d.is_dirty()));
}

#[test]
fn edits_made_while_a_save_runs_are_kept_and_stay_dirty() {
    let (_dir, path, mut app) = app_with_story();
    let first = select_and_claim(&mut app);
    app.start_save();
    app.set_reader_selection(Some(Span::new(52, 69)));
    app.run(Command::ApplyLabel(2));
    let second = app.selected().cloned().expect("second");
    app.settle();
    let doc = app.doc().expect("doc");
    assert!(doc.get(&first).is_some() && doc.get(&second).is_some());
    assert!(doc.is_dirty(), "the second edit is not on disk yet");
    assert!(app.save_now());
    let (loaded, _) = crate::store::load(&crate::store::sidecar_path(&path))
        .expect("parses")
        .expect("written");
    assert_eq!(loaded.sidecar.annotations.len(), 2);
}

#[test]
fn stale_open_results_are_dropped() {
    let (dir, _path, mut app) = app_with_story();
    let other = dir.path().join("t.txt");
    std::fs::write(&other, "Other story.\n").expect("write");
    app.open(&other);
    app.open(&dir.path().join("s.txt"));
    app.settle();
    assert_eq!(app.doc().map(|d| d.title()), Some("s.txt".to_owned()));
}

#[test]
fn quit_and_links_are_effects_for_the_window() {
    let (_dir, _path, mut app) = app_with_story();
    app.run(Command::OpenUrl("javascript:alert(1)".into()));
    assert!(app.effects.is_empty());
    assert!(app.status_is_error());
    app.run(Command::OpenUrl("https://example.org/".into()));
    app.run(Command::Quit);
    assert_eq!(
        app.effects,
        vec![
            Effect::OpenUrl("https://example.org/".into()),
            Effect::Close
        ]
    );
}
