//! The claim-memory commands (SPEC 12) applied to the window's state: which folders the
//! memory covers, asking "Checked before" for the selected claim, opening a search hit at
//! its place, copying a verdict from a match, linking two claims as the same one (on both
//! sidecars, and again on undo / redo), and the claim libraries list.
//!
//! Like [`crate::app::dispatch`], plain functions on state. Links into another story's
//! sidecar are written by the I/O worker through [`crate::memory::links::write_link`]
//! (lock, merge, atomic write); a library's sidecars are never written.

use std::path::{Path, PathBuf};

use crate::anchor::Span;
use crate::app::command::View;
use crate::app::dispatch::FactmarkApp;
use crate::app::io::{Done, Pending, PickRequest};
use crate::app::memory::GroupRating;
use crate::history::Edit;
use crate::memory::links::{
    VerdictChange, relative, resolve, same_story, write_link, write_verdicts,
};
use crate::memory::{Place, Root};
use crate::model::{AnnotationId, Link, LinkKind, Source};

impl FactmarkApp {
    /// The folders claim memory covers: the open folder (or the open story's folder), then
    /// the claim libraries.
    ///
    /// A story opened straight from the home folder or a file system's root is covered
    /// alone: its folder is not taken as a folder of stories (indexing a whole home folder,
    /// every subfolder included, is not what opening one file asks for).
    pub fn memory_roots(&self) -> Vec<Root> {
        let mut roots = Vec::new();
        let main = match &self.workspace {
            Some(ws) => Some(ws.state.root.clone()),
            None => self.doc().map(|d| {
                let story = std::path::absolute(d.path()).unwrap_or_else(|_| d.path().to_owned());
                match story.parent() {
                    Some(folder) if !too_wide(folder) => folder.to_owned(),
                    _ => story,
                }
            }),
        };
        if let Some(p) = main {
            roots.push(Root::folder(p));
        }
        for lib in &self.settings.libraries {
            if !roots.iter().any(|r| &r.path == lib) {
                roots.push(Root::library(lib.clone()));
            }
        }
        roots
    }

    /// Once a frame: the memory follows the open folder and libraries, "Checked before"
    /// follows the selected claim, and the search follows its query.
    pub(super) fn sync_memory(&mut self) {
        let roots = self.memory_roots();
        self.memory.use_roots(roots);
        if self.memory.search.open && self.memory.search.query.trim() != self.memory.search.asked {
            self.memory.ask_search();
        }
        let answers = self.memory.take_similar();
        if let Some(s) = &mut self.session {
            for a in answers {
                s.checked_before.answered(a);
            }
            if s.checked_before.indexing != self.memory.indexing {
                s.checked_before.indexing = self.memory.indexing.clone();
            }
            match s.selected_annotation().filter(|a| a.is_claim()) {
                Some(a) => {
                    let text = crate::memory::index::claim_text(&a.statement, &a.anchor.quote);
                    let id = a.id.clone();
                    let own = s.doc.path().to_owned();
                    self.memory
                        .ask_similar(&mut s.checked_before, s.serial, id, text, &own);
                }
                None => {
                    if s.checked_before.asked.is_some() {
                        s.checked_before = Default::default();
                    }
                }
            }
        }
    }

    /// A search hit waiting for its story: selected and scrolled to once the story is open
    /// and the reader has drawn it (the reader drops a selection made before it first saw
    /// the text). Called after the panels drew; true when it was shown (draw again).
    pub(super) fn show_pending_span(&mut self) -> bool {
        if let Some((path, span)) = self.pending_span.clone()
            && let Some(s) = &mut self.session
            && same_story(s.doc.path(), &path)
        {
            self.pending_span = None;
            s.selected = None;
            s.reader.set_selection(Some(span));
            s.scroll_to = Some(span.start);
            return true;
        }
        false
    }

    /// A result of the I/O worker that changed stories or sidecars on disk: the index is
    /// brought up to date (it re-reads only what changed).
    pub(super) fn memory_notice(&mut self, done: &Done) {
        let changed = match done {
            Done::Folder { .. } | Done::SidecarChanged { .. } => true,
            Done::Saved { done, .. } => done.succeeded(),
            _ => false,
        };
        if changed {
            self.memory.refresh();
        }
    }

