//! The story window behaving like a desktop editor (#14), through the real app state:
//! keyboard scrolling, each story's scroll position and selection, Esc, the selection bar
//! and status bar, and what a screen reader is told.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::ui::reader::Reader;

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

/// Paragraphs of a few hundred chars, numbered, until the story reaches `bytes`.
fn long_story(bytes: usize) -> String {
    let words = [
        "council", "budget", "minister", "said", "percent", "report", "bridge", "2019",
    ];
    let mut out = String::with_capacity(bytes + 512);
    let mut k = 0usize;
    let mut n = 0usize;
    while out.len() < bytes {
        n += 1;
        out.push_str(&format!("P{n}. "));
        for _ in 0..(30 + n % 50) {
            k = k.wrapping_mul(31).wrapping_add(7) % 1_000_003;
            out.push_str(words[k % words.len()]);
            out.push(' ');
        }
        out.push_str("\n\n");
    }
    out
}

fn write_story(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write story");
    path
}

fn harness(app: FactmarkApp) -> Harness<'static, FactmarkApp> {
    // Frames 1/60 s apart, so egui's scroll physics runs as in the window.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    settle(&mut h);
    h
}

fn settle(h: &mut Harness<'static, FactmarkApp>) {
    h.state_mut().settle();
    h.run_steps(3);
}

fn open(path: &Path) -> Harness<'static, FactmarkApp> {
    let settings = Settings {
        author: "tester".into(),
        ..Settings::default()
    };
    let mut app = FactmarkApp::new(settings, Box::new(NoPicker));
    app.open(path);
    harness(app)
}

fn reader<'h>(h: &'h Harness<'static, FactmarkApp>) -> &'h Reader {
    &h.state().session.as_ref().expect("a story is open").reader
}

fn offset(h: &Harness<'static, FactmarkApp>) -> f32 {
    reader(h).scroll_offset()
}

/// Presses a key and runs frames until the reader stops moving (a long jump animates).
fn press(h: &mut Harness<'static, FactmarkApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
    for _ in 0..60 {
        let before = h
            .state()
            .session
            .as_ref()
            .map(|s| (s.reader.scroll_offset(), s.reader.drawn_chars()));
        h.run_steps(2);
        let after = h
            .state()
            .session
            .as_ref()
            .map(|s| (s.reader.scroll_offset(), s.reader.drawn_chars()));
        if before == after {
            return;
        }
    }
}

#[test]
fn the_keyboard_scrolls_the_reader_and_costs_what_is_on_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = long_story(1_000_000);
    let path = write_story(dir.path(), "long.txt", &story);
    let mut h = open(&path);
    assert_eq!(
        offset(&h),
        0.0,
        "a story opened for the first time starts at its top"
    );
    let start_cost = reader(&h).galleys_laid_out();

    press(&mut h, Modifiers::NONE, Key::PageDown);
    let page = offset(&h);
    assert!(page > 300.0, "Page Down moved {page}");
    press(&mut h, Modifiers::NONE, Key::Space);
    let two = offset(&h);
    assert!(
        (two - 2.0 * page).abs() < 2.0,
        "Space pages down: {two} vs {page}"
    );
    press(&mut h, Modifiers::SHIFT, Key::Space);
    assert!((offset(&h) - page).abs() < 2.0, "Shift+Space pages up");
    press(&mut h, Modifiers::NONE, Key::PageUp);
    assert_eq!(offset(&h), 0.0, "Page Up back to the top");

    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    let line = offset(&h);
    assert!(
        line > 10.0 && line < page / 4.0,
        "Down scrolls a little: {line}"
    );
    press(&mut h, Modifiers::NONE, Key::ArrowUp);
    assert_eq!(offset(&h), 0.0, "Up scrolls back");

    let end = story.chars().count();
    press(&mut h, Modifiers::COMMAND, Key::End);
    let drawn = reader(&h).drawn_chars().expect("drawn");
    assert_eq!(drawn.end, end, "Ctrl+End shows the last paragraph");
    let last = story.trim_end().rfind("P").expect("last paragraph");
    let last_char = story[..last].chars().count();
    let rect = reader(&h)
        .char_rect(last_char)
        .expect("last paragraph drawn");
    assert!(rect.bottom() < 800.0, "{rect:?} is inside the window");
    let last_word = story.trim_end().chars().count() - 1;
    let rect = reader(&h)
        .char_rect(last_word)
        .expect("the last word drawn");
    assert!(
        rect.bottom() > 800.0 - 120.0,
        "{rect:?}: the end sits at the bottom, not above blank space"
    );
    press(&mut h, Modifiers::COMMAND, Key::Home);
    assert_eq!(offset(&h), 0.0, "Ctrl+Home");
    press(&mut h, Modifiers::NONE, Key::End);
    assert_eq!(reader(&h).drawn_chars().expect("drawn").end, end, "End");
    press(&mut h, Modifiers::NONE, Key::Home);
    assert_eq!(offset(&h), 0.0, "Home");

    // A 1 MB story: the jumps laid out a few screens, not the story.
    let cost = reader(&h).galleys_laid_out() - start_cost;
    assert!(cost < 120, "{cost} galleys laid out for a few screens");
}

