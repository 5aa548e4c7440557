//! The claims table: one flat, pre-lowercased row per annotation of every story, queried
//! (filtered and stably sorted by any [`Column`]) with a [`Query`]. It holds no annotation,
//! only [`RowId`]s into the [`Workspace`] it was built from; it must not read files.

use std::collections::BTreeSet;

use super::Workspace;
use crate::model::{Annotation, AnnotationSet, RatingScale, Status};

/// A row of the [`ClaimTable`]: an annotation of a story, by index
/// (`workspace.stories[story].annotations.as_slice()[annotation]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowId {
    pub story: usize,
    pub annotation: usize,
}

/// The columns of the claims table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Story,
    /// The annotation's label (Claim, Source, Note...).
    Label,
    Quote,
    Statement,
    Claimant,
    Verdict,
    Status,
    Sources,
    Tags,
    Author,
    Modified,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::Story,
        Column::Label,
        Column::Quote,
        Column::Statement,
        Column::Claimant,
        Column::Verdict,
        Column::Status,
        Column::Sources,
        Column::Tags,
        Column::Author,
        Column::Modified,
    ];

    /// The column's heading.
    pub fn name(self) -> &'static str {
        match self {
            Column::Story => "Story",
            Column::Label => "Label",
            Column::Quote => "Quote",
            Column::Statement => "Statement",
            Column::Claimant => "Claimant",
            Column::Verdict => "Verdict",
            Column::Status => "Status",
            Column::Sources => "Sources",
            Column::Tags => "Tags",
            Column::Author => "Author",
            Column::Modified => "Modified",
        }
    }
}

/// What the claims table shows. Empty lists do not filter; within a list any value
/// matches (labels Claim *or* Note), across lists all must (label *and* status).
///
/// Text, labels, verdicts and tags match case-insensitively. Every word of `text` must
/// occur in the row: story name, quote, statement, claimant, verdict, label, tags, author,
/// rationale, sources (URL, title, note) or comments.
///
/// Sorting is stable (rows that tie keep reading order, story by story), and:
/// - Story sorts by the story's name; Label by label name (case-insensitive); Quote, Statement, Claimant, Tags, Author by text
///   (case-insensitive); Sources by how many; Modified by time; Status in workflow order
///   (Draft, Needs review, Approved, Disputed).
/// - Verdict sorts by the story's rating scale, best first when ascending; verdicts not on
///   the scale come after (by name), claims without a verdict last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub labels: Vec<String>,
    /// `None` matches annotations without a verdict.
    pub verdicts: Vec<Option<String>>,
    pub statuses: Vec<Status>,
    pub tags: Vec<String>,
    /// Story indexes into [`Workspace::stories`].
    pub stories: Vec<usize>,
    /// Only annotations whose wording changed under them and wait for a decision (SPEC 9).
    pub wording_changed: bool,
    /// The column and `true` for ascending.
    pub sort: (Column, bool),
}

impl Default for Query {
    fn default() -> Self {
        Self {
            text: String::new(),
            labels: Vec::new(),
            verdicts: Vec::new(),
            statuses: Vec::new(),
            tags: Vec::new(),
            stories: Vec::new(),
            wording_changed: false,
            sort: (Column::Story, true),
        }
    }
}

/// Where each sortable text lives in a row's `haystack`.
#[derive(Clone, Debug)]
pub(super) struct Row {
    /// Lower-cased searchable text of the row, fields separated by `\u{1}` so a word
    /// cannot match across two fields.
    pub(super) haystack: String,
    pub(super) quote: std::ops::Range<usize>,
    pub(super) statement: std::ops::Range<usize>,
    pub(super) claimant: std::ops::Range<usize>,
    pub(super) tags_text: std::ops::Range<usize>,
    pub(super) author: std::ops::Range<usize>,
    pub(super) label: String,
    pub(super) verdict: Option<String>,
    /// (0 on the scale / 1 off it / 2 none, minus the rating value): ascending = best first.
    pub(super) verdict_rank: (u8, i64),
    pub(super) status: Status,
    pub(super) tags: Vec<String>,
    pub(super) sources: usize,
    pub(super) modified: jiff::Timestamp,
    pub(super) wording_changed: bool,
}

