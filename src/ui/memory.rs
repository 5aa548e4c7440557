//! Claim memory's panels (SPEC 12): the indexing strip above the status bar, the
//! workspace search window (Ctrl+Shift+F), and "Checked before" under the inspector.
//!
//! They draw [`crate::app::memory`]'s state and return [`Command`]s; the search window
//! edits only its own query and highlighted row. Nothing here changes a document.

use eframe::egui::{self, Key, RichText, Ui};

use crate::app::command::Command;
use crate::app::memory::{CheckedBefore, Indexing, SearchPanel};
use crate::memory::Place;
use crate::model::{Annotation, LinkKind};
use crate::ui::fmt::{plural, preview};
use crate::workspace::{SameClaimGroups, Workspace};

/// While stories are being indexed (or when memory failed): the progress, in a small
/// floating box at the right end of the status bar. Floating, so its coming and going never
/// moves the panels (a click aimed at a moving widget would miss), and it takes no input.
pub fn indexing_bar_ui(ui: &mut Ui, indexing: &Indexing) {
    let (text, fraction) = match indexing {
        Indexing::Running { done, total, story } if *total > 0 => (
            format!("Claim memory: indexing {story} ({done} of {total})"),
            Some(*done as f32 / *total as f32),
        ),
        Indexing::Failed(e) => (format!("Claim memory is off: {e}"), None),
        // Looking for changes (one `stat` per file) is quick: nothing to show.
        Indexing::Running { .. } | Indexing::Off | Indexing::Ready { .. } => return,
    };
    egui::Area::new(egui::Id::unique("memory_status"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-6.0, -2.0])
        .order(egui::Order::Foreground)
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    if let Some(f) = fraction {
                        ui.add(egui::ProgressBar::new(f).desired_width(120.0));
                    }
                    ui.label(preview(&text, 90));
                });
            });
        });
}

/// "Checked before": similar claims from the folder and the libraries, each with its
/// verdict, story, date, score and reasons, and the two actions.
pub fn checked_before_ui(
    ui: &mut Ui,
    claim: &Annotation,
    checked: &CheckedBefore,
    read_only: bool,
) -> Vec<Command> {
    let mut out = Vec::new();
    if checked.asked.is_none() {
        return out;
    }
    ui.add_space(8.0);
    ui.separator();
    ui.heading("Checked before");
    for link in &claim.links {
        let story = if link.story.is_empty() {
            "this story"
        } else {
            link.story.as_str()
        };
        ui.weak(match link.kind {
            LinkKind::SameClaim => format!("Linked as the same claim as one in {story}."),
            LinkKind::VerdictFrom => format!("Verdict and sources copied from {story}."),
        });
    }
    let linked = |id: &str| {
        claim
            .links
            .iter()
            .any(|l| l.kind == LinkKind::SameClaim && l.id.as_str() == id)
    };
    if let Some(e) = &checked.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
        return out;
    }
    if checked.matches.is_empty() {
        let text = match &checked.indexing {
            Indexing::Running { .. } => "Indexing the folder… similar claims will show here.",
            Indexing::Off => "Claim memory is off.",
            Indexing::Failed(_) => "Claim memory is off (see the status bar).",
            Indexing::Ready { .. } if checked.pending => "Looking…",
            Indexing::Ready { .. } => "No similar claim in this folder or the claim libraries.",
        };
        ui.weak(text);
        return out;
    }
    for (n, m) in checked.matches.iter().enumerate() {
        let c = &m.claim;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(c.verdict.as_deref().unwrap_or("No verdict")).strong());
                ui.weak(format!("· {} · {}", c.story, c.date));
                if c.library {
                    ui.weak("· library");
                }
                ui.weak(format!("· score {:.2}", c.score));
            });
            let statement = if c.statement.is_empty() {
                &c.quote
            } else {
                &c.statement
            };
            ui.label(format!("“{}”", preview(statement, 160)));
            if !c.reasons.is_empty() {
                ui.weak(format!("Why: {}", c.reasons.join("; ")));
            }
            ui.add_enabled_ui(!read_only, |ui| {
                ui.horizontal(|ui| {
                    let copy = ui
                        .add_enabled(
                            m.annotation.is_some(),
                            egui::Button::new(Command::UseVerdictFrom(n).label()),
                        )
                        .on_hover_text(
                            "Copy its verdict, rationale and sources onto this claim, with a \
                             link back to it (Ctrl+Z undoes)",
                        );
                    if copy.clicked() {
                        out.push(Command::UseVerdictFrom(n));
                    }
                    let label = if linked(&c.id) {
                        "Linked as the same claim".to_owned()
                    } else {
                        Command::LinkSameClaim(n).label()
                    };
                    let link = ui
                        .add_enabled(!linked(&c.id), egui::Button::new(label))
                        .on_hover_text(
                            "Record on both claims that they are the same claim, so the \
                             claims table groups them (Ctrl+Z undoes)",
                        );
                    if link.clicked() {
                        out.push(Command::LinkSameClaim(n));
                    }
                });
            });
        });
    }
    out
}