#[test]
fn arrow_keys_stay_in_a_text_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_story(dir.path(), "long.txt", &long_story(100_000));
    let mut h = open(&path);
    // Ctrl+L puts the cursor in the list's filter box.
    press(&mut h, Modifiers::COMMAND, Key::L);
    assert!(h.ctx.text_edit_focused(), "the filter has the keyboard");
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::PageDown);
    press(&mut h, Modifiers::NONE, Key::End);
    assert_eq!(
        offset(&h),
        0.0,
        "keys in a text field do not scroll the story"
    );
}

fn open_in(h: &mut Harness<'static, FactmarkApp>, path: &Path) {
    h.state_mut().open(path);
    settle(h);
    h.run_steps(2);
}

#[test]
fn each_story_keeps_its_scroll_position_and_selection() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write_story(dir.path(), "a.txt", &long_story(200_000));
    let b = write_story(dir.path(), "b.txt", &long_story(150_000));
    let mut h = open(&a);
    for _ in 0..3 {
        press(&mut h, Modifiers::NONE, Key::PageDown);
    }
    let a_top = reader(&h).drawn_chars().expect("drawn").start;
    // Where a char near the top is on screen (offsets themselves shift as estimated
    // heights above are measured).
    let a_sel = factmark::anchor::Span::new(a_top + 5, a_top + 20);
    h.state_mut().set_reader_selection(Some(a_sel));
    h.run_steps(2);
    let a_y = reader(&h).char_rect(a_top + 5).expect("drawn").top();

    open_in(&mut h, &b);
    assert_eq!(
        offset(&h),
        0.0,
        "a story opened for the first time starts at its top"
    );
    assert_eq!(reader(&h).selection(), None);
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let b_top = reader(&h).drawn_chars().expect("drawn").start;
    let b_y = reader(&h).char_rect(b_top + 5).expect("drawn").top();

    open_in(&mut h, &a);
    assert_eq!(reader(&h).drawn_chars().expect("drawn").start, a_top);
    let y = reader(&h).char_rect(a_top + 5).expect("drawn").top();
    assert!((y - a_y).abs() < 1.0, "{y} vs {a_y}");
    assert_eq!(reader(&h).selection(), Some(a_sel));

    open_in(&mut h, &b);
    let y = reader(&h).char_rect(b_top + 5).expect("drawn").top();
    assert!((y - b_y).abs() < 1.0, "{y} vs {b_y}");
    assert_eq!(reader(&h).selection(), None);
}

