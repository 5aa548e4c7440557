//! The inspector: edits every field of the selected annotation.
//!
//! It works on a copy of the annotation and reports changes as [`InspectorAction`]s; the
//! app turns them into undoable document edits. Text boxes report with `coalesce` so one
//! burst of typing is one undo step; leaving a box seals the step.

use eframe::egui::{self, Color32, RichText, Ui};

use crate::anchor::AnchorState;
use crate::model::{
    Annotation, AnnotationId, AnnotationSet, Comment, Conflict, Label, RatingScale, Source, Status,
    validate_source_url,
};
pub use crate::ui::fmt::preview;

/// What the user did in the inspector.
#[derive(Debug)]
pub enum InspectorAction {
    /// Replace the annotation; `label` names the undo step.
    Update {
        label: &'static str,
        annotation: Box<Annotation>,
        coalesce: bool,
    },
    Delete,
    Confirm,
    /// Decide on a changed wording (SPEC 9).
    ConfirmWording {
        keep_verdict: bool,
    },
    Reattach,
    Select(AnnotationId),
    OpenUrl(String),
    /// A text box lost focus: end the coalesced undo step.
    Seal,
    /// Something to tell the user in the status bar.
    Message(String),
}

/// What the inspector needs besides the annotation.
pub struct InspectorContext<'a> {
    pub labels: &'a [Label],
    pub scale: &'a RatingScale,
    pub annotations: &'a AnnotationSet,
    pub read_only: bool,
    pub author: &'a str,
    pub has_selection: bool,
}

/// The inspector's own state: half-typed new entries.
#[derive(Default)]
pub struct Inspector {
    new_url: String,
    new_title: String,
    new_note: String,
    new_tag: String,
    new_comment: String,
    url_error: Option<String>,
}

