//! An open folder's state in the window: the scan or loaded workspace with its claims
//! table ([`WorkspaceState`]), the review queue, the statistics and settings views, and
//! what of the open story was last copied into the table.
//!
//! Replaced whole when a folder opens. It holds state and small pure updates; reading and
//! writing files is the worker's ([`crate::app::io`]), applying commands the dispatcher's.
//! It must not draw.

use crate::app::command::StatsFilter;
use crate::document::Document;
use crate::model::AnnotationId;
use crate::settings::{FolderSettings, SettingsError};
use crate::ui::review::ReviewQueue;
use crate::ui::settings_panel::SettingsPanel;
use crate::ui::stats::StatsView;
use crate::ui::workspace_view::WorkspaceState;
use crate::workspace::{StoryEntry, Workspace};

/// One open folder.
pub struct WorkspaceSession {
    pub state: WorkspaceState,
    pub review: ReviewQueue,
    pub stats: StatsView,
    pub settings_panel: SettingsPanel,
    /// (story session serial, document revision) last copied into the table.
    synced: Option<(u64, u64)>,
    /// The queue claim the reader and inspector were last moved to.
    pub review_followed: Option<(usize, AnnotationId)>,
}

impl WorkspaceSession {
    pub fn new(state: WorkspaceState) -> Self {
        Self {
            state,
            review: ReviewQueue::default(),
            stats: StatsView::default(),
            settings_panel: SettingsPanel::default(),
            synced: None,
            review_followed: None,
        }
    }

    /// The workspace, once the scan finished.
    pub fn loaded(&self) -> Option<&Workspace> {
        self.state.workspace.as_ref()
    }

    /// Takes a finished scan's workspace.
    pub fn scanned(&mut self, workspace: Workspace) {
        self.state.loaded(workspace);
        self.synced = None;
    }

    /// A bar clicked in the statistics: the table shows just those claims.
    pub fn filter_from_stats(&mut self, filter: StatsFilter) {
        let query = &mut self.state.query;
        match filter {
            StatsFilter::Verdict(v) => query.verdicts = vec![v],
            StatsFilter::Status(s) => query.statuses = vec![s],
            StatsFilter::Story(i) => query.stories = vec![i],
            StatsFilter::WordingChanged => query.wording_changed = true,
        }
    }

    /// Copies the open story's annotations (edited, undone, merged) into the table and
    /// counts, so every view shows them at once, saved or not.
    pub fn sync_story(&mut self, serial: u64, doc: &Document) {
        let key = (serial, doc.revision());
        if self.synced == Some(key) {
            return;
        }
        if let Some(i) = self.state.story_of(doc.path()) {
            self.state.set_story_annotations(i, doc.annotations());
        }
        if self.state.workspace.is_some() {
            self.synced = Some(key);
        }
    }

    /// Takes in stories and settings the worker re-read after outside changes.
    pub fn reloaded(
        &mut self,
        entries: Vec<StoryEntry>,
        settings: Option<Result<FolderSettings, SettingsError>>,
    ) {
        for entry in entries {
            self.state.replace_story(entry);
        }
        if let Some(result) = settings
            && let Some(w) = &mut self.state.workspace
        {
            match result {
                Ok(s) => {
                    w.settings = s;
                    w.settings_error = None;
                }
                Err(e) => w.settings_error = Some(e),
            }
            self.state.rebuild_table();
        }
    }

    /// The folder settings were written: use them.
    pub fn settings_saved(&mut self, settings: &FolderSettings) {
        if let Some(w) = &mut self.state.workspace {
            w.settings = settings.clone();
        }
        self.state.rebuild_table();
        self.settings_panel.saved(settings);
    }
}
