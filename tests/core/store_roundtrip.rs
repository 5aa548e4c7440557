//! The sidecar store as a whole: arbitrary annotation sets survive save and load unchanged
//! and re-save to the same bytes; the committed fixture sidecars are in canonical form;
//! bad sidecars are reported with a position and never overwritten; a failed write leaves
//! the old sidecar intact and the caller's data untouched.

use crate::support;

use std::fs;
use std::path::Path;

use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, AnnotationId};
use factmark::store::{self, Sidecar, SidecarFile, StoreError, backup_path, sidecar_path};
use factmark::text::load_story;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// In memory: `to_ron` then `from_ron` gives the same sidecar, and re-encoding it gives
    /// the same bytes.
    #[test]
    fn any_sidecar_round_trips_in_memory(sidecar in support::any_sidecar(6)) {
        let ron = sidecar.to_ron().expect("encode");
        let loaded = Sidecar::from_ron(&ron, Path::new("prop.ron")).expect("parse");
        prop_assert!(loaded.renamed_duplicates.is_empty());
        prop_assert_eq!(loaded.migrated_from, None);
        prop_assert_eq!(&loaded.sidecar, &sidecar);
        prop_assert_eq!(loaded.sidecar.to_ron().expect("re-encode"), ron);
    }
}

proptest! {
    // Each case touches the disk (temp file, sync, rename): fewer cases.
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// On disk: `SidecarFile::save` then `store::load` gives the same sidecar; the file holds
    /// exactly `to_ron`'s bytes; saving again writes nothing and changes nothing.
    #[test]
    fn any_sidecar_round_trips_on_disk(sidecar in support::any_sidecar(4)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let story = dir.path().join("story.txt");
        let (mut file, existing) = SidecarFile::open(&story).expect("open");
        prop_assert!(existing.is_none());

        let mut ours = sidecar.clone();
        let first = file.save(&mut ours).expect("save");
        prop_assert!(first.wrote);
        prop_assert!(first.merged.is_none());
        prop_assert_eq!(&ours, &sidecar);

        let bytes = fs::read(file.path()).expect("read back");
        prop_assert_eq!(&bytes, &sidecar.to_ron().expect("encode").into_bytes());
        let (loaded, _) = store::load(file.path()).expect("load").expect("exists");
        prop_assert_eq!(&loaded.sidecar, &sidecar);

        // Re-opened by a fresh process and saved unchanged: same bytes, nothing written.
        let (mut again, reloaded) = SidecarFile::open(&story).expect("re-open");
        let mut reloaded = reloaded.expect("exists").sidecar;
        let second = again.save(&mut reloaded).expect("re-save");
        prop_assert!(!second.wrote);
        prop_assert_eq!(fs::read(file.path()).expect("read again"), bytes);
    }
}

/// The committed fixture sidecars are exactly what the store writes for their content.
#[test]
fn fixture_sidecars_are_canonical_and_match_their_stories() {
    for name in ["pont_fr.txt", "zavod_ru.txt"] {
        let story = load_story(&support::fixture(name)).expect("story");
        let path = sidecar_path(&story.path);
        let on_disk = fs::read_to_string(&path).expect("sidecar");
        let (loaded, _) = store::load(&path).expect("load").expect("exists");
        assert_eq!(loaded.sidecar.to_ron().expect("encode"), on_disk, "{name}");
        assert_eq!(loaded.sidecar.text_sha256, story.text.sha256(), "{name}");
        assert_eq!(loaded.sidecar.text_chars, story.text.len_chars(), "{name}");
        for a in &loaded.sidecar.annotations {
            assert!(a.anchor.holds_in(&story.text), "{name}: {}", a.id);
        }
    }
}

fn one_annotation_sidecar(story: &Path) -> Sidecar {
    let story = load_story(story).expect("story");
    let mut s = Sidecar::new(
        &story.file_name(),
        story.text.sha256(),
        story.text.len_chars(),
        story.encoding,
    );
    let mut a = Annotation::new(
        Anchor::from_span(&story.text, Span::new(3, 7)),
        "Claim",
        "tester",
    );
    a.id = AnnotationId("01JTESTANNOTATION000000001".into());
    s.annotations.insert(a);
    s
}