impl Inspector {
    /// Forgets half-typed entries (when another annotation is selected).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        original: &Annotation,
        cx: &InspectorContext<'_>,
    ) -> Vec<InspectorAction> {
        let mut actions = Vec::new();
        let mut a = original.clone();
        ui.add_enabled_ui(!cx.read_only, |ui| {
            self.fields_ui(ui, &mut a, cx, &mut actions);
        });
        actions
    }

    fn fields_ui(
        &mut self,
        ui: &mut Ui,
        a: &mut Annotation,
        cx: &InspectorContext<'_>,
        actions: &mut Vec<InspectorAction>,
    ) {
        let update = |actions: &mut Vec<InspectorAction>, label, a: &Annotation, coalesce| {
            actions.push(InspectorAction::Update {
                label,
                annotation: Box::new(a.clone()),
                coalesce,
            })
        };

        if let Some(choice) = crate::ui::wording::wording_ui(ui, a, cx.read_only) {
            actions.push(InspectorAction::ConfirmWording {
                keep_verdict: choice == crate::ui::wording::WordingChoice::KeepVerdict,
            });
        }
        anchor_state_ui(ui, a, cx, actions);
        conflicts_ui(ui, a, actions);

        ui.label(RichText::new(format!("“{}”", a.anchor.quote)).italics())
            .on_hover_text(format!("chars {}..{}", a.anchor.start, a.anchor.end));
        ui.add_space(6.0);
        // Fields follow the label: a Source or a Note has no verdict, claimant or
        // checkable sentence. (One given a verdict anyway counts as a claim, and shows them,
        // so the verdict can be seen and cleared.)
        let claim = a.is_claim();

        egui::Grid::new("inspector_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                ui.label("Label");
                let current = a.label.clone();
                egui::ComboBox::from_id_salt("label")
                    .selected_text(current.clone())
                    .show_ui(ui, |ui| {
                        for l in cx.labels {
                            let text = match l.key {
                                Some(k) => format!("{} ({})", l.name, k.to_ascii_uppercase()),
                                None => l.name.clone(),
                            };
                            if ui.selectable_label(a.label == l.name, text).clicked()
                                && a.label != l.name
                            {
                                a.label = l.name.clone();
                                update(actions, "Change label", a, false);
                            }
                        }
                    });
                ui.end_row();

                if claim {
                    ui.label("Verdict");
                    egui::ComboBox::from_id_salt("verdict")
                        .selected_text(a.verdict.clone().unwrap_or_else(|| "— none —".into()))
                        .show_ui(ui, |ui| {
                            if ui
                                .selectable_label(a.verdict.is_none(), "0  — none —")
                                .clicked()
                                && a.verdict.is_some()
                            {
                                a.verdict = None;
                                update(actions, "Set verdict", a, false);
                            }
                            for (i, r) in cx.scale.ratings.iter().enumerate() {
                                let chosen = a.verdict.as_deref() == Some(r.name.as_str());
                                let text = if i < 9 {
                                    format!("{}  {}", i + 1, r.name)
                                } else {
                                    r.name.clone()
                                };
                                if ui.selectable_label(chosen, text).clicked() && !chosen {
                                    a.verdict = Some(r.name.clone());
                                    update(actions, "Set verdict", a, false);
                                }
                            }
                        });
                    ui.end_row();
                }

                ui.label("Status");
                egui::ComboBox::from_id_salt("status")
                    .selected_text(a.status.name())
                    .show_ui(ui, |ui| {
                        for st in Status::ALL {
                            if ui.selectable_label(a.status == st, st.name()).clicked()
                                && a.status != st
                            {
                                a.status = st;
                                update(actions, "Set status", a, false);
                            }
                        }
                    });
                ui.end_row();

                if claim {
                    let label = ui.label("Claimant");
                    let (changed, left) =
                        text_line(ui, &mut a.claimant, "who made the claim", label.id);
                    if changed {
                        update(actions, "Edit claimant", a, true);
                    }
                    if left {
                        actions.push(InspectorAction::Seal);
                    }
                    ui.end_row();
                }
            });

        ui.add_space(6.0);
        let label = ui.label(if claim {
            "Statement (the claim as a checkable sentence)"
        } else {
            "Description"
        });
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut a.statement)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .id_salt("statement"),
            )
            .labelled_by(label.id);
        if r.changed() {
            update(actions, "Edit statement", a, true);
        }
        if r.lost_focus() {
            actions.push(InspectorAction::Seal);
        }

        if claim {
            let label = ui.label("Rationale");
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut a.rationale)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY)
                        .hint_text("why this verdict")
                        .id_salt("rationale"),
                )
                .labelled_by(label.id);
            if r.changed() {
                update(actions, "Edit rationale", a, true);
            }
            if r.lost_focus() {
                actions.push(InspectorAction::Seal);
            }
        }

        ui.add_space(6.0);
        self.sources_ui(ui, a, cx, actions);
        ui.add_space(6.0);
        self.tags_ui(ui, a, actions);
        ui.add_space(6.0);
        self.comments_ui(ui, a, cx, actions);

        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui
                .button("Delete annotation")
                .on_hover_text("Delete (Del); undo with Ctrl+Z")
                .clicked()
            {
                actions.push(InspectorAction::Delete);
            }
        });
        ui.add_space(4.0);
        ui.weak(format!(
            "by {} · created {} · modified {}",
            if a.author.is_empty() {
                "unknown"
            } else {
                &a.author
            },
            short_time(&a.created),
            short_time(&a.modified)
        ));
    }

    fn sources_ui(
        &mut self,
        ui: &mut Ui,
        a: &mut Annotation,
        cx: &InspectorContext<'_>,
        actions: &mut Vec<InspectorAction>,
    ) {
        ui.strong("Sources");
        let mut remove = None;
        for (i, source) in a.sources.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                match source {
                    Source::External {
                        url, title, note, ..
                    } => {
                        let shown = if title.is_empty() { url } else { title };
                        if ui
                            .link(shown)
                            .on_hover_text(format!("{url}\nOpen in the browser"))
                            .clicked()
                        {
                            actions.push(InspectorAction::OpenUrl(url.clone()));
                        }
                        if !note.is_empty() {
                            ui.weak(note);
                        }
                    }
                    Source::Highlight { id, note } => {
                        let quote = cx
                            .annotations
                            .get(id)
                            .map(|o| format!("{}: “{}”", o.label, preview(&o.anchor.quote, 40)))
                            .unwrap_or_else(|| "a deleted highlight".into());
                        if ui.link(format!("cites {quote}")).clicked() {
                            actions.push(InspectorAction::Select(id.clone()));
                        }
                        if !note.is_empty() {
                            ui.weak(note);
                        }
                    }
                }
                if ui
                    .small_button("×")
                    .on_hover_text("Remove source")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            a.sources.remove(i);
            actions.push(InspectorAction::Update {
                label: "Remove source",
                annotation: Box::new(a.clone()),
                coalesce: false,
            });
        }

        egui::CollapsingHeader::new("Add a web source")
            .id_salt("add_url_source")
            .show(ui, |ui| {
                let label = ui.label("Web address");
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_url)
                        .hint_text("https://…")
                        .desired_width(f32::INFINITY)
                        .id_salt("new_url"),
                )
                .labelled_by(label.id);
                let label = ui.label("Title");
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_title)
                        .hint_text("title (optional)")
                        .desired_width(f32::INFINITY)
                        .id_salt("new_title"),
                )
                .labelled_by(label.id);
                let label = ui.label("Note");
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_note)
                        .hint_text("note (optional)")
                        .desired_width(f32::INFINITY)
                        .id_salt("new_note"),
                )
                .labelled_by(label.id);
                if let Some(err) = &self.url_error {
                    ui.colored_label(Color32::from_rgb(0xd0, 0x40, 0x40), err);
                }
                if ui.button("Add source").clicked() {
                    match validate_source_url(&self.new_url) {
                        Ok(url) => {
                            a.sources.push(Source::External {
                                url,
                                title: self.new_title.trim().to_owned(),
                                note: self.new_note.trim().to_owned(),
                                accessed: Some(jiff::ZonedDateTime::now().date()),
                            });
                            actions.push(InspectorAction::Update {
                                label: "Add source",
                                annotation: Box::new(a.clone()),
                                coalesce: false,
                            });
                            self.new_url.clear();
                            self.new_title.clear();
                            self.new_note.clear();
                            self.url_error = None;
                        }
                        Err(e) => {
                            actions.push(InspectorAction::Message(e.clone()));
                            self.url_error = Some(e);
                        }
                    }
                }
            });

        let others: Vec<&Annotation> = cx
            .annotations
            .iter()
            .filter(|o| o.id != a.id)
            .filter(|o| {
                !a.sources
                    .iter()
                    .any(|s| matches!(s, Source::Highlight { id, .. } if *id == o.id))
            })
            .collect();
        if !others.is_empty() {
            egui::ComboBox::from_id_salt("link_highlight")
                .selected_text("Cite another highlight…")
                .width(ui.available_width().min(300.0))
                .show_ui(ui, |ui| {
                    for o in others {
                        let text = format!("{}: “{}”", o.label, preview(&o.anchor.quote, 48));
                        if ui.selectable_label(false, text).clicked() {
                            a.sources.push(Source::Highlight {
                                id: o.id.clone(),
                                note: String::new(),
                            });
                            actions.push(InspectorAction::Update {
                                label: "Cite highlight",
                                annotation: Box::new(a.clone()),
                                coalesce: false,
                            });
                        }
                    }
                });
        }
    }

    fn tags_ui(&mut self, ui: &mut Ui, a: &mut Annotation, actions: &mut Vec<InspectorAction>) {
        ui.strong("Tags");
        let mut remove = None;
        ui.horizontal_wrapped(|ui| {
            for (i, t) in a.tags.iter().enumerate() {
                if ui
                    .button(format!("{t} ×"))
                    .on_hover_text("Remove tag")
                    .clicked()
                {
                    remove = Some(i);
                }
            }
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.new_tag)
                    .hint_text("add tag, Enter")
                    .desired_width(100.0)
                    .id_salt("new_tag"),
            );
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let tag = self.new_tag.trim().to_owned();
                if !tag.is_empty() && !a.tags.contains(&tag) {
                    a.tags.push(tag);
                    actions.push(InspectorAction::Update {
                        label: "Add tag",
                        annotation: Box::new(a.clone()),
                        coalesce: false,
                    });
                }
                self.new_tag.clear();
                r.request_focus();
            }
        });
        if let Some(i) = remove {
            a.tags.remove(i);
            actions.push(InspectorAction::Update {
                label: "Remove tag",
                annotation: Box::new(a.clone()),
                coalesce: false,
            });
        }
    }

    fn comments_ui(
        &mut self,
        ui: &mut Ui,
        a: &mut Annotation,
        cx: &InspectorContext<'_>,
        actions: &mut Vec<InspectorAction>,
    ) {
        ui.strong(format!("Comments ({})", a.comments.len()));
        for c in &a.comments {
            ui.horizontal_wrapped(|ui| {
                ui.strong(&c.author);
                ui.weak(short_time(&c.time));
            });
            ui.label(&c.text);
        }
        ui.add(
            egui::TextEdit::multiline(&mut self.new_comment)
                .desired_rows(1)
                .desired_width(f32::INFINITY)
                .hint_text("write a comment")
                .id_salt("new_comment"),
        );
        if ui.button("Add comment").clicked() && !self.new_comment.trim().is_empty() {
            a.comments.push(Comment {
                author: cx.author.to_owned(),
                time: crate::model::now(),
                text: self.new_comment.trim().to_owned(),
            });
            self.new_comment.clear();
            actions.push(InspectorAction::Update {
                label: "Add comment",
                annotation: Box::new(a.clone()),
                coalesce: false,
            });
        }
    }
}

