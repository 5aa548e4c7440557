//! Starting the window: eframe's options, the remembered settings, the signal handlers,
//! and the first story to open.

use std::path::PathBuf;

use eframe::egui;

use crate::app::command::Command;
use crate::app::dispatch::FactmarkApp;
use crate::app::io::NativePicker;
use crate::app::prefs::{self, Settings};
use crate::app::signals;

/// Opens the window on `path` (a story), the last story, or the bundled example.
pub fn run(path: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("factmark")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true)
            .with_icon(app_icon()),
        persist_window: true,
        // The window's first frame installs the same provider (`ui::fonts`), so the UI
        // tests see the fonts the window does.
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "factmark",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, prefs::STORAGE_KEY))
                .unwrap_or_default();
            let mut app = FactmarkApp::new(settings, Box::new(NativePicker));
            app.io.set_context(&cc.egui_ctx);
            match signals::ExitSignals::install() {
                Ok(s) => {
                    s.set_context(&cc.egui_ctx);
                    app.exit_signals = Some(s);
                }
                Err(e) => eprintln!("factmark: edits will not be saved on SIGTERM: {e}"),
            }
            app.test_annotate = std::env::var("FACTMARK_TEST_ANNOTATE").ok();
            let target = match path {
                Some(p) => Ok(p),
                None => prefs::default_story(&app.settings),
            };
            match target {
                Ok(p) => app.open(&p),
                Err(e) => app.enqueue(Command::ShowError(e)),
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}

fn app_icon() -> egui::IconData {
    let bytes = include_bytes!("../../assets/icon.png");
    eframe::icon_data::from_png_bytes(bytes).unwrap_or_default()
}

impl FactmarkApp {
    /// For the signal test (`tests/ui/signal_exit.rs`): once a story is open, highlight
    /// the `FACTMARK_TEST_ANNOTATE` quote as a claim, as a person would, and say so.
    pub(super) fn test_hook(&mut self) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let Some(quote) = self.test_annotate.take() else {
            return;
        };
        let text = &s.doc.story.text;
        let Some(byte) = text.as_str().find(&quote) else {
            eprintln!("factmark: test hook: quote not in the story");
            return;
        };
        let start = text.byte_to_char(byte);
        let span = crate::anchor::Span::new(start, start + quote.chars().count());
        if s.doc.create(span, "Claim", &self.settings.author).is_ok() {
            s.edited();
            eprintln!("factmark: test hook: annotated");
        }
    }
}
