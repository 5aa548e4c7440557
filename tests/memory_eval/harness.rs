#![allow(dead_code)] // Some fields are read only by the example, which prints them.
//! The claim-matching evaluation, shared by `tests/memory_eval.rs` (which asserts a floor)
//! and `examples/memory_eval.rs` (which prints the figures). It indexes every original and
//! distractor of `pairs.txt` as an annotated claim, asks `similar` about every rewording,
//! and records where the original ranks.

use std::path::Path;

use factmark::anchor::{Anchor, Span};
use factmark::memory::{Memory, Probe, Root};
use factmark::model::Annotation;
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;

pub const PAIRS: &str = include_str!("pairs.txt");

pub struct Group {
    pub original: String,
    pub rewordings: Vec<String>,
    pub distractors: Vec<String>,
}

pub fn groups() -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for block in PAIRS.split("\n\n") {
        let mut g = Group {
            original: String::new(),
            rewordings: Vec::new(),
            distractors: Vec::new(),
        };
        for line in block.lines() {
            if let Some(t) = line.strip_prefix("= ") {
                g.original = t.to_owned();
            } else if let Some(t) = line.strip_prefix("~ ") {
                g.rewordings.push(t.to_owned());
            } else if let Some(t) = line.strip_prefix("x ") {
                g.distractors.push(t.to_owned());
            }
        }
        if !g.original.is_empty() {
            out.push(g);
        }
    }
    out
}

/// Where one rewording's original ranked.
pub struct Outcome {
    pub query: String,
    pub expected: String,
    /// 1-based rank of the original among the results, if it was listed at all.
    pub rank: Option<usize>,
    pub score: f32,
    /// Distractors listed above the original (or, when it was not listed, at all).
    pub distractors_above: usize,
    /// The first result, when it is not the original.
    pub top: Option<String>,
}

/// Writes one story per group (the original, then its distractors, one per paragraph),
/// each sentence annotated as a claim; returns the (story, id) of each original.
fn write_folder(dir: &Path, groups: &[Group]) -> Vec<(String, String)> {
    let mut originals = Vec::new();
    for (n, g) in groups.iter().enumerate() {
        let name = format!("claim{n:02}.txt");
        let mut body = String::new();
        let mut spans = Vec::new();
        for sentence in std::iter::once(&g.original).chain(&g.distractors) {
            let start = body.chars().count();
            body.push_str(sentence);
            spans.push(Span::new(start, body.chars().count()));
            body.push_str("\n\n");
        }
        let text = StoryText::new(body);
        std::fs::write(dir.join(&name), text.as_str()).expect("write story");
        let mut sidecar = Sidecar::new(&name, text.sha256(), text.len_chars(), "UTF-8");
        for (k, span) in spans.into_iter().enumerate() {
            let mut a = Annotation::new(Anchor::from_span(&text, span), "Claim", "eval");
            a.verdict = Some("False".to_owned());
            if k == 0 {
                originals.push((name.clone(), a.id.to_string()));
            }
            sidecar.annotations.insert(a);
        }
        let ron = sidecar.to_ron().expect("encode sidecar");
        std::fs::write(sidecar_path(&dir.join(&name)), ron).expect("write sidecar");
    }
    originals
}

pub fn run() -> Vec<Outcome> {
    let groups = groups();
    let stories = tempfile::tempdir().expect("temp folder");
    let cache = tempfile::tempdir().expect("temp folder");
    let originals = write_folder(stories.path(), &groups);
    let mut memory =
        Memory::open_in(cache.path(), &[Root::folder(stories.path())]).expect("open memory");
    memory.refresh(&mut |_| {}).expect("index");
    let mut out = Vec::new();
    for (g, (story, id)) in groups.iter().zip(&originals) {
        for q in &g.rewordings {
            let found = memory
                .similar(&Probe::Text(q.clone()), 10)
                .expect("similar");
            let rank = found.iter().position(|c| &c.story == story && &c.id == id);
            let above = &found[..rank.unwrap_or(found.len())];
            out.push(Outcome {
                query: q.clone(),
                expected: g.original.clone(),
                rank: rank.map(|r| r + 1),
                score: rank.map_or(0.0, |r| found[r].score),
                distractors_above: above.len(),
                top: found
                    .first()
                    .filter(|_| rank != Some(0))
                    .map(|c| format!("{} ({:.2}: {})", c.quote, c.score, c.reasons.join("; "))),
            });
        }
    }
    out
}

/// Share of queries whose original ranked within the first `k`.
pub fn recall_at(outcomes: &[Outcome], k: usize) -> f64 {
    let hits = outcomes
        .iter()
        .filter(|o| o.rank.is_some_and(|r| r <= k))
        .count();
    hits as f64 / outcomes.len().max(1) as f64
}