#[test]
fn garbage_and_truncated_sidecars_report_line_and_column_and_are_kept() {
    let dir = support::scratch_with(&["pont_fr.txt", "pont_fr.txt.annotations.ron"]);
    let story = dir.path().join("pont_fr.txt");
    let path = sidecar_path(&story);
    let full = fs::read_to_string(&path).expect("read");
    // Cut the file in the middle of the fourth line: a half-synced copy, say.
    let cut = full.lines().take(3).map(|l| l.len() + 1).sum::<usize>() + 10;
    for (what, bad) in [
        ("garbage", "\u{1}\u{2}PK this is not RON at all".to_owned()),
        ("truncated", full[..cut].to_owned()),
    ] {
        fs::write(&path, &bad).expect("write bad");
        let err = SidecarFile::open(&story).expect_err(what);
        match &err {
            StoreError::Parse { line, column, .. } => {
                assert!(*line >= 1 && *column >= 1, "{what}: {err}");
                let msg = err.to_string();
                assert!(msg.contains("pont_fr.txt.annotations.ron"), "{msg}");
                assert!(
                    msg.contains(&format!("line {line}, column {column}")),
                    "{msg}"
                );
            }
            other => panic!("{what}: unexpected {other:?}"),
        }
        assert!(err.is_unreadable_file());
        assert_eq!(fs::read_to_string(&path).expect("read"), bad, "{what}");
    }
    // The truncated file fails on the line where it was cut.
    fs::write(&path, &full[..cut]).expect("write");
    match SidecarFile::open(&story) {
        Err(StoreError::Parse { line, .. }) => assert_eq!(line, 4),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn save_refuses_to_overwrite_a_sidecar_that_became_unreadable() {
    let dir = support::scratch_with(&["pont_fr.txt", "pont_fr.txt.annotations.ron"]);
    let story = dir.path().join("pont_fr.txt");
    let (mut file, loaded) = SidecarFile::open(&story).expect("open");
    let mut ours = loaded.expect("exists").sidecar;
    fs::write(file.path(), "(format: \"factmark\", version: 1, story: ").expect("break it");
    let before = ours.clone();
    let err = file.save(&mut ours).expect_err("must refuse");
    assert!(matches!(err, StoreError::Parse { .. }), "{err:?}");
    assert_eq!(
        fs::read_to_string(file.path()).expect("read"),
        "(format: \"factmark\", version: 1, story: "
    );
    assert_eq!(ours, before, "the edits in memory are untouched");
}

#[test]
fn newer_version_sidecar_is_read_only_with_a_message() {
    let dir = support::scratch_with(&["pont_fr.txt", "pont_fr.txt.annotations.ron"]);
    let story = dir.path().join("pont_fr.txt");
    let path = sidecar_path(&story);
    let text = fs::read_to_string(&path)
        .expect("read")
        .replacen("version: 1,", "version: 7,", 1);
    fs::write(&path, &text).expect("write");
    let err = SidecarFile::open(&story).expect_err("newer");
    assert!(matches!(err, StoreError::NewerVersion { version: 7, .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("newer factmark") && msg.contains("read-only"),
        "{msg}"
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn a_folder_in_the_way_fails_the_save_and_keeps_everything() {
    let dir = support::scratch_with(&["pont_fr.txt"]);
    let story = dir.path().join("pont_fr.txt");
    let (mut file, _) = SidecarFile::open(&story).expect("open");
    fs::create_dir(file.path()).expect("a folder where the sidecar goes");
    let mut ours = one_annotation_sidecar(&story);
    let before = ours.clone();
    let err = file.save(&mut ours).expect_err("cannot save over a folder");
    assert!(
        err.to_string().contains("pont_fr.txt.annotations.ron"),
        "{err}"
    );
    assert_eq!(ours, before);
    assert!(file.path().is_dir(), "the folder is left alone");
}

#[test]
fn a_failed_write_keeps_the_old_sidecar_and_the_edits_in_memory() {
    let dir = support::scratch_with(&["pont_fr.txt", "pont_fr.txt.annotations.ron"]);
    let story = dir.path().join("pont_fr.txt");
    let (mut file, loaded) = SidecarFile::open(&story).expect("open");
    let old_bytes = fs::read(file.path()).expect("old");
    let mut ours = loaded.expect("exists").sidecar;
    let mut edited = ours.annotations.iter().next().expect("one").clone();
    edited.rationale = "Edited before the disk failed.".into();
    ours.annotations.replace(edited);
    let before = ours.clone();

    // Make every write into the folder fail, whatever the user (tests run as root, who
    // ignores permission bits): the backup file's name is taken by a non-empty folder, so
    // the first step of the save cannot complete.
    let bak = backup_path(file.path());
    fs::create_dir(&bak).expect("folder in the way");
    fs::write(bak.join("keep"), "x").expect("fill it");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).expect("chmod");
    }
    let result = file.save(&mut ours);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let err = result.expect_err("the save must fail");
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with("could not save "), "{msg}");
    assert!(
        msg.contains("the previous sidecar is unchanged and your edits are kept"),
        "{msg}"
    );
    assert_eq!(fs::read(file.path()).expect("still there"), old_bytes);
    assert_eq!(ours, before, "the edits stay in memory");

    // Once the obstacle is gone the same save succeeds and keeps the old file as backup.
    fs::remove_dir_all(&bak).expect("clear");
    let outcome = file.save(&mut ours).expect("save now");
    assert!(outcome.wrote);
    assert_eq!(fs::read(&bak).expect("backup"), old_bytes);
    let (back, _) = store::load(file.path()).expect("load").expect("exists");
    assert_eq!(back.sidecar, before);
}

#[test]
fn a_sidecar_whose_parent_is_a_file_cannot_be_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_a_folder = dir.path().join("plain-file");
    fs::create_dir(&not_a_folder).expect("mkdir");
    let story = not_a_folder.join("story.txt");
    let (mut file, existing) = SidecarFile::open(&story).expect("nothing there yet");
    assert!(existing.is_none());
    // The story's folder is replaced by a plain file while the story is open.
    fs::remove_dir(&not_a_folder).expect("rmdir");
    fs::write(&not_a_folder, "I am a file").expect("write");
    let mut s = Sidecar::new("story.txt", "0", 1, "UTF-8");
    let before = s.clone();
    let err = file.save(&mut s).expect_err("parent is a file");
    // Regression: this used to be reported as "could not read", which hid what failed.
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    assert!(err.to_string().starts_with("could not save "), "{err}");
    assert_eq!(s, before);
    assert_eq!(
        fs::read_to_string(&not_a_folder).expect("read"),
        "I am a file"
    );
}

#[test]
fn outside_change_is_merged_by_id_on_save() {
    let dir = support::scratch_with(&["zavod_ru.txt", "zavod_ru.txt.annotations.ron"]);
    let story = dir.path().join("zavod_ru.txt");
    let (mut file, loaded) = SidecarFile::open(&story).expect("open");
    let mut ours = loaded.expect("exists").sidecar;
    let text = load_story(&story).expect("story").text;

    // Another copy of factmark (or a git pull) adds a note and saves.
    let (mut other_file, other) = SidecarFile::open(&story).expect("open twice");
    let mut theirs = other.expect("exists").sidecar;
    let mut note = Annotation::new(Anchor::from_span(&text, Span::new(0, 5)), "Note", "коллега");
    note.id = AnnotationId("01JOUTSIDENOTE000000000001".into());
    theirs.annotations.insert(note.clone());
    other_file.save(&mut theirs).expect("their save");

    // We change a verdict without knowing; our save must keep their note.
    let id = AnnotationId("01JFIXTURERU000000000CLM1".into());
    let mut claim = ours.annotations.get(&id).expect("claim").clone();
    claim.verdict = Some("False".into());
    ours.annotations.replace(claim);
    let outcome = file.save(&mut ours).expect("our save");
    assert!(outcome.merged.is_some());
    let (back, _) = store::load(file.path()).expect("load").expect("exists");
    assert_eq!(back.sidecar.annotations.get(&note.id), Some(&note));
    assert_eq!(
        back.sidecar
            .annotations
            .get(&id)
            .and_then(|a| a.verdict.as_deref()),
        Some("False")
    );
    assert_eq!(back.sidecar, ours, "the caller holds what was written");
}
