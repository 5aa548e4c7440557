//! A seeded monkey: thousands of random user actions per seed on the real app state, driven
//! through egui_kittest, with the invariants that matter checked after every step.
//!
//! Actions: select text, label keys (C/S/N), verdict digits, typing into the inspector,
//! delete, undo/redo, save, outside changes to the story and to the sidecar on disk, and
//! opening the other story. Invariants:
//! - nothing panics;
//! - the sidecar on disk always parses;
//! - after a save that ran, the sidecar on disk holds exactly the in-memory set;
//! - undoing back to the start restores the set as opened, and redoing restores the end.
//!
//! `MONKEY_STEPS` (steps per seed) and `MONKEY_SEEDS` make the long run:
//! `MONKEY_STEPS=100000 MONKEY_SEEDS=1 cargo test --test ui monkey -- --nocapture`;
//! `MONKEY_FIRST_SEED` starts at another seed, so several processes can split a long run.

use std::path::{Path, PathBuf};

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::anchor::Span;
use factmark::app::{Command, FactmarkApp, FilePicker, PickRequest, Settings};
use factmark::document::Document;
use factmark::model::AnnotationSet;
use factmark::store;

const STORY_A: &str = "Council approves bridge budget\n\nThe mayor said repairs will cost 48 million euros, twice the estimate.\n\nCritics said the city had ignored two inspection reports since 2019.\n\nA spokesperson declined to comment on the timeline.\n";
const STORY_B: &str = "Rainfall record broken\n\nThe weather office said June brought 212 mm of rain, the most in a century.\n\nFarmers reported losses of about a third of the harvest.\n";

/// Never opens a dialog.
struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> std::sync::mpsc::Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

/// SplitMix64: small, seedable, good enough to pick actions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

// ---- the driver: the only place that knows the app's API ----

fn harness(app: FactmarkApp) -> Harness<'static, FactmarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    h.run_steps(2);
    h
}

fn doc<'h>(h: &'h Harness<'_, FactmarkApp>) -> Option<&'h Document> {
    h.state().doc()
}

fn open(h: &mut Harness<'_, FactmarkApp>, path: &Path) {
    h.state_mut().open(path);
    settle(h);
}

fn set_selection(h: &mut Harness<'_, FactmarkApp>, span: Span) {
    h.state_mut().set_reader_selection(Some(span));
}

/// Runs frames until background work is done and its results are in. (One frame first:
/// a key pressed just before is only read by the next frame.)
fn settle(h: &mut Harness<'_, FactmarkApp>) {
    h.run_steps(1);
    h.state_mut().settle();
    h.run_steps(2);
}

/// Makes the app look at the disk now (instead of at its next poll).
fn check_disk(h: &mut Harness<'_, FactmarkApp>) {
    h.state_mut().check_disk_now();
    settle(h);
}

// ---- the monkey ----

#[derive(Debug)]
struct Segment {
    /// The set as the story was opened (the state undo must return to).
    start: AnnotationSet,
}

struct Monkey {
    rng: Rng,
    dir: tempfile::TempDir,
    stories: [PathBuf; 2],
    segment: Segment,
    log: Vec<String>,
    /// Saves whose result was compared with memory, and undo/redo round trips checked.
    saves_checked: usize,
    round_trips: usize,
}

impl Monkey {
    fn new(seed: u64) -> (Self, Harness<'static, FactmarkApp>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("bridge.txt");
        let b = dir.path().join("rain.txt");
        std::fs::write(&a, STORY_A).expect("write story");
        std::fs::write(&b, STORY_B).expect("write story");
        let settings = Settings {
            author: "monkey".into(),
            ..Settings::default()
        };
        let app = FactmarkApp::new(settings, Box::new(NoPicker));
        let mut h = harness(app);
        open(&mut h, &a);
        let start = doc(&h).expect("opened").annotations().clone();
        let m = Self {
            rng: Rng(seed),
            dir,
            stories: [a, b],
            segment: Segment { start },
            log: Vec::new(),
            saves_checked: 0,
            round_trips: 0,
        };
        (m, h)
    }

    fn fail(&self, what: &str) -> ! {
        let tail: Vec<&String> = self.log.iter().rev().take(25).collect();
        panic!("{what}\nlast actions (newest first):\n{tail:#?}");
    }

