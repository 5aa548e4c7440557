//! Workspace flows through the real app state, driven with egui_kittest: open a folder
//! fixture (scanned off the UI thread), sort and filter the claims table, open a claim in
//! the reader, walk the review queue with the keyboard changing verdicts and statuses,
//! edit the folder settings, notice an outside change, and check what reached the disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::anchor::{Anchor, Span};
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::model::{Annotation, Status};
use factmark::settings::FolderSettings;
use factmark::store::{self, Sidecar};
use factmark::text::StoryText;
use factmark::ui::workspace_view::View;
use factmark::workspace::Column;

/// A picker that "chooses" a fixed path at once, and remembers nothing else.
struct FixedPicker(Option<PathBuf>);

impl FilePicker for FixedPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(self.0.clone());
        rx
    }
}

const BRIDGE: &str = "Council approves bridge budget\n\nThe mayor said repairs will cost 48 million euros, twice the estimate.\n\nCritics said the city had ignored two inspection reports.\n";
const SCHOOLS: &str = "Schools report\n\nThe minister said class sizes fell to 21 pupils.\n\nTeachers' unions said most classes still have 30 pupils.\n";
const PORT: &str = "Port traffic\n\nThe harbour authority claims cargo doubled since 2019.\n";

fn annotate(dir: &Path, file: &str, text: &str, claims: &[(&str, Option<&str>, Status)]) {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    let story = StoryText::new(text.to_owned());
    std::fs::write(&path, story.as_str()).expect("story");
    if claims.is_empty() {
        return;
    }
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let mut sidecar = Sidecar::new(&name, story.sha256(), story.len_chars(), "UTF-8");
    for (quote, verdict, status) in claims {
        let b = text.find(quote).expect("quote in story");
        let start = text[..b].chars().count();
        let span = Span::new(start, start + quote.chars().count());
        let mut a = Annotation::new(Anchor::from_span(&story, span), "Claim", "ana");
        a.statement = (*quote).to_owned();
        a.verdict = verdict.map(str::to_owned);
        a.status = *status;
        sidecar.annotations.insert(a);
    }
    std::fs::write(store::sidecar_path(&path), sidecar.to_ron().expect("ron")).expect("sidecar");
}

/// Three stories (one in a subfolder, one without a sidecar), four claims.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    annotate(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        &[
            (
                "repairs will cost 48 million euros",
                Some("False"),
                Status::Draft,
            ),
            ("ignored two inspection reports", None, Status::Draft),
        ],
    );
    annotate(
        dir.path(),
        "2024/schools.txt",
        SCHOOLS,
        &[
            (
                "class sizes fell to 21 pupils",
                Some("Mostly true"),
                Status::NeedsReview,
            ),
            (
                "most classes still have 30 pupils",
                Some("True"),
                Status::Approved,
            ),
        ],
    );
    annotate(dir.path(), "port.txt", PORT, &[]);
    dir
}

fn settings() -> Settings {
    Settings {
        author: "tester".into(),
        ..Settings::default()
    }
}

/// Opens `root` and steps the window until the background scan has finished.
fn open_folder(root: &Path) -> Harness<'static, FactmarkApp> {
    let mut app = FactmarkApp::new(settings(), Box::new(FixedPicker(None)));
    app.open(root);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    let start = Instant::now();
    while h.state().scanning() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "scan never ended"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run_steps(2);
    assert!(
        h.state().loaded_workspace().is_some(),
        "{}",
        h.state().status()
    );
    h
}

/// Runs frames until the worker finished what was asked and its results are drawn.
fn settle(h: &mut Harness<'static, FactmarkApp>) {
    h.state_mut().settle();
    h.run_steps(2);
}

/// The quotes of the table's rows, in order.
fn table_quotes(h: &mut Harness<'_, FactmarkApp>) -> Vec<String> {
    let state = h.state_mut();
    let ws = &mut state.workspace.as_mut().expect("workspace").state;
    let rows = ws.rows().to_vec();
    let w = ws.workspace.as_ref().expect("loaded");
    rows.iter()
        .map(|r| w.annotation(*r).expect("row").anchor.quote.clone())
        .collect()
}

