//! The Preferences window (Ctrl+,, File > Preferences…) and the first-run prompt for the
//! author's name.
//!
//! Both only draw and return [`Command`]s; the app applies them to its
//! [`Settings`](crate::app::prefs::Settings). Changes apply at once (as in most desktop
//! editors there is no OK button): the theme, the text size and the name are seen or used
//! from the next frame; Esc or the window's × closes it.
//!
//! The window is a list of sections ([`Section::ALL`]), each drawn by its own `*_ui`
//! function from [`PrefsContext`]. To add one (the claim libraries, `ui/libraries.rs`): add
//! a variant and its title, give `PrefsContext` what it needs, and call its function in
//! [`section_ui`]. Nothing here changes a document.

use eframe::egui::{self, Ui};

use crate::app::command::Command;
use crate::app::prefs::{AUTOSAVE_MS_RANGE, FONT_SIZE_RANGE, Settings};

/// The Preferences window's own state: whether it is open, and the name being typed.
#[derive(Debug, Default)]
pub struct PrefsWindow {
    pub open: bool,
    /// The name box's text (the setting itself holds it trimmed).
    name: String,
    focus_name: bool,
}

impl PrefsWindow {
    /// Opens the window on the current settings, with the cursor in the name box.
    pub fn open(&mut self, settings: &Settings) {
        self.open = true;
        self.name = settings.author.clone();
        self.focus_name = true;
    }
}

/// A part of the Preferences window, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Who you are: the name on your annotations and comments.
    You,
    /// Theme and text size.
    Appearance,
    /// When edits are written.
    Saving,
    /// Claim libraries: folders of earlier checks, matched by claim memory, never written.
    Libraries,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::You,
        Section::Appearance,
        Section::Saving,
        Section::Libraries,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::You => "You",
            Section::Appearance => "Appearance",
            Section::Saving => "Saving",
            Section::Libraries => "Claim libraries",
        }
    }
}

/// What the sections draw from.
pub struct PrefsContext<'a> {
    pub settings: &'a Settings,
}

/// Draws the Preferences window when it is open.
pub fn prefs_window_ui(
    ctx: &egui::Context,
    state: &mut PrefsWindow,
    cx: &PrefsContext<'_>,
) -> Vec<Command> {
    let mut out = Vec::new();
    if !state.open {
        return out;
    }
    let mut open = true;
    egui::Window::new("Preferences")
        .open(&mut open)
        // First shown in the middle of the window, clear of the menu bar (later where the
        // person moved it: egui remembers).
        .default_pos(ctx.content_rect().center() - egui::vec2(210.0, 160.0))
        .collapsible(false)
        .resizable(false)
        .default_width(420.0)
        .show(ctx, |ui| {
            for (n, section) in Section::ALL.into_iter().enumerate() {
                if n > 0 {
                    ui.separator();
                }
                ui.strong(section.title());
                section_ui(ui, section, state, cx, &mut out);
            }
            ui.add_space(6.0);
            ui.weak("Changes apply at once. Esc closes this window.");
        });
    if !open {
        out.push(Command::ClosePreferences);
    }
    out
}

/// One section's body.
fn section_ui(
    ui: &mut Ui,
    section: Section,
    state: &mut PrefsWindow,
    cx: &PrefsContext<'_>,
    out: &mut Vec<Command>,
) {
    match section {
        Section::You => you_ui(ui, state, out),
        Section::Appearance => appearance_ui(ui, cx.settings, out),
        Section::Saving => saving_ui(ui, cx.settings, out),
        Section::Libraries => {
            out.extend(crate::ui::libraries::libraries_section(
                ui,
                &cx.settings.libraries,
            ));
        }
    }
}

fn you_ui(ui: &mut Ui, state: &mut PrefsWindow, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label("Your name");
        let r = ui.add(
            egui::TextEdit::singleline(&mut state.name)
                .hint_text("as it should appear on published checks")
                .desired_width(240.0),
        );
        let r = r.labelled_by(label.id);
        if std::mem::take(&mut state.focus_name) {
            focus_and_select_all(ui.ctx(), &r, &state.name);
        }
        if r.changed() {
            out.push(Command::SetAuthor(state.name.clone()));
        }
    });
    ui.weak("Written as the author of each new highlight and comment.");
}

