//! The path dialog (issue #14): when no system file dialog can open, Open, Open folder,
//! Export… and Save a copy ask with factmark's own dialog: a typed path, Tab completes,
//! Enter uses it, a bad path says why.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::app::{Command, FactmarkApp, FilePicker, PickOutcome, PickRequest, Settings};

const STORY: &str = "Bridge budget\n\nThe mayor said repairs will cost 48 million euros.\n";

/// A picker whose dialog cannot open, as on a machine with no portal and no zenity.
struct NoDialog;

impl FilePicker for NoDialog {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }

    fn pick_or_report(&self, _request: &PickRequest) -> Option<Receiver<PickOutcome>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(PickOutcome::Unavailable(
            "the system file dialog is not available (no desktop portal, no zenity)".into(),
        ));
        Some(rx)
    }
}

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("desk/stories")).expect("mkdir");
    std::fs::write(dir.path().join("desk/stories/bridge-budget.txt"), STORY).expect("write");
    std::fs::write(dir.path().join("desk/stories/budget-2027.txt"), STORY).expect("write");
    dir
}

fn harness(app: FactmarkApp) -> Harness<'static, FactmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    settle(&mut h);
    h
}

fn settle(h: &mut Harness<'static, FactmarkApp>) {
    h.state_mut().settle();
    h.run_steps(2);
}

fn app() -> FactmarkApp {
    let settings = Settings {
        author: "tester".into(),
        ..Settings::default()
    };
    FactmarkApp::new(settings, Box::new(NoDialog))
}

/// Runs `command`; the path dialog must appear in its place.
fn ask(h: &mut Harness<'static, FactmarkApp>, command: Command, title: &str) {
    h.state_mut().enqueue(command);
    h.run_steps(3);
    assert!(h.state().path_dialog.is_some(), "the path dialog opens");
    h.get_by_label(title);
}

/// Replaces the path box's text with `text`.
fn type_path(h: &mut Harness<'static, FactmarkApp>, text: &str) {
    h.get_by_role_and_label(Role::TextInput, "Path").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.key_press(Key::Backspace);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Path")
        .type_text(text);
    h.run_steps(2);
}

