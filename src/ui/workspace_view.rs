//! The folder workspace in the window: its state ([`WorkspaceState`]: the scan in progress
//! or the loaded [`Workspace`], the [`ClaimTable`], the current [`Query`])
//! and two of its views: the claims table across every story and the story list.
//!
//! It draws and reports what the user asked for ([`WorkspaceAction`]); it never writes a
//! sidecar or settings itself (the app saves through [`crate::document::Document`] and
//! [`crate::settings::FolderSettings::save`]). The table is virtualised: only the rows on
//! screen are laid out, so 50,000 claims cost what a screenful costs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};

pub use crate::app::command::View;
use crate::model::Status;
use crate::ui::inspector::preview;
use crate::workspace::{ClaimTable, Column, Query, RowId, Scan, Workspace};

/// What the user asked for in a workspace view; the app carries it out.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkspaceAction {
    /// Open the row's story in the reader, scrolled to the claim.
    OpenClaim(RowId),
    /// Open a story of the folder in the reader (a click in the story list).
    OpenStory(PathBuf),
    /// Export the claims the table shows.
    Export,
    CancelScan,
    /// Give every claim of same-claim group `group` this verdict (`None` clears it).
    RateGroup {
        group: usize,
        verdict: Option<String>,
    },
}

/// An open folder: scanning, or loaded.
pub struct WorkspaceState {
    pub root: PathBuf,
    /// The scan while it runs.
    pub scan: Option<Scan>,
    pub workspace: Option<Workspace>,
    pub table: ClaimTable,
    pub query: Query,
    /// Bumped whenever the table's rows change, so cached queries are redone.
    table_revision: u64,
    /// The query and table revision `rows` was computed for.
    queried: Option<(Query, u64)>,
    rows: Vec<RowId>,
    /// Filter choices (tags, labels, verdicts) for the table revision they were gathered at.
    choices: Option<(u64, Choices)>,
    /// Folder totals for the table revision they were summed at.
    totals: Option<(u64, crate::workspace::StoryCounts)>,
    /// The row last opened from the table (drawn as selected).
    pub selected_row: Option<RowId>,
    /// The format the table's Export button writes.
    pub export_format: crate::export::Format,
    /// Same-claim groups for the table revision they were found at.
    groups: Option<(u64, crate::workspace::SameClaimGroups)>,
}

#[derive(Clone, Debug, Default)]
struct Choices {
    labels: Vec<String>,
    verdicts: Vec<String>,
    tags: Vec<String>,
}

impl WorkspaceState {
    /// Starts scanning `root` off the UI thread.
    pub fn scan(root: &Path) -> Self {
        Self {
            scan: Some(Scan::start(root)),
            ..Self::scan_less(root)
        }
    }

    /// A workspace already loaded (benchmarks, tests): no scan, no watcher.
    pub fn from_workspace(workspace: Workspace) -> Self {
        let mut state = Self::scan_less(&workspace.root);
        state.table = ClaimTable::new(&workspace);
        state.workspace = Some(workspace);
        state
    }

