//! Whole-folder flows: scanning a workspace, querying its claims table, watching it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, AnnotationSet, Source, Status};
use factmark::settings::{FolderSettings, Organisation};
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;
use factmark::workspace::{
    Change, ClaimTable, Column, EntryError, Query, RowId, Scan, ScanError, Watcher, Workspace,
};

/// What one test annotation says; the quote is looked up in the story's text.
#[derive(Clone, Default)]
struct Spec {
    quote: &'static str,
    label: &'static str,
    verdict: Option<&'static str>,
    status: Status,
    tags: &'static [&'static str],
    claimant: &'static str,
    author: &'static str,
    sources: usize,
    modified: i64,
}

fn annotation(text: &StoryText, spec: &Spec) -> Annotation {
    let byte = text.as_str().find(spec.quote).expect("quote in text");
    let start = text.byte_to_char(byte);
    let span = Span::new(start, start + spec.quote.chars().count());
    let mut a = Annotation::new(
        Anchor::from_span(text, span),
        if spec.label.is_empty() {
            "Claim"
        } else {
            spec.label
        },
        spec.author,
    );
    a.verdict = spec.verdict.map(str::to_owned);
    a.status = spec.status;
    a.tags = spec.tags.iter().map(|t| (*t).to_owned()).collect();
    a.claimant = spec.claimant.to_owned();
    for i in 0..spec.sources {
        a.sources.push(Source::External {
            url: format!("https://example.org/{i}"),
            title: String::new(),
            note: String::new(),
            accessed: None,
        });
    }
    a.modified = jiff::Timestamp::from_second(1_700_000_000 + spec.modified).expect("time");
    a
}

/// Writes `text` at `root/rel` and a sidecar with `specs`, anchored to `anchored_to`
/// (the text the annotations were made on; differs from `text` for a drifted story).
fn story(root: &Path, rel: &str, anchored_to: &str, text: &str, specs: &[Spec]) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write story");
    if !specs.is_empty() {
        let old = StoryText::new(anchored_to.to_owned());
        let name = path.file_name().expect("name").to_string_lossy();
        let mut sidecar = Sidecar::new(&name, old.sha256(), old.len_chars(), "UTF-8");
        for s in specs {
            sidecar.annotations.insert(annotation(&old, s));
        }
        std::fs::write(sidecar_path(&path), sidecar.to_ron().expect("encode")).expect("write");
    }
    path
}

