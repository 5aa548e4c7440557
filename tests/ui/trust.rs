//! Trust in the window, driven with egui_kittest through the real app state: a verdict
//! whose words changed under it (SPEC 9), a folder with a sidecar that cannot be read,
//! the story's public details (SPEC 11), fields that follow the label, banners and status
//! messages that clear with their cause, and counts with the right plural.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::anchor::{Anchor, Span};
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::document::Document;
use factmark::model::{Annotation, Status};
use factmark::store::{self, Sidecar};
use factmark::text::StoryText;
use factmark::ui::workspace_view::View;

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

fn settings() -> Settings {
    Settings {
        author: "tester".into(),
        ..Settings::default()
    }
}

fn harness(app: FactmarkApp) -> Harness<'static, FactmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    settle(&mut h);
    h
}

/// Runs frames until the worker finished what was asked and its results are drawn.
fn settle(h: &mut Harness<'static, FactmarkApp>) {
    h.state_mut().settle();
    h.run_steps(2);
}

fn open(path: &Path) -> Harness<'static, FactmarkApp> {
    let mut app = FactmarkApp::new(settings(), Box::new(NoPicker));
    app.open(path);
    harness(app)
}

/// Opens `root` and steps the window until the background scan has finished.
fn open_folder(root: &Path) -> Harness<'static, FactmarkApp> {
    let mut app = FactmarkApp::new(settings(), Box::new(NoPicker));
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

fn span_of(text: &str, quote: &str) -> Span {
    let b = text.find(quote).expect("quote in story");
    let start = text[..b].chars().count();
    Span::new(start, start + quote.chars().count())
}

const CHECKED: &str = "The council said the new bridge costs $1 billion, twice the first estimate.\n\nCritics said the city ignored two inspection reports.\n";
const EDITED: &str = "The council said the new bridge costs $4 billion, twice the first estimate.\n\nCritics said the city ignored two inspection reports.\n";

/// Writes `file` with the text `checked` and a sidecar holding an Approved claim on
/// `claim` and a note on `note`, then replaces the story's text with `now` (as a newsroom
/// correcting a figure would).
fn story_changed_under_a_verdict(dir: &Path, file: &str, now: &str) -> PathBuf {
    let path = dir.join(file);
    let text = StoryText::new(CHECKED.to_owned());
    let mut sidecar = Sidecar::new(file, text.sha256(), text.len_chars(), "UTF-8");
    let mut claim = Annotation::new(
        Anchor::from_span(&text, span_of(CHECKED, "the new bridge costs $1 billion")),
        "Claim",
        "ana",
    );
    claim.verdict = Some("True".into());
    claim.status = Status::Approved;
    sidecar.annotations.insert(claim);
    let note = Annotation::new(
        Anchor::from_span(&text, span_of(CHECKED, "ignored two inspection reports")),
        "Note",
        "ana",
    );
    sidecar.annotations.insert(note);
    std::fs::write(store::sidecar_path(&path), sidecar.to_ron().expect("ron")).expect("sidecar");
    std::fs::write(&path, now).expect("story");
    path
}

fn the_claim(h: &Harness<'static, FactmarkApp>) -> Annotation {
    h.state()
        .doc()
        .expect("open")
        .annotations()
        .iter()
        .find(|a| a.label == "Claim")
        .expect("the claim")
        .clone()
}

