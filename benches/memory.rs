//! Claim memory speed: indexing a generated folder from nothing, the incremental refresh
//! after one story changed, a `similar` query and a `search` query on the built index.
//!
//! `cargo bench --no-default-features --bench memory`
//! The folder has 200 stories with 50 claims each (10,000 annotations) unless
//! `FACTMARK_BENCH_STORIES` / `FACTMARK_BENCH_CLAIMS` say otherwise.

use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

use factmark::anchor::{Anchor, Span};
use factmark::memory::{Memory, Probe, Root};
use factmark::model::Annotation;
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;

const NAMES: [&str; 12] = [
    "Brandt",
    "Okafor",
    "Moreau",
    "Sokolov",
    "Nair",
    "Alvarez",
    "Becker",
    "Tanaka",
    "Hughes",
    "Kowalski",
    "Lindqvist",
    "Webb",
];
const SUBJECTS: [&str; 12] = [
    "bridge inspections",
    "school meals",
    "hospital beds",
    "police officers",
    "bus routes",
    "teacher salaries",
    "housing permits",
    "water pipes",
    "nurse training",
    "road repairs",
    "river pollution",
    "library hours",
];
const VERBS: [&str; 6] = [
    "rose by",
    "fell by",
    "cost",
    "reached",
    "was cut by",
    "grew to",
];
const UNITS: [&str; 5] = ["$", "", "€", "", "£"];
const SCALES: [&str; 4] = ["bn", " million", "%", " thousand"];

/// A deterministic stream of small numbers (no dependency on a random crate).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn sentence(r: &mut Lcg) -> String {
    format!(
        "{} said {} in {} {} {}{}{} in {}.",
        NAMES[r.next(NAMES.len())],
        SUBJECTS[r.next(SUBJECTS.len())],
        ["Leeds", "Lagos", "Ohio", "Lyon", "Warsaw", "Dublin"][r.next(6)],
        VERBS[r.next(VERBS.len())],
        UNITS[r.next(UNITS.len())],
        1 + r.next(99),
        SCALES[r.next(SCALES.len())],
        2000 + r.next(25),
    )
}

fn write_story(dir: &Path, n: usize, claims: usize, salt: u64) {
    let mut r = Lcg(n as u64 * 7919 + salt);
    let name = format!("desk{:02}/story{n:04}.txt", n % 20);
    let path = dir.join(&name);
    std::fs::create_dir_all(path.parent().unwrap_or(dir)).expect("folder");
    let mut body = String::new();
    let mut spans = Vec::new();
    for _ in 0..claims {
        let s = sentence(&mut r);
        let start = body.chars().count();
        body.push_str(&s);
        spans.push(Span::new(start, start + s.chars().count()));
        body.push_str(" Officials did not comment.\n\n");
    }
    let text = StoryText::new(body);
    std::fs::write(&path, text.as_str()).expect("story");
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sidecar = Sidecar::new(&file, text.sha256(), text.len_chars(), "UTF-8");
    for span in spans {
        let mut a = Annotation::new(Anchor::from_span(&text, span), "Claim", "bench");
        a.verdict = Some(["True", "False", "Misleading"][r.next(3)].to_owned());
        a.rationale = sentence(&mut r);
        sidecar.annotations.insert(a);
    }
    std::fs::write(sidecar_path(&path), sidecar.to_ron().expect("encode")).expect("sidecar");
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn bench(c: &mut Criterion) {
    let stories = env("FACTMARK_BENCH_STORIES", 200);
    let claims = env("FACTMARK_BENCH_CLAIMS", 50);
    let folder = tempfile::tempdir().expect("temp");
    for n in 0..stories {
        write_story(folder.path(), n, claims, 0);
    }
    let roots = [Root::folder(folder.path())];
    let mut group = c.benchmark_group("memory");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));

    group.bench_function(
        format!("index {stories} stories, {} claims", stories * claims),
        |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("temp"),
                |cache| {
                    let mut m = Memory::open_in(cache.path(), &roots).expect("open");
                    m.refresh(&mut |_| {}).expect("refresh");
                    cache
                },
                BatchSize::PerIteration,
            );
        },
    );

    let cache = tempfile::tempdir().expect("temp");
    let mut memory = Memory::open_in(cache.path(), &roots).expect("open");
    memory.refresh(&mut |_| {}).expect("refresh");

    let mut salt = 1;
    group.bench_function("refresh after one story changed", |b| {
        b.iter_batched(
            || {
                salt += 1;
                write_story(folder.path(), 7, claims, salt);
            },
            |()| memory.refresh(&mut |_| {}).expect("refresh"),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("refresh with nothing changed", |b| {
        b.iter(|| memory.refresh(&mut |_| {}).expect("refresh"));
    });
    let probe = Probe::Text("Okafor says police officer numbers in Lagos fell 40% in 2019".into());
    group.bench_function("similar, top 10", |b| {
        b.iter(|| memory.similar(&probe, 10).expect("similar"));
    });
    group.bench_function("search two words", |b| {
        b.iter(|| memory.search("hospital Lagos", 100).expect("search"));
    });
    group.bench_function("open an existing index", |b| {
        b.iter(|| Memory::open_in(cache.path(), &roots).expect("open"));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