    pub(super) fn search_workspace(&mut self) {
        if self.memory.roots.is_empty() {
            self.info("Open a story or a folder first: search looks through its folder.");
            return;
        }
        self.memory.search.open = true;
        self.memory.search.focus = true;
    }

    /// Opens the story of search hit `n`, scrolled to the match and selecting it (a hit in
    /// an annotation's fields selects that annotation).
    pub(super) fn open_search_hit(&mut self, n: usize) {
        let Some(hit) = self.memory.search.hits.get(n).cloned() else {
            return;
        };
        self.memory.search.open = false;
        self.view = View::Story;
        let open = self.doc().is_some_and(|d| same_story(d.path(), &hit.path));
        match hit.place {
            Place::Text { start, end } => {
                self.pending_span = Some((hit.path.clone(), Span::new(start, end)));
                if open {
                    self.show_pending_span();
                } else {
                    self.open_story(hit.path);
                }
            }
            Place::Field { id, .. } => {
                let id = AnnotationId(id);
                if open {
                    self.with_session(|s| s.select(id));
                } else {
                    self.pending_select = Some(id);
                    self.open_story(hit.path);
                }
            }
        }
    }

    /// Copies match `n`'s verdict, rationale and sources onto the selected claim, with a
    /// `VerdictFrom` link to it: one undoable step.
    pub(super) fn use_verdict_from(&mut self, n: usize) {
        let Some(s) = &self.session else { return };
        let (Some(mut a), Some(m)) = (
            s.selected_annotation().cloned(),
            s.checked_before.matches.get(n).cloned(),
        ) else {
            return;
        };
        let Some(from) = m.annotation else {
            self.error(format!(
                "The claim in {} could not be read from its sidecar; nothing was copied.",
                m.claim.story
            ));
            return;
        };
        a.verdict = from.verdict.clone();
        a.rationale = from.rationale.clone();
        // A highlight source names a highlight of the other story: it means nothing here.
        for source in &from.sources {
            if matches!(source, Source::External { .. }) && !a.sources.contains(source) {
                a.sources.push(source.clone());
            }
        }
        let link = Link {
            kind: LinkKind::VerdictFrom,
            story: relative(s.doc.path(), &m.claim.path),
            id: AnnotationId(m.claim.id.clone()),
        };
        if !a.links.contains(&link) {
            a.links.push(link);
        }
        let msg = format!(
            "Used the verdict ({}) and sources of the claim in {} (Ctrl+Z undoes).",
            from.verdict.as_deref().unwrap_or("none"),
            m.claim.story
        );
        self.edit(|doc| {
            doc.update("Use verdict and sources", a, false)
                .map(|()| Some(msg))
        });
    }

    /// Links the selected claim and match `n` as the same claim: a `SameClaim` link on
    /// both annotations (the other one's sidecar written by the worker, unless it is in a
    /// claim library). One undoable step; undo removes both links.
    pub(super) fn link_same_claim(&mut self, n: usize) {
        let Some(s) = &self.session else { return };
        let (Some(mut a), Some(m)) = (
            s.selected_annotation().cloned(),
            s.checked_before.matches.get(n).cloned(),
        ) else {
            return;
        };
        let here = s.doc.path().to_owned();
        let other_id = AnnotationId(m.claim.id.clone());
        let link = Link {
            kind: LinkKind::SameClaim,
            story: relative(&here, &m.claim.path),
            id: other_id.clone(),
        };
        if a.links.contains(&link) {
            self.info("These two claims are already linked as the same claim.");
            return;
        }
        a.links.push(link);
        a.modified = crate::model::now();
        let mut edits = vec![Edit::Replace(a.clone())];
        if same_story(&here, &m.claim.path) {
            // Both in this story: one step changes both.
            if let Some(mut b) = s.doc.get(&other_id).cloned() {
                b.links.push(Link {
                    kind: LinkKind::SameClaim,
                    story: String::new(),
                    id: a.id.clone(),
                });
                b.modified = a.modified;
                edits.push(Edit::Replace(b));
            }
        }
        let before = self.link_snapshot();
        let library = m.claim.library;
        let story = m.claim.story.clone();
        self.edit(|doc| {
            doc.apply("Link as the same claim", Edit::Batch(edits), false)
                .map(|()| None)
        });
        self.mirror_links(before);
        if library {
            self.info(format!(
                "Linked to the claim in {story}. It is in a claim library, which is never \
                 written: the link is kept on this claim only."
            ));
        } else {
            self.info(format!(
                "Linked as the same claim as the one in {story} (Ctrl+Z undoes)."
            ));
        }
    }