    fn scan_less(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
            scan: None,
            workspace: None,
            table: ClaimTable::default(),
            query: Query::default(),
            table_revision: 0,
            queried: None,
            rows: Vec::new(),
            choices: None,
            totals: None,
            selected_row: None,
            export_format: crate::export::Format::Csv,
            groups: None,
        }
    }

    /// The folder's same-claim groups (found again only when the table changed).
    pub fn groups(&mut self) -> &crate::workspace::SameClaimGroups {
        let rev = self.table_revision;
        if self.groups.as_ref().is_some_and(|(r, _)| *r != rev) {
            self.groups = None;
        }
        let workspace = &self.workspace;
        &self
            .groups
            .get_or_insert_with(|| {
                let groups = workspace
                    .as_ref()
                    .map(crate::workspace::SameClaimGroups::of)
                    .unwrap_or_default();
                (rev, groups)
            })
            .1
    }

    /// Takes a finished scan's workspace and builds the table. (Watching the folder for
    /// outside changes is the app's worker's job.)
    pub fn loaded(&mut self, workspace: Workspace) {
        self.table = ClaimTable::new(&workspace);
        self.workspace = Some(workspace);
        self.scan = None;
        self.table_changed();
    }

    /// Puts a story re-read from disk (by the worker) in the table: replaces the entry
    /// with the same path, or adds it when it is new.
    pub fn replace_story(&mut self, entry: crate::workspace::StoryEntry) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let i = match ws.stories.iter().position(|s| s.path == entry.path) {
            Some(i) => {
                ws.stories[i] = entry;
                i
            }
            None => {
                ws.stories.push(entry);
                ws.stories.len() - 1
            }
        };
        let entry = &ws.stories[i];
        let scale = entry.scale_in(&ws.settings);
        self.table
            .set_story(i, &entry.name, scale, &entry.annotations);
        self.table_changed();
    }

    /// Call after any change to the table's rows.
    pub fn table_changed(&mut self) {
        self.table_revision += 1;
    }

    /// Rebuilds the whole table (after the settings' scale changed, or a rescan).
    pub fn rebuild_table(&mut self) {
        if let Some(ws) = &self.workspace {
            self.table = ClaimTable::new(ws);
            self.table_changed();
        }
    }

    /// Replaces one story's annotations (after an edit, a save or an outside change).
    pub fn set_story_annotations(&mut self, story: usize, set: &crate::model::AnnotationSet) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let Some(entry) = ws.stories.get_mut(story) else {
            return;
        };
        if &entry.annotations == set {
            return;
        }
        entry.set_annotations(set.clone());
        if !self.table.update_story(story, set) {
            let scale = entry.scale_in(&ws.settings);
            self.table.set_story(story, &entry.name, scale, set);
        }
        self.table_changed();
    }

    /// The rows the current query selects (recomputed only when the query or table changed).
    pub fn rows(&mut self) -> &[RowId] {
        let key = (self.query.clone(), self.table_revision);
        if self.queried.as_ref() != Some(&key) {
            self.rows = self.table.query(&self.query);
            self.queried = Some(key);
        }
        &self.rows
    }

    /// The story index of a path, when it is in the workspace.
    pub fn story_of(&self, path: &Path) -> Option<usize> {
        self.workspace.as_ref()?.story_index(path)
    }

    fn choices(&mut self) -> Choices {
        if let Some((rev, c)) = &self.choices
            && *rev == self.table_revision
        {
            return c.clone();
        }
        let mut labels = BTreeSet::new();
        let mut verdicts = BTreeSet::new();
        let mut tags = BTreeSet::new();
        if let Some(ws) = &self.workspace {
            for l in ws.settings.labels_or_default() {
                labels.insert(l.name);
            }
            for r in ws.settings.scale_or_default().ratings {
                verdicts.insert(r.name);
            }
            for s in &ws.stories {
                for a in &s.annotations {
                    labels.insert(a.label.clone());
                    if let Some(v) = &a.verdict {
                        verdicts.insert(v.clone());
                    }
                    for t in &a.tags {
                        tags.insert(t.trim().to_owned());
                    }
                }
            }
        }
        let c = Choices {
            labels: labels.into_iter().collect(),
            verdicts: verdicts.into_iter().collect(),
            tags: tags.into_iter().collect(),
        };
        self.choices = Some((self.table_revision, c.clone()));
        c
    }

    /// The scan's progress bar, with a Cancel button.
    pub fn scan_ui(&mut self, ui: &mut Ui) -> Option<WorkspaceAction> {
        let scan = self.scan.as_ref()?;
        let (done, total) = scan.progress();
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            ui.heading(format!("Scanning {}", self.root.display()));
            let (fraction, text) = if total == 0 {
                (0.0, "Listing the stories...".to_owned())
            } else {
                (
                    done as f32 / total as f32,
                    crate::ui::fmt::of_total(done, total, "story"),
                )
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .text(text)
                    .desired_width(400.0),
            );
            if ui.button("Cancel scan").clicked() {
                action = Some(WorkspaceAction::CancelScan);
            }
        });
        action
    }

    /// The filters, the claims table and its story list.
    pub fn claims_ui(&mut self, ui: &mut Ui) -> Option<WorkspaceAction> {
        let mut action = None;
        egui::Panel::left("workspace_stories")
            .resizable(true)
            .default_size(260.0)
            .size_range(160.0..=480.0)
            .show(ui, |ui| {
                if let Some(a) = self.story_list_ui(ui) {
                    action = Some(a);
                }
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(a) = self.filter_bar_ui(ui) {
                action = Some(a);
            }
            if let Some(a) = self.groups_ui(ui) {
                action = Some(a);
            }
            ui.separator();
            if let Some(a) = self.table_ui(ui) {
                action = Some(a);
            }
        });
        action
    }

    fn filter_bar_ui(&mut self, ui: &mut Ui) -> Option<WorkspaceAction> {
        let choices = self.choices();
        let total = self.table.len();
        let shown = self.rows().len();
        let left_out = self.workspace.as_ref().map_or(0, |w| w.left_out().count());
        if let Some(warning) = crate::ui::fmt::left_out(left_out) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{warning}. See the story list for why."),
            );
        }
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Filter:");
            ui.add(
                egui::TextEdit::singleline(&mut self.query.text)
                    .id_salt("claims_filter")
                    .hint_text("words in any field")
                    .desired_width(200.0),
            )
            .labelled_by(l.id);
            pick_one(ui, "Label", &mut self.query.labels, &choices.labels);
            let mut verdicts: Vec<String> = self
                .query
                .verdicts
                .iter()
                .map(|v| v.clone().unwrap_or_else(|| NO_VERDICT.to_owned()))
                .collect();
            let mut verdict_choices = choices.verdicts.clone();
            verdict_choices.push(NO_VERDICT.to_owned());
            if pick_one(ui, "Verdict", &mut verdicts, &verdict_choices) {
                self.query.verdicts = verdicts
                    .into_iter()
                    .map(|v| (v != NO_VERDICT).then_some(v))
                    .collect();
            }
            let mut statuses: Vec<String> = self
                .query
                .statuses
                .iter()
                .map(|s| s.name().to_owned())
                .collect();
            let status_names: Vec<String> =
                Status::ALL.iter().map(|s| s.name().to_owned()).collect();
            if pick_one(ui, "Status", &mut statuses, &status_names) {
                self.query.statuses = Status::ALL
                    .iter()
                    .filter(|s| statuses.iter().any(|n| n == s.name()))
                    .copied()
                    .collect();
            }
            pick_one(ui, "Tag", &mut self.query.tags, &choices.tags);
            ui.checkbox(&mut self.query.wording_changed, "Wording changed")
                .on_hover_text(
                    "Only annotations whose wording changed in the story and wait for a decision",
                );
            if let Some(ws) = &self.workspace {
                let current = self
                    .query
                    .stories
                    .first()
                    .and_then(|&i| ws.stories.get(i))
                    .map_or("any", |s| s.name.as_str());
                let mut pick = None;
                let label = ui.label("Story:");
                egui::ComboBox::from_id_salt("filter_story")
                    .selected_text(preview(current, 24))
                    .show_ui(ui, |ui| {
                        if ui
                            .selectable_label(self.query.stories.is_empty(), "any")
                            .clicked()
                        {
                            pick = Some(None);
                        }
                        for (i, s) in ws.stories.iter().enumerate() {
                            if ui
                                .selectable_label(self.query.stories == [i], &s.name)
                                .clicked()
                            {
                                pick = Some(Some(i));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if let Some(p) = pick {
                    self.query.stories = p.into_iter().collect();
                }
            }
            if ui.button("Clear filters").clicked() {
                self.query = Query {
                    sort: self.query.sort,
                    ..Query::default()
                };
            }
            ui.separator();
            ui.label(crate::ui::fmt::of_total(shown, total, "annotation"));
            ui.separator();
            let label = ui.label("Format:");
            egui::ComboBox::from_id_salt("export_format")
                .selected_text(self.export_format.name())
                .show_ui(ui, |ui| {
                    for f in crate::export::Format::ALL {
                        ui.selectable_value(&mut self.export_format, f, f.name());
                    }
                })
                .response
                .labelled_by(label.id);
            if ui
                .button("Export view...")
                .on_hover_text("Export the annotations this table shows")
                .clicked()
            {
                action = Some(WorkspaceAction::Export);
            }
        });
        action
    }

    /// The same-claim groups (claims linked across stories), each rated at once.
    fn groups_ui(&mut self, ui: &mut Ui) -> Option<WorkspaceAction> {
        self.groups();
        let (Some(ws), Some((_, groups))) = (&self.workspace, &self.groups) else {
            return None;
        };
        crate::ui::memory::same_claim_groups_ui(ui, ws, groups).map(|r| {
            WorkspaceAction::RateGroup {
                group: r.group,
                verdict: r.verdict,
            }
        })
    }

    fn table_ui(&mut self, ui: &mut Ui) -> Option<WorkspaceAction> {
        self.rows();
        self.groups();
        let Some(ws) = &self.workspace else {
            return None;
        };
        let groups = self.groups.as_ref().map(|(_, g)| g);
        let rows = &self.rows;
        let mut action = None;
        let mut sort = self.query.sort;
        // Eleven columns do not fit a small window: the table scrolls sideways too.
        egui::ScrollArea::horizontal()
            .id_salt("claims_table_h")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                action = table_body_ui(ui, ws, rows, self.selected_row, &mut sort, groups);
            });
        self.query.sort = sort;
        action
    }

    /// Every story with its counts; clicking one opens it in the reader, its "Filter"
    /// button shows only its claims in the table.
    fn story_list_ui(&mut self, ui: &mut Ui) -> Option<WorkspaceAction> {
        let Some(ws) = &self.workspace else {
            return None;
        };
        let mut open = None;
        // Summing every story's counts each frame shows up at 50,000 claims.
        let totals = match &self.totals {
            Some((rev, t)) if *rev == self.table_revision => t.clone(),
            _ => {
                let t = ws.totals();
                self.totals = Some((self.table_revision, t.clone()));
                t
            }
        };
        ui.heading(stories(ws.stories.len()));
        ui.label(format!(
            "{}, {} unrated, {} orphaned",
            crate::ui::fmt::plural(totals.claims, "claim"),
            totals.unrated,
            totals.orphaned
        ));
        if let Some(e) = &ws.settings_error {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
        }
        ui.separator();
        let mut toggle = None;
        let row_height = 2.0 * ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, ws.stories.len(), |ui, range| {
                for i in range {
                    let s = &ws.stories[i];
                    let selected = self.query.stories == [i];
                    let verdicts: Vec<String> = s
                        .counts
                        .by_verdict
                        .iter()
                        .map(|(v, n)| format!("{v} {n}"))
                        .collect();
                    let mut detail = format!(
                        "{}, {}",
                        crate::ui::fmt::plural(s.counts.claims, "claim"),
                        crate::ui::fmt::plural(s.counts.annotations, "annotation")
                    );
                    if !verdicts.is_empty() {
                        detail.push_str(&format!(" - {}", verdicts.join(", ")));
                    }
                    if s.counts.orphaned > 0 {
                        detail.push_str(&format!(", {} orphaned", s.counts.orphaned));
                    }
                    let r = ui
                        .add(egui::Button::selectable(selected, &s.name).truncate())
                        .on_hover_text(format!("{}\nOpen in the reader", s.path.display()));
                    if r.clicked() {
                        open = Some(WorkspaceAction::OpenStory(s.path.clone()));
                    }
                    ui.horizontal(|ui| {
                    if s.left_out().is_none()
                        && ui
                        .small_button(if selected { "All" } else { "Filter" })
                        .on_hover_text(if selected {
                            "Show every story's claims in the table"
                        } else {
                            "Show only this story's claims in the table"
                        })
                        .clicked()
                    {
                        toggle = Some(i);
                    }
                    match (&s.error, s.left_out()) {
                        (_, Some(e)) => {
                            let reason = e.to_string();
                            // The story's name is just above: the sidecar's full path
                            // would only push the reason out of the narrow list.
                            let sidecar = crate::store::sidecar_path(&s.path);
                            let short = match sidecar.file_name() {
                                Some(name) => reason.replace(
                                    &sidecar.display().to_string(),
                                    &name.to_string_lossy(),
                                ),
                                None => reason.clone(),
                            };
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!(
                                        "Annotations not read: {}",
                                        preview(&short, 80)
                                    ))
                                    .color(ui.visuals().error_fg_color),
                                )
                                .truncate(),
                            )
                            .on_hover_text(format!(
                                "The sidecar could not be read, so this story's annotations are left out of the table and the statistics: {reason}"
                            ));
                        }
                        (Some(e), None) => {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                preview(&e.to_string(), 80),
                            );
                        }
                        (None, None) => {
                            ui.add(egui::Label::new(RichText::new(detail).weak()).truncate());
                        }
                    }
                    });
                }
            });
        if let Some(i) = toggle {
            self.query.stories = if self.query.stories == [i] {
                Vec::new()
            } else {
                vec![i]
            };
        }
        open
    }
}