    fn step(&mut self, h: &mut Harness<'_, FactmarkApp>) {
        let roll = self.rng.below(100);
        match roll {
            0..=19 => {
                let Some(len) = doc(h).map(|d| d.story.text.len_chars()) else {
                    return;
                };
                let start = self.rng.below(len);
                let end = (start + 1 + self.rng.below(40)).min(len);
                self.log.push(format!("select {start}..{end}"));
                set_selection(h, Span::new(start, end));
                h.run_steps(1);
            }
            20..=31 => {
                let key = [Key::C, Key::S, Key::N][self.rng.below(3)];
                self.log.push(format!("key {key:?}"));
                h.key_press(key);
                h.run_steps(1);
            }
            32..=41 => {
                let key = [
                    Key::Num0,
                    Key::Num1,
                    Key::Num2,
                    Key::Num3,
                    Key::Num4,
                    Key::Num5,
                    Key::Num6,
                ][self.rng.below(7)];
                self.log.push(format!("verdict {key:?}"));
                h.key_press(key);
                h.run_steps(1);
            }
            42..=45 => {
                self.log.push("next annotation (J)".into());
                h.key_press(Key::J);
                h.run_steps(1);
            }
            46..=51 => self.type_into_field(h),
            52..=53 => {
                self.log.push("delete".into());
                h.key_press(Key::Delete);
                h.run_steps(1);
            }
            54..=65 => {
                self.log.push("undo".into());
                h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
                h.run_steps(1);
            }
            66..=73 => {
                self.log.push("redo".into());
                h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
                h.run_steps(1);
            }
            74..=83 => self.save(h),
            84..=88 => self.outside_sidecar_change(h),
            89..=90 => self.outside_story_change(h),
            91..=92 => {
                self.log.push("reload (Ctrl+Shift+R)".into());
                self.end_segment(h);
                h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
                settle(h);
                self.begin_segment(h);
            }
            93..=94 => {
                let path = self.stories[self.rng.below(2)].clone();
                self.log.push(format!("open {}", path.display()));
                self.end_segment(h);
                open(h, &path);
                self.begin_segment(h);
            }
            _ => {
                self.log.push("check undo/redo".into());
                self.end_segment(h);
            }
        }
        self.check_disk_parses();
    }

    /// Clicks an inspector text box (when one is shown), types, and leaves it with Esc.
    fn type_into_field(&mut self, h: &mut Harness<'_, FactmarkApp>) {
        let field = [
            "Claimant",
            "Statement (the claim as a checkable sentence)",
            "Rationale",
        ][self.rng.below(3)];
        let role = if field == "Claimant" {
            Role::TextInput
        } else {
            Role::MultilineTextInput
        };
        if h.query_by_role_and_label(role, field).is_none() {
            return;
        }
        let text = ["the mayor", " 48", "é ", "—", "x"][self.rng.below(5)];
        self.log.push(format!("type {text:?} into {field}"));
        h.get_by_role_and_label(role, field).click();
        h.run_steps(1);
        h.get_by_role_and_label(role, field).type_text(text);
        h.run_steps(1);
        h.key_press(Key::Escape);
        h.run_steps(1);
    }

    fn save(&mut self, h: &mut Harness<'_, FactmarkApp>) {
        let will_save = doc(h).is_some_and(|d| d.is_dirty() && d.read_only().is_none());
        self.log.push(format!("save (dirty: {will_save})"));
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        settle(h);
        if !will_save {
            return;
        }
        let status = h.state().status().to_owned();
        if status.starts_with("Not saved") {
            self.fail(&format!("save failed: {status}"));
        }
        let Some(d) = doc(h) else { return };
        let on_disk = match store::load(d.sidecar_path()) {
            Ok(Some((loaded, _))) => loaded.sidecar.annotations,
            Ok(None) => self.fail("saved, but no sidecar on disk"),
            Err(e) => self.fail(&format!("saved sidecar does not parse: {e}")),
        };
        if &on_disk != d.annotations() {
            self.fail(&format!(
                "after a save the disk differs from memory: disk {} vs memory {} annotations",
                on_disk.len(),
                d.annotations().len()
            ));
        }
        self.saves_checked += 1;
    }

    /// Another editor changes the sidecar: adds a note, edits or deletes one.
    fn outside_sidecar_change(&mut self, h: &mut Harness<'_, FactmarkApp>) {
        let Some(d) = doc(h) else { return };
        let story = d.story_path();
        let Ok(mut other) = Document::open(&story) else {
            return;
        };
        if other.read_only().is_some() {
            return;
        }
        let n = other.annotations().len();
        let what = self.rng.below(3);
        let result = if what == 0 || n == 0 {
            let len = other.story.text.len_chars();
            let start = self.rng.below(len);
            let end = (start + 1 + self.rng.below(30)).min(len);
            other
                .create(Span::new(start, end), "Note", "other")
                .map(|_| ())
        } else {
            let a = other.annotations().as_slice()[self.rng.below(n)].clone();
            if what == 1 {
                let mut b = a;
                b.rationale.push_str(" (other editor)");
                other.update("edit", b, false)
            } else {
                other.delete(&a.id)
            }
        };
        if result.is_err() {
            return;
        }
        self.log.push(format!("outside sidecar change ({what})"));
        if let Err(e) = other.save() {
            self.fail(&format!("the other editor could not save: {e}"));
        }
        if self.rng.below(2) == 0 {
            check_disk(h);
        }
    }