impl Row {
    pub(super) fn new(a: &Annotation, scale: &RatingScale) -> Self {
        let mut haystack = String::new();
        let mut push = |text: &str| {
            let start = haystack.len();
            haystack.push_str(&text.to_lowercase());
            let end = haystack.len();
            haystack.push('\u{1}');
            start..end
        };
        let quote = push(&a.anchor.quote);
        let statement = push(&a.statement);
        let claimant = push(&a.claimant);
        let tags_text = push(&a.tags.join(", "));
        let author = push(&a.author);
        push(&a.label);
        push(a.verdict.as_deref().unwrap_or(""));
        push(&a.rationale);
        for s in &a.sources {
            match s {
                crate::model::Source::External {
                    url, title, note, ..
                } => {
                    push(url);
                    push(title);
                    push(note);
                }
                crate::model::Source::Highlight { note, .. } => {
                    push(note);
                }
            }
        }
        for c in &a.comments {
            push(&c.text);
        }
        let verdict_rank = match &a.verdict {
            None => (2, 0),
            Some(v) => match scale.find(v) {
                Some(r) => (0, -i64::from(r.value)),
                None => (1, 0),
            },
        };
        Row {
            haystack,
            quote,
            statement,
            claimant,
            tags_text,
            author,
            label: a.label.to_lowercase(),
            verdict: a.verdict.as_ref().map(|v| v.trim().to_lowercase()),
            verdict_rank,
            status: a.status,
            tags: a.tags.iter().map(|t| t.trim().to_lowercase()).collect(),
            sources: a.sources.len(),
            modified: a.modified,
            wording_changed: a.wording_changed(),
        }
    }

    pub(super) fn text(&self, range: &std::ops::Range<usize>) -> &str {
        &self.haystack[range.clone()]
    }
}

#[derive(Clone, Debug, Default)]
pub(super) struct StoryRows {
    pub(super) name: String,
    pub(super) scale: RatingScale,
    pub(super) rows: Vec<Row>,
}

impl StoryRows {
    pub(super) fn new(name: &str, scale: RatingScale, annotations: &AnnotationSet) -> Self {
        let rows = annotations.iter().map(|a| Row::new(a, &scale)).collect();
        Self {
            name: name.to_lowercase(),
            scale,
            rows,
        }
    }
}

/// Every annotation of a workspace as a flat table, ready to filter and sort quickly.
///
/// Building it lower-cases every row once; a [`Query`] then only compares. The table holds
/// no annotation: rows are [`RowId`]s into the [`Workspace`] it was built from, so after a
/// story's annotations change, call [`ClaimTable::update_story`] with the new set.
///
/// Sorting by a text column uses a cached ranking of all rows by that column (built by
/// the first query that sorts by it), so a re-sort compares integers, not strings. An
/// update drops the cached rankings; the next sort builds the one it needs again.
#[derive(Clone, Debug, Default)]
pub struct ClaimTable {
    pub(super) stories: Vec<StoryRows>,
    pub(super) rankings: [std::sync::OnceLock<Ranking>; RANKED.len()],
}

/// The columns sorted by text, whose order is cached as ranks.
pub(super) const RANKED: [Column; 5] = [
    Column::Quote,
    Column::Statement,
    Column::Claimant,
    Column::Tags,
    Column::Author,
];

/// The place of every row in one text column's order.
#[derive(Clone, Debug, Default)]
pub(super) struct Ranking {
    /// Where each story's rows start in `rank`.
    pub(super) start: Vec<usize>,
    /// Rank of each row, story by story; rows with equal text share a rank.
    pub(super) rank: Vec<u32>,
}

impl Ranking {
    pub(super) fn of(&self, id: RowId) -> u32 {
        self.rank[self.start[id.story] + id.annotation]
    }
}