#[test]
fn the_text_does_not_jump_when_the_selection_bar_appears() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_story(dir.path(), "s.txt", &long_story(20_000));
    let mut h = open(&path);
    let before = reader(&h).char_rect(5).expect("drawn");
    h.state_mut()
        .set_reader_selection(Some(factmark::anchor::Span::new(5, 30)));
    h.run_steps(3);
    assert_eq!(
        reader(&h).char_rect(5).expect("drawn"),
        before,
        "with a selection"
    );
    h.state_mut().set_reader_selection(None);
    h.run_steps(3);
    assert_eq!(reader(&h).char_rect(5).expect("drawn"), before, "without");
}

const SHORT: &str = "Council approves bridge budget\n\nThe mayor said repairs will cost 48 million euros, twice the estimate.\n";

/// A short story with one claim, selected.
fn with_a_claim(dir: &Path) -> (Harness<'static, FactmarkApp>, factmark::model::AnnotationId) {
    let path = write_story(dir, "bridge.txt", SHORT);
    let mut h = open(&path);
    let start = SHORT.find("48 million").expect("quote");
    let span = factmark::anchor::Span::new(start, start + "48 million euros".len());
    h.state_mut().set_reader_selection(Some(span));
    h.run_steps(2);
    h.key_press(Key::C);
    h.run_steps(2);
    let id = h.state().selected().cloned().expect("claim selected");
    (h, id)
}

fn claim(
    h: &Harness<'static, FactmarkApp>,
    id: &factmark::model::AnnotationId,
) -> factmark::model::Annotation {
    h.state()
        .doc()
        .and_then(|d| d.get(id))
        .cloned()
        .expect("claim")
}

#[test]
fn esc_after_fast_typing_keeps_every_char_and_the_claim_and_a_verdict_key_works() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, id) = with_a_claim(dir.path());
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Claimant")
        .click();
    h.run_steps(2);
    h.event(egui::Event::Text("rou".into()));
    h.step();
    // The rest of the word, the Esc and a verdict key arrive in one frame, as with fast
    // typing under a slow frame.
    h.event(egui::Event::Text("nd.".into()));
    h.key_press(Key::Escape);
    h.key_press(Key::Num5);
    h.event(egui::Event::Text("5".into()));
    h.run_steps(4);
    assert_eq!(claim(&h, &id).claimant, "round.");
    assert_eq!(
        h.state().selected(),
        Some(&id),
        "Esc kept the claim selected"
    );
    assert!(!h.ctx.text_edit_focused(), "Esc left the text box");
    assert_eq!(claim(&h, &id).verdict.as_deref(), Some("False"));
    assert!(h.state_mut().save_now());
    let sidecar =
        std::fs::read_to_string(h.state().doc().expect("doc").sidecar_path()).expect("sidecar");
    assert!(sidecar.contains("\"round.\""), "{sidecar}");
}

#[test]
fn esc_closes_the_shortcut_sheet_menus_and_the_export_dialog() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, id) = with_a_claim(dir.path());
    press(&mut h, Modifiers::NONE, Key::F1);
    assert!(h.state().show_shortcuts);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().show_shortcuts, "Esc closed the sheet");

    h.get_by_label("File").click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Open story…").is_some(),
        "the menu is open"
    );
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.query_by_label_contains("Open story…").is_none(),
        "Esc closed the menu"
    );
    assert_eq!(h.state().selected(), Some(&id), "and nothing else");

    press(&mut h, Modifiers::COMMAND, Key::E);
    assert!(h.state().export.open);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().export.open, "Esc closed the export dialog");
    assert_eq!(h.state().selected(), Some(&id), "and nothing else");
}