fn load_sidecar(path: &Path) -> Vec<Annotation> {
    let (loaded, _) = store::load(&store::sidecar_path(path))
        .expect("parses")
        .expect("exists");
    loaded.sidecar.annotations.iter().cloned().collect()
}

#[test]
fn the_story_view_of_a_folder_lists_its_stories_to_open() {
    let dir = folder();
    let mut h = open_folder(dir.path());
    h.get_by_label("Story").click();
    h.run_steps(2);
    assert_eq!(h.state().view, View::Story);
    assert!(h.state().doc().is_none());
    h.get_by_label("Pick a story to read");
    h.get_by_label("port.txt  (0 claims, 0 annotations)")
        .click();
    h.run_steps(2);
    settle(&mut h);
    let doc = h.state().doc().expect("the story opened");
    assert_eq!(doc.path(), dir.path().join("port.txt"));
}

#[test]
fn open_folder_sort_filter_and_open_a_claim_in_the_reader() {
    let dir = folder();
    let mut h = open_folder(dir.path());
    assert_eq!(h.state().view, View::Claims);
    let ws = h.state().loaded_workspace().expect("loaded");
    assert_eq!(ws.stories.len(), 3);
    assert_eq!(ws.totals().claims, 4);
    h.get_by_label("3 stories");
    h.get_by_label_contains("4 of 4 annotations");

    // Sort by verdict: best first (True, Mostly true, False, none); again: worst first,
    // none still last.
    h.get_by_label("Verdict").click();
    h.run_steps(2);
    assert_eq!(
        h.state().workspace.as_ref().expect("ws").state.query.sort,
        (Column::Verdict, true)
    );
    assert_eq!(
        table_quotes(&mut h),
        [
            "most classes still have 30 pupils",
            "class sizes fell to 21 pupils",
            "repairs will cost 48 million euros",
            "ignored two inspection reports",
        ]
    );
    h.get_by_label("Verdict ^").click();
    h.run_steps(2);
    assert_eq!(
        table_quotes(&mut h),
        [
            "repairs will cost 48 million euros",
            "class sizes fell to 21 pupils",
            "most classes still have 30 pupils",
            "ignored two inspection reports",
        ],
        "descending reverses the verdicts; a claim without one stays last"
    );

    // Free-text filter: a word in the story name matches all its rows.
    h.get_by_role_and_label(Role::TextInput, "Filter:").click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Filter:")
        .type_text("schools");
    h.run_steps(2);
    assert_eq!(table_quotes(&mut h).len(), 2);
    h.get_by_label_contains("2 of 4 annotations");

    // Clearing the filters, then a status filter from the statistics' counts.
    h.get_by_label("Clear filters").click();
    h.run_steps(2);
    assert_eq!(table_quotes(&mut h).len(), 4);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run_steps(2);
    assert_eq!(h.state().view, View::Statistics);
    h.get_by_label("Approved: 1").click();
    h.run_steps(2);
    assert_eq!(h.state().view, View::Claims, "a bar click shows the table");
    assert_eq!(table_quotes(&mut h), ["most classes still have 30 pupils"]);

    // Clicking the row opens its story in the reader with the claim selected.
    // (Quote and statement cells hold the same words: click the first, the quote.)
    h.get_all_by_label("most classes still have 30 pupils")
        .next()
        .expect("the row's quote cell")
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().view, View::Story);
    let doc = h.state().doc().expect("story opened");
    assert!(doc.path().ends_with("2024/schools.txt"));
    let selected = h.state().selected().cloned().expect("claim selected");
    assert_eq!(
        doc.get(&selected).expect("claim").anchor.quote,
        "most classes still have 30 pupils"
    );
}