fn names(ws: &Workspace) -> Vec<&str> {
    ws.stories.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn scan_lists_every_story_with_counts_and_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let budget = "The mayor said taxes fell by half. The council denied it.";
    story(
        root,
        "budget.txt",
        budget,
        budget,
        &[
            Spec {
                quote: "taxes fell by half",
                verdict: Some("False"),
                status: Status::Approved,
                ..Spec::default()
            },
            Spec {
                quote: "The council denied it.",
                ..Spec::default()
            },
            Spec {
                quote: "The mayor",
                label: "Note",
                ..Spec::default()
            },
        ],
    );
    // Drifted: one quote moved, one is gone from the new text.
    let old = "Crime rose 40 percent. Schools closed early.";
    story(
        root,
        "2024/may/crime.md",
        old,
        "Police say: Crime rose 40 percent. Parks reopened.",
        &[
            Spec {
                quote: "Crime rose 40 percent.",
                verdict: Some("Mostly true"),
                ..Spec::default()
            },
            Spec {
                quote: "Schools closed early.",
                verdict: Some("True"),
                status: Status::NeedsReview,
                ..Spec::default()
            },
        ],
    );
    // A broken sidecar: listed, with its error and no annotations.
    story(root, "broken.txt", "", "Some text.", &[]);
    std::fs::write(
        root.join("broken.txt.annotations.ron"),
        "(format: \"factmark\",\n version: 1,\n story: ???)",
    )
    .expect("write broken");
    // A sidecar whose story is gone.
    let gone = "Gone text here.";
    story(
        root,
        "gone.txt",
        gone,
        gone,
        &[Spec {
            quote: "Gone",
            ..Spec::default()
        }],
    );
    std::fs::remove_file(root.join("gone.txt")).expect("remove story");
    // A legacy encoding.
    std::fs::write(
        root.join("latin.txt"),
        b"Le ministre a d\xe9clar\xe9 que...",
    )
    .expect("w");
    // Skipped: hidden files and folders, backups, temp files, other files.
    for skip in [
        ".hidden.txt",
        ".git/notes.txt",
        "2024/.draft.md",
        "budget.txt.annotations.ron.bak",
        ".factmark-x.tmp",
        "photo.png",
    ] {
        let p = root.join(skip);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, "x").expect("write");
    }
    FolderSettings {
        organisation: Some(Organisation {
            name: "Desk".into(),
            url: None,
        }),
        ..Default::default()
    }
    .save(root)
    .expect("settings");

    let ws = Workspace::open(root).expect("scan");
    assert_eq!(
        names(&ws),
        vec![
            "2024/may/crime.md",
            "broken.txt",
            "budget.txt",
            "gone.txt",
            "latin.txt"
        ]
    );
    assert!(ws.settings_error.is_none());
    assert_eq!(
        ws.settings.organisation.as_ref().map(|o| o.name.as_str()),
        Some("Desk")
    );

    let crime = &ws.stories[0];
    assert!(crime.drifted);
    assert!(crime.error.is_none());
    assert_eq!(crime.counts.claims, 2);
    assert_eq!(crime.counts.orphaned, 1);
    let moved = crime
        .annotations
        .iter()
        .find(|a| a.anchor.quote == "Crime rose 40 percent.")
        .expect("moved claim");
    assert_eq!(moved.anchor.start, "Police say: ".len());
    assert!(!moved.state.is_orphaned());
    assert_eq!(crime.counts.by_status.get(&Status::NeedsReview), Some(&1));

    let broken = &ws.stories[1];
    match &broken.error {
        Some(EntryError::Sidecar(factmark::store::StoreError::Parse { line, .. })) => {
            assert_eq!(*line, 3)
        }
        other => panic!("expected a sidecar parse error, got {other:?}"),
    }
    assert!(broken.annotations.is_empty());
    assert_eq!(broken.encoding, Some("UTF-8"));

    let budget = &ws.stories[2];
    assert!(!budget.drifted && budget.error.is_none());
    assert_eq!(budget.counts.annotations, 3);
    assert_eq!(budget.counts.claims, 2, "the Note is not a claim");
    assert_eq!(budget.counts.by_verdict.get("False"), Some(&1));
    assert_eq!(budget.counts.unrated, 1);
    assert_eq!(budget.counts.by_status.get(&Status::Approved), Some(&1));
    assert_eq!(budget.counts.by_status.get(&Status::Draft), Some(&1));
    assert_eq!(budget.counts.orphaned, 0);

    let gone = &ws.stories[3];
    assert!(matches!(gone.error, Some(EntryError::Story(_))));
    assert_eq!(
        gone.counts.annotations, 1,
        "the sidecar's work is still shown"
    );

    let latin = &ws.stories[4];
    assert_eq!(latin.encoding, Some("windows-1252"));
    assert!(latin.encoding_guessed);

    let totals = ws.totals();
    assert_eq!(totals.annotations, 3 + 2 + 1);
    assert_eq!(totals.claims, 2 + 2 + 1);
    assert_eq!(totals.orphaned, 1);
    assert_eq!(
        totals.by_verdict.values().sum::<usize>() + totals.unrated,
        5
    );
}