fn anchor_state_ui(
    ui: &mut Ui,
    a: &Annotation,
    cx: &InspectorContext<'_>,
    actions: &mut Vec<InspectorAction>,
) {
    match a.state {
        AnchorState::Anchored => {}
        AnchorState::Reanchored { confidence } => {
            warning_frame(ui, |ui| {
                ui.label(format!(
                    "The story changed; this highlight was found again by approximate match ({:.0}% sure). Check the text, then confirm.",
                    confidence * 100.0
                ));
                ui.horizontal(|ui| {
                    if ui.button("Confirm (Enter)").clicked() {
                        actions.push(InspectorAction::Confirm);
                    }
                    if ui
                        .add_enabled(cx.has_selection, egui::Button::new("Move to selection (R)"))
                        .clicked()
                    {
                        actions.push(InspectorAction::Reattach);
                    }
                });
            });
        }
        AnchorState::Orphaned => {
            warning_frame(ui, |ui| {
                ui.label(
                    "Orphaned: this quote was not found in the current story. Select the text it belongs to, then re-attach. Nothing of it is lost.",
                );
                if ui
                    .add_enabled(
                        cx.has_selection,
                        egui::Button::new("Re-attach to selection (R)"),
                    )
                    .clicked()
                {
                    actions.push(InspectorAction::Reattach);
                }
            });
        }
    }
}

