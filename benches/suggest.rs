//! Suggestion speed (issue 17): segment, detect and rank a generated 1 MB and 10 MB story.
//! Target: 1 MB well under a second; 10 MB within 3 s for the whole process.
//!
//! Run: `cargo bench --no-default-features --bench suggest`.
//! The story mixes English, French, Ukrainian and Russian sentences with and without
//! evidence, shuffled by a fixed pseudo-random sequence so neighbours vary.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use factmark::suggest::suggest;

const SENTENCES: &[&str] = &[
    "The council approved the plan on Tuesday after a long debate.",
    "Exports grew by $110 million since 2017, more than double the rate of imports, Olena Koval told reporters.",
    "It was a lovely morning, and the market was busy.",
    "\u{201c}We will not give up,\u{201d} said Dmitry Peskov, the Kremlin spokesman.",
    "Selon la préfecture, le coût atteint 312 millions d'euros, contre 240 millions en 2020.",
    "За словами Оксани Дідух, поголів'я скоротилося майже на третину з 2021 року.",
    "Песков заявил журналистам, что цены выросли на 12% из-за засухи.",
    "We must build a wonderful future together.",
    "Prices might fall next year, perhaps because of lower energy costs.",
    "Maria Zakharova, the foreign ministry spokeswoman, said 12 envoys had left.",
    "Residents said the noise starts at six in the morning.",
    "Unemployment has fallen to 4.1 percent, the lowest rate since 1998.",
];

/// About `bytes` of story: paragraphs of three to six sentences.
fn story(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // xorshift: a fixed, cheap sequence; the bench needs variety, not randomness.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    while out.len() < bytes {
        let n = 3 + next() % 4;
        for _ in 0..n {
            out.push_str(SENTENCES[(next() % SENTENCES.len() as u64) as usize]);
            out.push(' ');
        }
        out.push_str("\n\n");
    }
    out
}

fn bench(c: &mut Criterion) {
    for (name, mb) in [("suggest 1 MB", 1), ("suggest 10 MB", 10)] {
        let text = story(mb * 1024 * 1024);
        let mut group = c.benchmark_group(name);
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(if mb == 1 { 10 } else { 40 }));
        group.bench_function("top 20", |b| {
            b.iter(|| black_box(suggest(black_box(&text), Some(20))))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
