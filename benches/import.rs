//! W3C import at engine speed: planning 10,000 annotations into a 10 MB story that was
//! edited after they were made (`import::plan`, the whole set through the re-anchoring
//! engine). The whole-process figure (`factmark import`) is in docs/PERFORMANCE.md, made
//! with `examples/import_fixture.rs` and `hyperfine`.

use criterion::{Criterion, criterion_group, criterion_main};
use factmark::model::{AnnotationSet, RatingScale, default_labels};
use factmark::text::StoryText;

#[path = "support/import_gen.rs"]
mod import_gen;

fn plan_10mb_10k(c: &mut Criterion) {
    let fx = import_gen::generate(7, 10_000_000, 10_000);
    let text = StoryText::new(fx.story);
    let doc: serde_json::Value = serde_json::from_str(&fx.w3c).expect("json");
    let labels = default_labels();
    let scale = RatingScale::default();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("plan 10 MB, 10k annotations, edited", |b| {
        b.iter(|| {
            factmark::import::plan(
                &doc,
                &text,
                "story.txt",
                &AnnotationSet::default(),
                &labels,
                &scale,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, plan_10mb_10k);
criterion_main!(benches);
