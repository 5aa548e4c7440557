//! Claim memory speed (issue 16's targets), on a generated folder of 1,000 stories with 20
//! claims each (20,000 annotations) unless `FACTMARK_BENCH_STORIES` /
//! `FACTMARK_BENCH_CLAIMS` say otherwise:
//!
//! - first query, including building the index from nothing (goal <= 15 s): timed once per
//!   run (`FACTMARK_BENCH_COLD_RUNS`, default 3), as criterion cannot sample a cold build of
//!   many seconds often enough on a small machine;
//! - later queries, whole process (goal <= 0.5 s): the `factmark similar` and `factmark
//!   search` binaries on the built index (they check every file's stamp, then answer);
//! - "Checked before" for one claim (goal <= 50 ms): [`checked_before`], what the window's
//!   memory thread runs when a claim is selected, over 50 different claims of the folder;
//! - then criterion: refreshes, `similar`, `search`, opening an index, `checked_before`.
//!
//! `cargo bench --no-default-features --bench memory`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

use factmark::anchor::{Anchor, Span};
use factmark::memory::checked::checked_before;
use factmark::memory::{CACHE_ENV, Memory, Probe, Root};
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
    let path = story_path(dir, n);
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

fn story_path(dir: &Path, n: usize) -> PathBuf {
    dir.join(format!("desk{:02}/story{n:04}.txt", n % 20))
}

/// Median and slowest of `times`, in milliseconds.
fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms, slowest {:.1} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

/// The one-shot figures the issue asks for, printed before criterion's.
fn targets(folder: &Path, roots: &[Root], stories: usize, claims: usize) {
    let probe = Probe::Text("Okafor says police officer numbers in Lagos fell 40% in 2019".into());
    println!(
        "claim memory, {stories} stories, {} claims:",
        stories * claims
    );
    let mut cold = Vec::new();
    for _ in 0..env("FACTMARK_BENCH_COLD_RUNS", 3).max(1) {
        let cache = tempfile::tempdir().expect("temp");
        let t = Instant::now();
        let mut m = Memory::open_in(cache.path(), roots).expect("open");
        m.refresh(&mut |_| {}).expect("refresh");
        let found = m.similar(&probe, 10).expect("similar");
        cold.push(t.elapsed());
        assert!(!found.is_empty());
    }
    println!(
        "  first query, including building the index: {}",
        summary(&mut cold)
    );

    let cache = tempfile::tempdir().expect("temp");
    let mut memory = Memory::open_in(cache.path(), roots).expect("open");
    memory.refresh(&mut |_| {}).expect("refresh");
    let bin = env!("CARGO_BIN_EXE_factmark");
    let folder_arg = folder.to_string_lossy().into_owned();
    let commands: [(&str, Vec<&str>); 2] = [
        (
            "factmark similar --text ... --top 10",
            vec![
                "similar",
                "--text",
                "Okafor says police officer numbers in Lagos fell 40% in 2019",
                "--top",
                "10",
                &folder_arg,
            ],
        ),
        (
            "factmark search 'hospital Lagos'",
            vec!["search", "hospital Lagos", &folder_arg],
        ),
    ];
    for (name, args) in &commands {
        let mut times = Vec::new();
        for _ in 0..7 {
            let t = Instant::now();
            let out = Command::new(bin)
                .args(args)
                .env(CACHE_ENV, cache.path())
                .output()
                .expect("run factmark");
            times.push(t.elapsed());
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        println!(
            "  later query, whole process, {name}: {}",
            summary(&mut times)
        );
    }

    // "Checked before": 50 claims of different stories, each asked as the window asks.
    let mut times = Vec::new();
    for k in 0..50 {
        let n = (k * 7919) % stories;
        let path = story_path(folder, n);
        let (loaded, _) = factmark::store::load(&sidecar_path(&path))
            .expect("sidecar")
            .expect("exists");
        let a = &loaded.sidecar.annotations.as_slice()[k % claims.max(1)];
        let text = factmark::memory::index::claim_text(&a.statement, &a.anchor.quote);
        let t = Instant::now();
        let found = checked_before(&memory, &text, &path, &a.id, 5).expect("checked before");
        times.push(t.elapsed());
        assert!(found.iter().all(|m| m.claim.id != a.id.as_str()));
    }
    println!(
        "  \"Checked before\" for one claim: {}",
        summary(&mut times)
    );
}

fn bench(c: &mut Criterion) {
    let stories = env("FACTMARK_BENCH_STORIES", 1000);
    let claims = env("FACTMARK_BENCH_CLAIMS", 20);
    let folder = tempfile::tempdir().expect("temp");
    for n in 0..stories {
        write_story(folder.path(), n, claims, 0);
    }
    let roots = [Root::folder(folder.path())];
    targets(folder.path(), &roots, stories, claims);
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
    let own = story_path(folder.path(), 3);
    let (loaded, _) = factmark::store::load(&sidecar_path(&own))
        .expect("sidecar")
        .expect("exists");
    let a = loaded.sidecar.annotations.as_slice()[0].clone();
    let text = factmark::memory::index::claim_text(&a.statement, &a.anchor.quote);
    group.bench_function("checked before, one claim", |b| {
        b.iter(|| checked_before(&memory, &text, &own, &a.id, 5).expect("checked before"));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
