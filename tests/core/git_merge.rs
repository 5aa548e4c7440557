//! Sharing sidecars through git, end to end: real repositories in temp folders, two clones
//! of one bare "desk" repository, `factmark git-setup` in each, annotations made on both
//! sides, pushed and pulled with the merge driver doing the work.
//!
//! Git runs with a throw-away HOME and global config so the machine's settings (aliases,
//! pull.rebase, hooks) cannot change the outcome.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, AnnotationId, Comment, Field, FieldValue, Status};
use factmark::store::Sidecar;
use factmark::text::StoryText;

const STORY: &str = "Le conseil municipal a voté hier un budget de 48 millions d'euros pour le pont.\n\
Selon la préfecture, les travaux dureront trois ans.\n\
Le maire affirme que « aucune hausse d'impôt » ne sera nécessaire.\n";

fn factmark() -> PathBuf {
    assert_cmd::cargo::cargo_bin("factmark")
}

/// A scratch world: a bare repository and a private git configuration.
struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        let desk = Self {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        fs::create_dir(desk.home()).expect("home");
        fs::write(desk.home().join("gitconfig"), "").expect("global config");
        desk.git(
            desk.dir.path(),
            &["init", "-q", "--bare", "-b", "main", "desk.git"],
        );
        desk
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn command(&self, program: &Path, cwd: &Path, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .current_dir(cwd)
            .env("HOME", self.home())
            .env("GIT_CONFIG_GLOBAL", self.home().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            // Never find a repository above the scratch folder.
            .env("GIT_CEILING_DIRECTORIES", self.dir.path())
            .env("GIT_AUTHOR_NAME", "Desk Tester")
            .env("GIT_AUTHOR_EMAIL", "desk@example.org")
            .env("GIT_COMMITTER_NAME", "Desk Tester")
            .env("GIT_COMMITTER_EMAIL", "desk@example.org")
            .env("LC_ALL", "C")
            .output()
            .expect("run")
    }

    /// Runs git and insists that it succeeds.
    fn git(&self, cwd: &Path, args: &[&str]) -> Output {
        let out = self.command(Path::new("git"), cwd, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// A clone of the desk, set up for factmark merges and plain (non-rebase) pulls.
    fn clone(&self, name: &str) -> PathBuf {
        self.git(self.dir.path(), &["clone", "-q", "desk.git", name]);
        let path = self.dir.path().join(name);
        self.git(&path, &["config", "pull.rebase", "false"]);
        let out = self.command(&factmark(), &path, &["git-setup"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    }
}

fn read_sidecar(path: &Path) -> Sidecar {
    let text = fs::read_to_string(path).expect("read sidecar");
    assert!(!text.contains("<<<<<<<"), "conflict markers in {text}");
    Sidecar::from_ron(&text, path)
        .expect("valid sidecar")
        .sidecar
}

fn write_sidecar(path: &Path, sidecar: &Sidecar) {
    fs::write(path, sidecar.to_ron().expect("encode")).expect("write sidecar");
}

fn claim(text: &StoryText, quote: &str, id: &str) -> Annotation {
    let byte = text.as_str().find(quote).expect("quote in story");
    let start = text.byte_to_char(byte);
    let span = Span::new(start, start + quote.chars().count());
    let mut a = Annotation::new(Anchor::from_span(text, span), "Claim", "ana");
    a.id = AnnotationId(id.to_owned());
    a
}

fn comment(author: &str, second: i64, text: &str) -> Comment {
    Comment {
        author: author.into(),
        time: jiff::Timestamp::from_second(1_700_000_000 + second).expect("time"),
        text: text.into(),
    }
}

/// Both clones start from a committed story with three claims.
fn shared_story(desk: &Desk) -> (PathBuf, PathBuf, StoryText) {
    let ana = desk.clone("ana");
    let text = StoryText::new(STORY.to_owned());
    fs::write(ana.join("pont.txt"), STORY).expect("story");
    let mut sc = Sidecar::new("pont.txt", text.sha256(), text.len_chars(), "UTF-8");
    for (quote, id) in [
        ("48 millions d'euros", "budget"),
        ("trois ans", "duree"),
        ("aucune hausse d'impôt", "impot"),
    ] {
        sc.annotations.insert(claim(&text, quote, id));
    }
    write_sidecar(&ana.join("pont.txt.annotations.ron"), &sc);
    desk.git(&ana, &["add", "-A"]);
    desk.git(&ana, &["commit", "-qm", "story and first claims"]);
    desk.git(&ana, &["push", "-q", "origin", "main"]);
    let bo = desk.clone("bo");
    (ana, bo, text)
}

fn edit(clone: &Path, f: impl FnOnce(&mut Sidecar)) {
    let path = clone.join("pont.txt.annotations.ron");
    let mut sc = read_sidecar(&path);
    f(&mut sc);
    write_sidecar(&path, &sc);
}

fn update(sc: &mut Sidecar, id: &str, f: impl FnOnce(&mut Annotation)) {
    let mut a = sc
        .annotations
        .get(&AnnotationId(id.into()))
        .expect("annotation")
        .clone();
    f(&mut a);
    sc.annotations.replace(a);
}

fn commit(desk: &Desk, clone: &Path, message: &str) {
    desk.git(clone, &["commit", "-qam", message]);
}

#[test]
fn git_setup_writes_attributes_and_config_once() {
    let desk = Desk::new();
    let ana = desk.clone("ana");
    let attributes = fs::read_to_string(ana.join(".gitattributes")).expect("attributes");
    assert_eq!(attributes, "*.annotations.ron merge=factmark\n");
    let driver = desk.git(&ana, &["config", "--get", "merge.factmark.driver"]);
    let driver = String::from_utf8_lossy(&driver.stdout);
    assert!(
        driver.trim().ends_with("merge-driver %O %A %B %P"),
        "{driver}"
    );
    assert!(driver.contains(&*factmark().to_string_lossy()), "{driver}");

    // Again, from a subfolder: nothing changes, and it says so.
    fs::create_dir(ana.join("stories")).expect("subfolder");
    let out = desk.command(&factmark(), &ana.join("stories"), &["git-setup"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("already set up"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        fs::read_to_string(ana.join(".gitattributes")).expect("attributes"),
        attributes
    );
    let check = desk.git(&ana, &["check-attr", "merge", "x/s.txt.annotations.ron"]);
    assert!(String::from_utf8_lossy(&check.stdout).contains("merge: factmark"));
}

#[test]
fn git_setup_outside_a_repository_fails_in_one_sentence() {
    let desk = Desk::new();
    let out = desk.command(&factmark(), &desk.home(), &["git-setup"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not inside a git repository"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn clean_pull_keeps_every_add_edit_delete_and_comment() {
    let desk = Desk::new();
    let (ana, bo, text) = shared_story(&desk);

    edit(&ana, |sc| {
        sc.annotations
            .insert(claim(&text, "la préfecture", "ana-new"));
        update(sc, "budget", |a| a.verdict = Some("Mostly true".into()));
        update(sc, "impot", |a| {
            a.comments.push(comment("ana", 1, "Source?"))
        });
        sc.annotations.remove(&AnnotationId("duree".into()));
    });
    commit(&desk, &ana, "ana: verdict, comment, delete, add");
    desk.git(&ana, &["push", "-q", "origin", "main"]);

    edit(&bo, |sc| {
        sc.annotations.insert(claim(&text, "Le maire", "bo-new"));
        update(sc, "budget", |a| a.claimant = "Le conseil municipal".into());
        update(sc, "impot", |a| {
            a.comments.push(comment("bo", 2, "Budget annexe p. 4"));
            a.status = Status::NeedsReview;
        });
    });
    commit(&desk, &bo, "bo: claimant, status, comment, add");
    desk.git(&bo, &["pull", "-q", "--no-edit", "origin", "main"]);

    let merged = read_sidecar(&bo.join("pont.txt.annotations.ron"));
    let get = |id: &str| merged.annotations.get(&AnnotationId(id.into())).cloned();
    let ids: Vec<&str> = merged.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, vec!["budget", "ana-new", "bo-new", "impot"]);
    let budget = get("budget").expect("budget");
    assert_eq!(budget.verdict.as_deref(), Some("Mostly true"));
    assert_eq!(budget.claimant, "Le conseil municipal");
    let impot = get("impot").expect("impot");
    assert_eq!(impot.status, Status::NeedsReview);
    let texts: Vec<&str> = impot.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, vec!["Source?", "Budget annexe p. 4"]);
    assert!(merged.annotations.iter().all(|a| a.conflicts.is_empty()));

    // The merge was committed, and ana gets exactly the same bytes back.
    let status = desk.git(&bo, &["status", "--porcelain"]);
    assert!(
        status.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    desk.git(&bo, &["push", "-q", "origin", "main"]);
    desk.git(&ana, &["pull", "-q", "--no-edit", "origin", "main"]);
    assert_eq!(
        fs::read(ana.join("pont.txt.annotations.ron")).expect("ana"),
        fs::read(bo.join("pont.txt.annotations.ron")).expect("bo")
    );
}

#[test]
fn same_field_edits_stop_the_pull_with_both_values_recorded() {
    let desk = Desk::new();
    let (ana, bo, _text) = shared_story(&desk);

    edit(&ana, |sc| {
        update(sc, "budget", |a| a.verdict = Some("False".into()));
        update(sc, "duree", |a| {
            a.rationale = "Le calendrier dit 2027.".into()
        });
    });
    commit(&desk, &ana, "ana: verdicts");
    desk.git(&ana, &["push", "-q", "origin", "main"]);

    edit(&bo, |sc| {
        update(sc, "budget", |a| a.verdict = Some("Half true".into()));
        update(sc, "duree", |a| a.tags = vec!["calendrier".into()]);
    });
    commit(&desk, &bo, "bo: verdicts");
    let out = desk.command(
        Path::new("git"),
        &bo,
        &["pull", "-q", "--no-edit", "origin", "main"],
    );
    assert!(!out.status.success(), "a conflict must stop the merge");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed on both sides"), "{err}");

    let path = bo.join("pont.txt.annotations.ron");
    let merged = read_sidecar(&path);
    let budget = merged
        .annotations
        .get(&AnnotationId("budget".into()))
        .expect("budget");
    assert_eq!(
        budget.verdict.as_deref(),
        Some("Half true"),
        "ours in the field"
    );
    assert_eq!(
        budget.conflicts,
        vec![factmark::model::Conflict {
            field: Field::Verdict,
            theirs: FieldValue::Verdict(Some("False".into())),
        }]
    );
    let duree = merged
        .annotations
        .get(&AnnotationId("duree".into()))
        .expect("duree");
    assert_eq!(duree.rationale, "Le calendrier dit 2027.");
    assert_eq!(duree.tags, vec!["calendrier".to_owned()]);

    // Git holds the file as unmerged until the desk resolves it and adds it.
    let status = desk.git(&bo, &["status", "--porcelain"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("UU pont.txt.annotations.ron"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[test]
fn annotations_made_on_the_old_story_are_reanchored_when_ours_edited_it() {
    let desk = Desk::new();
    let (ana, bo, old) = shared_story(&desk);

    edit(&ana, |sc| {
        sc.annotations.insert(claim(&old, "les travaux", "travaux"));
    });
    commit(&desk, &ana, "ana: a claim on the old text");
    desk.git(&ana, &["push", "-q", "origin", "main"]);

    // Bo edits the story (a correction on top) and, as the window does, re-anchors.
    let new_story = format!("Correction du 3 mars : montant révisé.\n{STORY}");
    let new = StoryText::new(new_story.clone());
    fs::write(bo.join("pont.txt"), &new_story).expect("story");
    edit(&bo, |sc| {
        let moved: Vec<Annotation> = sc
            .annotations
            .iter()
            .map(|a| {
                let mut a = a.clone();
                let shift = "Correction du 3 mars : montant révisé.\n".chars().count();
                a.anchor = Anchor::from_span(
                    &new,
                    Span::new(a.anchor.start + shift, a.anchor.end + shift),
                );
                a
            })
            .collect();
        sc.annotations = factmark::model::AnnotationSet::from_vec(moved).0;
        sc.text_sha256 = new.sha256().to_owned();
        sc.text_chars = new.len_chars();
    });
    commit(&desk, &bo, "bo: correction");
    desk.git(&bo, &["pull", "-q", "--no-edit", "origin", "main"]);

    let merged = read_sidecar(&bo.join("pont.txt.annotations.ron"));
    assert_eq!(merged.text_sha256, new.sha256());
    assert_eq!(merged.annotations.len(), 4);
    for a in &merged.annotations {
        assert!(
            a.anchor.holds_in(&new),
            "{} does not hold: {:?}",
            a.id,
            a.anchor
        );
    }
    let travaux = merged
        .annotations
        .get(&AnnotationId("travaux".into()))
        .expect("ana's claim");
    assert_eq!(travaux.anchor.quote, "les travaux");
}

#[test]
fn driver_from_the_repository_root_with_relative_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = StoryText::new(STORY.to_owned());
    let mut base = Sidecar::new("pont.txt", text.sha256(), text.len_chars(), "UTF-8");
    base.annotations.insert(claim(&text, "trois ans", "duree"));
    let mut theirs = base.clone();
    theirs.annotations.insert(claim(&text, "Le maire", "maire"));
    fs::create_dir(dir.path().join("stories")).expect("folder");
    fs::write(dir.path().join("stories/pont.txt"), STORY).expect("story");
    write_sidecar(&dir.path().join(".base"), &base);
    write_sidecar(&dir.path().join(".ours"), &base);
    write_sidecar(&dir.path().join(".theirs"), &theirs);

    let out = Command::new(factmark())
        .current_dir(dir.path())
        .args([
            "merge-driver",
            ".base",
            ".ours",
            ".theirs",
            "stories/pont.txt.annotations.ron",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join(".ours")).expect("ours"),
        theirs.to_ron().expect("encode"),
        "the merge of an unchanged side is the other side, byte for byte"
    );
}

#[test]
fn unreadable_side_leaves_ours_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = StoryText::new(STORY.to_owned());
    let mut ours = Sidecar::new("pont.txt", text.sha256(), text.len_chars(), "UTF-8");
    ours.annotations.insert(claim(&text, "trois ans", "duree"));
    let ours_text = ours.to_ron().expect("encode");
    fs::write(dir.path().join("base"), &ours_text).expect("base");
    fs::write(dir.path().join("ours"), &ours_text).expect("ours");
    fs::write(
        dir.path().join("theirs"),
        "(format: \"factmark\", version: 1, story: ???)",
    )
    .expect("theirs");

    let out = Command::new(factmark())
        .current_dir(dir.path())
        .args([
            "merge-driver",
            "base",
            "ours",
            "theirs",
            "pont.txt.annotations.ron",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pont.txt.annotations.ron")
            && err.contains("their version")
            && err.contains("line 1"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("ours")).expect("ours"),
        ours_text
    );
}

#[test]
fn sidecars_added_on_both_sides_merge_without_a_base() {
    let desk = Desk::new();
    let (ana, bo, _) = shared_story(&desk);
    // A second story, annotated independently in both clones (git has no ancestor file).
    let other = "Le préfet a annoncé 200 embauches.\n";
    let text = StoryText::new(other.to_owned());
    for (clone, id) in [(&ana, "ana-1"), (&bo, "bo-1")] {
        fs::write(clone.join("prefet.txt"), other).expect("story");
        let mut sc = Sidecar::new("prefet.txt", text.sha256(), text.len_chars(), "UTF-8");
        sc.annotations.insert(claim(&text, "200 embauches", id));
        write_sidecar(&clone.join("prefet.txt.annotations.ron"), &sc);
        desk.git(clone, &["add", "-A"]);
        commit(&desk, clone, "second story");
    }
    desk.git(&ana, &["push", "-q", "origin", "main"]);
    desk.git(&bo, &["pull", "-q", "--no-edit", "origin", "main"]);
    let merged = read_sidecar(&bo.join("prefet.txt.annotations.ron"));
    let ids: Vec<&str> = merged.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, vec!["ana-1", "bo-1"]);
}
