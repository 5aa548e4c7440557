//! Drives the workspace's claims table headless and reports what a frame costs.
//!
//! ```text
//! cargo run --release --example workspace_bench -- [N_CLAIMS]
//! ```
//! Builds a workspace in memory (default 50,000 claims over 500 generated stories, no disk),
//! then on a 1280x800 screen draws the claims view (story list, filters, table): a first
//! frame, 200 frames scrolling the table with the mouse wheel, 20 frames that each change
//! the filter text (a new query over every row) and 20 that each change the sort column.
//! Every frame includes tessellation. Prints min, median, p95 and max per kind (on a busy
//! machine the minimum is the closest to the frame's own cost).
//!
//! One empty frame is drawn first so font loading (a one-off at start) is not counted.

use std::time::Instant;

use eframe::egui::{self, Event, MouseWheelUnit, Pos2, RawInput, Rect, vec2};
use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, AnnotationSet, Status};
use factmark::settings::FolderSettings;
use factmark::text::StoryText;
use factmark::ui::workspace_view::WorkspaceState;
use factmark::workspace::{Column, StoryCounts, StoryEntry, Workspace};

const WORDS: &[&str] = &[
    "mayor",
    "budget",
    "bridge",
    "council",
    "said",
    "repairs",
    "million",
    "euros",
    "twice",
    "estimate",
    "critics",
    "inspection",
    "reports",
    "schools",
    "pupils",
    "harbour",
    "cargo",
    "doubled",
    "since",
    "minister",
    "claimed",
    "tax",
    "fell",
    "by",
    "half",
    "the",
    "a",
    "of",
];
const VERDICTS: &[&str] = &["True", "Mostly true", "Half true", "Mostly false", "False"];

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let started = Instant::now();
    let workspace = generate(n, 500);
    let mut state = WorkspaceState::from_workspace(workspace);
    println!(
        "claims: {}  stories: 500  built_in_ms: {:.0}",
        state.table.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );

    let ctx = egui::Context::default();
    let screen = Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0));
    let mut time = 0.0;
    let mut raw = |events: Vec<Event>| {
        time += 1.0 / 60.0;
        RawInput {
            screen_rect: Some(screen),
            time: Some(time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        }
    };
    let mut out = ctx.run_ui(raw(vec![]), |ui| {
        ui.label("warming up the fonts");
    });
    out.textures_delta.clear();
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);

    let mut frame = |state: &mut WorkspaceState, events: Vec<Event>| {
        let started = Instant::now();
        let mut out = ctx.run_ui(raw(events), |ui| {
            std::hint::black_box(state.claims_ui(ui));
        });
        out.textures_delta.clear();
        let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(prims);
        started.elapsed().as_secs_f64() * 1000.0
    };

    let first = frame(&mut state, vec![]);
    let centre = Pos2::new(800.0, 450.0);
    let mut scroll = Vec::new();
    for _ in 0..200 {
        let wheel = Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: vec2(0.0, -400.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: Default::default(),
        };
        scroll.push(frame(&mut state, vec![Event::PointerMoved(centre), wheel]));
    }
    let mut filter = Vec::new();
    for i in 0..20 {
        state.query.text = WORDS[i % WORDS.len()][..3].to_owned();
        filter.push(frame(&mut state, vec![]));
    }
    state.query.text.clear();
    let mut sort = Vec::new();
    for i in 0..20 {
        state.query.sort = (Column::ALL[i % Column::ALL.len()], i % 2 == 0);
        sort.push(frame(&mut state, vec![]));
    }
    println!("first_frame_ms: {first:.2}");
    report("scroll", &mut scroll);
    report("filter_change", &mut filter);
    report("sort_change", &mut sort);
}

fn report(what: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    println!(
        "{what}_min_ms: {:.2}  {what}_median_ms: {:.2}  {what}_p95_ms: {:.2}  {what}_max_ms: {:.2}",
        times[0],
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1]
    );
}

/// `n` claims spread over `stories` stories, built in memory.
fn generate(n: usize, stories: usize) -> Workspace {
    let mut rng = Lcg(7);
    let per_story = n.div_ceil(stories);
    let mut entries = Vec::with_capacity(stories);
    let mut made = 0;
    for s in 0..stories {
        let mut sentences = Vec::new();
        for _ in 0..per_story {
            let len = 6 + rng.below(14);
            let words: Vec<&str> = (0..len).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            sentences.push(format!("{}.", words.join(" ")));
        }
        let text = StoryText::new(sentences.join("\n\n"));
        let mut set = AnnotationSet::default();
        let mut at = 0;
        for sentence in &sentences {
            let chars = sentence.chars().count();
            if made < n {
                let span = Span::new(at, at + chars - 1);
                let mut a = Annotation::new(Anchor::from_span(&text, span), "Claim", "ana");
                a.statement = sentence.clone();
                a.claimant = format!("Speaker {}", rng.below(40));
                a.verdict = (rng.below(5) > 0).then(|| VERDICTS[rng.below(VERDICTS.len())].into());
                a.status = Status::ALL[rng.below(4)];
                a.tags = vec![format!("topic-{}", rng.below(12))];
                set.insert(a);
                made += 1;
            }
            at += chars + 2;
        }
        let name = format!("{:04}/story-{s:04}.txt", s / 50);
        entries.push(StoryEntry {
            path: format!("/bench/{name}").into(),
            name,
            error: None,
            encoding: Some("UTF-8"),
            encoding_guessed: false,
            chars: text.len_chars(),
            drifted: false,
            labels: None,
            rating_scale: None,
            counts: StoryCounts::of(&set),
            annotations: set,
        });
    }
    Workspace {
        root: "/bench".into(),
        settings: FolderSettings::default(),
        settings_error: None,
        stories: entries,
    }
}

/// A small deterministic generator, so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