#[test]
fn broken_settings_are_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    story(dir.path(), "a.txt", "", "Text.", &[]);
    std::fs::write(
        dir.path().join("factmark.ron"),
        "(format: \"factmark-settings\",\n version: 1,\n labels: oops)",
    )
    .expect("write");
    let ws = Workspace::open(dir.path()).expect("scan");
    assert_eq!(names(&ws), vec!["a.txt"]);
    match ws.settings_error {
        Some(factmark::settings::SettingsError::Parse { line, column, .. }) => {
            assert_eq!((line, column), (3, 10))
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert_eq!(ws.settings, FolderSettings::default());
}

#[test]
fn progress_reaches_the_total_and_cancel_stops_the_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..40 {
        story(dir.path(), &format!("s{i:03}.txt"), "", "A story.", &[]);
    }
    let mut scan = Scan::start(dir.path());
    let deadline = Instant::now() + Duration::from_secs(10);
    let ws = loop {
        if let Some(result) = scan.try_finish() {
            break result.expect("scan");
        }
        assert!(Instant::now() < deadline, "scan did not finish");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(ws.stories.len(), 40);
    assert_eq!(scan.progress(), (40, 40));
    assert!(scan.try_finish().is_none(), "the result is given once");

    // Enough stories that the scan cannot be over before it is told to stop.
    for i in 0..2000 {
        std::fs::write(dir.path().join(format!("more{i:04}.txt")), "x").expect("write");
    }
    let scan = Scan::start(dir.path());
    scan.cancel();
    assert!(matches!(scan.wait(), Err(ScanError::Cancelled)));
}

/// A workspace of two stories whose annotations differ in every column.
fn table_fixture(root: &Path) -> Workspace {
    let a = "Alpha said prices doubled. Beta said wages fell. Gamma said rents rose.";
    story(
        root,
        "a.txt",
        a,
        a,
        &[
            Spec {
                quote: "prices doubled",
                verdict: Some("False"),
                status: Status::Approved,
                tags: &["Economy"],
                claimant: "Alpha",
                author: "zoe",
                sources: 2,
                modified: 30,
                ..Spec::default()
            },
            Spec {
                quote: "wages fell",
                verdict: Some("True"),
                status: Status::Draft,
                tags: &["labour", "economy"],
                claimant: "beta",
                author: "Ana",
                sources: 0,
                modified: 10,
                ..Spec::default()
            },
            Spec {
                quote: "rents rose",
                label: "Note",
                verdict: None,
                status: Status::Disputed,
                claimant: "Gamma",
                author: "max",
                sources: 1,
                modified: 20,
                ..Spec::default()
            },
        ],
    );
    let b = "Delta claimed crime halved. Epsilon claimed jobs grew.";
    story(
        root,
        "b.txt",
        b,
        b,
        &[
            Spec {
                quote: "crime halved",
                verdict: Some("Half true"),
                status: Status::NeedsReview,
                tags: &["crime"],
                claimant: "Delta",
                author: "bo",
                sources: 3,
                modified: 40,
                ..Spec::default()
            },
            Spec {
                quote: "jobs grew",
                verdict: Some("Invented verdict"),
                status: Status::Approved,
                claimant: "epsilon",
                author: "Cy",
                sources: 0,
                modified: 5,
                ..Spec::default()
            },
        ],
    );
    Workspace::open(root).expect("scan")
}

fn quotes(ws: &Workspace, rows: &[RowId]) -> Vec<String> {
    rows.iter()
        .map(|r| ws.annotation(*r).expect("row").anchor.quote.clone())
        .collect()
}

fn sorted(ws: &Workspace, table: &ClaimTable, column: Column, ascending: bool) -> Vec<String> {
    quotes(
        ws,
        &table.query(&Query {
            sort: (column, ascending),
            ..Query::default()
        }),
    )
}

#[test]
fn the_table_sorts_by_label() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = table_fixture(dir.path());
    let table = ClaimTable::new(&ws);
    assert_eq!(Column::Label.name(), "Label");
    assert!(Column::ALL.contains(&Column::Label));
    // Claims (in reading order) before the note; descending puts the note first.
    assert_eq!(
        sorted(&ws, &table, Column::Label, true),
        [
            "prices doubled",
            "wages fell",
            "crime halved",
            "jobs grew",
            "rents rose"
        ]
    );
    assert_eq!(sorted(&ws, &table, Column::Label, false)[0], "rents rose");
}