    /// The open story's `SameClaim` links to other stories: (annotation, link).
    pub(super) fn link_snapshot(&self) -> Vec<(AnnotationId, Link)> {
        let Some(doc) = self.doc() else {
            return Vec::new();
        };
        doc.annotations()
            .iter()
            .flat_map(|a| {
                a.links
                    .iter()
                    .filter(|l| l.kind == LinkKind::SameClaim && !l.story.is_empty())
                    .map(|l| (a.id.clone(), l.clone()))
            })
            .collect()
    }

    /// Writes to the other stories' sidecars the back links that changed since `before`
    /// (a link made, or undone / redone), so both ends of a same-claim link agree. Claim
    /// libraries are never written.
    pub(super) fn mirror_links(&mut self, before: Vec<(AnnotationId, Link)>) {
        let after = self.link_snapshot();
        let Some(here) = self.doc().map(|d| d.path().to_owned()) else {
            return;
        };
        let libraries: Vec<PathBuf> = self.settings.libraries.clone();
        let mut writes = Vec::new();
        for (add, list, other) in [(true, &after, &before), (false, &before, &after)] {
            for (id, link) in list.iter().filter(|x| !other.contains(x)) {
                let story = resolve(&here, link);
                if libraries.iter().any(|l| in_folder(&story, l)) {
                    continue;
                }
                let back = Link {
                    kind: LinkKind::SameClaim,
                    story: relative(&story, &here),
                    id: id.clone(),
                };
                writes.push((story, link.id.clone(), back, add));
            }
        }
        if writes.is_empty() {
            return;
        }
        self.io.task(move || {
            let mut problems = Vec::new();
            for (story, id, back, add) in &writes {
                if let Err(e) = write_link(story, id, back, *add) {
                    problems.push(format!("{}: {e}", story.display()));
                }
            }
            match problems.is_empty() {
                true => Done::Message {
                    error: false,
                    text: format!(
                        "{} the link on the other claim's sidecar too.",
                        if writes.iter().all(|w| w.3) {
                            "Wrote"
                        } else {
                            "Updated"
                        }
                    ),
                },
                false => Done::Message {
                    error: true,
                    text: format!(
                        "The link could not be written on the other side: {}",
                        problems.join("; ")
                    ),
                },
            }
        });
    }

    pub(super) fn add_library(&mut self) {
        let start_dir = self.settings.libraries.last().cloned();
        self.io
            .pick(PickRequest::Folder { start_dir }, Pending::AddLibrary);
    }

    /// A folder was picked as a claim library.
    pub fn library_picked(&mut self, path: &Path) {
        if self.settings.add_library(path) {
            self.info(format!(
                "Added the claim library {} (read-only; indexing it now).",
                path.display()
            ));
        } else {
            self.info(format!("{} is already a claim library.", path.display()));
        }
    }

    pub(super) fn remove_library(&mut self, n: usize) {
        if n < self.settings.libraries.len() {
            let gone = self.settings.libraries.remove(n);
            self.info(format!(
                "{} is no longer a claim library (its files are untouched).",
                gone.display()
            ));
        }
    }
}

/// The undo step's name for a group rating in the open story.
const RATE_GROUP: &str = "Rate the same claim";