fn appearance_ui(ui: &mut Ui, settings: &Settings, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label("Theme");
        if ui.radio(!settings.dark, "Light").clicked() && settings.dark {
            out.push(Command::SetDarkTheme(false));
        }
        if ui.radio(settings.dark, "Dark").clicked() && !settings.dark {
            out.push(Command::SetDarkTheme(true));
        }
    });
    let mut size = settings.font_size;
    let r = ui.add(
        egui::Slider::new(&mut size, FONT_SIZE_RANGE)
            .step_by(1.0)
            .suffix(" pt")
            .text("Text size"),
    );
    if r.changed() {
        out.push(Command::SetTextSize(size));
    }
}

fn saving_ui(ui: &mut Ui, settings: &Settings, out: &mut Vec<Command>) {
    let ms = |v: u64| v as f64 / 1000.0;
    let mut secs = ms(settings.autosave_delay().as_millis() as u64);
    let range = ms(*AUTOSAVE_MS_RANGE.start())..=ms(*AUTOSAVE_MS_RANGE.end());
    let r = ui.add(
        egui::Slider::new(&mut secs, range)
            .step_by(0.5)
            .suffix(" s")
            .text("Autosave after"),
    );
    if r.changed() {
        out.push(Command::SetAutosaveDelay(
            std::time::Duration::from_secs_f64(secs),
        ));
    }
    ui.weak("How long after your last edit the annotations are written to disk.");
}

/// The first-run prompt: who is annotating. Prefilled with a guess
/// ([`crate::identity::suggested_name`]); the person accepts or corrects it.
#[derive(Debug)]
pub struct NamePrompt {
    pub name: String,
    focus: bool,
}

impl NamePrompt {
    pub fn new(suggested: Option<String>) -> Self {
        Self {
            name: suggested.unwrap_or_default(),
            focus: true,
        }
    }
}

/// Draws the name prompt (a modal window); returns [`Command::AcceptName`] or
/// [`Command::DeferName`] when the person answers.
pub fn name_prompt_ui(ctx: &egui::Context, prompt: &mut NamePrompt) -> Vec<Command> {
    let mut out = Vec::new();
    egui::Modal::new(egui::Id::unique("name_prompt")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Who is checking?");
        ui.label(
            "Your name is saved as the author of each highlight and comment you make, \
             and travels with them into exports and reports.",
        );
        ui.add_space(6.0);
        let r = ui
            .horizontal(|ui| {
                let label = ui.label("Your name");
                ui.add(egui::TextEdit::singleline(&mut prompt.name).desired_width(260.0))
                    .labelled_by(label.id)
            })
            .inner;
        if std::mem::take(&mut prompt.focus) {
            focus_and_select_all(ui.ctx(), &r, &prompt.name);
        }
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let named = !prompt.name.trim().is_empty();
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let ok = ui.add_enabled(named, egui::Button::new("Use this name"));
            if ok.clicked() || (enter && named) {
                out.push(Command::AcceptName(prompt.name.clone()));
            }
            if ui.button("Not now").clicked() {
                out.push(Command::DeferName);
            }
        });
        ui.weak("You can change it later in Preferences (Ctrl+,).");
    });
    out
}

/// Puts the cursor in a prefilled name box with its text selected, so typing replaces the
/// guess and End keeps it.
fn focus_and_select_all(ctx: &egui::Context, r: &egui::Response, text: &str) {
    r.request_focus();
    if let Some(mut state) = egui::TextEdit::load_state(ctx, r.id) {
        let all = egui::text::CCursorRange::two(
            egui::text::CCursor::new(0),
            egui::text::CCursor::new(text.chars().count()),
        );
        state.cursor.set_char_range(Some(all));
        state.store(ctx, r.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn every_section_has_a_title_and_is_drawn() {
        let mut h = Harness::new_ui_state(
            |ui, out: &mut Vec<Command>| {
                let ctx = ui.ctx().clone();
                let settings = Settings::default();
                let mut state = PrefsWindow::default();
                state.open(&settings);
                out.extend(prefs_window_ui(
                    &ctx,
                    &mut state,
                    &PrefsContext {
                        settings: &settings,
                    },
                ));
            },
            Vec::new(),
        );
        h.run_steps(2);
        for s in Section::ALL {
            h.get_by_label(s.title());
        }
        h.get_by_label("Dark").click();
        h.run_steps(1);
        assert!(h.state().contains(&Command::SetDarkTheme(true)));
    }
}
