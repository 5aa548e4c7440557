//! Claim memory in the window (SPEC 12, issue 16), driven with egui_kittest through the real
//! app state: "Checked before" finds a claim of another story, its verdict is used and
//! undone; workspace search opens a story at the match; two claims are linked as the same
//! claim on both sidecars, and undo removes both links; a claim library is matched but
//! never written.
//!
//! Every test keeps its index in a temporary cache folder (`MemoryWorker::set_cache_dir`).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::anchor::{Anchor, Span};
use factmark::app::memory::Indexing;
use factmark::app::{Command, FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::model::{Annotation, AnnotationId, LinkKind, Source};
use factmark::store::{self, Sidecar};
use factmark::text::StoryText;

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

const BRIDGE: &str = "Council approves bridge budget\n\nThe mayor said repairs to the Elbe bridge will cost 48 million euros, twice the estimate.\n\nCritics said the city ignored two inspection reports.\n";
const BRIDGE_CLAIM: &str = "repairs to the Elbe bridge will cost 48 million euros";
const ECHO: &str = "Week in review\n\nAgain the mayor claimed fixing the Elbe bridge costs €48m.\n\nThe zoo opened a new enclosure for penguins.\n";
const ECHO_CLAIM: &str = "fixing the Elbe bridge costs €48m";

fn span_of(text: &str, quote: &str) -> Span {
    let b = text.find(quote).expect("quote in story");
    let start = text[..b].chars().count();
    Span::new(start, start + quote.chars().count())
}

/// Writes `text` to `dir/file` with one claim on `quote`; returns the claim's id.
fn story(dir: &Path, file: &str, text: &str, quote: &str, verdict: Option<&str>) -> AnnotationId {
    let path = dir.join(file);
    let story = StoryText::new(text.to_owned());
    std::fs::write(&path, story.as_str()).expect("story");
    let mut sidecar = Sidecar::new(file, story.sha256(), story.len_chars(), "UTF-8");
    let mut a = Annotation::new(
        Anchor::from_span(&story, span_of(text, quote)),
        "Claim",
        "ana",
    );
    a.statement = quote.to_owned();
    if let Some(v) = verdict {
        a.verdict = Some(v.to_owned());
        a.rationale = "The council's own budget says 24 million.".into();
        a.sources.push(Source::External {
            url: "https://example.org/budget".into(),
            title: "Budget 2026".into(),
            note: String::new(),
            accessed: None,
        });
    }
    let id = a.id.clone();
    sidecar.annotations.insert(a);
    std::fs::write(store::sidecar_path(&path), sidecar.to_ron().expect("ron")).expect("sidecar");
    id
}

fn annotations(path: &Path) -> Vec<Annotation> {
    let (loaded, _) = store::load(&store::sidecar_path(path))
        .expect("parses")
        .expect("exists");
    loaded.sidecar.annotations.iter().cloned().collect()
}

/// Opens `path` with the index kept in `cache`, and waits for the story and the index.
fn open(path: &Path, cache: &Path, libraries: Vec<PathBuf>) -> Harness<'static, FactmarkApp> {
    let settings = Settings {
        author: "tester".into(),
        libraries,
        ..Settings::default()
    };
    let mut app = FactmarkApp::new(settings, Box::new(NoPicker));
    app.memory.set_cache_dir(cache);
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
    h.state_mut().settle();
    h.run_steps(2);
}

fn select(h: &mut Harness<'static, FactmarkApp>, id: &AnnotationId) {
    h.state_mut().enqueue(Command::Select(id.clone()));
    h.run_steps(2);
    settle(h);
}