#[test]
fn the_status_bar_does_not_clip_in_the_smallest_window() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _id) = with_a_claim(dir.path());
    // The smallest window factmark allows, zoomed in, and a long message.
    h.state_mut().settings.zoom = 1.5;
    h.set_size(egui::vec2(640.0, 400.0));
    h.key_press(Key::R); // "Select the text this annotation belongs to, then press R."
    h.run_steps(4);
    let window = h.ctx.content_rect();
    for label in ["Unsaved changes", "1 annotation, 1 claim", "chars", "UTF-8"] {
        let rect = h.get_by_label_contains(label).rect();
        assert!(
            window.contains_rect(rect),
            "{label:?} at {rect:?} is cut off by the window {window:?}"
        );
    }
    let message = h
        .get_by_label_contains("Select the text this annotation")
        .rect();
    assert!(
        window.contains_rect(message),
        "the message at {message:?} is cut off"
    );
    // The reader keeps room to read in.
    let column = h
        .state()
        .session
        .as_ref()
        .and_then(|s| s.reader.char_rect(0))
        .expect("the story is drawn");
    assert!(column.left() < window.width() * 0.6, "{column:?}");
}

#[test]
fn a_screen_reader_can_read_the_story_the_list_and_the_selected_claim() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::{NodeT, Queryable};
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _id) = with_a_claim(dir.path());
    press(&mut h, Modifiers::NONE, Key::Num5); // verdict: False
    h.run();
    // Every input has a name (kittest checks it after `run`); now the content.
    let story = h.get_by_role_and_label(Role::Document, "Story");
    let description = story.accesskit_node().description().unwrap_or_default();
    assert!(
        description.contains("Verdict: False") && description.contains("48 million euros"),
        "{description:?}"
    );
    let paragraphs: Vec<String> = h
        .get_all_by_role(Role::Paragraph)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(
        paragraphs
            .iter()
            .any(|p| p.starts_with("The mayor said repairs will cost")),
        "{paragraphs:?}"
    );
    let row = h.get_by_role(Role::ListItem);
    let label = row.accesskit_node().label().unwrap_or_default();
    assert_eq!(
        label,
        "Claim: 48 million euros. Verdict: False. Status: Draft."
    );
    assert_eq!(
        row.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "the row says it is the selected one"
    );
    h.get_by_label("Selected Claim: 48 million euros. Verdict: False. Status: Draft.");
    let verdict = h.get_by_role_and_label(Role::ComboBox, "Verdict");
    assert_eq!(verdict.value().as_deref(), Some("False"));
    let status = h.get_by_role_and_label(Role::ComboBox, "Status");
    assert_eq!(status.value().as_deref(), Some("Draft"));
    h.get_by_role_and_label(Role::TextInput, "Claimant");
}

#[test]
fn the_shortcut_sheet_fits_the_window_or_scrolls_with_the_keyboard() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_story(dir.path(), "long.txt", &long_story(50_000));
    let mut h = open(&path);
    press(&mut h, Modifiers::NONE, Key::F1);
    let sheet = h
        .ctx
        .memory(|m| m.area_rect(factmark::ui::chrome::shortcut_sheet_id()))
        .expect("the sheet is open");
    let window = h.ctx.content_rect();
    assert!(window.contains_rect(sheet), "{sheet:?} inside {window:?}");
    for row in [
        "Mark the selection as Claim",
        "Go to the end of the story",
        "Verdict: Unproven",
        "Single-key shortcuts work",
    ] {
        let rect = h.get_by_label_contains(row).rect();
        assert!(
            sheet.contains_rect(rect),
            "{row:?} at {rect:?} is outside the sheet {sheet:?}"
        );
    }

    // In the smallest window it cannot fit: the scrolling keys scroll the sheet, not the story.
    h.set_size(egui::vec2(640.0, 400.0));
    h.run_steps(3);
    let first = h
        .get_by_label_contains("Mark the selection as Claim")
        .rect();
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let moved = h
        .get_by_label_contains("Mark the selection as Claim")
        .rect();
    assert!(moved.top() < first.top() - 50.0, "{first:?} -> {moved:?}");
    assert_eq!(offset(&h), 0.0, "the story stayed put");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().show_shortcuts);
}