#[test]
fn review_queue_walks_with_keys_and_saves_every_change() {
    let dir = folder();
    let mut h = open_folder(dir.path());
    // Only the bridge story's draft claims, in reading order. Approving one makes it leave
    // the filter, but not the queue being walked.
    {
        let ws = &mut h.state_mut().workspace.as_mut().expect("ws").state;
        ws.query.text = "bridge".into();
        ws.query.statuses = vec![Status::Draft];
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().view, View::Review);
    assert_eq!(h.state().workspace.as_ref().expect("ws").review.len(), 2);
    h.get_by_label("0 of 2 reviewed");
    h.get_by_label_contains("Claim 1 of 2");

    // First claim: verdict 2 (Mostly true), approve.
    h.key_press(Key::Num2);
    h.run_steps(2);
    h.key_press(Key::A);
    h.run_steps(2);
    h.get_by_label("1 of 2 reviewed");
    // Next claim: verdict 5 (False), dispute, then mark it for review instead.
    h.key_press(Key::J);
    h.run_steps(3);
    h.get_by_label_contains("Claim 2 of 2");
    h.key_press(Key::Num5);
    h.run_steps(2);
    h.key_press(Key::D);
    h.run_steps(2);
    h.get_by_label("2 of 2 reviewed");
    h.key_press(Key::R);
    h.run_steps(2);
    h.get_by_label("1 of 2 reviewed");
    // Undo brings "Disputed" back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    h.get_by_label("2 of 2 reviewed");
    // C types a comment on the current claim.
    h.key_press(Key::C);
    h.run_steps(2);
    h.get_by_role(Role::TextInput)
        .type_text("Check the 2023 report");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    // Back to the first claim with K; the label keys (C = Claim) did nothing here.
    h.key_press(Key::K);
    h.run_steps(3);
    h.get_by_label_contains("Claim 1 of 2");

    assert!(h.state_mut().save_now(), "{}", h.state().status());
    let saved = load_sidecar(&dir.path().join("bridge.txt"));
    assert_eq!(saved.len(), 2, "no annotation was added by a key");
    let by_quote = |q: &str| {
        saved
            .iter()
            .find(|a| a.anchor.quote == q)
            .expect("claim saved")
            .clone()
    };
    let first = by_quote("repairs will cost 48 million euros");
    assert_eq!(first.verdict.as_deref(), Some("Mostly true"));
    assert_eq!(first.status, Status::Approved);
    let second = by_quote("ignored two inspection reports");
    assert_eq!(second.verdict.as_deref(), Some("False"));
    assert_eq!(second.status, Status::Disputed);
    assert_eq!(second.comments.len(), 1);
    assert_eq!(second.comments[0].text, "Check the 2023 report");
    assert_eq!(second.comments[0].author, "tester");
    // The other stories were not touched.
    let schools = load_sidecar(&dir.path().join("2024/schools.txt"));
    assert!(schools.iter().all(|a| a.comments.is_empty()));

    // Enter opens the current claim in the reader.
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(h.state().view, View::Story);
    let doc = h.state().doc().expect("doc");
    let id = h.state().selected().cloned().expect("selected");
    assert_eq!(
        doc.get(&id).expect("claim").anchor.quote,
        "repairs will cost 48 million euros"
    );
}

#[test]
fn folder_settings_are_edited_and_saved() {
    let dir = folder();
    let mut h = open_folder(dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Organisation name")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Organisation name")
        .type_text("Check Desk");
    h.run_steps(2);
    h.get_by_label("Use a scale of this folder's own").click();
    h.run_steps(2);
    h.get_by_label("Save settings").click();
    h.run_steps(2);
    settle(&mut h);
    let saved = FolderSettings::load(dir.path()).expect("settings");
    assert_eq!(
        saved.organisation.as_ref().map(|o| o.name.as_str()),
        Some("Check Desk")
    );
    assert_eq!(
        saved.rating_scale.as_ref().map(|s| s.ratings.len()),
        Some(7)
    );
    // Deterministic: saving the same settings again gives the same bytes.
    let bytes = std::fs::read(FolderSettings::path_in(dir.path())).expect("file");
    assert_eq!(bytes, saved.to_ron().expect("ron").into_bytes());
    assert!(
        h.state().status().starts_with("Saved"),
        "{}",
        h.state().status()
    );
}