/// The workspace search window: a query box and the places it matched, best first.
/// Up / Down move the highlighted row, Enter (or a click) opens it.
pub fn search_window_ui(ctx: &egui::Context, search: &mut SearchPanel) -> Vec<Command> {
    let mut out = Vec::new();
    let mut open = true;
    egui::Window::new("Search all stories")
        .open(&mut open)
        .default_size([560.0, 420.0])
        .collapsible(false)
        .show(ctx, |ui| {
            // The box had the keyboard last frame: arrows move the highlighted row.
            let (up, down) = if search.typing {
                ui.input_mut(|i| {
                    (
                        i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                        i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                    )
                })
            } else {
                (false, false)
            };
            if up {
                search.current = search.current.saturating_sub(1);
            }
            if down && search.current + 1 < search.hits.len() {
                search.current += 1;
            }
            let response = ui
                .horizontal(|ui| {
                    let label = ui.label("Search for:");
                    ui.add(
                        egui::TextEdit::singleline(&mut search.query)
                            .id_salt("workspace_search_query")
                            .hint_text("Words, numbers, \"a phrase\"")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id)
                })
                .inner;
            if search.focus {
                response.request_focus();
                search.focus = false;
            }
            search.typing = response.has_focus();
            if response.lost_focus()
                && ui.input(|i| i.key_pressed(Key::Enter))
                && !search.hits.is_empty()
            {
                out.push(Command::OpenSearchHit(search.current));
            }
            if let Some(e) = &search.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let summary = if search.query.trim().is_empty() {
                "Type to search every story and annotation of the folder and the libraries."
                    .to_owned()
            } else if search.pending && search.hits.is_empty() {
                "Searching…".to_owned()
            } else {
                plural(search.hits.len(), "place")
            };
            ui.weak(summary);
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for (n, hit) in search.hits.iter().enumerate() {
                        let place = match &hit.place {
                            Place::Text { start, .. } => format!("char {start}"),
                            Place::Field { field, .. } => format!("annotation {field}"),
                        };
                        let text = format!("{} · {place}\n{}", hit.story, hit.snippet);
                        let row = ui.selectable_label(n == search.current, text);
                        if n == search.current && (up || down) {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            out.push(Command::OpenSearchHit(n));
                        }
                    }
                });
        });
    if !open {
        search.open = false;
    }
    out
}

/// A verdict chosen for every claim of same-claim group `group` (`None` clears it).
pub struct RateGroup {
    pub group: usize,
    pub verdict: Option<String>,
}

/// Above the claims table: each group of claims linked as the same claim, its stories and
/// verdicts, and a verdict menu that rates all of them at once.
pub fn same_claim_groups_ui(
    ui: &mut Ui,
    ws: &Workspace,
    groups: &SameClaimGroups,
) -> Option<RateGroup> {
    if groups.is_empty() {
        return None;
    }
    let mut action = None;
    egui::CollapsingHeader::new(format!(
        "Same claim in several stories ({})",
        plural(groups.groups.len(), "group")
    ))
    .id_salt("same_claim_groups")
    .default_open(true)
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("same_claim_groups_list")
            .max_height(160.0)
            .show(ui, |ui| {
                for (gi, group) in groups.groups.iter().enumerate() {
                    let Some(first) = ws.annotation(group[0]) else {
                        continue;
                    };
                    let stories: Vec<&str> = group
                        .iter()
                        .filter_map(|r| ws.stories.get(r.story).map(|s| s.name.as_str()))
                        .collect();
                    let verdicts: Vec<&str> = group
                        .iter()
                        .filter_map(|r| ws.annotation(*r))
                        .map(|a| a.verdict.as_deref().unwrap_or("no verdict"))
                        .collect();
                    let scale = ws
                        .stories
                        .get(group[0].story)
                        .map(|s| s.scale_in(&ws.settings))
                        .unwrap_or_default();
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("[same claim {}]", gi + 1)).strong());
                        ui.menu_button(format!("Rate all {}", group.len()), |ui| {
                            for r in &scale.ratings {
                                if ui.button(&r.name).clicked() {
                                    action = Some(RateGroup {
                                        group: gi,
                                        verdict: Some(r.name.clone()),
                                    });
                                    ui.close();
                                }
                            }
                            if ui.button("Clear the verdict").clicked() {
                                action = Some(RateGroup {
                                    group: gi,
                                    verdict: None,
                                });
                                ui.close();
                            }
                        });
                        ui.label(format!("“{}”", preview(&first.statement, 80)));
                        ui.weak(format!("{} · {}", stories.join(", "), verdicts.join(", ")));
                    });
                }
            });
    });
    action
}
