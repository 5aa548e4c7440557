//! The author's name and the Preferences window (issues #12 and #14): a first run asks for
//! the name, prefilled; new annotations and comments carry it; Preferences (Ctrl+,, or the
//! File menu) changes it and the look; Esc closes it; the settings survive a restart.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use factmark::anchor::Span;
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};

const STORY: &str = "Port traffic\n\nThe harbour authority says cargo doubled since 2019.\n\nThe mayor said the new quay cost 12 million euros.\n";

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

/// eframe's storage, in memory (what the window writes to its settings file).
#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

fn story() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("port.txt");
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

fn settle(h: &mut Harness<'static, FactmarkApp>) {
    h.state_mut().settle();
    h.run_steps(2);
}

fn span_of(quote: &str) -> Span {
    let b = STORY.find(quote).expect("quote in story");
    let start = STORY[..b].chars().count();
    Span::new(start, start + quote.chars().count())
}

/// Selects `quote` and presses C; returns the new claim's author.
fn claim(h: &mut Harness<'static, FactmarkApp>, quote: &str) -> String {
    h.state_mut().set_reader_selection(Some(span_of(quote)));
    h.run_steps(2);
    h.key_press(Key::C);
    h.run_steps(2);
    let app = h.state();
    let id = app.selected().expect("new claim selected");
    app.doc()
        .and_then(|d| d.get(id))
        .map(|a| a.author.clone())
        .expect("claim")
}

/// Replaces the text of the focused text box.
fn retype(h: &mut Harness<'static, FactmarkApp>, text: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.key_press(Key::Backspace);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Your name")
        .type_text(text);
    h.run_steps(2);
}

#[test]
fn first_run_asks_for_the_name_and_new_work_carries_it() {
    let (_dir, path) = story();
    // A first run: nothing stored, so no name (not the login name).
    let settings = Settings::default();
    assert_eq!(settings.author, "");
    let mut app = FactmarkApp::new(settings, Box::new(NoPicker));
    let prompt = app
        .name_prompt
        .as_ref()
        .expect("a first run asks for the name");
    assert_eq!(
        prompt.name,
        factmark::identity::suggested_name().unwrap_or_default(),
        "prefilled from git / the account"
    );
    // A known guess, as `git config user.name` would give.
    app.ask_for_name(Some("Asha Rao".into()));
    app.open(&path);
    let mut h = harness(app);
    h.get_by_label("Who is checking?");
    assert_eq!(
        h.state().name_prompt.as_ref().map(|p| p.name.as_str()),
        Some("Asha Rao"),
        "the box shows the guess"
    );

    // The guess is selected: typing replaces it (as a prefilled box should).
    h.get_by_role_and_label(Role::TextInput, "Your name")
        .type_text("Bo");
    h.run_steps(2);
    assert_eq!(
        h.state().name_prompt.as_ref().map(|p| p.name.as_str()),
        Some("Bo")
    );
    // Edit it and accept with Enter.
    retype(&mut h, "Asha Rao-Mehta");
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert!(h.state().name_prompt.is_none(), "the prompt closes");
    assert_eq!(h.state().settings.author, "Asha Rao-Mehta");

    // A new annotation carries the name…
    assert_eq!(claim(&mut h, "cargo doubled since 2019"), "Asha Rao-Mehta");
    // …and so does a comment typed in the inspector.
    h.get_all_by_role(Role::MultilineTextInput)
        .last()
        .expect("the inspector's comment box")
        .click();
    h.run_steps(2);
    h.get_all_by_role(Role::MultilineTextInput)
        .last()
        .expect("comment box")
        .type_text("Checked against the port's annual report");
    h.run_steps(2);
    h.get_by_label("Add comment").click();
    h.run_steps(2);
    {
        let app = h.state();
        let id = app.selected().expect("selected");
        let a = app.doc().and_then(|d| d.get(id)).expect("claim");
        assert_eq!(a.comments.len(), 1);
        assert_eq!(a.comments[0].author, "Asha Rao-Mehta");
    }

    // Preferences (Ctrl+,): change the name; Esc closes the window.
    h.key_press(Key::Escape); // leave the comment box
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    h.run_steps(2);
    assert!(h.state().prefs.open);
    h.get_by_label("Preferences");
    retype(&mut h, "B. Okafor");
    assert_eq!(h.state().settings.author, "B. Okafor", "applies at once");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(!h.state().prefs.open, "Esc closes Preferences");
    assert!(h.query_by_label("Preferences").is_none());

    // Later annotations carry the new name; the earlier one keeps its author.
    assert_eq!(
        claim(&mut h, "the new quay cost 12 million euros"),
        "B. Okafor"
    );
    let authors: Vec<String> = h
        .state()
        .doc()
        .expect("doc")
        .annotations()
        .iter()
        .map(|a| a.author.clone())
        .collect();
    assert!(authors.contains(&"Asha Rao-Mehta".to_owned()));

    // The name is saved with the preferences: the next start does not ask again.
    h.state_mut().save_now();
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let restored: Settings =
        eframe::get_value(&storage, factmark::app::prefs::STORAGE_KEY).expect("stored");
    assert_eq!(restored.author, "B. Okafor");
    let next = FactmarkApp::new(restored, Box::new(NoPicker));
    assert!(next.name_prompt.is_none(), "asked once");
}