#[test]
fn changed_wording_under_an_approved_claim_is_shown_confirmed_undone_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = story_changed_under_a_verdict(dir.path(), "bridge.txt", EDITED);
    let mut h = open(&path);
    let claim = the_claim(&h);
    assert!(claim.wording_changed(), "{claim:?}");
    assert_eq!(claim.anchor.quote, "the new bridge costs $4 billion");
    h.get_by_label_contains("This story changed since it was annotated");

    // The list's "Wording changed" filter shows only it; J selects it.
    h.get_by_role_and_label(Role::CheckBox, "Wording changed")
        .click();
    h.run_steps(2);
    h.get_by_label("1 of 2 annotations");
    h.key_press(Key::J);
    h.run_steps(2);
    assert_eq!(h.state().selected(), Some(&claim.id));

    // The inspector shows both wordings and the choice.
    h.get_by_label("Checked");
    h.get_by_label("Story now");
    assert!(
        h.query_all_by_label_contains("the new bridge costs $1 billion")
            .count()
            >= 1
    );

    // Confirm: the Approved claim goes back to review, the banner's cause is gone.
    h.get_by_label("Confirm: back to review (Enter)").click();
    h.run_steps(2);
    let confirmed = the_claim(&h);
    assert_eq!(confirmed.status, Status::NeedsReview);
    assert!(!confirmed.wording_changed());
    let d = confirmed.wording_decision.clone().expect("decision");
    assert!(!d.verdict_kept);
    assert_eq!(d.by, "tester");
    assert!(
        h.query_by_label_contains("This story changed since it was annotated")
            .is_none(),
        "the banner clears once nothing needs confirming"
    );
    h.get_by_label("0 of 2 annotations");
    h.get_by_label_contains("Nothing here needs you any more.");
    assert!(
        h.state().status().contains("back in review"),
        "{}",
        h.state().status()
    );

    // Undo restores Approved and the pending wording.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let undone = the_claim(&h);
    assert_eq!(undone.status, Status::Approved);
    assert!(undone.wording_changed());
    h.get_by_label("1 of 2 annotations");

    // "Does not affect the verdict": Approved stays, who and when are recorded.
    let before = jiff::Timestamp::now();
    h.get_by_label("Wording change does not affect the verdict")
        .click();
    h.run_steps(2);
    let kept = the_claim(&h);
    assert_eq!(kept.status, Status::Approved);
    assert!(!kept.wording_changed());
    let d = kept.wording_decision.clone().expect("decision");
    assert!(d.verdict_kept);
    assert_eq!(d.by, "tester");
    assert!(
        d.at >= before
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .expect("t")
    );
    assert_eq!(d.from, "the new bridge costs $1 billion");
    assert_eq!(d.to, "the new bridge costs $4 billion");

    // Saved with the claim.
    assert!(h.state_mut().save_now());
    let again = Document::open(&path).expect("reopen");
    let saved = again
        .annotations()
        .iter()
        .find(|a| a.label == "Claim")
        .expect("claim");
    assert_eq!(
        saved.wording_decision.as_ref().map(|d| d.verdict_kept),
        Some(true)
    );
}

/// A folder: a story whose wording changed under its claim, one whose sidecar is broken,
/// and one with a single claim.
fn trust_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    story_changed_under_a_verdict(dir.path(), "bridge.txt", EDITED);
    let broken = dir.path().join("broken.txt");
    std::fs::write(&broken, "The port said cargo doubled.\n").expect("story");
    std::fs::write(
        store::sidecar_path(&broken),
        "(format: \"factmark\", version: 1, oops",
    )
    .expect("bad sidecar");
    let port = dir.path().join("port.txt");
    let text = "The harbour authority claims cargo doubled since 2019.\n";
    let story = StoryText::new(text.to_owned());
    let mut sidecar = Sidecar::new("port.txt", story.sha256(), story.len_chars(), "UTF-8");
    sidecar.annotations.insert(Annotation::new(
        Anchor::from_span(&story, span_of(text, "cargo doubled since 2019")),
        "Claim",
        "ana",
    ));
    std::fs::write(store::sidecar_path(&port), sidecar.to_ron().expect("ron")).expect("sidecar");
    std::fs::write(&port, text).expect("story");
    dir
}

