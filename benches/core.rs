//! Core speed targets (issue 2), figures in docs/PERFORMANCE.md:
//! - load + decode + index a 10 MB story: <= 50 ms;
//! - save and load a sidecar of 10,000 annotations: <= 100 ms each;
//! - verify 10,000 anchors against a 10 MB story: <= 20 ms.
//!
//! Run: `cargo bench --no-default-features --bench core`.
//! Inputs are generated (a mixed-script story built from short paragraphs, annotations
//! spread evenly over it), in well under a second.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, AnnotationId, Comment, Source, Status};
use factmark::reanchor::reanchor_all;
use factmark::store::{self, Sidecar, SidecarFile};
use factmark::text::{StoryText, load_story};

const STORY_BYTES: usize = 10 * 1024 * 1024;
const ANNOTATIONS: usize = 10_000;

/// About 10 MB of story: paragraphs in several scripts, each numbered so quotes are
/// mostly unique, as in a real archive.
fn story_text(line_ending: &str) -> String {
    let paragraphs = [
        "Le maire a déclaré que la rénovation du pont « ne dépassera pas 48 millions d’euros ».",
        "Губернатор заявил, что на заводе создано три тысячи новых рабочих мест.",
        "قال الوزير إن نسبة تسرب المياه انخفضت إلى عشرة في المئة.",
        "市交通局局长表示，新线路开通后从东站到机场只需十八分钟。",
        "The senator said unemployment fell by 4 percent last year 📉, according to Bloomberg.",
        "A post shared 12 000 times says the café refused entry to families 👨‍👩‍👧.",
    ];
    let mut s = String::with_capacity(STORY_BYTES + 256);
    let mut i = 0usize;
    while s.len() < STORY_BYTES {
        s.push_str(paragraphs[i % paragraphs.len()]);
        s.push_str(&format!(" [{i}]"));
        s.push_str(line_ending);
        if i % 7 == 6 {
            s.push_str(line_ending);
        }
        i += 1;
    }
    s
}

fn annotations(text: &StoryText) -> Vec<Annotation> {
    let step = text.len_chars() / ANNOTATIONS;
    (0..ANNOTATIONS)
        .map(|i| {
            let start = i * step + 3;
            let span = Span::new(start, start + 20 + i % 40);
            let mut a = Annotation::new(Anchor::from_span(text, span), "Claim", "bench");
            a.id = AnnotationId(format!("01JBENCH{i:018}"));
            a.claimant = "Le maire de Saint-Aubin".into();
            a.verdict = Some("Mostly false".into());
            a.rationale = "Le rapport de la Cour régionale des comptes chiffre le chantier à 96 millions d’euros.".into();
            a.status = Status::NeedsReview;
            a.tags = vec!["budget".into(), "infrastructure".into()];
            a.sources = vec![Source::External {
                url: format!("https://example.org/report/{i}"),
                title: "Rapport d’observations définitives".into(),
                note: String::new(),
                accessed: None,
            }];
            if i % 5 == 0 {
                a.comments.push(Comment {
                    author: "reviewer".into(),
                    time: a.created,
                    text: "Source checked, page 12.".into(),
                });
            }
            a
        })
        .collect()
}

fn bench_story(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let lf = dir.path().join("story-lf.txt");
    let crlf = dir.path().join("story-crlf.txt");
    std::fs::write(&lf, story_text("\n")).expect("write");
    std::fs::write(&crlf, story_text("\r\n")).expect("write");

    let mut g = c.benchmark_group("story_10mb");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("load_decode_index_utf8_lf", |b| {
        b.iter(|| load_story(black_box(&lf)).expect("load"))
    });
    g.bench_function("load_decode_index_utf8_crlf", |b| {
        b.iter(|| load_story(black_box(&crlf)).expect("load"))
    });
    g.finish();
}

fn bench_sidecar(c: &mut Criterion) {
    let text = StoryText::new(story_text("\n"));
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("story.txt");
    let (mut file, _) = SidecarFile::open(&story).expect("open");
    let mut sidecar = Sidecar::new("story.txt", text.sha256(), text.len_chars(), "UTF-8");
    for a in annotations(&text) {
        sidecar.annotations.insert(a);
    }
    file.save(&mut sidecar).expect("first save");
    let bytes = std::fs::metadata(file.path()).expect("meta").len();
    eprintln!("sidecar of {ANNOTATIONS} annotations: {bytes} bytes");

    let mut g = c.benchmark_group("sidecar_10k");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    // A real save: one annotation changed since the last save, so the file is rewritten
    // (with its .bak) after checking the disk copy for outside changes.
    let first = sidecar.annotations.iter().next().expect("one").id.clone();
    let mut flip = false;
    g.bench_function("save", |b| {
        b.iter(|| {
            flip = !flip;
            let mut a = sidecar.annotations.get(&first).expect("first").clone();
            a.claimant = if flip { "A" } else { "B" }.into();
            sidecar.annotations.replace(a);
            let outcome = file.save(black_box(&mut sidecar)).expect("save");
            assert!(outcome.wrote && outcome.merged.is_none());
        })
    });
    let path = file.path().to_owned();
    g.bench_function("load", |b| {
        b.iter(|| {
            store::load(black_box(&path))
                .expect("load")
                .expect("exists")
        })
    });
    g.bench_function("to_ron", |b| b.iter(|| sidecar.to_ron().expect("encode")));
    let ron = sidecar.to_ron().expect("encode");
    g.bench_function("from_ron", |b| {
        b.iter(|| Sidecar::from_ron(black_box(&ron), Path::new("bench")).expect("parse"))
    });
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    let text = StoryText::new(story_text("\n"));
    let list = annotations(&text);
    let mut g = c.benchmark_group("verify_10k_anchors_10mb");
    g.sample_size(30).measurement_time(Duration::from_secs(3));
    g.bench_function("reanchor_all_unchanged", |b| {
        b.iter(|| {
            let r = reanchor_all(black_box(&text), black_box(&list), false);
            assert_eq!(r.counts.kept, ANNOTATIONS);
            r
        })
    });
    g.finish();
}

criterion_group!(benches, bench_story, bench_sidecar, bench_verify);
criterion_main!(benches);