    /// Another app edits the story file itself (the reader then offers to reload).
    fn outside_story_change(&mut self, h: &mut Harness<'_, FactmarkApp>) {
        let Some(path) = doc(h).map(|d| d.story_path()) else {
            return;
        };
        let Ok(mut text) = std::fs::read_to_string(&path) else {
            return;
        };
        match self.rng.below(3) {
            0 => text.insert_str(0, "Updated: "),
            1 => text.push_str("\nCorrection appended.\n"),
            _ => text = text.replacen("said", "stated", 1),
        }
        self.log.push("outside story change".into());
        std::fs::write(&path, text).expect("write story");
        check_disk(h);
    }

    fn check_disk_parses(&self) {
        for story in &self.stories {
            let path = store::sidecar_path(story);
            if let Err(e) = store::load(&path) {
                self.fail(&format!("sidecar {} does not parse: {e}", path.display()));
            }
        }
    }

    fn begin_segment(&mut self, h: &Harness<'_, FactmarkApp>) {
        let start = doc(h).map(|d| d.annotations().clone()).unwrap_or_default();
        self.segment = Segment { start };
    }

    /// Undo to the start must give the set as opened; redo to the end the set as it is now.
    fn end_segment(&mut self, h: &mut Harness<'_, FactmarkApp>) {
        // Take in outside changes not noticed yet first: one arriving halfway would be a
        // new step and rightly end the redo history.
        check_disk(h);
        let Some(d) = doc(h) else { return };
        if d.read_only().is_some() {
            return;
        }
        let end = d.annotations().clone();
        // The same Undo/Redo commands the keys give, applied without a frame each (a long
        // history would otherwise cost a frame per step); one frame then draws the result.
        let mut undos = 0;
        while doc(h).is_some_and(|d| d.history().undo_label().is_some()) {
            h.state_mut().run(Command::Undo);
            undos += 1;
            if undos > 100_000 {
                self.fail("undo never reaches the start");
            }
        }
        h.run_steps(1);
        if doc(h).map(|d| d.annotations()) != Some(&self.segment.start) {
            self.fail(&format!(
                "undo back to the start ({undos} steps) did not restore the opened set"
            ));
        }
        for _ in 0..undos {
            h.state_mut().run(Command::Redo);
        }
        h.run_steps(1);
        if doc(h).map(|d| d.annotations()) != Some(&end) {
            self.fail(&format!("redo ({undos} steps) did not restore the end"));
        }
        self.log
            .push(format!("undo/redo checked over {undos} steps"));
        self.round_trips += 1;
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run_monkey(seed: u64, steps: usize) {
    let (mut m, mut h) = Monkey::new(seed);
    let started = std::time::Instant::now();
    for i in 0..steps {
        m.step(&mut h);
        // Keep the action log bounded on long runs (only the tail is ever shown).
        if m.log.len() > 1000 {
            m.log.drain(..900);
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!("monkey {seed:#x}: {} steps, {:?}", i + 1, started.elapsed());
        }
    }
    m.end_segment(&mut h);
    eprintln!(
        "monkey {seed:#x}: {steps} steps clean in {:?}: {} saves compared with memory, {} undo/redo round trips",
        started.elapsed(),
        m.saves_checked,
        m.round_trips
    );
    // Closing flushes what is unsaved; the disk then holds the in-memory set.
    let dirty = doc(&h).is_some_and(|d| d.is_dirty() && d.read_only().is_none());
    assert!(h.state_mut().save_now(), "{}", h.state().status());
    if dirty && let Some(d) = doc(&h) {
        let (loaded, _) = store::load(d.sidecar_path())
            .expect("parses")
            .expect("exists");
        assert_eq!(&loaded.sidecar.annotations, d.annotations());
    }
    drop(m.dir);
}

#[test]
fn monkey_keeps_disk_and_history_consistent() {
    let steps = env_usize("MONKEY_STEPS", 400);
    let seeds = env_usize("MONKEY_SEEDS", 2);
    // Several processes can share a long run, each from its own first seed.
    let first = env_usize("MONKEY_FIRST_SEED", 0) as u64;
    for seed in first..first + seeds as u64 {
        run_monkey(0x5EED_0000 + seed, steps);
    }
}