/// The header and the visible rows; changes `sort` when a heading is clicked.
fn table_body_ui(
    ui: &mut Ui,
    ws: &Workspace,
    rows: &[RowId],
    selected_row: Option<RowId>,
    sort: &mut (Column, bool),
    groups: Option<&crate::workspace::SameClaimGroups>,
) -> Option<WorkspaceAction> {
    let mut action = None;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let widths = [
        140.0, 70.0, 220.0, 220.0, 110.0, 100.0, 90.0, 60.0, 110.0, 80.0, 130.0,
    ];
    let mut builder = TableBuilder::new(ui)
        .id_salt("claims_table")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .min_scrolled_height(0.0)
        .auto_shrink([false, false]);
    for w in widths {
        builder = builder.column(TableColumn::initial(w).at_least(40.0).clip(true));
    }
    builder
        .header(row_height + 4.0, |mut header| {
            for c in Column::ALL {
                header.col(|ui| {
                    let arrow = match *sort {
                        (s, true) if s == c => " ^",
                        (s, false) if s == c => " v",
                        _ => "",
                    };
                    let b = ui.add(
                        egui::Button::new(RichText::new(format!("{}{arrow}", c.name())).strong())
                            .frame(false),
                    );
                    if b.on_hover_text(format!("Sort by {}", c.name())).clicked() {
                        *sort = if sort.0 == c { (c, !sort.1) } else { (c, true) };
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let id = rows[row.index()];
                let Some(a) = ws.annotation(id) else { return };
                let story = ws.stories.get(id.story).map_or("", |s| s.name.as_str());
                row.set_selected(selected_row == Some(id));
                // A claim linked as the same claim as others: marked with its group.
                let story = match groups.and_then(|g| g.group(id)) {
                    Some((gi, _)) => format!("[same claim {}] {story}", gi + 1),
                    None => story.to_owned(),
                };
                let cells: [String; 11] = [
                    story,
                    a.label.clone(),
                    preview(&a.anchor.quote, 120),
                    preview(&a.statement, 120),
                    preview(&a.claimant, 60),
                    a.verdict.clone().unwrap_or_default(),
                    a.status.name().to_owned(),
                    a.sources.len().to_string(),
                    preview(&a.tags.join(", "), 60),
                    preview(&a.author, 40),
                    a.modified.strftime("%Y-%m-%d %H:%M").to_string(),
                ];
                for text in cells {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).truncate().selectable(false));
                    });
                }
                if row.response().clicked() {
                    action = Some(WorkspaceAction::OpenClaim(id));
                }
            });
        });
    action
}

/// "1 story", "3 stories".
pub fn stories(n: usize) -> String {
    crate::ui::fmt::plural(n, "story")
}

/// How claims without a verdict are named in the verdict filter.
pub const NO_VERDICT: &str = "(no verdict)";

/// A combo box choosing one value (or any) for a filter list. Returns true when changed.
fn pick_one(ui: &mut Ui, what: &str, chosen: &mut Vec<String>, values: &[String]) -> bool {
    let current = chosen.first().map_or("any", String::as_str);
    let mut pick = None;
    let label = ui.label(format!("{what}:"));
    egui::ComboBox::from_id_salt(format!("filter_{what}"))
        .selected_text(preview(current, 20))
        .show_ui(ui, |ui| {
            if ui.selectable_label(chosen.is_empty(), "any").clicked() {
                pick = Some(None);
            }
            for v in values {
                if ui.selectable_label(chosen.first() == Some(v), v).clicked() {
                    pick = Some(Some(v.clone()));
                }
            }
        })
        .response
        .labelled_by(label.id);
    match pick {
        Some(p) => {
            *chosen = p.into_iter().collect();
            true
        }
        None => false,
    }
}
