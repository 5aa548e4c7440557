//! `factmark check` end to end: the real binary on fixture stories and sidecars, healthy
//! and broken. Every case asserts the exit code, the line printed for the story and, for
//! problems, the sentence that tells the user what is wrong.

use crate::support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn factmark(args: &[&std::ffi::OsStr]) -> Run {
    let out = Command::cargo_bin("factmark")
        .expect("the factmark binary")
        .args(args)
        .output()
        .expect("run factmark");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn check(paths: &[&Path]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["check".as_ref()];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    factmark(&args)
}

/// The line printed for the story whose path ends with `name`.
fn line_for<'a>(run: &'a Run, name: &str) -> &'a str {
    run.stdout
        .lines()
        .find(|l| l.split(": ").next().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{}", run.stdout))
}

#[test]
fn healthy_story_with_sidecar_exits_zero() {
    let run = check(&[&support::fixture("pont_fr.txt")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let line = line_for(&run, "pont_fr.txt");
    let chars = fs::read_to_string(support::fixture("pont_fr.txt"))
        .expect("read")
        .chars()
        .count();
    assert!(
        line.ends_with(&format!("UTF-8, {chars} chars, 3 annotations - ok")),
        "{line}"
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn a_sidecar_path_checks_its_story() {
    let run = check(&[&support::fixture("zavod_ru.txt.annotations.ron")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        line_for(&run, "zavod_ru.txt").ends_with("2 annotations - ok"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_fixture_folder_is_all_ok_one_line_per_story() {
    let run = check(&[&support::fixtures_dir()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The text stories plus the HTML page of the story-sources tests.
    let stories: Vec<&str> = support::STORIES
        .iter()
        .copied()
        .chain(["harbour_bridge.html"])
        .collect();
    assert_eq!(run.stdout.lines().count(), stories.len(), "{}", run.stdout);
    for name in stories {
        assert!(line_for(&run, name).ends_with(" - ok"), "{}", run.stdout);
    }
}

#[test]
fn legacy_and_utf16_stories_say_their_encoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(support::FRENCH_1252);
    fs::write(dir.path().join("maire.txt"), &cp1252).expect("write");
    fs::write(
        dir.path().join("wide.txt"),
        support::utf16le_with_bom("Жук\r\nbug\r\n"),
    )
    .expect("write");
    let run = check(&[dir.path()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        line_for(&run, "maire.txt").contains(": windows-1252 (guessed), "),
        "{}",
        run.stdout
    );
    assert!(
        line_for(&run, "wide.txt").contains(": UTF-16LE, 8 chars, 0 annotations - ok"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_edited_story_reports_hash_drift_and_moved_anchors() {
    let dir = support::scratch_with(&["pont_fr.txt", "pont_fr.txt.annotations.ron"]);
    let story = dir.path().join("pont_fr.txt");
    let text = fs::read_to_string(&story).expect("read");
    fs::write(&story, format!("Mise à jour du 3 mars.\n{text}")).expect("edit");
    let run = check(&[&story]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = line_for(&run, "pont_fr.txt");
    assert!(
        line.contains("text changed: 0 kept, 3 moved, 0 need confirming, 0 orphaned"),
        "{line}"
    );
    assert!(line.contains("hash drift"), "{line}");
    assert!(
        run.stderr.contains("1 of 1 story needs attention"),
        "{}",
        run.stderr
    );
    // Checking never writes: the sidecar is as it was.
    assert_eq!(
        fs::read(dir.path().join("pont_fr.txt.annotations.ron")).expect("read"),
        fs::read(support::fixture("pont_fr.txt.annotations.ron")).expect("read")
    );
}

#[test]
fn a_claim_removed_from_the_story_is_orphaned() {
    let dir = support::scratch_with(&["zavod_ru.txt", "zavod_ru.txt.annotations.ron"]);
    let story = dir.path().join("zavod_ru.txt");
    let text = fs::read_to_string(&story).expect("read").replace(
        "на заводе создано три тысячи новых рабочих мест",
        "завод снова открыт",
    );
    fs::write(&story, text).expect("edit");
    let run = check(&[&story]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = line_for(&run, "zavod_ru.txt");
    assert!(
        line.contains("1 orphaned (quote no longer in the story: re-attach in the window)"),
        "{line}"
    );
    assert!(line.contains("hash drift"), "{line}");
}

#[test]
fn anchors_outside_the_text_are_reported() {
    // A hand-edited sidecar: the text is unchanged (same hash) but one anchor points past
    // its end and another at the wrong place.
    let dir = support::scratch_with(&["zavod_ru.txt", "zavod_ru.txt.annotations.ron"]);
    let path = dir.path().join("zavod_ru.txt.annotations.ron");
    let ron = fs::read_to_string(&path)
        .expect("read")
        .replacen("start: 64,\n", "start: 9064,\n", 1)
        .replacen("end: 111,\n", "end: 9111,\n", 1)
        .replacen("start: 114,\n", "start: 100,\n", 1)
        .replacen("end: 144,\n", "end: 130,\n", 1);
    fs::write(&path, &ron).expect("edit");
    let run = check(&[&dir.path().join("zavod_ru.txt")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = line_for(&run, "zavod_ru.txt");
    assert!(!line.contains("hash drift"), "{line}");
    assert!(line.contains("2 moved"), "{line}");
    assert!(
        line.contains("2 anchors do not match the unchanged story"),
        "{line}"
    );
}

#[test]
fn a_garbage_sidecar_is_a_parse_error_with_line_and_column() {
    let dir = support::scratch_with(&["pont_fr.txt"]);
    let path = dir.path().join("pont_fr.txt.annotations.ron");
    fs::write(
        &path,
        "(\n    format: \"factmark\",\n    version: 1,\n    story: ???\n)\n",
    )
    .expect("write");
    let run = check(&[&dir.path().join("pont_fr.txt")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = line_for(&run, "pont_fr.txt");
    assert!(
        line.contains(
            "pont_fr.txt.annotations.ron is not a valid sidecar: line 4, column 12: Unexpected char '?'; \
             it is left as it is: fix it there, or restore "
        ),
        "{line}"
    );
    assert!(line.ends_with("pont_fr.txt.annotations.ron.bak"), "{line}");
}

#[test]
fn a_truncated_sidecar_is_a_parse_error() {
    let dir = support::scratch_with(&["pont_fr.txt"]);
    let full = fs::read_to_string(support::fixture("pont_fr.txt.annotations.ron")).expect("read");
    let path = dir.path().join("pont_fr.txt.annotations.ron");
    fs::write(&path, &full[..full.len() / 2]).expect("write");
    let run = check(&[&dir.path().join("pont_fr.txt")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        line_for(&run, "pont_fr.txt").contains("is not a valid sidecar: line "),
        "{}",
        run.stdout
    );
}

#[test]
fn a_sidecar_from_a_newer_version_needs_attention() {
    let dir = support::scratch_with(&["pont_fr.txt"]);
    let full = fs::read_to_string(support::fixture("pont_fr.txt.annotations.ron")).expect("read");
    fs::write(
        dir.path().join("pont_fr.txt.annotations.ron"),
        full.replacen("version: 1,", "version: 2,", 1),
    )
    .expect("write");
    let run = check(&[&dir.path().join("pont_fr.txt")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        line_for(&run, "pont_fr.txt").contains(
            "was written by a newer factmark (sidecar version 2, this one knows up to 1)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_story_with_a_sidecar_is_reported() {
    let dir = support::scratch_with(&["pont_fr.txt.annotations.ron"]);
    // Through the folder (the sidecar reveals the story) and by name.
    for target in [dir.path().to_owned(), dir.path().join("pont_fr.txt")] {
        let run = check(&[&target]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        let line = line_for(&run, "pont_fr.txt");
        assert!(
            line.contains("unreadable - the story is missing but its sidecar"),
            "{line}"
        );
        assert!(
            line.contains("restore the story or move the sidecar with it"),
            "{line}"
        );
    }
}

#[test]
fn a_missing_story_without_sidecar_is_unreadable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = check(&[&dir.path().join("nowhere.txt")]);
    assert_eq!(run.code, 1);
    assert!(
        line_for(&run, "nowhere.txt").contains("unreadable - could not read ")
            && run
                .stdout
                .contains("check the path and that the file may be read"),
        "{}",
        run.stdout
    );
}

#[test]
fn binary_empty_and_huge_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("scan.txt"), b"%PDF-1.7\n\0\0\x01\x02binary").expect("write");
    fs::write(dir.path().join("blank.txt"), "\n\n   \n").expect("write");
    fs::File::create(dir.path().join("huge.txt"))
        .expect("create")
        .set_len(factmark::text::MAX_STORY_BYTES + 1)
        .expect("sparse");
    let run = check(&[dir.path()]);
    assert_eq!(run.code, 1);
    assert!(
        line_for(&run, "scan.txt").contains("looks like a binary file, not text"),
        "{}",
        run.stdout
    );
    assert!(
        line_for(&run, "blank.txt").contains("is empty: there is nothing to annotate"),
        "{}",
        run.stdout
    );
    assert!(
        line_for(&run, "huge.txt").contains("split it into smaller stories"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("3 of 3 stories need attention"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = check(&[dir.path()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("factmark: no stories found in the given paths"),
        "{}",
        run.stderr
    );
}

#[test]
fn help_and_version() {
    let run = factmark(&["--help".as_ref()]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Usage: factmark"), "{}", run.stdout);
    assert!(run.stdout.contains("check"), "{}", run.stdout);
    let run = factmark(&["check".as_ref(), "--help".as_ref()]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("Stories, sidecars or folders"),
        "{}",
        run.stdout
    );
    let run = factmark(&["--version".as_ref()]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("factmark {}", env!("CARGO_PKG_VERSION"))
    );
    let run = factmark(&["check".as_ref()]);
    assert_eq!(run.code, 2, "check without a path is a usage error");
}

/// Writes `story` with `text` and a sidecar holding one Approved claim on `quote`.
fn story_with_approved_claim(dir: &Path, text: &str, quote: &str) -> std::path::PathBuf {
    use factmark::anchor::{Anchor, Span};
    use factmark::model::{Annotation, Status};
    use factmark::store::{Sidecar, sidecar_path};
    use factmark::text::StoryText;
    let story = dir.join("budget.txt");
    fs::write(&story, text).expect("write story");
    let t = StoryText::new(text.to_owned());
    let start = t.byte_to_char(text.find(quote).expect("quote in text"));
    let mut claim = Annotation::new(
        Anchor::from_span(&t, Span::new(start, start + quote.chars().count())),
        "Claim",
        "ana",
    );
    claim.verdict = Some("True".into());
    claim.status = Status::Approved;
    let mut sidecar = Sidecar::new("budget.txt", t.sha256(), t.len_chars(), "UTF-8");
    sidecar.annotations.insert(claim);
    fs::write(
        sidecar_path(&story),
        sidecar.to_ron().expect("encode sidecar"),
    )
    .expect("write sidecar");
    story
}

#[test]
fn changed_wording_under_a_claim_prints_both_wordings_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let quote = "The new bridge will cost $1 billion over ten years";
    let story = story_with_approved_claim(
        dir.path(),
        &format!("City news. {quote}, the mayor said on Monday.\n"),
        quote,
    );
    let before = check(&[&story]);
    assert_eq!(before.code, 0, "{}{}", before.stdout, before.stderr);

    fs::write(
        &story,
        "City news. The new bridge will cost $4 billion over ten years, the mayor said on Monday.\n",
    )
    .expect("edit story");
    let run = check(&[&story]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = line_for(&run, "budget.txt");
    assert!(
        line.contains("1 annotation stands on changed wording"),
        "{line}"
    );
    assert!(
        run.stdout
            .contains("    checked: “The new bridge will cost $1 billion over ten years”"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("    now:     “The new bridge will cost $4 billion over ten years”"),
        "{}",
        run.stdout
    );
}
