//! File modes (SPEC 10): new files follow the umask, replaced files keep their mode.
//!
//! Its own test binary because the umask is process-wide: the one test sets it, runs every
//! writer (sidecar, `.bak`, `factmark.ron`, an export, a plain atomic write such as the
//! merge driver's) and checks the modes, for umask 022 and 002 in turn.
#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use factmark::anchor::{Anchor, Span};
use factmark::model::Annotation;
use factmark::settings::FolderSettings;
use factmark::store::{self, Sidecar, SidecarFile, backup_path};
use factmark::text::StoryText;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

fn save_twice(story: &Path) {
    let text = StoryText::new(std::fs::read_to_string(story).expect("story"));
    let (mut file, _) = SidecarFile::open(story).expect("open");
    let mut sidecar = Sidecar::new("story.txt", text.sha256(), text.len_chars(), "UTF-8");
    sidecar.annotations.insert(Annotation::new(
        Anchor::from_span(&text, Span::new(0, 3)),
        "Claim",
        "ana",
    ));
    file.save(&mut sidecar).expect("first save");
    sidecar.annotations.insert(Annotation::new(
        Anchor::from_span(&text, Span::new(4, 9)),
        "Note",
        "ana",
    ));
    file.save(&mut sidecar).expect("second save");
}

/// The files every writer makes in a fresh folder under `umask`; all must be `want`.
fn check_new_files(umask: u32, want: u32) {
    // SAFETY: umask only sets the process's file mode mask; this binary has one test.
    unsafe { libc::umask(umask as libc::mode_t) };
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "The mayor said so.").expect("story");
    save_twice(&story);
    let sidecar = store::sidecar_path(&story);
    let settings = FolderSettings::default()
        .save(dir.path())
        .expect("settings");
    let export = dir.path().join("claims.csv");
    factmark::export::write_file(&export, b"a,b\n").expect("export");
    let plain = dir.path().join("merged.ron");
    store::write_atomic(&plain, b"x", false).expect("plain");
    for path in [&sidecar, &backup_path(&sidecar), &settings, &export, &plain] {
        assert_eq!(
            mode(path),
            want,
            "{} under umask {umask:03o}",
            path.display()
        );
    }
}

#[test]
fn modes_follow_the_umask_and_replacements_keep_theirs() {
    check_new_files(0o022, 0o644);
    check_new_files(0o002, 0o664);

    // A shared 0640 sidecar, and a 0600 settings file someone made private, stay so when
    // saved again, whatever the umask says.
    unsafe { libc::umask(0o022) };
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "The mayor said so.").expect("story");
    save_twice(&story);
    let sidecar = store::sidecar_path(&story);
    std::fs::set_permissions(&sidecar, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let gid = std::fs::metadata(&sidecar).expect("meta").gid();
    save_twice(&story);
    assert_eq!(mode(&sidecar), 0o640);
    assert_eq!(
        mode(&backup_path(&sidecar)),
        0o640,
        "the .bak is the old file"
    );
    assert_eq!(std::fs::metadata(&sidecar).expect("meta").gid(), gid);

    let settings = FolderSettings::default()
        .save(dir.path())
        .expect("settings");
    std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let changed = FolderSettings {
        labels: Some(Vec::new()),
        ..Default::default()
    };
    changed.save(dir.path()).expect("settings again");
    assert_eq!(mode(&settings), 0o600);

    let plain = dir.path().join("export.json");
    store::write_atomic(&plain, b"1", false).expect("write");
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o604)).expect("chmod");
    store::write_atomic(&plain, b"2", false).expect("replace");
    assert_eq!(mode(&plain), 0o604);
}