fn conflicts_ui(ui: &mut Ui, a: &Annotation, actions: &mut Vec<InspectorAction>) {
    if a.conflicts.is_empty() {
        return;
    }
    warning_frame(ui, |ui| {
        ui.strong("Another editor changed this too");
        let mut resolved: Option<(usize, bool)> = None;
        for (i, Conflict { field, theirs }) in a.conflicts.iter().enumerate() {
            ui.label(format!(
                "{}: yours “{}”, theirs “{}”",
                field.name(),
                preview(&a.get(*field).to_string(), 60),
                preview(&theirs.to_string(), 60)
            ));
            ui.horizontal(|ui| {
                if ui.button("Keep mine").clicked() {
                    resolved = Some((i, false));
                }
                if ui.button("Take theirs").clicked() {
                    resolved = Some((i, true));
                }
            });
        }
        if let Some((i, take_theirs)) = resolved {
            let mut b = a.clone();
            let c = b.conflicts.remove(i);
            if take_theirs {
                b.set(c.field, c.theirs);
            }
            actions.push(InspectorAction::Update {
                label: "Resolve conflict",
                annotation: Box::new(b),
                coalesce: false,
            });
        }
    });
}

fn warning_frame(ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui);
        });
    ui.add_space(6.0);
}

/// A single-line text box; returns (edited, lost focus).
fn text_line(ui: &mut Ui, value: &mut String, hint: &str, label: egui::Id) -> (bool, bool) {
    let r = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label);
    (r.changed(), r.lost_focus())
}

fn short_time(t: &jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M").to_string()
}
