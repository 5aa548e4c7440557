//! The workspace's views other than the story: the scan's progress, the claims table, the
//! review queue, the statistics and the folder settings.
//!
//! It draws one [`WorkspaceSession`] and returns [`Command`]s: opening a claim, exporting,
//! a verdict or comment from the queue, a statistics filter, saving the settings. It
//! changes only view state (the table's filter and sort, the queue's position and typed
//! comment, the settings being edited): never a document or the loaded workspace.

use eframe::egui::{self, Ui};

use crate::app::command::{Command, View};
use crate::app::workspace_session::WorkspaceSession;
use crate::document::Document;
use crate::ui::review::ReviewAction;
use crate::ui::workspace_view::WorkspaceAction;

/// Draws `view` of the open folder.
pub fn workspace_ui(
    ui: &mut Ui,
    ws: &mut WorkspaceSession,
    view: View,
    doc: Option<&Document>,
) -> Vec<Command> {
    let mut out = Vec::new();
    if ws.state.scan.is_some() {
        egui::CentralPanel::default().show(ui, |ui| {
            out.extend(ws.state.scan_ui(ui).into_iter().flat_map(workspace_command));
        });
        return out;
    }
    match view {
        View::Story => {}
        View::Claims => out.extend(
            ws.state
                .claims_ui(ui)
                .into_iter()
                .flat_map(workspace_command),
        ),
        View::Review => {
            let Some(w) = &ws.state.workspace else {
                return out;
            };
            let review = &mut ws.review;
            egui::CentralPanel::default().show(ui, |ui| {
                out.extend(review.ui(ui, w, doc).into_iter().map(review_command));
            });
        }
        View::Statistics => {
            let Some(w) = &ws.state.workspace else {
                return out;
            };
            let stats = &mut ws.stats;
            egui::CentralPanel::default().show(ui, |ui| {
                out.extend(stats.ui(ui, w).map(Command::FilterClaims));
            });
        }
        View::Settings => {
            let Some(w) = &ws.state.workspace else {
                return out;
            };
            let panel = &mut ws.settings_panel;
            panel.sync(&w.settings);
            let blocked = w.settings_error.as_ref().map(|e| e.to_string());
            egui::CentralPanel::default().show(ui, |ui| {
                out.extend(
                    panel
                        .ui(ui, blocked.as_deref())
                        .map(|s| Command::SaveFolderSettings(Box::new(s))),
                );
            });
        }
    }
    out
}

fn workspace_command(action: WorkspaceAction) -> Vec<Command> {
    match action {
        WorkspaceAction::OpenClaim(row) => vec![Command::OpenClaim(row)],
        // The reader shows it as soon as it is open.
        WorkspaceAction::OpenStory(path) => {
            vec![Command::OpenPath(path), Command::ShowView(View::Story)]
        }
        WorkspaceAction::Export => vec![Command::ExportClaims],
        WorkspaceAction::CancelScan => vec![Command::CancelScan],
        WorkspaceAction::RateGroup { group, verdict } => {
            vec![Command::RateGroup { group, verdict }]
        }
    }
}

fn review_command(action: ReviewAction) -> Command {
    match action {
        ReviewAction::Next => Command::ReviewNext,
        ReviewAction::Previous => Command::ReviewPrevious,
        ReviewAction::Verdict(n) => Command::SetVerdict(n),
        ReviewAction::Status(s) => Command::SetStatus(s),
        ReviewAction::OpenInReader => Command::OpenInReader,
        ReviewAction::Comment(text) => Command::AddComment(text),
        ReviewAction::WordingChanged(on) => Command::FilterWordingChanged(on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_queue_action_becomes_a_command() {
        assert_eq!(
            review_command(ReviewAction::Comment("ok".into())),
            Command::AddComment("ok".into())
        );
        assert_eq!(
            review_command(ReviewAction::Verdict(3)),
            Command::SetVerdict(3)
        );
        assert_eq!(
            workspace_command(WorkspaceAction::Export),
            [Command::ExportClaims]
        );
        assert_eq!(
            review_command(ReviewAction::WordingChanged(true)),
            Command::FilterWordingChanged(true)
        );
    }
}