impl FactmarkApp {
    /// Gives every claim of same-claim group `group` `verdict`: one undoable step in the
    /// open story (its history), one write per other story (lock, merge, atomic write),
    /// undone by Ctrl+Z in the claims table.
    pub(super) fn rate_group(&mut self, group: usize, verdict: Option<String>) {
        let open = self.doc().map(|d| d.path().to_owned());
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let Some(rows) = ws.state.groups().groups.get(group).cloned() else {
            return;
        };
        let Some(w) = ws.state.workspace.as_ref() else {
            return;
        };
        let mut per_story: Vec<(PathBuf, Vec<VerdictChange>)> = Vec::new();
        for row in &rows {
            let (Some(story), Some(a)) = (w.stories.get(row.story), w.annotation(*row)) else {
                continue;
            };
            let change = VerdictChange {
                id: a.id.clone(),
                from: a.verdict.clone(),
                to: verdict.clone(),
            };
            match per_story.iter_mut().find(|(p, _)| p == &story.path) {
                Some((_, v)) => v.push(change),
                None => per_story.push((story.path.clone(), vec![change])),
            }
        }
        let mut rating = GroupRating {
            written: Vec::new(),
            open_story_step: None,
        };
        let mut stories = 0;
        for (path, changes) in per_story {
            stories += 1;
            if open.as_ref().is_some_and(|o| same_story(o, &path)) {
                let Some(doc) = self.session.as_ref().map(|s| &s.doc) else {
                    continue;
                };
                let now = crate::model::now();
                let edits: Vec<Edit> = changes
                    .iter()
                    .filter_map(|c| doc.get(&c.id).cloned())
                    .filter(|a| a.verdict != verdict)
                    .map(|mut a| {
                        a.verdict = verdict.clone();
                        a.modified = now;
                        Edit::Replace(a)
                    })
                    .collect();
                if !edits.is_empty() {
                    self.edit(|doc| {
                        doc.apply(RATE_GROUP, Edit::Batch(edits), false)
                            .map(|()| None)
                    });
                    rating.open_story_step = Some(path);
                }
            } else {
                rating.written.push((path, changes));
            }
        }
        self.write_verdict_changes(rating.written.clone());
        self.group_undo.push(rating);
        self.info(format!(
            "Rated the same claim {} in {} (Ctrl+Z in the claims table undoes).",
            verdict.as_deref().unwrap_or("(no verdict)"),
            crate::ui::workspace_view::stories(stories)
        ));
    }

    /// Undoes the last group rating: the open story's step (when it is still the last one)
    /// and each other story's verdicts, where nobody changed them since. True when there
    /// was one to undo.
    pub(super) fn undo_group_rating(&mut self) -> bool {
        let Some(rating) = self.group_undo.pop() else {
            return false;
        };
        if let Some(path) = &rating.open_story_step
            && let Some(s) = &mut self.session
            && same_story(s.doc.path(), path)
            && s.doc.history().undo_label() == Some(RATE_GROUP)
        {
            s.doc.undo();
            s.edited();
        }
        let back: Vec<(PathBuf, Vec<VerdictChange>)> = rating
            .written
            .into_iter()
            .map(|(p, changes)| {
                let back = changes
                    .into_iter()
                    .map(|c| VerdictChange {
                        id: c.id,
                        from: c.to,
                        to: c.from,
                    })
                    .collect();
                (p, back)
            })
            .collect();
        self.write_verdict_changes(back);
        self.info("Undid the rating of the same claim.");
        true
    }

    fn write_verdict_changes(&mut self, writes: Vec<(PathBuf, Vec<VerdictChange>)>) {
        if writes.is_empty() {
            return;
        }
        self.io.task(move || {
            let mut problems = Vec::new();
            for (story, changes) in &writes {
                if let Err(e) = write_verdicts(story, changes) {
                    problems.push(format!("{}: {e}", story.display()));
                }
            }
            Done::Message {
                error: !problems.is_empty(),
                text: if problems.is_empty() {
                    format!(
                        "Wrote the verdicts in {}.",
                        crate::ui::workspace_view::stories(writes.len())
                    )
                } else {
                    format!("Some verdicts were not written: {}", problems.join("; "))
                },
            }
        });
    }
}

/// The home folder or a root: not a folder of stories to index whole.
fn too_wide(folder: &Path) -> bool {
    folder.parent().is_none()
        || directories::BaseDirs::new().is_some_and(|d| d.home_dir() == folder)
}

fn in_folder(path: &Path, folder: &Path) -> bool {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
    path.starts_with(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_story_in_home_or_root_is_not_a_folder_to_index() {
        assert!(too_wide(Path::new("/")));
        if let Some(d) = directories::BaseDirs::new() {
            assert!(too_wide(d.home_dir()));
            assert!(!too_wide(&d.home_dir().join("stories")));
        }
        assert!(!too_wide(Path::new("/srv/desk/2024")));
    }
}
