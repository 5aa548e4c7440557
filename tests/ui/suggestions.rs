//! Suggested claims in the window (SPEC 13), driven with egui_kittest through the real app
//! state and keys: G marks the candidates, Alt+J walks to the best one, C accepts it as a
//! Claim with statement and claimant pre-filled, X dismisses it into the sidecar, Ctrl+Z
//! undoes both, and a reopened story still hides what was dismissed.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::store;

/// Two check-worthy sentences with a speaker each, and one that is not worth checking.
const STORY: &str = "Bridge repairs\n\nRepairs will cost 48 million euros, more than double the 2024 estimate, Mayor Elena Brandt told reporters.\n\nThe weather was pleasant.\n\nAccording to Tomas Okafor, the city spent 11 euros per resident in 2025.\n";

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

fn open(path: &std::path::Path) -> Harness<'static, FactmarkApp> {
    let settings = Settings {
        author: "tester".into(),
        ..Settings::default()
    };
    let mut app = FactmarkApp::new(settings, Box::new(NoPicker));
    app.open(path);
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

fn press(h: &mut Harness<'static, FactmarkApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
    settle(h);
}

/// The texts of the suggestions shown, best first.
fn shown(h: &Harness<'static, FactmarkApp>) -> Vec<String> {
    h.state()
        .session
        .as_ref()
        .map(|s| {
            s.suggestions
                .shown()
                .iter()
                .map(|c| c.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn current(h: &Harness<'static, FactmarkApp>) -> Option<factmark::suggest::Suggestion> {
    h.state().session.as_ref()?.suggestions.current().cloned()
}

#[test]
fn toggle_walk_accept_dismiss_undo_save_and_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bridge.txt");
    std::fs::write(&path, STORY).expect("write story");
    let mut h = open(&path);

    // G marks the candidates; the bar counts them.
    assert!(shown(&h).is_empty(), "off until toggled");
    press(&mut h, Modifiers::NONE, Key::G);
    let all = shown(&h);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.iter().all(|t| !t.contains("weather")), "{all:?}");
    h.get_by_label_contains("Suggested: 2 claims");

    // Alt+J walks to the best one and the status explains it.
    press(&mut h, Modifiers::ALT, Key::J);
    let first = current(&h).expect("walked to one");
    assert_eq!(first.text, all[0]);
    let status = h.state().status().to_owned();
    assert!(status.contains("Suggestion 1 of 2"), "{status}");
    assert!(status.contains("score"), "{status}");
    assert!(status.contains("quantity:"), "{status}");

    // C accepts it: a Claim with the statement and claimant pre-filled, and the
    // candidate is no longer suggested (it is annotated now).
    press(&mut h, Modifiers::NONE, Key::C);
    let id = h.state().selected().cloned().expect("claim selected");
    {
        let a = h.state().doc().and_then(|d| d.get(&id)).expect("created");
        assert_eq!(a.label, "Claim");
        assert_eq!(a.statement, first.text);
        assert_eq!(a.anchor.quote, first.text);
        let claimant = first.claimant.clone().expect("the scorer names a claimant");
        assert!(!claimant.is_empty());
        assert_eq!(a.claimant, claimant);
        assert_eq!(a.author, "tester");
    }
    assert_eq!(shown(&h).len(), 1);

    // Undo removes the claim in one step and the candidate is back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.state().doc().and_then(|d| d.get(&id)).is_none());
    assert_eq!(shown(&h).len(), 2);

    // X dismisses the walked-to candidate; it disappears from the window.
    press(&mut h, Modifiers::ALT, Key::J);
    let target = current(&h).expect("walked to one");
    press(&mut h, Modifiers::NONE, Key::X);
    assert!(!shown(&h).contains(&target.text), "dismissed is hidden");
    let dismissed = |h: &Harness<'static, FactmarkApp>| {
        h.state()
            .doc()
            .map(|d| d.sidecar().dismissed_suggestions.clone())
            .unwrap_or_default()
    };
    assert_eq!(dismissed(&h).len(), 1);
    assert_eq!(dismissed(&h)[0].anchor.quote, target.text);
    assert_eq!(dismissed(&h)[0].by, "tester");

    // Undo brings it back; redo dismisses it again.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(dismissed(&h).is_empty());
    assert!(shown(&h).contains(&target.text), "undo shows it again");
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(dismissed(&h).len(), 1);

    // Saved: the sidecar on disk holds the dismissal.
    press(&mut h, Modifiers::COMMAND, Key::S);
    let (loaded, _) = store::load(&store::sidecar_path(&path))
        .expect("parses")
        .expect("exists");
    let on_disk = &loaded.sidecar.dismissed_suggestions;
    assert_eq!(on_disk.len(), 1);
    assert_eq!(on_disk[0].anchor.quote, target.text);
    assert!(
        loaded.sidecar.annotations.is_empty(),
        "the accept was undone"
    );
    drop(h);

    // Reopened (as a colleague would): still hidden.
    let mut h = open(&path);
    press(&mut h, Modifiers::NONE, Key::G);
    let again = shown(&h);
    assert_eq!(again.len(), 1, "{again:?}");
    assert!(!again.contains(&target.text));
}

#[test]
fn a_dismissal_follows_its_sentence_when_the_story_is_edited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bridge.txt");
    std::fs::write(&path, STORY).expect("write story");
    let mut h = open(&path);
    press(&mut h, Modifiers::NONE, Key::G);
    press(&mut h, Modifiers::ALT, Key::J);
    let target = current(&h).expect("walked to one");
    press(&mut h, Modifiers::NONE, Key::X);
    press(&mut h, Modifiers::COMMAND, Key::S);
    drop(h);

    // A new first paragraph moves every sentence; the dismissal moves with its quote.
    std::fs::write(&path, format!("Update: new figures.\n\n{STORY}")).expect("edit story");
    let mut h = open(&path);
    press(&mut h, Modifiers::NONE, Key::G);
    assert!(!shown(&h).contains(&target.text), "{:?}", shown(&h));
    let d = h
        .state()
        .doc()
        .map(|d| d.sidecar().dismissed_suggestions.clone())
        .unwrap_or_default();
    assert_eq!(d.len(), 1);
    assert!(d[0].anchor.start > target.start, "moved with the text");
}

#[test]
fn what_is_on_screen_is_marked_in_the_first_frame_of_a_big_story() {
    // About 2 MB: scoring all of it takes far longer than a frame (seconds in a debug
    // build), so the marks of the first frame come from the stretch on screen.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("book.txt");
    let mut text = String::from("Budget hearing\n\n");
    while text.len() < 2_000_000 {
        text.push_str("The weather was pleasant and the hall was full.\n\n");
        text.push_str("Repairs will cost 48 million euros, more than double the estimate, the mayor said.\n\n");
    }
    std::fs::write(&path, &text).expect("write story");
    let mut h = open(&path);
    h.key_press(Key::G);
    h.run_steps(2);
    let s = h.state().session.as_ref().expect("open");
    let first = s.suggestions.spans().first().copied();
    assert_eq!(
        first.map(|sp| sp.start),
        text.find("Repairs").map(|b| text[..b].chars().count()),
        "the first sentence worth checking on screen is marked (still scoring the rest: {})",
        s.suggestions.pending()
    );
}
