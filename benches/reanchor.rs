//! Re-anchoring speed, factmark against a Hypothesis-style baseline on the same inputs.
//!
//! `cargo bench --bench reanchor` (add `--no-default-features` to skip building the window).
//! Set `FACTMARK_STORY=path/to/story.txt` to add a drifted real story of your own.
//! The figures are in docs/PERFORMANCE.md.

#[path = "../tests/drift/mod.rs"]
mod drift;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use factmark::anchor::{Anchor, Span};
use factmark::model::Annotation;
use factmark::reanchor::{self, Budget};
use factmark::text::{StoryText, sha256_hex};

use drift::{Case, hypothesis, judge_baseline, judge_outcomes};

fn baseline_all(text: &hypothesis::Text, annotations: &[Annotation]) -> Vec<Option<Span>> {
    annotations
        .iter()
        .map(|a| hypothesis::reanchor(text, &a.anchor))
        .collect()
}

/// Prints what both do on `case`, once, for the notes.
fn report(name: &str, case: &Case) {
    let ours = reanchor::reanchor_all(&case.new, &case.annotations, true);
    let text = hypothesis::Text::new(case.new.as_str());
    let base = baseline_all(&text, &case.annotations);
    eprintln!(
        "\n{name}: {} chars, {} annotations, {} edits ({} chars edited, {:.1}%)\n  \
         factmark counts: {}, {} cut short\n  factmark:   {}\n  hypothesis: {}",
        case.old.len_chars(),
        case.annotations.len(),
        case.drifted.edits.len(),
        case.drifted.edited_chars,
        100.0 * case.drifted.edited_chars as f64 / case.old.len_chars() as f64,
        ours.counts.summary(),
        ours.cut_short,
        judge_outcomes(&case.drifted.truths, &case.annotations, &ours.outcomes),
        judge_baseline(&case.drifted.truths, &base),
    );
}

fn drift_group(c: &mut Criterion, name: &str, case: &Case) {
    report(name, case);
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    g.bench_function("factmark", |b| {
        b.iter(|| reanchor::reanchor_all(black_box(&case.new), &case.annotations, true))
    });
    let text = hypothesis::Text::new(case.new.as_str());
    g.bench_function("hypothesis", |b| {
        b.iter(|| baseline_all(black_box(&text), &case.annotations))
    });
    g.finish();
}

/// 1,000 annotations on a 1 MB story after 5% of it was edited.
fn drifted_1mb(c: &mut Criterion) {
    let case = drift::case(1, 1_000_000, 1000, 0.05);
    drift_group(c, "drift_1mb_1000_annotations_5pct", &case);
    if let Ok(path) = std::env::var("FACTMARK_STORY") {
        let bytes = std::fs::read(&path).expect("FACTMARK_STORY is readable");
        let decoded = factmark::text::decode(&bytes).expect("FACTMARK_STORY is text");
        let vocab = drift::Vocabulary::new(1);
        let mut rng = drift::Rng::new(2);
        let old = StoryText::new(decoded.text);
        let n = (old.len_chars() / 1000).clamp(10, 1000);
        let annotations = drift::annotate(&mut rng, &old, n);
        let drifted = drift::drift(&mut rng, &vocab, &old, &annotations, 0.05);
        let new = StoryText::new(drifted.new.clone());
        let case = Case {
            old,
            annotations,
            drifted,
            new,
        };
        drift_group(c, "drift_own_story_5pct", &case);
    }
}

/// A 10 MB story with 10,000 annotations and an unchanged text.
fn unchanged_10mb(c: &mut Criterion) {
    let case = drift::case(2, 10_000_000, 10_000, 0.0);
    let stored_hash = case.old.sha256().to_owned();
    let mut g = c.benchmark_group("unchanged_10mb_10000_annotations");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    // What `factmark check` does once the story is loaded (its hash is computed on load).
    g.bench_function("factmark_hash_compare_and_verify", |b| {
        b.iter(|| {
            let drifted = black_box(case.old.sha256()) != stored_hash;
            reanchor::reanchor_all(&case.old, &case.annotations, drifted)
        })
    });
    // Hashing the 10 MB text as well.
    g.bench_function("factmark_sha256_and_verify", |b| {
        b.iter(|| {
            let drifted = sha256_hex(black_box(case.old.as_str())) != stored_hash;
            reanchor::reanchor_all(&case.old, &case.annotations, drifted)
        })
    });
    let text = hypothesis::Text::new(case.old.as_str());
    g.bench_function("hypothesis", |b| {
        b.iter(|| baseline_all(black_box(&text), &case.annotations))
    });
    g.finish();
}

/// One orphan (its quote and context deleted) in a 1 MB story: a 3-char and a 5,000-char
/// quote, the cases that hang other annotators.
fn single_orphans(c: &mut Criterion) {
    let base = drift::case(3, 1_000_000, 0, 0.0);
    let mut g = c.benchmark_group("orphan_in_1mb");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for chars in [3usize, 40, 600, 5000] {
        let text = base.old.as_str();
        let mid = (text.len() / 2..)
            .find(|&b| text.is_char_boundary(b))
            .unwrap_or(0);
        let start = base.old.byte_to_char(mid);
        let anchor = Anchor::from_span(&base.old, Span::new(start, start + chars));
        let cut = base
            .old
            .byte_range(Span::new(start.saturating_sub(40), start + chars + 40));
        let mut new = text.to_owned();
        new.replace_range(cut, " ");
        let new = StoryText::new(new);
        let ann = [Annotation::new(anchor, "Claim", "bench")];
        g.bench_function(format!("factmark_{chars}_chars"), |b| {
            b.iter(|| reanchor::reanchor_all(black_box(&new), &ann, true))
        });
        g.bench_function(format!("factmark_unlimited_{chars}_chars"), |b| {
            b.iter(|| {
                reanchor::reanchor_all_within(black_box(&new), &ann, true, &Budget::UNLIMITED)
            })
        });
        let text = hypothesis::Text::new(new.as_str());
        g.bench_function(format!("hypothesis_{chars}_chars"), |b| {
            b.iter(|| baseline_all(black_box(&text), &ann))
        });
    }
    g.finish();
}

criterion_group!(benches, drifted_1mb, unchanged_10mb, single_orphans);
criterion_main!(benches);