#[test]
fn not_now_and_esc_close_the_prompt_without_a_name() {
    let mut app = FactmarkApp::new(Settings::default(), Box::new(NoPicker));
    app.ask_for_name(None);
    let mut h = harness(app);
    h.get_by_label("Who is checking?");
    // An empty name cannot be accepted.
    assert!(
        h.get_by_label("Use this name")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("Not now").click();
    h.run_steps(2);
    assert!(h.state().name_prompt.is_none());
    assert!(h.state().settings.needs_name());
    assert!(h.state().status().contains("Preferences"));

    let mut app = FactmarkApp::new(Settings::default(), Box::new(NoPicker));
    app.ask_for_name(Some("Bo".into()));
    let mut h = harness(app);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().name_prompt.is_none(), "Esc is Not now");
    assert_eq!(h.state().settings.author, "", "nothing accepted");
}

#[test]
fn preferences_from_the_menu_set_theme_text_size_and_autosave() {
    let (_dir, path) = story();
    let settings = Settings {
        author: "tester".into(),
        ..Settings::default()
    };
    let mut app = FactmarkApp::new(settings, Box::new(NoPicker));
    assert!(app.name_prompt.is_none(), "a name is set: no prompt");
    app.open(&path);
    let mut h = harness(app);

    // The File menu opens it (it no longer holds a name box).
    h.get_by_label("File").click();
    h.run_steps(2);
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Your name")
            .is_none(),
        "no name box in the menu"
    );
    h.get_by_label_contains("Preferences…").click();
    h.run_steps(4);
    assert!(h.state().prefs.open);
    for section in ["You", "Appearance", "Saving"] {
        h.get_by_label(section);
    }
    assert_eq!(
        h.state().settings.author,
        "tester",
        "opening changes nothing"
    );

    // Theme: the radio buttons.
    h.get_by_label("Dark").click();
    h.run_steps(2);
    assert!(h.state().settings.dark);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark, "the window follows");
    h.get_by_label("Light").click();
    h.run_steps(2);
    assert!(!h.state().settings.dark);

    // Text size: the slider (set as a screen reader would).
    h.get_by_role_and_label(Role::Slider, "Text size")
        .set_value_accesskit(22.0);
    h.run_steps(2);
    assert_eq!(h.state().settings.font_size, 22.0);
    // Out of bounds is clamped.
    h.state_mut()
        .enqueue(factmark::app::Command::SetTextSize(400.0));
    h.run_steps(2);
    assert_eq!(h.state().settings.font_size, 40.0);
    // The autosave delay, as its slider sends it; kept in bounds.
    h.state_mut()
        .enqueue(factmark::app::Command::SetAutosaveDelay(
            Duration::from_secs(5),
        ));
    h.run_steps(2);
    assert_eq!(h.state().autosave_delay(), Duration::from_secs(5));
    h.state_mut()
        .enqueue(factmark::app::Command::SetAutosaveDelay(Duration::ZERO));
    h.run_steps(2);
    assert_eq!(h.state().autosave_delay(), Duration::from_millis(500));

    // Ctrl+, again closes it, as does the window's ×.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    h.run_steps(2);
    assert!(!h.state().prefs.open);
}