#[test]
fn a_folder_with_a_broken_sidecar_lists_it_with_the_reason_and_says_what_is_left_out() {
    let dir = trust_folder();
    let mut h = open_folder(dir.path());
    assert_eq!(h.state().view, View::Claims);
    let ws = h.state().loaded_workspace().expect("loaded");
    assert_eq!(ws.stories.len(), 3, "the broken story stays in the folder");

    // The story list: the broken story with a warning and the reason; plurals right.
    h.get_by_label("3 stories");
    h.get_by_label("broken.txt");
    h.get_by_label_contains("Annotations not read:");
    h.get_by_label("1 claim, 1 annotation");
    // The table and the statistics say how many stories they leave out.
    h.get_by_label_contains("1 story left out: its annotations could not be read");
    h.get_by_label("Label");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run_steps(2);
    h.get_by_label_contains("1 story left out: its annotations could not be read (broken.txt)");
    h.get_by_label_contains("2 claims (1 unrated) among 3 annotations");
    h.get_by_label("broken.txt (not read): 0");
    h.get_by_label("port.txt: 1");
    // Its "Wording changed" count filters the table, which the next steps turn off again.
    h.get_by_label("Wording changed: 1").click();
    h.run_steps(2);
    assert_eq!(h.state().view, View::Claims);
    h.get_by_label("1 of 3 annotations");
    h.get_by_label("Clear filters").click();
    h.run_steps(2);

    // The story view's picker does not call it a story with no claims.
    h.get_by_label("Story").click();
    h.run_steps(2);
    h.get_by_label("broken.txt  (its annotations could not be read)");

    // The table's "Wording changed" filter; the review queue shares it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    h.get_by_label("3 of 3 annotations");
    h.get_by_role_and_label(Role::CheckBox, "Wording changed")
        .click();
    h.run_steps(2);
    h.get_by_label("1 of 3 annotations");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label("Claim 1 of 1");
    h.get_by_role_and_label(Role::CheckBox, "Wording changed")
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert!(
        !h.state()
            .workspace
            .as_ref()
            .expect("ws")
            .state
            .query
            .wording_changed,
        "the queue's checkbox turns the shared filter off"
    );
    h.get_by_label("Claim 1 of 2");

    // Clicking a story in the sidebar opens it in the reader.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "port.txt").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().view, View::Story);
    assert_eq!(
        h.state().doc().map(|d| d.path().to_owned()),
        Some(dir.path().join("port.txt"))
    );
}

#[test]
fn story_details_are_edited_saved_reopened_and_name_the_w3c_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bridge.txt");
    std::fs::write(&path, CHECKED).expect("story");
    let mut h = open(&path);
    h.state_mut()
        .set_reader_selection(Some(span_of(CHECKED, "costs $1 billion")));
    h.run_steps(2);
    h.key_press(Key::C);
    h.run_steps(2);

    h.get_by_label("File").click();
    h.run_steps(4);

    // (The menu item's label ends with its empty shortcut text.)
    h.get_by_label_contains("Story details (address, headline, outlet)…")
        .click();
    h.run_steps(3);
    assert!(h.state().session.as_ref().expect("story").story_meta.open);

    // A bad address is explained, and nothing is stored.
    h.get_by_role_and_label(Role::TextInput, "Address (URL)")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Address (URL)")
        .type_text("news example bridge");
    h.run_steps(2);
    h.get_by_label("Apply").click();
    h.run_steps(2);
    assert_eq!(
        h.query_all_by_label_contains("is not a web address")
            .count(),
        2,
        "explained in the window and in the status bar"
    );
    assert!(h.state().status_is_error());
    assert!(h.state().doc().expect("doc").meta().is_empty());

    // A good one, and a headline.
    h.get_by_role_and_label(Role::TextInput, "Address (URL)")
        .click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Address (URL)")
        .type_text("https://Ledger.example/news/bridge budget");
    h.get_by_role_and_label(Role::TextInput, "Headline").click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Headline")
        .type_text("Bridge to cost $4 billion");
    h.run_steps(2);
    // Enter applies, as the button does.
    h.key_press(Key::Enter);
    h.run_steps(2);
    let url = "https://ledger.example/news/bridge%20budget";
    let meta = h.state().doc().expect("doc").meta();
    assert_eq!(meta.url.as_deref(), Some(url));
    assert_eq!(meta.headline, "Bridge to cost $4 billion");
    assert!(!h.state().status_is_error(), "{}", h.state().status());

    // Undo and redo it like any edit.
    h.get_by_label("Close").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().doc().expect("doc").meta().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().doc().expect("doc").meta(), meta);

    // Saved in the sidecar; a reopen shows it; the W3C export targets the address.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(1);
    settle(&mut h);
    let sidecar = std::fs::read_to_string(store::sidecar_path(&path)).expect("saved");
    assert!(sidecar.contains(url), "{sidecar}");
    let again = Document::open(&path).expect("reopen");
    assert_eq!(again.meta(), meta);

    let set = factmark::export::ExportSet::load(
        std::slice::from_ref(&path),
        &factmark::export::Filter::default(),
    )
    .expect("export set");
    let w3c = factmark::export::w3c::to_w3c(&set).expect("w3c");
    let json: serde_json::Value = serde_json::from_slice(&w3c).expect("json");
    let text = json.to_string();
    assert!(!text.contains("file://"), "{text}");
    let items = json["first"]["items"]
        .as_array()
        .or_else(|| json["items"].as_array())
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 1, "{text}");
    for item in items {
        assert_eq!(item["target"]["source"], url, "{item}");
    }
}

