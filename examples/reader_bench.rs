//! Drives the real story reader headless and reports what a frame costs.
//!
//! ```text
//! cargo run --release --example reader_bench -- [STORY | --generate MB] [N_ANNOTATIONS]
//! ```
//! Without a story it generates 10 MB in memory (paragraphs of varied length, some of
//! 40,000 chars). It adds N random highlights (default 10,000), draws a first frame, then 200
//! frames scrolling through the story (mouse-wheel steps, with a jump elsewhere every tenth
//! frame), each including tessellation, on a 1280x800 screen. Prints `first_frame_ms`,
//! `median_frame_ms` and `peak_rss_mb` (VmHWM), plus a few counters.
//!
//! The egui context draws one empty frame before the story is shown, so font loading (a
//! one-off cost at application start) is not counted as the story's first frame.

use std::time::Instant;

use eframe::egui::{self, Color32, Event, MouseWheelUnit, Pos2, RawInput, Rect, vec2};
use factmark::anchor::Span;
use factmark::model::AnnotationId;
use factmark::text::StoryText;
use factmark::ui::reader::{Highlight, Reader, ReaderInput};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (text, rest) = match args.first().map(String::as_str) {
        Some("--generate") => {
            let mb: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10.0);
            (
                generate_story((mb * 1_000_000.0) as usize, 1),
                &args[2.min(args.len())..],
            )
        }
        Some(path) if !path.starts_with('-') && path.parse::<usize>().is_err() => {
            match factmark::text::load_story(std::path::Path::new(path)) {
                Ok(story) => (story.text.as_str().to_owned(), &args[1..]),
                Err(e) => {
                    eprintln!("reader_bench: {e}");
                    std::process::exit(1);
                }
            }
        }
        _ => (generate_story(10_000_000, 1), &args[..]),
    };
    let n: usize = rest.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let text = StoryText::new(text);
    let highlights = random_highlights(&text, n, 2);
    println!(
        "story_mb: {:.1}  lines: {}  highlights: {}",
        text.len_bytes() as f64 / 1e6,
        text.line_count(),
        highlights.len()
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
    // No GPU here: the font atlas uploads are dropped on purpose.
    out.textures_delta.clear();
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);

    let mut reader = Reader::new();
    let mut frame = |reader: &mut Reader, events: Vec<Event>, scroll_to: Option<usize>| {
        let started = Instant::now();
        let mut out = ctx.run_ui(raw(events), |ui| {
            let mut input = ReaderInput::new(&text, 1);
            input.highlights = &highlights;
            input.highlights_revision = 1;
            input.scroll_to = scroll_to;
            reader.ui(ui, input);
        });
        out.textures_delta.clear();
        let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(prims);
        started.elapsed().as_secs_f64() * 1000.0
    };

    let first = frame(&mut reader, vec![], None);
    let after_first = reader.galleys_laid_out();
    let mut times = Vec::with_capacity(200);
    let mut jump_times = Vec::with_capacity(20);
    let mut rng = Lcg(3);
    let centre = Pos2::new(640.0, 400.0);
    for i in 0..200 {
        let (events, jump) = if i % 10 == 9 {
            (vec![], Some(rng.below(text.len_chars())))
        } else {
            let wheel = Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: vec2(0.0, -250.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: Default::default(),
            };
            (vec![Event::PointerMoved(centre), wheel], None)
        };
        let ms = frame(&mut reader, events, jump);
        if jump.is_some() {
            jump_times.push(ms);
        }
        times.push(ms);
    }
    jump_times.sort_by(f64::total_cmp);
    times.sort_by(f64::total_cmp);
    println!("first_frame_ms: {first:.2}");
    println!("median_frame_ms: {:.2}", times[times.len() / 2]);
    // Frames that land somewhere new and lay out a whole screen.
    println!(
        "median_jump_frame_ms: {:.2}",
        jump_times[jump_times.len() / 2]
    );
    println!("p95_frame_ms: {:.2}", times[times.len() * 95 / 100]);
    println!("max_frame_ms: {:.2}", times[times.len() - 1]);
    println!(
        "chunks: {}  galleys_first_frame: {}  galleys_total: {}",
        reader.chunk_count(),
        after_first,
        reader.galleys_laid_out()
    );
    println!("peak_rss_mb: {:.1}", peak_rss_mb());
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
        (self.next() as usize) % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "the",
    "mayor",
    "said",
    "bridge",
    "cost",
    "million",
    "euros",
    "in",
    "2019",
    "according",
    "to",
    "report",
    "budget",
    "council",
    "unemployment",
    "fell",
    "percent",
    "last",
    "year",
    "minister",
    "claimed",
    "école",
    "déclaré",
    "Straße",
    "größer",
    "правительство",
    "заявило",
    "政府",
    "表示",
    "a",
    "of",
    "and",
    "that",
    "was",
    "never",
    "more",
    "than",
    "twice",
];

fn generate_story(bytes: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut out = String::with_capacity(bytes + 64);
    let mut paragraph = 0;
    while out.len() < bytes {
        paragraph += 1;
        let target = if paragraph % 97 == 0 {
            40_000
        } else {
            80 + rng.below(1_200)
        };
        let start = out.len();
        while out.len() - start < target {
            out.push_str(WORDS[rng.below(WORDS.len())]);
            out.push(if rng.below(12) == 0 { '.' } else { ' ' });
            if out.ends_with('.') {
                out.push(' ');
            }
        }
        out.push_str("\n\n");
    }
    out
}

fn random_highlights(text: &StoryText, n: usize, seed: u64) -> Vec<Highlight> {
    let palette = [
        Color32::from_rgb(220, 50, 47),
        Color32::from_rgb(38, 139, 210),
        Color32::from_rgb(133, 153, 0),
        Color32::from_rgb(211, 54, 130),
    ];
    let mut rng = Lcg(seed);
    let len = text.len_chars();
    let mut out: Vec<Highlight> = (0..n)
        .map(|i| {
            let start = rng.below(len.saturating_sub(1));
            let end = (start + 3 + rng.below(300)).min(len);
            Highlight {
                id: AnnotationId(format!("a{i}")),
                span: Span::new(start, end.max(start + 1)),
                color: palette[i % palette.len()],
                tooltip: format!("Claim {i}: rated mostly false"),
            }
        })
        .collect();
    out.sort_by_key(|h| (h.span.start, h.span.end));
    out
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
