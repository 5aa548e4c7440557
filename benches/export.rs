//! Export speed: 10,000 annotations on a 10 MB story, every format (target: <= 200 ms each).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use factmark::anchor::{Anchor, Span};
use factmark::export::{self, ExportOptions, ExportSet, ExportStory, Filter, Format, Organisation};
use factmark::model::{Annotation, AnnotationId, RatingScale, Source, default_labels};
use factmark::text::StoryText;

const SENTENCE: &str =
    "The council said on Tuesday that spending rose by 12%, \"a record\", per the report. ";

fn fixture() -> ExportSet {
    let reps = 10 * 1024 * 1024 / SENTENCE.len();
    let text = StoryText::new(SENTENCE.repeat(reps));
    let per = SENTENCE.chars().count();
    let step = reps / 10_000;
    let scale = RatingScale::default();
    let annotations: Vec<Annotation> = (0..10_000)
        .map(|i| {
            let start = i * step * per + 4;
            let mut a = Annotation::new(
                Anchor::from_span(&text, Span::new(start, start + 40)),
                if i % 5 == 0 { "Source" } else { "Claim" },
                "bench",
            );
            a.id = AnnotationId(format!("01HY{i:022}"));
            a.claimant = "The council".into();
            a.verdict = (i % 3 != 0).then(|| scale.ratings[i % scale.ratings.len()].name.clone());
            a.rationale = "Checked against the audited accounts, page 4.".into();
            a.tags = vec!["budget".into(), "=formula".into()];
            a.sources = vec![Source::External {
                url: format!("https://example.org/report/{i}"),
                title: "Audited accounts".into(),
                note: String::new(),
                accessed: None,
            }];
            a
        })
        .collect();
    ExportSet {
        stories: vec![ExportStory::new(
            "council.txt",
            Path::new("/bench/council.txt"),
            &text,
            &annotations,
            default_labels(),
            scale,
            &Filter::default(),
        )],
    }
}

fn bench_exports(c: &mut Criterion) {
    let set = fixture();
    let options = ExportOptions {
        organisation: Organisation {
            name: "Bench Desk".into(),
            url: None,
        },
        ..Default::default()
    };
    let mut group = c.benchmark_group("export_10k_annotations_10mb");
    group.sample_size(10);
    for format in Format::ALL {
        group.bench_function(format.name(), |b| {
            b.iter(|| export::export(black_box(&set), format, &options).map(|e| e.bytes.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_exports);
criterion_main!(benches);
