//! Whole annotator flows through the real app state, driven with egui_kittest: open a story,
//! select a span, press the claim key, fill fields, add a source, undo and redo, save, and
//! check the sidecar that reached the disk.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::anchor::Span;
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::model::Source;
use factmark::store;

const STORY: &str = "Council approves bridge budget\n\nThe mayor said repairs will cost 48 million euros, twice the estimate.\n\nCritics said the city had ignored two inspection reports.\n";

/// A picker that "chooses" a fixed file at once, instead of opening a dialog.
struct FixedPicker(Option<PathBuf>);

impl FilePicker for FixedPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(self.0.clone());
        rx
    }
}

fn story_in_tempdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bridge.txt");
    std::fs::write(&path, STORY).expect("write story");
    (dir, path)
}

fn harness(app: FactmarkApp) -> Harness<'static, FactmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    settle(&mut h);
    h
}

/// Runs frames until the worker finished what was asked and its results are drawn.
fn settle(h: &mut Harness<'static, FactmarkApp>) {
    h.state_mut().settle();
    h.run_steps(2);
}

fn settings() -> Settings {
    Settings {
        author: "tester".into(),
        ..Settings::default()
    }
}

fn span_of(text: &str, quote: &str) -> Span {
    let b = text.find(quote).expect("quote in story");
    let start = text[..b].chars().count();
    Span::new(start, start + quote.chars().count())
}

#[test]
fn annotate_edit_undo_redo_and_save() {
    let (_dir, path) = story_in_tempdir();
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(None)));
    app.open(&path);
    let mut h = harness(app);

    // Select "48 million euros" and press C (claim).
    let quote = "repairs will cost 48 million euros";
    h.state_mut()
        .set_reader_selection(Some(span_of(STORY, quote)));
    h.run_steps(2);
    h.key_press(Key::C);
    h.run_steps(2);
    let id = h
        .state()
        .selected()
        .cloned()
        .expect("new annotation selected");
    {
        let doc = h.state().doc().expect("doc");
        let a = doc.get(&id).expect("created");
        assert_eq!(a.anchor.quote, quote);
        assert_eq!(a.label, "Claim");
        assert_eq!(a.statement, quote, "statement defaults to the quote");
        assert_eq!(a.author, "tester");
    }

    // Verdict by number key: 5 = "False" on the default scale.
    h.key_press(Key::Num5);
    h.run_steps(2);
    assert_eq!(
        h.state()
            .doc()
            .and_then(|d| d.get(&id))
            .and_then(|a| a.verdict.clone()),
        Some("False".to_owned())
    );

    // Claimant through the inspector's text box.
    h.get_by_role_and_label(Role::TextInput, "Claimant").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Claimant")
        .type_text("The mayor");
    h.run_steps(2);
    assert_eq!(
        h.state()
            .doc()
            .and_then(|d| d.get(&id))
            .map(|a| a.claimant.clone()),
        Some("The mayor".to_owned())
    );

    // A web source; an invalid one is refused first.
    h.get_by_label_contains("Add a web source").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .type_text("javascript:alert(1)");
    h.run_steps(1);
    h.get_by_label("Add source").click();
    h.run_steps(2);
    assert!(
        h.state().status().contains("Only http and https"),
        "{}",
        h.state().status()
    );
    let sources = |h: &Harness<'_, FactmarkApp>| {
        h.state()
            .doc()
            .and_then(|d| d.get(&id))
            .map(|a| a.sources.clone())
            .unwrap_or_default()
    };
    assert!(sources(&h).is_empty());
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .type_text("https://example.org/budget");
    h.run_steps(1);
    h.get_by_label("Add source").click();
    h.run_steps(2);
    assert!(matches!(
        sources(&h).as_slice(),
        [Source::External { url, .. }] if url == "https://example.org/budget"
    ));

    // Undo removes the source, redo brings it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(sources(&h).is_empty(), "undo removed the source");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(sources(&h).len(), 1, "redo restored it");

    // Save and read the sidecar back from disk.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(1);
    settle(&mut h);
    let (loaded, _) = store::load(&store::sidecar_path(&path))
        .expect("parses")
        .expect("exists");
    let saved = loaded.sidecar.annotations.get(&id).expect("saved").clone();
    assert_eq!(saved.anchor.quote, quote);
    assert_eq!(saved.verdict.as_deref(), Some("False"));
    assert_eq!(saved.claimant, "The mayor");
    assert_eq!(saved.sources.len(), 1);
    assert!(!h.state().doc().expect("doc").is_dirty());
}

#[test]
fn unreadable_sidecar_opens_read_only_with_a_banner() {
    let (_dir, path) = story_in_tempdir();
    let sidecar = store::sidecar_path(&path);
    std::fs::write(
        &sidecar,
        "(format: \"factmark\", version: 1, annotations: [",
    )
    .expect("write");
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(None)));
    app.open(&path);
    let mut h = harness(app);
    h.get_by_label("Read-only.");
    h.state_mut()
        .set_reader_selection(Some(span_of(STORY, "48 million euros")));
    h.run_steps(1);
    h.key_press(Key::C);
    h.run_steps(2);
    assert!(h.state().doc().expect("doc").annotations().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&sidecar).expect("still there"),
        "(format: \"factmark\", version: 1, annotations: ["
    );
}