fn dialog_text(h: &Harness<'static, FactmarkApp>) -> String {
    h.state()
        .path_dialog
        .as_ref()
        .map(|d| d.text.clone())
        .expect("dialog open")
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn open_a_story_by_typing_with_tab_completion() {
    let dir = folder();
    let root = shown(dir.path());
    let mut h = harness(app());
    ask(&mut h, Command::Open, "Open a story");

    // Tab completes a folder, then lists what several names share…
    type_path(&mut h, &format!("{root}/de"));
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(dialog_text(&h), format!("{root}/desk/"));
    h.get_by_role_and_label(Role::TextInput, "Path")
        .type_text("stories/b");
    h.run_steps(2);
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(dialog_text(&h), format!("{root}/desk/stories/b"));
    h.get_by_label("bridge-budget.txt");
    h.get_by_label("budget-2027.txt");
    // …and a unique start completes the whole name, also when the letter and the Tab
    // arrive in one frame (fast typing: the letter counts).
    // (kittest runs a frame per queued event, so both go into one frame's input.)
    let tab = |pressed| egui::Event::Key {
        key: Key::Tab,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    h.input_mut()
        .events
        .extend([egui::Event::Text("r".into()), tab(true), tab(false)]);
    h.run_steps(2);
    let story = dir.path().join("desk/stories/bridge-budget.txt");
    assert_eq!(dialog_text(&h), shown(&story));

    // Enter opens the real file.
    h.key_press(Key::Enter);
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().path_dialog.is_none(), "the dialog closes");
    let doc = h.state().doc().expect("the story opened");
    assert_eq!(
        std::fs::canonicalize(doc.path()).ok(),
        std::fs::canonicalize(&story).ok()
    );
}

#[test]
fn a_bad_path_says_why_and_the_dialog_stays() {
    let dir = folder();
    let root = shown(dir.path());
    let mut h = harness(app());
    ask(&mut h, Command::Open, "Open a story");
    type_path(&mut h, &format!("{root}/desk/stories/nope.txt"));
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert!(h.state().path_dialog.is_some(), "still open");
    h.get_by_label_contains("Nothing is at");
    assert!(h.state().doc().is_none());
    // The box has the keyboard again (Enter took it), so the path can be corrected at once.
    assert!(
        h.get_by_role_and_label(Role::TextInput, "Path")
            .is_focused()
    );

    // A folder where a file is wanted.
    type_path(&mut h, &format!("{root}/desk"));
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label_contains("is a folder");

    // Esc closes it; nothing was opened.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().path_dialog.is_none(), "Esc closes the dialog");
    assert!(h.state().doc().is_none());

    // Opened again, Tab still completes (the box's focus lock is set up again).
    ask(&mut h, Command::Open, "Open a story");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Path")
        .type_text(&format!("{root}/de"));
    h.run_steps(1);
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(dialog_text(&h), format!("{root}/desk/"));

    // Typing, Tab, typing, Tab all in one frame (fast typing on a busy machine): each Tab
    // completes what was typed before it.
    let tab = |pressed| egui::Event::Key {
        key: Key::Tab,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    h.input_mut().events.extend([
        egui::Event::Text("sto".into()),
        tab(true),
        tab(false),
        egui::Event::Text("bri".into()),
        tab(true),
        tab(false),
    ]);
    h.run_steps(4);
    assert_eq!(
        dialog_text(&h),
        format!("{root}/desk/stories/bridge-budget.txt")
    );
}

#[test]
fn open_folder_export_and_save_a_copy_use_the_dialog() {
    let dir = folder();
    let root = shown(dir.path());
    let story = dir.path().join("desk/stories/bridge-budget.txt");
    let mut app = app();
    app.open(&story);
    let mut h = harness(app);
    assert!(h.state().doc().is_some());

    // Export…: the dialog is prefilled with the story's folder and a file name.
    let choice = factmark::app::command::ExportChoice {
        format: factmark::export::Format::Csv,
        whole_folder: false,
        filter: Default::default(),
        options: Default::default(),
    };
    ask(&mut h, Command::ExportWith(Box::new(choice)), "Export to");
    let prefilled = dialog_text(&h);
    let csv = PathBuf::from(&prefilled);
    let folder_of = |p: &Path| p.parent().and_then(|d| std::fs::canonicalize(d).ok());
    assert!(
        prefilled.ends_with(".csv") && folder_of(&csv) == folder_of(&story),
        "prefilled with the story's folder and a name: {prefilled}"
    );
    h.get_by_role_and_label(Role::TextInput, "Path").click();
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().path_dialog.is_none());
    let written = std::fs::read_to_string(&csv).expect("the export was written");
    assert!(
        written.lines().next().is_some_and(|l| l.contains(',')),
        "{written}"
    );

    // Exporting onto it again asks before replacing.
    let choice = factmark::app::command::ExportChoice {
        format: factmark::export::Format::Csv,
        whole_folder: false,
        filter: Default::default(),
        options: Default::default(),
    };
    ask(&mut h, Command::ExportWith(Box::new(choice)), "Export to");
    h.get_by_role_and_label(Role::TextInput, "Path").click();
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label_contains("Press Enter again to replace it");
    h.get_by_role_and_label(Role::TextInput, "Path").click();
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().path_dialog.is_none());

    // Save a copy: a path in a folder that does not exist is refused, then a good one.
    ask(
        &mut h,
        Command::SaveCopyAs,
        "Save a copy of the annotations",
    );
    type_path(&mut h, &format!("{root}/missing/copy.ron"));
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label_contains("does not exist");
    let copy = dir.path().join("copy.ron");
    type_path(&mut h, &shown(&copy));
    h.key_press(Key::Enter);
    h.run_steps(2);
    settle(&mut h);
    assert!(copy.is_file(), "the copy was written");

    // Open folder: the recent folders are offered; a folder is completed and opened.
    ask(&mut h, Command::OpenFolder, "Open a folder of stories");
    h.get_by_label("Recent folders");
    type_path(&mut h, &format!("{root}/desk/st"));
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(dialog_text(&h), format!("{root}/desk/stories/"));
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert!(h.state().path_dialog.is_none());
    assert!(h.state().workspace.is_some(), "the folder opens");

    // Export view… (the claims table's rows) asks the same way, once the scan is done.
    let start = std::time::Instant::now();
    while h.state().scanning() {
        assert!(start.elapsed().as_secs() < 10, "scan never ended");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.run_steps(2);
    ask(&mut h, Command::ExportClaims, "Export to");
    let view = PathBuf::from(dialog_text(&h));
    assert!(view.ends_with("claims.csv"), "{}", view.display());
    h.get_by_role_and_label(Role::TextInput, "Path").click();
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    settle(&mut h);
    assert!(view.is_file(), "the view was exported");
}
