//! Typed links between annotations across stories ([`Link`], SPEC 12): how a link names
//! the other story (a path relative to the linking story's folder), and writing a link into
//! another story's sidecar.
//!
//! A link's `story` is relative so a folder moved or shared (git, a network drive) keeps
//! its links. Writing goes through [`SidecarFile`] (lock, merge with what is on disk,
//! atomic write), never a raw write, so an edit someone else made meanwhile is kept.
//! It must not depend on any UI crate.

use std::path::{Component, Path, PathBuf};

use crate::model::{AnnotationId, Link};
use crate::store::{SidecarFile, StoreError};

/// The name `to` has in a link made by an annotation of `from` (both story paths):
/// relative to `from`'s folder, `/`-separated, empty when both are the same story.
pub fn relative(from: &Path, to: &Path) -> String {
    let from = normal(from);
    let to = normal(to);
    if from == to {
        return String::new();
    }
    let base: Vec<Component<'_>> = from
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let target: Vec<Component<'_>> = to.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..base.len() {
        parts.push("..".to_owned());
    }
    for c in &target[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// The story a link of an annotation of `from` points to.
pub fn resolve(from: &Path, link: &Link) -> PathBuf {
    if link.story.is_empty() {
        return from.to_owned();
    }
    let mut out = from.parent().map(Path::to_owned).unwrap_or_default();
    for part in link.story.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out
}

/// Whether two story paths name the same file (canonical when both exist).
pub fn same_story(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => normal(a) == normal(b),
    }
}

/// Adds (`add`) or removes `link` on annotation `id` of `story`'s sidecar, under the
/// sidecar's lock, merged with what is on disk. Returns false when nothing had to change.
pub fn write_link(
    story: &Path,
    id: &AnnotationId,
    link: &Link,
    add: bool,
) -> Result<bool, LinkError> {
    let (mut file, loaded) = SidecarFile::open(story).map_err(LinkError::Store)?;
    let mut sidecar = loaded
        .ok_or_else(|| LinkError::NoSuchClaim {
            story: story.to_owned(),
            id: id.clone(),
        })?
        .sidecar;
    let Some(mut a) = sidecar.annotations.get(id).cloned() else {
        return Err(LinkError::NoSuchClaim {
            story: story.to_owned(),
            id: id.clone(),
        });
    };
    let has = a.links.contains(link);
    if has == add {
        return Ok(false);
    }
    if add {
        a.links.push(link.clone());
    } else {
        a.links.retain(|l| l != link);
    }
    a.modified = crate::model::now();
    sidecar.annotations.replace(a);
    file.save(&mut sidecar).map_err(LinkError::Store)?;
    Ok(true)
}

/// One verdict to change on another story's annotation: from `from` (what it was when the
/// person chose) to `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictChange {
    pub id: AnnotationId,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Applies `changes` to `story`'s sidecar in one write (lock, merge, atomic write). An
/// annotation whose verdict is no longer `from` (someone changed it meanwhile) or that is
/// gone is left alone. Returns how many changed.
pub fn write_verdicts(story: &Path, changes: &[VerdictChange]) -> Result<usize, LinkError> {
    let (mut file, loaded) = SidecarFile::open(story).map_err(LinkError::Store)?;
    let Some(loaded) = loaded else {
        return Ok(0);
    };
    let mut sidecar = loaded.sidecar;
    let mut changed = 0;
    let now = crate::model::now();
    for c in changes {
        let Some(mut a) = sidecar.annotations.get(&c.id).cloned() else {
            continue;
        };
        if a.verdict != c.from || a.verdict == c.to {
            continue;
        }
        a.verdict = c.to.clone();
        a.modified = now;
        sidecar.annotations.replace(a);
        changed += 1;
    }
    if changed > 0 {
        file.save(&mut sidecar).map_err(LinkError::Store)?;
    }
    Ok(changed)
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{} has no annotation with id {id} any more", story.display())]
    NoSuchClaim { story: PathBuf, id: AnnotationId },
    #[error(transparent)]
    Store(StoreError),
}

/// `path` absolute, with `.` and `..` folded (no file-system access).
fn normal(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LinkKind;

    fn link(story: &str) -> Link {
        Link {
            kind: LinkKind::SameClaim,
            story: story.to_owned(),
            id: AnnotationId("x".into()),
        }
    }

    #[test]
    fn links_and_verdicts_are_written_through_the_store() {
        use crate::anchor::{Anchor, Span};
        use crate::model::Annotation;
        use crate::store::{Sidecar, sidecar_path};
        use crate::text::StoryText;
        let dir = tempfile::tempdir().expect("tempdir");
        let story = dir.path().join("a.txt");
        let text = StoryText::new("The bridge cost 48 million euros.".to_owned());
        std::fs::write(&story, text.as_str()).expect("story");
        let mut sidecar = Sidecar::new("a.txt", text.sha256(), text.len_chars(), "UTF-8");
        let a = Annotation::new(Anchor::from_span(&text, Span::new(4, 10)), "Claim", "ana");
        let id = a.id.clone();
        sidecar.annotations.insert(a);
        std::fs::write(sidecar_path(&story), sidecar.to_ron().expect("ron")).expect("sidecar");
        let read = || {
            crate::store::load(&sidecar_path(&story))
                .expect("parses")
                .expect("exists")
                .0
                .sidecar
                .annotations
                .as_slice()[0]
                .clone()
        };

        let l = link("b.txt");
        assert!(write_link(&story, &id, &l, true).expect("add"));
        assert!(!write_link(&story, &id, &l, true).expect("again"), "once");
        assert_eq!(read().links, vec![l.clone()]);
        assert!(write_link(&story, &id, &l, false).expect("remove"));
        assert!(read().links.is_empty());
        let missing = AnnotationId("nope".into());
        assert!(matches!(
            write_link(&story, &missing, &l, true),
            Err(LinkError::NoSuchClaim { .. })
        ));

        let change = |from: Option<&str>, to: Option<&str>| VerdictChange {
            id: id.clone(),
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
        };
        assert_eq!(
            write_verdicts(&story, &[change(None, Some("False"))]).expect("w"),
            1
        );
        assert_eq!(read().verdict.as_deref(), Some("False"));
        // Someone changed it since: left alone.
        assert_eq!(
            write_verdicts(&story, &[change(Some("True"), None)]).expect("w"),
            0
        );
        assert_eq!(read().verdict.as_deref(), Some("False"));
    }

    #[test]
    fn relative_names_round_trip() {
        let cases = [
            ("/w/a.txt", "/w/b.txt", "b.txt"),
            ("/w/a.txt", "/w/2024/b.txt", "2024/b.txt"),
            ("/w/2024/a.txt", "/w/b.txt", "../b.txt"),
            ("/w/x/a.txt", "/archive/y/b.txt", "../../archive/y/b.txt"),
            ("/w/a.txt", "/w/a.txt", ""),
        ];
        for (from, to, name) in cases {
            assert_eq!(
                relative(Path::new(from), Path::new(to)),
                name,
                "{from} -> {to}"
            );
            assert_eq!(
                resolve(Path::new(from), &link(name)),
                PathBuf::from(to),
                "{name}"
            );
        }
    }
}
