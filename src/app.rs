//! The window (eframe::App): wiring only. Placeholder until the annotator UI lands.

use std::path::PathBuf;

use eframe::egui;

/// Opens the window on `path` (a story), or the bundled example.
pub fn run(path: Option<PathBuf>) -> Result<(), String> {
    let path = path.unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/example-story.txt"
        ))
    });
    let story = crate::text::load_story(&path).map_err(|e| e.to_string())?;
    let text = story.text.as_str().to_owned();
    eframe::run_ui_native(
        "factmark",
        eframe::NativeOptions::default(),
        move |ui, _frame| {
            egui::ScrollArea::vertical().show(ui, |ui| ui.label(&text));
        },
    )
    .map_err(|e| e.to_string())
}