#[test]
fn the_table_sorts_by_every_column_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = table_fixture(dir.path());
    let table = ClaimTable::new(&ws);
    assert_eq!(table.len(), 5);
    let expect = |column, order: &[&str]| {
        assert_eq!(
            sorted(&ws, &table, column, true),
            order,
            "{column:?} ascending"
        );
    };
    expect(
        Column::Story,
        &[
            "prices doubled",
            "wages fell",
            "rents rose",
            "crime halved",
            "jobs grew",
        ],
    );
    expect(
        Column::Quote,
        &[
            "crime halved",
            "jobs grew",
            "prices doubled",
            "rents rose",
            "wages fell",
        ],
    );
    expect(
        Column::Claimant,
        &[
            "prices doubled",
            "wages fell",
            "crime halved",
            "jobs grew",
            "rents rose",
        ],
    );
    // Best first on the scale, then verdicts off the scale, then none.
    expect(
        Column::Verdict,
        &[
            "wages fell",
            "crime halved",
            "prices doubled",
            "jobs grew",
            "rents rose",
        ],
    );
    // Workflow order; ties (two Approved) keep reading order.
    expect(
        Column::Status,
        &[
            "wages fell",
            "crime halved",
            "prices doubled",
            "jobs grew",
            "rents rose",
        ],
    );
    expect(
        Column::Sources,
        &[
            "wages fell",
            "jobs grew",
            "rents rose",
            "prices doubled",
            "crime halved",
        ],
    );
    // Tags compare as joined lower-case text: "crime" < "economy" < "labour, economy";
    // rows without tags come last, in reading order.
    expect(
        Column::Tags,
        &[
            "crime halved",
            "prices doubled",
            "wages fell",
            "rents rose",
            "jobs grew",
        ],
    );
    expect(
        Column::Author,
        &[
            "wages fell",
            "crime halved",
            "jobs grew",
            "rents rose",
            "prices doubled",
        ],
    );
    expect(
        Column::Modified,
        &[
            "jobs grew",
            "wages fell",
            "rents rose",
            "prices doubled",
            "crime halved",
        ],
    );
    // Statement defaults to the quote, so it sorts like it.
    assert_eq!(
        sorted(&ws, &table, Column::Statement, true),
        sorted(&ws, &table, Column::Quote, true)
    );
    // Descending: keys with no ties come out exactly reversed.
    for column in [
        Column::Quote,
        Column::Claimant,
        Column::Author,
        Column::Modified,
    ] {
        let mut up = sorted(&ws, &table, column, true);
        up.reverse();
        assert_eq!(sorted(&ws, &table, column, false), up, "{column:?}");
    }
    // Blanks (no verdict, no tags) stay last when descending too, as in a spreadsheet.
    assert_eq!(
        sorted(&ws, &table, Column::Verdict, false),
        vec![
            "jobs grew",
            "prices doubled",
            "crime halved",
            "wages fell",
            "rents rose"
        ]
    );
    assert_eq!(
        sorted(&ws, &table, Column::Tags, false),
        vec![
            "wages fell",
            "prices doubled",
            "crime halved",
            "rents rose",
            "jobs grew"
        ]
    );
    // With ties, descending stays stable: the two Approved keep reading order.
    assert_eq!(
        sorted(&ws, &table, Column::Status, false),
        vec![
            "rents rose",
            "prices doubled",
            "jobs grew",
            "crime halved",
            "wages fell"
        ]
    );
    assert_eq!(
        sorted(&ws, &table, Column::Story, false),
        vec![
            "crime halved",
            "jobs grew",
            "prices doubled",
            "wages fell",
            "rents rose"
        ]
    );
}

#[test]
fn the_table_filters_by_text_label_verdict_status_tag_and_story() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = table_fixture(dir.path());
    let table = ClaimTable::new(&ws);
    let run = |q: Query| {
        let mut got = quotes(&ws, &table.query(&q));
        got.sort();
        got
    };
    // Every word must match, case-insensitively, in any field (claimant, author...).
    assert_eq!(
        run(Query {
            text: "ALPHA doubled".into(),
            ..Query::default()
        }),
        vec!["prices doubled"]
    );
    assert_eq!(
        run(Query {
            text: "cy".into(),
            ..Query::default()
        }),
        vec!["jobs grew"]
    );
    // A word in the story's name matches all its rows.
    assert_eq!(
        run(Query {
            text: "b.txt".into(),
            ..Query::default()
        }),
        vec!["crime halved", "jobs grew"]
    );
    assert!(
        run(Query {
            text: "alpha crime".into(),
            ..Query::default()
        })
        .is_empty()
    );
    assert_eq!(
        run(Query {
            labels: vec!["note".into()],
            ..Query::default()
        }),
        vec!["rents rose"]
    );
    assert_eq!(
        run(Query {
            verdicts: vec![Some("false".into()), None],
            ..Query::default()
        }),
        vec!["prices doubled", "rents rose"]
    );
    assert_eq!(
        run(Query {
            statuses: vec![Status::Approved],
            ..Query::default()
        }),
        vec!["jobs grew", "prices doubled"]
    );
    assert_eq!(
        run(Query {
            tags: vec!["ECONOMY".into()],
            ..Query::default()
        }),
        vec!["prices doubled", "wages fell"]
    );
    assert_eq!(
        run(Query {
            stories: vec![1],
            ..Query::default()
        }),
        vec!["crime halved", "jobs grew"]
    );
    // Filters combine.
    assert_eq!(
        run(Query {
            statuses: vec![Status::Approved],
            stories: vec![0],
            ..Query::default()
        }),
        vec!["prices doubled"]
    );
}

