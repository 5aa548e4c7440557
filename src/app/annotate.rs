//! The commands that edit the selected annotation: label keys, verdict keys, status,
//! comments, delete, confirming a found-again highlight (and its changed wording), and
//! re-attaching it to the selection. Each is one undoable step of the open story.

use crate::app::dispatch::FactmarkApp;

impl FactmarkApp {
    pub(super) fn apply_label(&mut self, n: usize) {
        let labels = self.labels();
        let author = self.settings.author.clone();
        let Some(label) = labels.get(n) else { return };
        let Some(s) = &mut self.session else { return };
        let Some(span) = s.reader.selection() else {
            // No selection, but a suggestion walked to: the label key accepts it.
            if s.suggestions.on && s.suggestions.current().is_some() {
                let name = label.name.clone();
                self.accept_suggestion(Some(name));
                return;
            }
            self.info(format!(
                "Select text in the story first, then press {} to mark it as {}.",
                label.key.map(|k| k.to_ascii_uppercase()).unwrap_or('?'),
                label.name
            ));
            return;
        };
        match s.doc.create(span, &label.name, &author) {
            Ok(id) => {
                s.selected = Some(id);
                s.reader.set_selection(None);
                s.inspector.reset();
                s.list.reveal_selected = true;
                s.edited();
                self.info(format!(
                    "Added a {} highlight. Fill in the inspector; Ctrl+Z undoes.",
                    label.name
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn set_verdict(&mut self, n: usize) {
        let Some(mut a) = self
            .session
            .as_ref()
            .and_then(|s| s.selected_annotation())
            .cloned()
        else {
            if self.session.is_some() {
                self.info("Select an annotation first to give it a verdict.");
            }
            return;
        };
        let Some(scale) = self.doc().map(|d| d.rating_scale()) else {
            return;
        };
        a.verdict = match n {
            0 => None,
            n => match scale.ratings.get(n - 1) {
                Some(r) => Some(r.name.clone()),
                None => return,
            },
        };
        let msg = format!(
            "Verdict: {}.",
            a.verdict.clone().unwrap_or_else(|| "none".into())
        );
        self.edit(|doc| doc.update("Set verdict", a, false).map(|()| Some(msg)));
    }

    pub(super) fn set_status(&mut self, status: crate::model::Status) {
        let Some(mut a) = self
            .session
            .as_ref()
            .and_then(|s| s.selected_annotation())
            .cloned()
        else {
            if self.session.is_some() {
                self.info("Select an annotation first to set its status.");
            }
            return;
        };
        a.status = status;
        let msg = format!("Status: {}.", status.name());
        self.edit(|doc| doc.update("Set status", a, false).map(|()| Some(msg)));
    }

    pub(super) fn add_comment(&mut self, text: String) {
        let Some(mut a) = self
            .session
            .as_ref()
            .and_then(|s| s.selected_annotation())
            .cloned()
        else {
            return;
        };
        a.comments.push(crate::model::Comment {
            author: self.settings.author.clone(),
            time: crate::model::now(),
            text: text.trim().to_owned(),
        });
        self.edit(|doc| {
            doc.update("Add comment", a, false)
                .map(|()| Some("Comment added.".to_owned()))
        });
    }

    pub(super) fn delete_selected(&mut self) {
        let Some(id) = self.selected().cloned() else {
            return;
        };
        self.edit(|doc| {
            doc.delete(&id)
                .map(|()| Some("Deleted the annotation (Ctrl+Z brings it back).".to_owned()))
        });
        if let Some(s) = &mut self.session
            && s.doc.get(&id).is_none()
        {
            s.selected = None;
        }
    }

    /// Confirms the selected re-anchored highlight and, when its wording changed, decides
    /// on it (SPEC 9): an Approved claim goes back to review unless `keep_verdict`.
    pub(super) fn confirm_selected(&mut self, keep_verdict: bool) {
        let Some(id) = self.selected().cloned() else {
            return;
        };
        let Some(a) = self.doc().and_then(|d| d.get(&id)) else {
            return;
        };
        let changed = a.wording_changed();
        if !changed && !a.state.needs_confirming() {
            return;
        }
        let message = match (changed, keep_verdict, a.status) {
            (false, _, _) => "Confirmed the highlight's new place.",
            (true, true, _) => {
                "Kept the verdict on the new wording; your name and the time are recorded."
            }
            (true, false, crate::model::Status::Approved) => {
                "Confirmed the new wording; the claim is back in review (Ctrl+Z undoes)."
            }
            (true, false, _) => "Confirmed the new wording.",
        };
        let author = self.settings.author.clone();
        self.edit(|doc| {
            doc.confirm_wording(&id, keep_verdict, &author)
                .map(|()| Some(message.to_owned()))
        });
    }

    pub(super) fn reattach_selected(&mut self) {
        let Some(s) = &mut self.session else { return };
        let Some(id) = s.selected.clone() else { return };
        let Some(span) = s.reader.selection() else {
            self.info("Select the text this annotation belongs to, then press R.");
            return;
        };
        match s.doc.reattach(&id, span) {
            Ok(()) => {
                s.reader.set_selection(None);
                s.edited();
                self.info("Re-attached the annotation to the selected text.");
            }
            Err(e) => self.error(e.to_string()),
        }
    }
}