#[test]
fn ctrl_o_opens_the_picked_story_and_remembers_it() {
    let (_dir, path) = story_in_tempdir();
    let app = FactmarkApp::new(settings(), Box::new(FixedPicker(Some(path.clone()))));
    let mut h = harness(app);
    assert!(h.state().doc().is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_steps(2);
    settle(&mut h);
    let doc = h.state().doc().expect("opened");
    assert_eq!(doc.path(), path);
    let canonical = std::fs::canonicalize(&path).expect("canonical");
    assert_eq!(h.state().settings.recent.first(), Some(&canonical));
}

#[test]
fn delete_then_undo_and_find_bar() {
    let (_dir, path) = story_in_tempdir();
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(None)));
    app.open(&path);
    let mut h = harness(app);
    h.state_mut()
        .set_reader_selection(Some(span_of(STORY, "two inspection reports")));
    h.run_steps(1);
    h.key_press(Key::S);
    h.run_steps(2);
    let id = h.state().selected().cloned().expect("selected");
    assert_eq!(
        h.state()
            .doc()
            .and_then(|d| d.get(&id))
            .map(|a| a.label.clone()),
        Some("Source".to_owned())
    );
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert!(h.state().doc().and_then(|d| d.get(&id)).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().doc().and_then(|d| d.get(&id)).is_some());

    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.get_by_label("Find:");
    h.event(egui::Event::Text("said".into()));
    h.run_steps(3);
    h.get_by_label("1 of 2");
}

#[test]
fn sidecar_changed_by_another_editor_is_merged_while_open() {
    let (_dir, path) = story_in_tempdir();
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(None)));
    app.open(&path);
    let mut h = harness(app);
    h.state_mut()
        .set_reader_selection(Some(span_of(STORY, "48 million euros")));
    h.run_steps(1);
    h.key_press(Key::C);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(1);
    settle(&mut h);
    let ours = h.state().selected().cloned().expect("ours");

    // Another editor (another window, a git pull) adds a note to the same sidecar.
    let mut other = factmark::document::Document::open(&path).expect("second copy");
    let theirs = other
        .create(span_of(STORY, "two inspection reports"), "Note", "bo")
        .expect("create");
    other.save().expect("save other");

    h.state_mut().check_disk_now();
    settle(&mut h);
    let doc = h.state().doc().expect("doc");
    assert!(doc.get(&ours).is_some(), "our annotation is kept");
    assert!(doc.get(&theirs).is_some(), "theirs came in");
    assert!(
        h.state().status().contains("1 added by another editor"),
        "{}",
        h.state().status()
    );
}

#[test]
fn export_from_the_window_writes_a_csv_and_import_is_undoable() {
    let (dir, path) = story_in_tempdir();
    let out = dir.path().join("claims.csv");
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(Some(out.clone()))));
    app.open(&path);
    let mut h = harness(app);
    h.state_mut()
        .set_reader_selection(Some(span_of(STORY, "48 million euros")));
    h.run_steps(1);
    h.key_press(Key::C);
    h.run_steps(2);

    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    h.get_by_label("Export…").click();
    h.run_steps(2);
    settle(&mut h);
    let csv = std::fs::read_to_string(&out).expect("export written");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert!(headers.iter().any(|h| h == "quote"), "{headers:?}");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].iter().any(|c| c == "48 million euros"));
    assert!(
        h.state().status().starts_with("Exported 1 annotation"),
        "{}",
        h.state().status()
    );

    // Import a W3C file (written by the exporter from another story copy) as one undo step.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = other_dir.path().join("bridge.txt");
    std::fs::write(&other, STORY).expect("write");
    let mut other_doc = factmark::document::Document::open(&other).expect("open");
    other_doc
        .create(span_of(STORY, "two inspection reports"), "Claim", "bo")
        .expect("create");
    other_doc.save().expect("save");
    let set = factmark::export::ExportSet::load(std::slice::from_ref(&other), &Default::default())
        .expect("load");
    let w3c = factmark::export::export(&set, factmark::export::Format::W3c, &Default::default())
        .expect("w3c");
    let w3c_path = other_dir.path().join("notes.jsonld");
    std::fs::write(&w3c_path, w3c.bytes).expect("write w3c");

    h.state_mut().import(&w3c_path);
    h.run_steps(2);
    let count =
        |h: &Harness<'_, FactmarkApp>| h.state().doc().map(|d| d.annotations().len()).unwrap_or(0);
    assert_eq!(count(&h), 2, "{}", h.state().status());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(count(&h), 1, "undo takes the import back");
}

#[test]
fn a_failed_save_keeps_the_edits_and_offers_a_copy() {
    let (dir, path) = story_in_tempdir();
    let copy = dir.path().join("rescued.annotations.ron");
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(Some(copy.clone()))));
    app.open(&path);
    let mut h = harness(app);
    // A folder where the sidecar should go: every save fails.
    std::fs::create_dir(store::sidecar_path(&path)).expect("folder in the way");
    h.state_mut()
        .set_reader_selection(Some(span_of(STORY, "48 million euros")));
    h.run_steps(1);
    h.key_press(Key::C);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(1);
    settle(&mut h);
    assert!(
        h.state().status().starts_with("Not saved"),
        "{}",
        h.state().status()
    );
    assert!(h.state().doc().expect("doc").is_dirty(), "edits kept");
    h.get_by_label("Save a copy as… (Ctrl+Shift+S)").click();
    h.run_steps(2);
    settle(&mut h);
    let text = std::fs::read_to_string(&copy).expect("copy written");
    let loaded = factmark::store::Sidecar::from_ron(&text, &copy).expect("a valid sidecar");
    assert_eq!(loaded.sidecar.annotations.len(), 1);
    assert!(
        h.state().status().starts_with("Saved a copy"),
        "{}",
        h.state().status()
    );
}