#[test]
fn update_story_refreshes_only_that_story() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = table_fixture(dir.path());
    let mut table = ClaimTable::new(&ws);
    let approved = Query {
        statuses: vec![Status::Approved],
        ..Query::default()
    };
    assert_eq!(table.query(&approved).len(), 2);
    // Sort by every column first, so cached rankings exist and must be updated.
    let every_sort = || {
        Column::ALL.into_iter().flat_map(|c| {
            [true, false].map(|up| Query {
                sort: (c, up),
                ..Query::default()
            })
        })
    };
    for q in every_sort() {
        assert_eq!(table.query(&q).len(), 5);
    }

    // Approve every claim of story 0, drop its note.
    let edited: Vec<Annotation> = ws.stories[0]
        .annotations
        .iter()
        .filter(|a| a.label == "Claim")
        .map(|a| {
            let mut a = a.clone();
            a.status = Status::Approved;
            a
        })
        .collect();
    let (set, _) = AnnotationSet::from_vec(edited);
    ws.stories[0].set_annotations(set);
    assert!(table.update_story(0, &ws.stories[0].annotations));
    assert!(!table.update_story(9, &AnnotationSet::default()));

    assert_eq!(table.len(), 4);
    let got = quotes(&ws, &table.query(&approved));
    assert_eq!(got, vec!["prices doubled", "wages fell", "jobs grew"]);
    assert_eq!(
        ws.stories[0].counts.by_status.get(&Status::Approved),
        Some(&2)
    );
    assert_eq!(ws.stories[0].counts.annotations, 2);
    // The updated table sorts exactly like one built from scratch.
    let fresh = ClaimTable::new(&ws);
    for q in every_sort() {
        assert_eq!(table.query(&q), fresh.query(&q), "{:?}", q.sort);
    }
}

#[test]
fn reload_story_reads_outside_changes_and_adds_new_stories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = table_fixture(dir.path());
    let text = "A brand new story about budgets.";
    let path = story(
        dir.path(),
        "c.txt",
        text,
        text,
        &[Spec {
            quote: "budgets",
            verdict: Some("True"),
            ..Spec::default()
        }],
    );
    let i = ws.reload_story(&sidecar_path(&path));
    assert_eq!(i, 2, "appended, so earlier indexes stay valid");
    assert_eq!(ws.stories[2].counts.claims, 1);
    std::fs::remove_file(sidecar_path(&path)).expect("remove");
    assert_eq!(ws.reload_story(&path), 2);
    assert_eq!(ws.stories[2].counts.claims, 0);
    assert_eq!(ws.story_index(&path), Some(2));
}

/// Waits (at most `limit`) until `pred` holds for a change the watcher reports.
fn wait_for(watcher: &Watcher, limit: Duration, pred: impl Fn(&Change) -> bool) -> Vec<Change> {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let batch = watcher.wait(Duration::from_millis(100));
        let done = batch.iter().any(&pred);
        seen.extend(batch);
        if done {
            break;
        }
    }
    seen
}

#[test]
fn the_watcher_reports_outside_changes_and_ignores_our_own_and_temp_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let text = "Watched story.";
    let story_path = story(
        &root,
        "sub/w.txt",
        text,
        text,
        &[Spec {
            quote: "Watched",
            ..Spec::default()
        }],
    );
    let watcher = Watcher::with_debounce(&root, Duration::from_millis(100)).expect("watch");

    // Temp files and backups say nothing; an outside sidecar write is reported.
    std::fs::write(root.join("sub/.factmark-abc.tmp"), "x").expect("tmp");
    std::fs::write(root.join("sub/w.txt.annotations.ron.bak"), "x").expect("bak");
    let sidecar = sidecar_path(&story_path);
    let mut contents = std::fs::read_to_string(&sidecar).expect("read");
    contents.push('\n');
    std::fs::write(&sidecar, &contents).expect("outside write");
    let expected = Change::Sidecar {
        sidecar: sidecar.clone(),
        story: story_path.clone(),
    };
    let seen = wait_for(&watcher, Duration::from_secs(5), |c| *c == expected);
    assert!(seen.contains(&expected), "saw {seen:?}");
    assert!(
        seen.iter().all(|c| matches!(c, Change::Sidecar { .. })),
        "only the sidecar changed: {seen:?}"
    );
    assert_eq!(expected.story(), Some(story_path.as_path()));

    // Our own write, announced right after it, is not reported; the story edit is.
    contents.push('\n');
    factmark::store::write_atomic(&sidecar, contents.as_bytes(), false).expect("own write");
    watcher.own_write(&sidecar);
    std::fs::write(&story_path, "Watched story, edited.").expect("edit story");
    let story_change = Change::Story(story_path.clone());
    let seen = wait_for(&watcher, Duration::from_secs(5), |c| *c == story_change);
    assert!(seen.contains(&story_change), "saw {seen:?}");
    // Give a late sidecar event time to arrive before concluding it was suppressed.
    let mut later = watcher.poll();
    later.extend(watcher.wait(Duration::from_millis(400)));
    assert!(
        !seen.iter().chain(&later).any(|c| c == &expected),
        "own write reported: {seen:?} {later:?}"
    );
}