impl ClaimTable {
    pub fn new(workspace: &Workspace) -> Self {
        let stories = workspace
            .stories
            .iter()
            .map(|s| StoryRows::new(&s.name, s.scale_in(&workspace.settings), &s.annotations))
            .collect();
        Self {
            stories,
            rankings: Default::default(),
        }
    }

    /// Total number of rows (before filtering).
    pub fn len(&self) -> usize {
        self.stories.iter().map(|s| s.rows.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces story `story`'s rows after its annotations were edited or reloaded, keeping
    /// its name and scale. Returns false (and changes nothing) for an unknown story: use
    /// [`ClaimTable::set_story`] for one that was added.
    pub fn update_story(&mut self, story: usize, annotations: &AnnotationSet) -> bool {
        let Some(s) = self.stories.get_mut(story) else {
            return false;
        };
        s.rows = annotations.iter().map(|a| Row::new(a, &s.scale)).collect();
        self.rankings = Default::default();
        true
    }

    /// Sets everything about one story (a new one, or a changed name or scale). A story
    /// index past the end adds empty stories up to it.
    pub fn set_story(
        &mut self,
        story: usize,
        name: &str,
        scale: RatingScale,
        annotations: &AnnotationSet,
    ) {
        if self.stories.len() <= story {
            self.stories.resize_with(story + 1, StoryRows::default);
        }
        self.stories[story] = StoryRows::new(name, scale, annotations);
        self.rankings = Default::default();
    }

    /// The rows `query` selects, in its order. Rows with nothing in the sorted column (no
    /// claimant, no verdict...) come last in either direction, in reading order, as in a
    /// spreadsheet.
    pub fn query(&self, query: &Query) -> Vec<RowId> {
        let (column, ascending) = query.sort;
        let (mut hits, blanks): (Vec<RowId>, Vec<RowId>) = self
            .filter(query)
            .into_iter()
            .partition(|&id| !self.is_blank(column, id));
        self.sort(&mut hits, column, ascending);
        hits.extend(blanks);
        hits
    }

    pub(super) fn is_blank(&self, column: Column, id: RowId) -> bool {
        match column {
            Column::Verdict => self.stories[id.story].rows[id.annotation]
                .verdict
                .as_deref()
                .is_none_or(str::is_empty),
            _ => RANKED.contains(&column) && self.key(column, id).is_empty(),
        }
    }

    pub(super) fn sort(&self, hits: &mut Vec<RowId>, column: Column, ascending: bool) {
        if let Some(slot) = RANKED.iter().position(|c| *c == column) {
            let ranking = self.ranking(slot);
            sort_rows(hits, ascending, |id| ranking.of(id));
            return;
        }
        let row = |id: RowId| &self.stories[id.story].rows[id.annotation];
        match column {
            Column::Story => {
                let mut by_name: Vec<usize> = (0..self.stories.len()).collect();
                by_name.sort_by(|&a, &b| self.stories[a].name.cmp(&self.stories[b].name));
                let mut story_rank = vec![0; self.stories.len()];
                for (rank, s) in by_name.into_iter().enumerate() {
                    story_rank[s] = rank;
                }
                sort_rows(hits, ascending, |id| story_rank[id.story]);
            }
            Column::Verdict => sort_rows(hits, ascending, |id| {
                let r = row(id);
                (r.verdict_rank, r.verdict.as_deref())
            }),
            Column::Label => sort_rows(hits, ascending, |id| row(id).label.as_str()),
            Column::Status => sort_rows(hits, ascending, |id| row(id).status),
            Column::Sources => sort_rows(hits, ascending, |id| row(id).sources),
            Column::Modified => sort_rows(hits, ascending, |id| row(id).modified),
            // Text columns were sorted by their ranking above.
            Column::Quote
            | Column::Statement
            | Column::Claimant
            | Column::Tags
            | Column::Author => {}
        }
    }

    /// The rows `query`'s filters keep, in table order (story by story, reading order).
    pub(super) fn filter(&self, query: &Query) -> Vec<RowId> {
        let words: Vec<String> = query
            .text
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let finders: Vec<memchr::memmem::Finder<'_>> = words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect();
        let lower =
            |v: &[String]| -> Vec<String> { v.iter().map(|s| s.trim().to_lowercase()).collect() };
        let labels = lower(&query.labels);
        let tags = lower(&query.tags);
        let verdicts: Vec<Option<String>> = query
            .verdicts
            .iter()
            .map(|v| v.as_ref().map(|v| v.trim().to_lowercase()))
            .collect();
        let stories: BTreeSet<usize> = query.stories.iter().copied().collect();

        let mut hits = Vec::new();
        for (si, story) in self.stories.iter().enumerate() {
            if !stories.is_empty() && !stories.contains(&si) {
                continue;
            }
            // Words found in the story's name match every row of it.
            let in_name: Vec<bool> = finders
                .iter()
                .map(|f| f.find(story.name.as_bytes()).is_some())
                .collect();
            for (ai, row) in story.rows.iter().enumerate() {
                let keep = (labels.is_empty() || labels.contains(&row.label))
                    && (verdicts.is_empty() || verdicts.contains(&row.verdict))
                    && (query.statuses.is_empty() || query.statuses.contains(&row.status))
                    && (tags.is_empty() || row.tags.iter().any(|t| tags.contains(t)))
                    && (!query.wording_changed || row.wording_changed)
                    && finders
                        .iter()
                        .zip(&in_name)
                        .all(|(f, &named)| named || f.find(row.haystack.as_bytes()).is_some());
                if keep {
                    hits.push(RowId {
                        story: si,
                        annotation: ai,
                    });
                }
            }
        }
        hits
    }

    /// The text a ranked column sorts `id` by.
    pub(super) fn key(&self, column: Column, id: RowId) -> &str {
        let row = &self.stories[id.story].rows[id.annotation];
        match column {
            Column::Quote => row.text(&row.quote),
            Column::Statement => row.text(&row.statement),
            Column::Claimant => row.text(&row.claimant),
            Column::Tags => row.text(&row.tags_text),
            Column::Author => row.text(&row.author),
            _ => "",
        }
    }

    pub(super) fn ranking(&self, slot: usize) -> &Ranking {
        self.rankings[slot].get_or_init(|| {
            let column = RANKED[slot];
            // The keys are gathered first so the sort compares strings, not lookups.
            let mut keyed: Vec<(&str, RowId)> = self
                .all_rows()
                .map(|id| (self.key(column, id), id))
                .collect();
            keyed.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut start = Vec::with_capacity(self.stories.len());
            let mut rows = 0;
            for s in &self.stories {
                start.push(rows);
                rows += s.rows.len();
            }
            let mut rank = vec![0u32; rows];
            let mut r = 0u32;
            for (i, (key, id)) in keyed.iter().enumerate() {
                if i > 0 && keyed[i - 1].0 != *key {
                    r += 1;
                }
                rank[start[id.story] + id.annotation] = r;
            }
            Ranking { start, rank }
        })
    }

    pub(super) fn all_rows(&self) -> impl Iterator<Item = RowId> + '_ {
        self.stories.iter().enumerate().flat_map(|(story, s)| {
            (0..s.rows.len()).map(move |annotation| RowId { story, annotation })
        })
    }
}

/// Sorts `hits` stably by `key`; descending reverses the comparison, not the result, so
/// rows that tie keep reading order either way.
pub(super) fn sort_rows<K: Ord>(hits: &mut Vec<RowId>, ascending: bool, key: impl Fn(RowId) -> K) {
    let mut keyed: Vec<(K, RowId)> = hits.iter().map(|&id| (key(id), id)).collect();
    if ascending {
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        keyed.sort_by(|a, b| b.0.cmp(&a.0));
    }
    *hits = keyed.into_iter().map(|(_, id)| id).collect();
}
