//! Workspace speed (issue 6): a generated folder of 1,000 stories with 50,000 claims.
//! Targets: scanned and shown <= 3 s; re-filtering or re-sorting the table <= 50 ms.
//!
//! Run: `cargo bench --no-default-features --bench workspace`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, RatingScale, Source, Status};
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;
use factmark::workspace::{ClaimTable, Column, Query, Workspace};

const STORIES: usize = 1_000;
const CLAIMS_PER_STORY: usize = 50;

const WHO: &[&str] = &[
    "The mayor",
    "A senator",
    "The minister",
    "Police",
    "A union",
];
const WHAT: &[&str] = &[
    "the budget grew by 12 percent",
    "crime fell for the third year",
    "rents doubled since 2019",
    "the bridge cost 4 million euros",
    "unemployment is at a record low",
    "schools received more funding",
];
const TAGS: &[&str] = &["budget", "crime", "housing", "transport", "jobs", "schools"];

/// Writes the folder: story text and sidecar per story, straight to disk. Every 20th story
/// was edited after it was annotated (a line added at the top), so the scan re-anchors it.
fn generate(root: &Path) {
    let scale = RatingScale::default();
    for s in 0..STORIES {
        let mut sentences = Vec::with_capacity(CLAIMS_PER_STORY);
        for c in 0..CLAIMS_PER_STORY {
            sentences.push(format!(
                "{} said on day {} that {} (story {s}, claim {c}).",
                WHO[(s + c) % WHO.len()],
                c + 1,
                WHAT[(s * 7 + c) % WHAT.len()],
            ));
        }
        let text = StoryText::new(sentences.join("\n\n"));
        let folder = root.join(format!("desk{:02}", s % 25));
        std::fs::create_dir_all(&folder).expect("mkdir");
        let path = folder.join(format!("story{s:04}.txt"));
        let name = format!("story{s:04}.txt");
        let mut sidecar = Sidecar::new(&name, text.sha256(), text.len_chars(), "UTF-8");
        let mut start = 0;
        for (c, sentence) in sentences.iter().enumerate() {
            let len = sentence.chars().count();
            let mut a = Annotation::new(
                Anchor::from_span(&text, Span::new(start, start + len)),
                "Claim",
                ["ana", "bo", "cy"][c % 3],
            );
            start += len + 2;
            a.claimant = WHO[(s + c) % WHO.len()].to_owned();
            a.verdict =
                (c % 4 != 0).then(|| scale.ratings[(s + c) % scale.ratings.len()].name.clone());
            a.status = Status::ALL[(s + c) % Status::ALL.len()];
            a.tags = vec![TAGS[(s + c) % TAGS.len()].to_owned()];
            a.rationale = format!("Checked against the records of year {}.", 2000 + c);
            if c % 2 == 0 {
                a.sources.push(Source::External {
                    url: format!("https://example.org/records/{s}/{c}"),
                    title: "Official records".into(),
                    note: String::new(),
                    accessed: None,
                });
            }
            a.modified = jiff::Timestamp::from_second(
                1_700_000_000 + ((s * 7919 + c * 104_729) % 10_000_000) as i64,
            )
            .expect("time");
            sidecar.annotations.insert(a);
        }
        let story_text = if s % 20 == 0 {
            format!("Updated: a correction was added.\n\n{}", text.as_str())
        } else {
            text.as_str().to_owned()
        };
        std::fs::write(&path, story_text).expect("write story");
        std::fs::write(sidecar_path(&path), sidecar.to_ron().expect("encode")).expect("write");
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    generate(dir.path());

    let ws = Workspace::open(dir.path()).expect("scan");
    assert_eq!(ws.stories.len(), STORIES);
    assert_eq!(ws.totals().claims, STORIES * CLAIMS_PER_STORY);
    let table = ClaimTable::new(&ws);
    assert_eq!(table.len(), STORIES * CLAIMS_PER_STORY);

    let mut group = c.benchmark_group("workspace");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    // What the window waits for before the table shows: the scan, then the table.
    group.bench_function("scan_and_table_1000_stories_50000_claims", |b| {
        b.iter(|| {
            let ws = Workspace::open(black_box(dir.path())).expect("scan");
            black_box(ClaimTable::new(&ws))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("claims_table_50000");
    group.bench_function("build_table", |b| {
        b.iter(|| black_box(ClaimTable::new(black_box(&ws))))
    });
    let queries = [
        (
            "sort_by_claimant",
            Query {
                sort: (Column::Claimant, true),
                ..Query::default()
            },
        ),
        (
            "sort_by_quote_descending",
            Query {
                sort: (Column::Quote, false),
                ..Query::default()
            },
        ),
        (
            "text_filter_sort_by_verdict",
            Query {
                text: "budget mayor".into(),
                sort: (Column::Verdict, true),
                ..Query::default()
            },
        ),
        (
            "filters_sort_by_modified",
            Query {
                statuses: vec![Status::NeedsReview, Status::Disputed],
                tags: vec!["housing".into(), "crime".into()],
                sort: (Column::Modified, false),
                ..Query::default()
            },
        ),
        (
            "rare_text_sort_by_story",
            Query {
                text: "claim 7)".into(),
                sort: (Column::Story, true),
                ..Query::default()
            },
        ),
    ];
    // The first text sort builds that column's ranking (what a click on a new heading costs).
    group.bench_function("first_sort_by_statement_cold", |b| {
        b.iter_batched(
            || table.clone(),
            |t| {
                black_box(t.query(&Query {
                    sort: (Column::Statement, true),
                    ..Query::default()
                }))
            },
            criterion::BatchSize::LargeInput,
        )
    });
    for (name, query) in &queries {
        // Warm: the window re-sorts and re-filters with its rankings built.
        black_box(table.query(query));
        group.bench_function(*name, |b| {
            b.iter(|| black_box(table.query(black_box(query))))
        });
    }
    // An edit of one story, then the re-sorted table.
    let mut edited = table.clone();
    let sort_by_quote = Query {
        sort: (Column::Quote, true),
        ..Query::default()
    };
    black_box(edited.query(&sort_by_quote));
    group.bench_function("update_story_then_sort_by_quote", |b| {
        b.iter(|| {
            edited.update_story(500, &ws.stories[500].annotations);
            black_box(edited.query(&sort_by_quote))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
