//! Verifying stories against their sidecars: what `factmark check` reports.
//!
//! For each story: decode it, load its sidecar, and verify every anchor against the text.
//! When the text's hash differs from the one recorded in the sidecar, the anchors are
//! re-anchored in memory (never written) to report what would be kept, moved, need
//! confirming or be orphaned.
//!
//! This module must not depend on any UI crate, and never writes a file.

use std::path::{Path, PathBuf};

use crate::context::StoryContext;
use crate::model::RatingScale;
use crate::reanchor::{self, ReanchorCounts};
use crate::store::{self, StoreError};
use crate::text::{TextError, load_story};
use crate::wording::{self, WordingChange};
use crate::workspace;

/// The result of checking one story (or one sidecar without its story).
#[derive(Clone, Debug, Default)]
pub struct StoryReport {
    pub story: PathBuf,
    /// The encoding the story was decoded with, when it could be read.
    pub encoding: Option<String>,
    /// True when that encoding was detected (no BOM, not UTF-8): a guess the user may check.
    pub encoding_guessed: bool,
    pub chars: usize,
    pub annotations: usize,
    /// True when the story's text differs from the one the sidecar was anchored to.
    pub drifted: bool,
    pub counts: ReanchorCounts,
    /// Everything that needs attention, one sentence each.
    pub problems: Vec<String>,
    /// Annotations whose wording changed since they were checked (SPEC 9), with both
    /// wordings; each is also counted in `problems`.
    pub wording_changes: Vec<WordingChange>,
}

impl StoryReport {
    pub fn needs_attention(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The one line `factmark check` prints for this story.
    pub fn line(&self) -> String {
        let mut s = format!("{}: ", self.story.display());
        match &self.encoding {
            Some(enc) => s.push_str(&format!(
                "{enc}{}, {} chars, {} annotations",
                if self.encoding_guessed {
                    " (guessed)"
                } else {
                    ""
                },
                self.chars,
                self.annotations
            )),
            None => s.push_str("unreadable"),
        }
        if self.drifted {
            s.push_str(&format!("; text changed: {}", self.counts.summary()));
        } else if self.counts.moved + self.counts.orphaned + self.counts.unconfirmed > 0 {
            s.push_str(&format!("; {}", self.counts.summary()));
        }
        if self.problems.is_empty() {
            s.push_str(" - ok");
        } else {
            s.push_str(" - ");
            s.push_str(&self.problems.join("; "));
        }
        s
    }

    /// The old and the new wording of every changed annotation, for printing under
    /// [`StoryReport::line`].
    pub fn wording_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for w in &self.wording_changes {
            out.push(format!("  {} {}: wording changed", w.label, w.id));
            out.push(format!("    checked: “{}”", w.checked));
            out.push(format!("    now:     “{}”", w.current));
        }
        out
    }
}

/// Checks every story found under `paths` (stories, sidecars or folders).
pub fn check_paths(paths: &[PathBuf]) -> Vec<StoryReport> {
    let mut reports = Vec::new();
    for path in paths {
        if path.is_dir() {
            match workspace::find_stories(path) {
                Ok(stories) => reports.extend(stories.iter().map(|s| check_story(s))),
                Err(e) => reports.push(StoryReport {
                    story: path.clone(),
                    problems: vec![format!("could not list the folder: {e}")],
                    ..Default::default()
                }),
            }
        } else if let Some(story) = store::story_path_for(path) {
            reports.push(check_story(&story));
        } else {
            reports.push(check_story(path));
        }
    }
    reports
}

/// Checks one story and its sidecar.
pub fn check_story(path: &Path) -> StoryReport {
    let mut report = StoryReport {
        story: path.to_owned(),
        ..Default::default()
    };
    let sidecar_path = store::sidecar_path(path);
    let story = match load_story(path) {
        Ok(story) => story,
        Err(TextError::Read { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound && sidecar_path.exists() =>
        {
            report.problems.push(format!(
                "the story is missing but its sidecar {} exists; restore the story or move the sidecar with it",
                sidecar_path.display()
            ));
            return report;
        }
        Err(e) => {
            report.problems.push(e.to_string());
            return report;
        }
    };
    report.encoding = Some(story.encoding.to_owned());
    report.encoding_guessed = story.encoding_guessed;
    report.chars = story.text.len_chars();
    let loaded = match store::load(&sidecar_path) {
        Ok(Some((loaded, _))) => loaded,
        Ok(None) => return report,
        Err(e @ StoreError::NewerVersion { .. }) => {
            report.problems.push(e.to_string());
            return report;
        }
        Err(e) => {
            report.problems.push(e.to_string());
            return report;
        }
    };
    for (old, new) in &loaded.renamed_duplicates {
        report.problems.push(format!(
            "duplicate annotation id {old} (the copy would be renamed {new} on the next save)"
        ));
    }
    let sidecar = loaded.sidecar;
    report.annotations = sidecar.annotations.len();
    report.drifted = sidecar.text_sha256 != story.text.sha256();

    // The labels and scale in force, as the window sees them: the sidecar's override, else
    // the nearest folder settings, else the defaults.
    let (context, settings_problem) = StoryContext::for_story_lenient(path, Some(&sidecar));
    report.problems.extend(settings_problem);
    unknown_names(
        &sidecar.annotations,
        &context.labels,
        &context.scale,
        &mut report.problems,
    );

    let (updated, counts) =
        reanchor::reanchor_set(&story.text, &sidecar.annotations, report.drifted);
    report.counts = counts;
    // Changed wording found now, or already pending in the sidecar.
    report.wording_changes = wording::changes(updated.as_ref().unwrap_or(&sidecar.annotations));
    if report.drifted {
        report
            .problems
            .push("the story changed since it was annotated (hash drift)".to_owned());
    }
    if !report.drifted && report.counts.moved > 0 {
        // Same text, yet the stored positions do not hold their quotes: the sidecar was
        // edited by hand or by a broken tool. Silently "ok" would hide it.
        report.problems.push(format!(
            "{} anchor{} do not match the unchanged story (the sidecar was edited?)",
            report.counts.moved,
            if report.counts.moved == 1 { "" } else { "s" }
        ));
    }
    if report.counts.orphaned > 0 {
        report.problems.push(format!(
            "{} orphaned (quote no longer in the story: re-attach in the window)",
            report.counts.orphaned
        ));
    }
    if !report.wording_changes.is_empty() {
        let n = report.wording_changes.len();
        report.problems.push(format!(
            "{n} annotation{} stand{} on changed wording: the story no longer says what was \
             checked; confirm each in the window",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" }
        ));
    }
    if report.counts.unconfirmed > 0 {
        report.problems.push(format!(
            "{} re-anchored, need confirming",
            report.counts.unconfirmed
        ));
    }
    report
}

fn unknown_names(
    set: &crate::model::AnnotationSet,
    labels: &[crate::model::Label],
    scale: &RatingScale,
    problems: &mut Vec<String>,
) {
    let mut unknown_labels = std::collections::BTreeSet::new();
    let mut unknown_verdicts = std::collections::BTreeSet::new();
    for a in set {
        if !labels.iter().any(|l| l.name == a.label) {
            unknown_labels.insert(a.label.clone());
        }
        if let Some(v) = &a.verdict
            && scale.find(v).is_none()
        {
            unknown_verdicts.insert(v.clone());
        }
    }
    if !unknown_labels.is_empty() {
        problems.push(format!(
            "unknown label {}",
            unknown_labels.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if !unknown_verdicts.is_empty() {
        problems.push(format!(
            "verdict not on the rating scale: {}",
            unknown_verdicts.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
}