#[test]
fn an_html_story_shows_its_page_details_prefilled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("harbour.html");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/harbour_bridge.html"),
        &path,
    )
    .expect("copy");
    let mut h = open(&path);
    h.state_mut()
        .enqueue(factmark::app::Command::ShowStoryDetails);
    h.run_steps(3);
    let url = h
        .get_by_role_and_label(Role::TextInput, "Address (URL)")
        .value()
        .unwrap_or_default();
    assert_eq!(
        url,
        "https://ledger.example/news/2026/03/harbour-bridge-repairs"
    );
    let headline = h
        .get_by_role_and_label(Role::TextInput, "Headline")
        .value()
        .unwrap_or_default();
    assert_eq!(
        headline,
        "Harbour bridge repairs to cost twice the estimate"
    );
}

#[test]
fn fields_follow_the_label_and_messages_clear_with_their_cause() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bridge.txt");
    std::fs::write(&path, CHECKED).expect("story");
    let mut h = open(&path);

    // A note: no verdict, no claimant, no checkable sentence.
    h.state_mut()
        .set_reader_selection(Some(span_of(CHECKED, "two inspection reports")));
    h.run_steps(2);
    h.key_press(Key::N);
    h.run_steps(2);
    assert!(h.query_by_label("Verdict").is_none());
    assert!(h.query_by_label("Claimant").is_none());
    assert!(
        h.query_by_label("Statement (the claim as a checkable sentence)")
            .is_none()
    );
    h.get_by_label("Description");
    // One annotation: singular everywhere it is counted.
    h.get_by_label("1 annotation");
    h.get_by_label("1 annotation, 0 claims");

    // A claim shows them all.
    h.state_mut()
        .set_reader_selection(Some(span_of(CHECKED, "costs $1 billion")));
    h.run_steps(2);
    h.key_press(Key::C);
    h.run_steps(2);
    h.get_by_label("Verdict");
    h.get_by_label("Claimant");
    h.get_by_label("Statement (the claim as a checkable sentence)");
    h.get_by_label("2 annotations, 1 claim");

    // A refused source leaves an error; a valid one added next clears it.
    h.get_by_label("Add a web source").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .type_text("not a link");
    h.run_steps(2);
    h.get_by_label("Add source").click();
    h.run_steps(2);
    assert!(h.state().status_is_error(), "{}", h.state().status());
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Web address")
        .type_text("https://budget.example/2026");
    h.run_steps(2);
    h.get_by_label("Add source").click();
    h.run_steps(2);
    assert!(!h.state().status_is_error(), "{}", h.state().status());
    assert_eq!(h.state().status(), "Added the source.");

    // Zooming says the size; resetting replaces that message.
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run_steps(2);
    assert!(h.state().status().starts_with("Reader text size"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(2);
    assert!(
        h.state().status().starts_with("Reader text size back to"),
        "{}",
        h.state().status()
    );
}