#[test]
fn checked_before_finds_another_story_and_its_verdict_is_used_then_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    let checked = story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let fresh = story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let mut h = open(&dir.path().join("echo.txt"), cache.path(), Vec::new());
    assert!(
        matches!(h.state().memory.indexing, Indexing::Ready { stories: 2 }),
        "{:?}",
        h.state().memory.indexing
    );

    select(&mut h, &fresh);
    h.get_by_label("Checked before");
    // The match from the other story: verdict, story, and why.
    h.get_by_label("False");
    h.get_by_label_contains("bridge.txt");
    h.get_by_label_contains("number: 48 million");
    {
        let s = h.state().session.as_ref().expect("session");
        let m = &s.checked_before.matches;
        assert_eq!(m.len(), 1, "only the other story's claim, not itself");
        assert_eq!(m[0].claim.id, checked.as_str());
    }

    h.get_by_label("Use verdict and sources").click();
    h.run_steps(2);
    {
        let a = h.state().doc().expect("doc").get(&fresh).expect("claim");
        assert_eq!(a.verdict.as_deref(), Some("False"));
        assert_eq!(a.rationale, "The council's own budget says 24 million.");
        assert!(
            matches!(&a.sources[..], [Source::External { url, .. }] if url == "https://example.org/budget")
        );
        assert_eq!(a.links.len(), 1);
        assert_eq!(a.links[0].kind, LinkKind::VerdictFrom);
        assert_eq!(a.links[0].story, "bridge.txt");
        assert_eq!(a.links[0].id, checked);
    }

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let a = h.state().doc().expect("doc").get(&fresh).expect("claim");
    assert_eq!(a.verdict, None, "undo brings the verdict back");
    assert!(a.sources.is_empty() && a.links.is_empty() && a.rationale.is_empty());
    // The other story was only read.
    assert!(
        annotations(&dir.path().join("bridge.txt"))[0]
            .links
            .is_empty()
    );
}

#[test]
fn search_then_enter_opens_the_story_at_the_match() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let mut h = open(&dir.path().join("bridge.txt"), cache.path(), Vec::new());

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run_steps(2);
    assert!(h.state().memory.search.open);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search for:")
        .type_text("penguins");
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label_contains("echo.txt · char");
    h.key_press(Key::Enter);
    // One frame reads Enter and asks for the story; the story then opens before the next
    // frame draws it (a regression: the reader dropped a selection made before it first
    // drew the text).
    h.step();
    h.state_mut().settle();
    h.run_steps(2);

    let s = h.state().session.as_ref().expect("session");
    assert_eq!(s.doc.path(), dir.path().join("echo.txt"));
    let span = span_of(ECHO, "penguins");
    assert_eq!(
        s.reader.selection(),
        Some(span),
        "the match is selected; status: {}",
        h.state().status()
    );
    assert!(!h.state().memory.search.open);
}

#[test]
fn linking_writes_both_sidecars_and_undo_removes_both_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    let other = story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let here = story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let echo = dir.path().join("echo.txt");
    let bridge = dir.path().join("bridge.txt");
    let mut h = open(&echo, cache.path(), Vec::new());
    select(&mut h, &here);

    h.get_by_label("Link as the same claim").click();
    h.run_steps(2);
    settle(&mut h);
    let a = h
        .state()
        .doc()
        .expect("doc")
        .get(&here)
        .expect("claim")
        .clone();
    assert_eq!(a.links.len(), 1);
    assert_eq!(
        (a.links[0].kind, a.links[0].story.as_str(), &a.links[0].id),
        (LinkKind::SameClaim, "bridge.txt", &other)
    );
    h.get_by_label("Linked as the same claim");
    h.get_by_label_contains("Linked as the same claim as one in bridge.txt");
    let back = annotations(&bridge)[0].links.clone();
    assert_eq!(back.len(), 1, "the other story's sidecar has the link back");
    assert_eq!(
        (back[0].kind, back[0].story.as_str(), &back[0].id),
        (LinkKind::SameClaim, "echo.txt", &here)
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    settle(&mut h);
    assert!(
        h.state()
            .doc()
            .expect("doc")
            .get(&here)
            .expect("claim")
            .links
            .is_empty()
    );
    assert!(
        annotations(&bridge)[0].links.is_empty(),
        "undo removed the link back"
    );

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        annotations(&bridge)[0].links.len(),
        1,
        "redo wrote it again"
    );
}

