//! Merging two sidecars of 10,000 annotations each, 1,000 edited on each side (and 100
//! edited in the same field on both, so conflicts are part of the cost): the annotation
//! merge alone, and the whole driver path (parse three sidecars, merge, write the RON).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use factmark::anchor::{Anchor, Span};
use factmark::merge::{merge_sidecars, merge3};
use factmark::model::{Annotation, AnnotationId, Status};
use factmark::store::Sidecar;
use factmark::text::StoryText;

const N: usize = 10_000;

fn sides() -> (Sidecar, Sidecar, Sidecar) {
    let sentence = "The council said the bridge would cost 48 million euros by 2027. ";
    let text = StoryText::new(sentence.repeat(N / 4 + 1));
    let mut base = Sidecar::new("story.txt", text.sha256(), text.len_chars(), "UTF-8");
    let created = jiff::Timestamp::from_second(1_700_000_000).unwrap_or_default();
    let len = sentence.chars().count();
    let annotations: Vec<Annotation> = (0..N)
        .map(|i| {
            let start = (i / 4) * len + (i % 4) * 10;
            let anchor = Anchor::from_span(&text, Span::new(start, start + 8));
            let mut a = Annotation::new(anchor, "Claim", "ana");
            a.id = AnnotationId(format!("{i:08}"));
            a.created = created;
            a.modified = created;
            a
        })
        .collect();
    base.annotations = factmark::model::AnnotationSet::from_vec(annotations).0;
    let edit = |side: &Sidecar, every: usize, offset: usize, f: &dyn Fn(&mut Annotation)| {
        let mut s = side.clone();
        let edited: Vec<Annotation> = s
            .annotations
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut a = a.clone();
                if i % every == offset {
                    f(&mut a);
                }
                a
            })
            .collect();
        s.annotations = factmark::model::AnnotationSet::from_vec(edited).0;
        s
    };
    // 1,000 each; indices 0, 100, 200, ... are edited on both sides (ours verdict / theirs
    // verdict: conflicts), the rest in different fields.
    let ours = edit(&base, 10, 0, &|a| {
        a.verdict = Some("False".into());
        a.claimant = "The mayor".into();
    });
    let theirs = edit(&base, 10, 0, &|a| {
        if a.id.0.ends_with("00") {
            a.verdict = Some("True".into());
        }
        a.status = Status::NeedsReview;
    });
    (base, ours, theirs)
}

fn bench(c: &mut Criterion) {
    let (base, ours, theirs) = sides();
    c.bench_function("merge3 10k x 10k, 1k edits each", |b| {
        b.iter(|| {
            merge3(
                black_box(&base.annotations),
                black_box(&ours.annotations),
                black_box(&theirs.annotations),
            )
        })
    });
    let texts = [&base, &ours, &theirs].map(|s| s.to_ron().unwrap_or_default());
    // The driver's cost apart from the merge: reading and writing one sidecar.
    c.bench_function("parse one 10k sidecar", |b| {
        b.iter(|| Sidecar::from_ron(black_box(&texts[1]), Path::new("bench")).is_ok())
    });
    c.bench_function("encode one 10k sidecar", |b| {
        b.iter(|| black_box(&ours).to_ron().ok())
    });
    c.bench_function("merge_sidecars 10k (no I/O)", |b| {
        b.iter(|| merge_sidecars(Some(&base), black_box(&ours), black_box(&theirs), None))
    });
    c.bench_function("merge driver 10k (parse, merge, encode)", |b| {
        b.iter(|| {
            let parse = |t: &str| Sidecar::from_ron(t, Path::new("bench")).map(|l| l.sidecar);
            let (Ok(b0), Ok(o), Ok(t)) = (parse(&texts[0]), parse(&texts[1]), parse(&texts[2]))
            else {
                return None;
            };
            let m = merge_sidecars(Some(&b0), &o, &t, None);
            m.sidecar.to_ron().ok()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
