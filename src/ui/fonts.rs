//! Fonts for stories in any script.
//!
//! egui's built-in fonts cover Latin, Greek and Cyrillic. For everything else (Arabic,
//! Hebrew, Devanagari, Bengali, Tamil, Thai, CJK, emoji…) the window asks the system, on
//! demand: the first time a character has no glyph in the fonts loaded so far, the system's
//! own font fallback (fontconfig, through `egui_system_font_provider` and `fontique`) names
//! an installed font that has it, and that font is memory-mapped and added as a fallback.
//! So only the scripts a story actually uses are loaded, when they are first drawn.
//!
//! egui shapes text with `harfrust` (a port of HarfBuzz), so conjuncts, vowel signs and
//! joining forms come out as they should; see `docs/FONTS.md` for what was checked and the
//! limits found. Nothing is downloaded: a script with no installed font shows as boxes.
//! On Debian/Ubuntu `fonts-noto-core` and `fonts-noto-color-emoji` cover the scripts in
//! use in newsrooms.
//!
//! [`install`] is called by the window's first frame (so the UI tests get the same fonts
//! as the window); eframe's own copy of this provider is switched off in `app::run`.

use std::sync::{Arc, LazyLock};

use eframe::egui;
use egui_system_font_provider::SystemFontProvider;

/// One provider for the whole process: listing the system's fonts takes a few hundred
/// milliseconds (on a background thread), and every window or test context shares it.
static SYSTEM_FONTS: LazyLock<Arc<SystemFontProvider>> =
    LazyLock::new(|| Arc::new(SystemFontProvider::new()));

/// Lets `ctx` find system fonts for characters its fonts lack.
pub fn install(ctx: &egui::Context) {
    let provider: Arc<SystemFontProvider> = SYSTEM_FONTS.clone();
    ctx.add_font_provider(provider);
}

/// The names of the system fonts loaded so far for `ctx` (e.g.
/// `system:Noto Sans Devanagari:0:0`): what the story on screen needed.
pub fn loaded(ctx: &egui::Context) -> Vec<String> {
    ctx.fonts(|f| {
        f.discovered_fonts()
            .iter()
            .map(|font| font.name.clone())
            .collect()
    })
}