#[test]
fn a_claim_library_is_matched_but_never_written() {
    let work = tempfile::tempdir().expect("work");
    let library = tempfile::tempdir().expect("library");
    let cache = tempfile::tempdir().expect("cache");
    story(
        library.path(),
        "archive.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let here = story(work.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let before = std::fs::read(store::sidecar_path(&library.path().join("archive.txt")))
        .expect("library sidecar");
    let mut h = open(
        &work.path().join("echo.txt"),
        cache.path(),
        vec![library.path().to_owned()],
    );
    select(&mut h, &here);
    h.get_by_label_contains("library");
    h.get_by_label("Link as the same claim").click();
    h.run_steps(2);
    settle(&mut h);
    let a = h
        .state()
        .doc()
        .expect("doc")
        .get(&here)
        .expect("claim")
        .clone();
    assert_eq!(a.links.len(), 1, "linked on this side");
    let after = std::fs::read(store::sidecar_path(&library.path().join("archive.txt")))
        .expect("library sidecar");
    assert_eq!(before, after, "the library's sidecar is untouched");
}

const THIRD: &str =
    "Radio transcript\n\nThe mayor repeated that the Elbe bridge repairs cost 48 million euros.\n";
const THIRD_CLAIM: &str = "the Elbe bridge repairs cost 48 million euros";

/// Adds a `SameClaim` link from annotation `id` of `file` to `to_id` of `to_file`.
fn link(dir: &Path, file: &str, id: &AnnotationId, to_file: &str, to_id: &AnnotationId) {
    let path = dir.join(file);
    let (loaded, _) = store::load(&store::sidecar_path(&path))
        .expect("parses")
        .expect("exists");
    let mut sidecar = loaded.sidecar;
    let mut a = sidecar.annotations.get(id).expect("claim").clone();
    a.links.push(factmark::model::Link {
        kind: LinkKind::SameClaim,
        story: to_file.to_owned(),
        id: to_id.clone(),
    });
    sidecar.annotations.replace(a);
    std::fs::write(store::sidecar_path(&path), sidecar.to_ron().expect("ron")).expect("write");
}

#[test]
fn a_same_claim_group_is_rated_once_for_every_story_and_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    let a = story(dir.path(), "bridge.txt", BRIDGE, BRIDGE_CLAIM, None);
    let b = story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let c = story(dir.path(), "radio.txt", THIRD, THIRD_CLAIM, None);
    // a <-> b both ways, c -> b one way only (as a library claim would be): one group.
    link(dir.path(), "bridge.txt", &a, "echo.txt", &b);
    link(dir.path(), "echo.txt", &b, "bridge.txt", &a);
    link(dir.path(), "radio.txt", &c, "echo.txt", &b);
    let mut h = open(dir.path(), cache.path(), Vec::new());
    while h.state().scanning() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    settle(&mut h);
    h.get_by_label_contains("Same claim in several stories (1 group)");
    assert_eq!(
        h.get_all_by_label_contains("[same claim 1]").count(),
        4,
        "the heading and 3 rows"
    );

    h.get_by_label("Rate all 3").click();
    h.run_steps(2);
    h.get_by_label("Mostly false").click();
    h.run_steps(2);
    settle(&mut h);
    for file in ["bridge.txt", "echo.txt", "radio.txt"] {
        let v = annotations(&dir.path().join(file))[0].verdict.clone();
        assert_eq!(v.as_deref(), Some("Mostly false"), "{file}");
    }

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    settle(&mut h);
    for file in ["bridge.txt", "echo.txt", "radio.txt"] {
        assert_eq!(
            annotations(&dir.path().join(file))[0].verdict,
            None,
            "{file}"
        );
    }
}

#[test]
fn a_story_added_from_outside_is_indexed_and_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let mut h = open(dir.path(), cache.path(), Vec::new());
    while h.state().scanning() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    settle(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run_steps(2);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search for:")
        .type_text("penguins");
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().memory.search.hits.is_empty());

    // Another program adds a story: the folder watcher reports it, the index takes it in,
    // and the open search is answered again.
    story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.state().memory.search.hits.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the new story was never indexed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
        h.state_mut().settle();
    }
    let hit = &h.state().memory.search.hits[0];
    assert_eq!(hit.story, "echo.txt");
    assert_eq!(
        hit.place,
        factmark::memory::Place::Text {
            start: span_of(ECHO, "penguins").start,
            end: span_of(ECHO, "penguins").end
        }
    );
}

#[test]
fn a_damaged_index_is_rebuilt_without_a_word_to_the_user() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let fresh = story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let echo = dir.path().join("echo.txt");
    drop(open(&echo, cache.path(), Vec::new()));
    // Every file of the index overwritten with garbage.
    let mut damaged = 0;
    let mut folders = vec![cache.path().to_owned()];
    while let Some(d) = folders.pop() {
        for e in std::fs::read_dir(&d).expect("cache folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                folders.push(p);
            } else if !p.to_string_lossy().ends_with(".lock") {
                std::fs::write(&p, b"not an index").expect("damage");
                damaged += 1;
            }
        }
    }
    assert!(damaged > 0);

    let mut h = open(&echo, cache.path(), Vec::new());
    assert!(
        matches!(h.state().memory.indexing, Indexing::Ready { stories: 2 }),
        "{:?}",
        h.state().memory.indexing
    );
    assert!(!h.state().status_is_error(), "{}", h.state().status());
    select(&mut h, &fresh);
    h.get_by_label_contains("bridge.txt");
    h.get_by_label("Use verdict and sources");
}