#[test]
fn a_sidecar_changed_on_disk_is_reloaded_into_the_table() {
    let dir = folder();
    let mut h = open_folder(dir.path());
    assert_eq!(table_quotes(&mut h).len(), 4);
    // Another app annotates the port story.
    annotate(
        dir.path(),
        "port.txt",
        PORT,
        &[("cargo doubled since 2019", Some("False"), Status::Draft)],
    );
    let start = Instant::now();
    while table_quotes(&mut h).len() < 5 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the change was never noticed"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    let ws = h.state().loaded_workspace().expect("loaded");
    assert_eq!(ws.totals().claims, 5);
    assert_eq!(ws.totals().by_verdict.get("False"), Some(&2));
}

#[test]
fn open_folder_command_uses_the_picker() {
    let dir = folder();
    let app = FactmarkApp::new(settings(), Box::new(FixedPicker(Some(dir.path().into()))));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    h.run_steps(2);
    assert!(h.state().workspace.is_some(), "{}", h.state().status());
    let start = Instant::now();
    while h.state().loaded_workspace().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "scan never ended"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    assert_eq!(h.state().loaded_workspace().expect("ws").stories.len(), 3);
}

/// A folder dropped on the window, as the platform integration would hand it over.
#[derive(Debug)]
struct DroppedFolder(PathBuf);

impl egui::DroppedFile for DroppedFolder {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Err("a folder has no bytes".into())
    }
}

#[test]
fn a_dropped_folder_opens_and_the_filtered_view_exports() {
    let dir = folder();
    let out = tempfile::tempdir().expect("tempdir");
    let csv = out.path().join("claims.csv");
    let app = FactmarkApp::new(settings(), Box::new(FixedPicker(Some(csv.clone()))));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    h.run_steps(1);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedFolder(dir.path().to_owned())));
    h.run_steps(1);
    let start = Instant::now();
    while h.state().loaded_workspace().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            h.state().status()
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run_steps(2);
    // Filter to the one claim rated True; only it is exported.
    h.state_mut()
        .workspace
        .as_mut()
        .expect("ws")
        .state
        .query
        .verdicts = vec![Some("True".into())];
    h.run_steps(2);
    h.get_by_label("Export view...").click();
    h.run_steps(2);
    settle(&mut h);
    let written = std::fs::read_to_string(&csv).expect("export written");
    assert!(
        written.contains("most classes still have 30 pupils"),
        "{written}"
    );
    assert!(!written.contains("48 million"), "{written}");
    assert!(!written.contains("21 pupils"), "{written}");
    assert!(
        h.state().status().starts_with("Exported 1 annotation"),
        "{}",
        h.state().status()
    );
}

#[test]
fn ctrl_page_down_and_up_walk_the_folders_stories() {
    let dir = folder();
    let mut h = open_folder(dir.path());
    let step = |h: &mut Harness<'static, FactmarkApp>, key: Key| {
        h.key_press_modifiers(Modifiers::COMMAND, key);
        h.run_steps(2);
        settle(h);
        h.state().doc().map(|d| d.path().to_owned())
    };
    // No story open yet: the first one, then on in the folder's order (by path).
    assert_eq!(
        step(&mut h, Key::PageDown),
        Some(dir.path().join("2024/schools.txt"))
    );
    assert_eq!(
        step(&mut h, Key::PageDown),
        Some(dir.path().join("bridge.txt"))
    );
    assert_eq!(
        step(&mut h, Key::PageDown),
        Some(dir.path().join("port.txt"))
    );
    assert_eq!(
        step(&mut h, Key::PageDown),
        Some(dir.path().join("port.txt")),
        "the last story stays open"
    );
    h.get_by_label_contains("This is the last story in the folder.");
    assert_eq!(
        step(&mut h, Key::PageUp),
        Some(dir.path().join("bridge.txt"))
    );
}