#[test]
fn coming_back_to_a_story_finds_its_selected_claim() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, id) = with_a_claim(dir.path());
    let a = h.state().doc().expect("doc").path().to_owned();
    let b = write_story(dir.path(), "other.txt", &long_story(5_000));
    open_in(&mut h, &b);
    assert_eq!(
        h.state().selected(),
        None,
        "nothing of the first story leaks in"
    );
    open_in(&mut h, &a);
    assert_eq!(h.state().selected(), Some(&id));
}

/// Regression: coming back from a short story, the reader sprang back to the top (egui kept
/// one scroll state for both stories, and the short one's end pulled the long one back).
#[test]
fn coming_back_from_a_short_story_keeps_the_place_in_the_long_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = write_story(dir.path(), "long.txt", &long_story(60_000));
    let short = write_story(dir.path(), "short.txt", SHORT);
    let mut h = open(&long);
    for _ in 0..3 {
        press(&mut h, Modifiers::NONE, Key::PageDown);
    }
    let top = reader(&h).drawn_chars().expect("drawn").start;
    let y = reader(&h).char_rect(top + 5).expect("drawn").top();
    open_in(&mut h, &short);
    assert_eq!(offset(&h), 0.0);
    open_in(&mut h, &long);
    h.run_steps(20);
    assert_eq!(reader(&h).drawn_chars().expect("drawn").start, top);
    let back = reader(&h).char_rect(top + 5).expect("drawn").top();
    assert!((back - y).abs() < 1.0, "{back} vs {y}");
}

/// The main job without the mouse: open, find, select, claim, verdict, save.
#[test]
fn find_then_esc_selects_the_match_and_the_keyboard_takes_it_from_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_story(dir.path(), "bridge.txt", SHORT);
    let mut h = open(&path);
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.event(egui::Event::Text("48 million".into()));
    h.run_steps(3);
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Escape);
    let start = SHORT.find("48 million").expect("in the story");
    assert_eq!(
        reader(&h).selection(),
        Some(factmark::anchor::Span::new(start, start + 10)),
        "Esc closed the find bar and selected the match"
    );
    // Shift+Ctrl+Right takes in the next word.
    press(
        &mut h,
        Modifiers::SHIFT | Modifiers::COMMAND,
        Key::ArrowRight,
    );
    assert_eq!(
        reader(&h).selection(),
        Some(factmark::anchor::Span::new(
            start,
            start + "48 million euros".len()
        ))
    );
    press(&mut h, Modifiers::NONE, Key::C);
    let id = h.state().selected().cloned().expect("a claim");
    press(&mut h, Modifiers::NONE, Key::Num5);
    assert_eq!(claim(&h, &id).anchor.quote, "48 million euros");
    assert_eq!(claim(&h, &id).verdict.as_deref(), Some("False"));
    // Ctrl+K puts the keyboard in the source's address box; Enter adds it.
    press(&mut h, Modifiers::COMMAND, Key::K);
    h.event(egui::Event::Text("https://example.org/audit report".into()));
    h.run_steps(2);
    press(&mut h, Modifiers::NONE, Key::Enter);
    let sources = &claim(&h, &id).sources;
    assert!(
        matches!(sources.as_slice(), [factmark::model::Source::External { url, .. }]
            if url == "https://example.org/audit%20report"),
        "one web source, its address normalised: {sources:?}"
    );
    // Enter gave the keyboard back to the story: a verdict key works at once.
    press(&mut h, Modifiers::NONE, Key::Num4);
    assert_eq!(claim(&h, &id).verdict.as_deref(), Some("Mostly false"));
    press(&mut h, Modifiers::COMMAND, Key::S);
    h.state_mut().settle();
    assert!(!h.state().doc().expect("doc").is_dirty(), "saved");
    let saved = std::fs::read_to_string(factmark::store::sidecar_path(&path)).expect("sidecar");
    assert!(
        saved.contains("https://example.org/audit%20report"),
        "{saved}"
    );
}
