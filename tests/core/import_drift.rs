//! Import accuracy on drifted stories: the annotations of each generated case are written as
//! a W3C file (quote, context and the old position, as another tool would export them) and
//! imported into the drifted story with `import::plan`, then judged against the truth, next
//! to the Hypothesis-style baseline and to the old import (each annotation re-anchored
//! alone with `reanchor_one`).
//!
//! `cargo test --release --test import_drift -- --nocapture` prints the figures that
//! docs/PERFORMANCE.md reports.

use crate::drift;

use factmark::anchor::{AnchorState, Span};
use factmark::model::{AnnotationSet, RatingScale, default_labels};
use factmark::reanchor::{self, Outcome};

use drift::{Accuracy, Case, case, hypothesis, judge_baseline, judge_outcomes};

fn w3c_of(c: &Case) -> serde_json::Value {
    let items: Vec<serde_json::Value> = c
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({
                "type": "Annotation",
                "id": format!("urn:factmark:drift-{i}"),
                "target": {"source": "file:///news/story.txt", "selector": [
                    {"type": "TextQuoteSelector", "exact": a.anchor.quote,
                     "prefix": a.anchor.prefix, "suffix": a.anchor.suffix},
                    {"type": "TextPositionSelector", "start": a.anchor.start, "end": a.anchor.end}
                ]}
            })
        })
        .collect();
    serde_json::json!({"type": "AnnotationCollection", "first": {"items": items}})
}

/// The import's result as outcomes in the case's order, so it is judged like the engine.
fn imported(c: &Case) -> Vec<Outcome> {
    let planned = factmark::import::plan(
        &w3c_of(c),
        &c.new,
        "story.txt",
        &AnnotationSet::default(),
        &default_labels(),
        &RatingScale::default(),
    );
    assert_eq!(
        planned.annotations.len(),
        c.annotations.len(),
        "none dropped"
    );
    let mut by_index = vec![Outcome::Orphaned; c.annotations.len()];
    for a in planned.annotations {
        let i: usize = a.id.0.trim_start_matches("drift-").parse().expect("our id");
        let span = Span::new(a.anchor.start, a.anchor.end);
        by_index[i] = match a.state {
            AnchorState::Orphaned => Outcome::Orphaned,
            AnchorState::Reanchored { confidence } => Outcome::Fuzzy { span, confidence },
            AnchorState::Anchored => Outcome::Moved(span),
        };
    }
    by_index
}

#[test]
fn import_into_drifted_stories_against_the_truth() {
    let (mut ours, mut base, mut alone) = (
        Accuracy::default(),
        Accuracy::default(),
        Accuracy::default(),
    );
    let seeds: Vec<(u64, usize, usize, f64)> = (0..10)
        .map(|s| (100 + s, 40_000, 60, 0.05))
        .chain((0..4).map(|s| (200 + s, 40_000, 60, 0.15)))
        .collect();
    for &(seed, chars, n, fraction) in &seeds {
        let c = case(seed, chars, n, fraction);
        ours.add(&judge_outcomes(
            &c.drifted.truths,
            &c.annotations,
            &imported(&c),
        ));
        let text = hypothesis::Text::new(c.new.as_str());
        let placed: Vec<Option<Span>> = c
            .annotations
            .iter()
            .map(|a| hypothesis::reanchor(&text, &a.anchor))
            .collect();
        base.add(&judge_baseline(&c.drifted.truths, &placed));
        let one_by_one: Vec<Outcome> = c
            .annotations
            .iter()
            .map(|a| reanchor::reanchor_one(&c.new, &a.anchor))
            .collect();
        alone.add(&judge_outcomes(
            &c.drifted.truths,
            &c.annotations,
            &one_by_one,
        ));
    }
    println!("import:       {ours}");
    println!("one by one:   {alone}");
    println!("hypothesis:   {base}");
    assert!(
        ours.right() + ours.gone_orphaned >= base.right() + base.gone_orphaned,
        "ours {ours}\nbase {base}"
    );
    let wrong = |a: &Accuracy| a.wrong_silent + a.gone_placed_silent;
    assert!(wrong(&ours) < wrong(&base), "ours {ours}\nbase {base}");
    assert_eq!(ours.intact_wrong, 0, "an intact annotation was misplaced");
}
