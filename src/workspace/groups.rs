//! Same-claim groups of the claims table (SPEC 12): claims of the folder joined by
//! `SameClaim` links ([`crate::model::Link`]), possibly across stories, so a reviewer sees
//! one claim repeated in several stories and can rate it once for all of them.
//!
//! Links are followed both ways and transitively (a linked to b, b to c: one group of
//! three), so a link written on one side only (a claim library is never written) still
//! groups. Links to stories outside the folder are left out. It must not read files.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{RowId, Workspace};
use crate::memory::links::resolve;
use crate::model::LinkKind;

/// The groups of a workspace, each of at least two rows, in reading order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SameClaimGroups {
    pub groups: Vec<Vec<RowId>>,
    group_of: HashMap<RowId, usize>,
}

impl SameClaimGroups {
    pub fn of(ws: &Workspace) -> Self {
        let by_path: HashMap<&PathBuf, usize> = ws
            .stories
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.path, i))
            .collect();
        let mut rows: Vec<RowId> = Vec::new();
        let mut index: HashMap<RowId, usize> = HashMap::new();
        let mut parent: Vec<usize> = Vec::new();
        let mut node = |row: RowId, rows: &mut Vec<RowId>, parent: &mut Vec<usize>| {
            *index.entry(row).or_insert_with(|| {
                rows.push(row);
                parent.push(parent.len());
                parent.len() - 1
            })
        };
        for (si, story) in ws.stories.iter().enumerate() {
            for (ai, a) in story.annotations.iter().enumerate() {
                for link in a.links.iter().filter(|l| l.kind == LinkKind::SameClaim) {
                    let target = resolve(&story.path, link);
                    let Some(&ti) = by_path.get(&target) else {
                        continue;
                    };
                    let Some(tj) = ws.stories[ti].annotations.position(&link.id) else {
                        continue;
                    };
                    let a = node(
                        RowId {
                            story: si,
                            annotation: ai,
                        },
                        &mut rows,
                        &mut parent,
                    );
                    let b = node(
                        RowId {
                            story: ti,
                            annotation: tj,
                        },
                        &mut rows,
                        &mut parent,
                    );
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    if ra != rb {
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                }
            }
        }
        let mut by_root: HashMap<usize, Vec<RowId>> = HashMap::new();
        for (n, row) in rows.iter().enumerate() {
            let r = find(&mut parent, n);
            by_root.entry(r).or_default().push(*row);
        }
        let mut groups: Vec<Vec<RowId>> = by_root
            .into_values()
            .filter(|g| g.len() > 1)
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        groups.sort();
        let group_of = groups
            .iter()
            .enumerate()
            .flat_map(|(gi, g)| g.iter().map(move |r| (*r, gi)))
            .collect();
        Self { groups, group_of }
    }

    /// The group `row` belongs to, if any.
    pub fn group(&self, row: RowId) -> Option<(usize, &[RowId])> {
        let gi = *self.group_of.get(&row)?;
        Some((gi, &self.groups[gi]))
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

fn find(parent: &mut [usize], mut n: usize) -> usize {
    while parent[n] != n {
        parent[n] = parent[parent[n]];
        n = parent[n];
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::{Anchor, Span};
    use crate::model::{Annotation, AnnotationId, Link};
    use crate::store::{Sidecar, sidecar_path};
    use crate::text::StoryText;

    /// Writes `file` with one claim per entry of `links` (each linking to (file, index)).
    fn story(dir: &std::path::Path, file: &str, ids: &[&str], links: &[Vec<(&str, &str)>]) {
        let text = StoryText::new("One claim. Two claim. Three claim.".to_owned());
        let path = dir.join(file);
        std::fs::write(&path, text.as_str()).expect("story");
        let mut sidecar = Sidecar::new(file, text.sha256(), text.len_chars(), "UTF-8");
        for (n, id) in ids.iter().enumerate() {
            let span = Span::new(n * 11, n * 11 + 9);
            let mut a = Annotation::new(Anchor::from_span(&text, span), "Claim", "ana");
            a.id = AnnotationId((*id).to_owned());
            for (to_file, to_id) in &links[n] {
                a.links.push(Link {
                    kind: LinkKind::SameClaim,
                    story: (*to_file).to_owned(),
                    id: AnnotationId((*to_id).to_owned()),
                });
            }
            sidecar.annotations.insert(a);
        }
        std::fs::write(sidecar_path(&path), sidecar.to_ron().expect("ron")).expect("sidecar");
    }

    #[test]
    fn links_group_transitively_one_way_or_both_and_skip_outsiders() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("sub")).expect("sub");
        story(
            dir.path(),
            "a.txt",
            &["a1", "a2"],
            &[vec![("sub/b.txt", "b1")], vec![("../elsewhere.txt", "x")]],
        );
        story(dir.path(), "sub/b.txt", &["b1"], &[vec![]]);
        story(
            dir.path(),
            "c.txt",
            &["c1", "c2"],
            &[vec![("sub/b.txt", "b1")], vec![]],
        );
        let ws = Workspace::open(dir.path()).expect("scan");
        let groups = SameClaimGroups::of(&ws);
        assert_eq!(groups.groups.len(), 1, "{groups:?}");
        let ids: Vec<&str> = groups.groups[0]
            .iter()
            .map(|r| ws.annotation(*r).expect("row").id.as_str())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ["a1", "b1", "c1"]);
        let a2 = ws
            .stories
            .iter()
            .position(|s| s.name == "a.txt")
            .expect("a");
        assert!(
            groups
                .group(RowId {
                    story: a2,
                    annotation: 1
                })
                .is_none()
        );
    }
}