/// A picker that "chooses" this folder at once.
struct FolderPicker(PathBuf);

impl FilePicker for FolderPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(Some(self.0.clone()));
        rx
    }
}

#[test]
fn claim_libraries_are_added_and_removed_in_their_editor_and_indexed() {
    let work = tempfile::tempdir().expect("work");
    let library = tempfile::tempdir().expect("library");
    let cache = tempfile::tempdir().expect("cache");
    story(
        library.path(),
        "archive.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let here = story(work.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let settings = Settings {
        author: "tester".into(),
        ..Settings::default()
    };
    let mut app = FactmarkApp::new(settings, Box::new(FolderPicker(library.path().to_owned())));
    app.memory.set_cache_dir(cache.path());
    app.open(&work.path().join("echo.txt"));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    settle(&mut h);
    select(&mut h, &here);
    h.get_by_label_contains("No similar claim");

    h.state_mut().enqueue(Command::ShowLibraries);
    // A new window is measured in its first frame and drawn in the next.
    h.run_steps(4);
    h.get_by_label("No claim library yet.");
    h.get_by_label("Add a claim library…").click();
    h.run_steps(3);
    settle(&mut h);
    let canonical = std::fs::canonicalize(library.path()).expect("canonical");
    assert_eq!(
        h.state().settings.libraries,
        std::slice::from_ref(&canonical)
    );
    h.get_by_label(&canonical.display().to_string());
    // Indexed: the library's claim is checked before, marked as a library's.
    select(&mut h, &here);
    h.get_by_label_contains("archive.txt");

    h.get_by_label("Remove").click();
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().settings.libraries.is_empty());
    h.get_by_label("No claim library yet.");
}

#[test]
fn arrow_keys_walk_the_search_results_and_enter_opens_the_one_highlighted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    story(dir.path(), "echo.txt", ECHO, ECHO_CLAIM, None);
    let mut h = open(&dir.path().join("bridge.txt"), cache.path(), Vec::new());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run_steps(2);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search for:")
        .type_text("mayor");
    h.run_steps(2);
    settle(&mut h);
    let hits = h.state().memory.search.hits.clone();
    assert_eq!(hits.len(), 2, "{hits:?}");
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().memory.search.current, 1);
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().memory.search.current, 1, "stops at the last");
    h.key_press(Key::Enter);
    h.run_steps(2);
    settle(&mut h);
    let factmark::memory::Place::Text { start, end } = hits[1].place else {
        panic!("a text hit: {:?}", hits[1]);
    };
    let s = h.state().session.as_ref().expect("session");
    assert!(factmark::memory::links::same_story(
        s.doc.path(),
        &hits[1].path
    ));
    assert_eq!(s.reader.selection(), Some(Span::new(start, end)));
}

#[test]
fn checked_before_follows_the_claim_as_its_statement_is_edited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    story(
        dir.path(),
        "bridge.txt",
        BRIDGE,
        BRIDGE_CLAIM,
        Some("False"),
    );
    let here = story(
        dir.path(),
        "zoo.txt",
        "Zoo news\n\nThe zoo opened a new enclosure for penguins.\n",
        "The zoo opened a new enclosure for penguins",
        None,
    );
    let mut h = open(&dir.path().join("zoo.txt"), cache.path(), Vec::new());
    select(&mut h, &here);
    h.get_by_label_contains("No similar claim");

    let mut a = h
        .state()
        .doc()
        .expect("doc")
        .get(&here)
        .expect("claim")
        .clone();
    a.statement = "Repairs of the Elbe bridge cost 48 million euros".into();
    h.state_mut().enqueue(Command::UpdateAnnotation {
        label: "Edit statement".into(),
        annotation: Box::new(a),
        coalesce: true,
    });
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label_contains("bridge.txt");
    h.get_by_label("Use verdict and sources");
}
