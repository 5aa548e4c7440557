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
//! Emoji: the system's fallback looks in sans-serif fonts before emoji fonts, so 😀 would
//! come from DejaVu Sans and 👍 from Noto Sans Symbols2, in black and white, and 👍🏽 would
//! split into a thumb and a skin-tone swatch. So the colour emoji font (found by asking the
//! fallback for emoji that only emoji fonts have) is installed up front, after egui's text
//! fonts: text characters still come from those, emoji and their sequences from it.
//!
//! [`install`] is called by the window's first frame (so the UI tests get the same fonts
//! as the window); eframe's own copy of this provider is switched off in `app::run`.

use std::sync::{Arc, LazyLock};

use eframe::egui::{self, FallbackRequest, FontDefinitions, FontFamily, FontInsert, FontProvider};
use egui_system_font_provider::SystemFontProvider;

/// Emoji recent enough that no text font has them: the system's fallback for them names
/// its emoji font.
const EMOJI_PROBES: [&str; 3] = ["\u{1FAE0}", "\u{1F389}", "\u{1F9A9}"];

/// One provider for the whole process: listing the system's fonts takes a few hundred
/// milliseconds (on a background thread), and every window or test context shares it.
static SYSTEM_FONTS: LazyLock<Arc<SystemFontProvider>> =
    LazyLock::new(|| Arc::new(SystemFontProvider::new()));

/// Lets `ctx` find system fonts for characters its fonts lack, with the system's colour
/// emoji font (if any) ahead of egui's monochrome ones. Waits for the font list the first
/// time in a process (a few hundred milliseconds, once).
pub fn install(ctx: &egui::Context) {
    let provider: Arc<SystemFontProvider> = SYSTEM_FONTS.clone();
    if let Some(emoji) = colour_emoji(&provider) {
        let mut defs = FontDefinitions::default();
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            defs.families
                .entry(family)
                .or_default()
                .push(emoji.name.clone());
        }
        defs.font_data.insert(emoji.name, Arc::new(emoji.data));
        ctx.set_fonts(defs);
    }
    ctx.add_font_provider(provider);
}

/// The system's emoji font, as its fallback names it for [`EMOJI_PROBES`].
fn colour_emoji(provider: &SystemFontProvider) -> Option<FontInsert> {
    EMOJI_PROBES.iter().find_map(|probe| {
        let request = FallbackRequest {
            cluster: probe,
            family: &FontFamily::Proportional,
        };
        provider
            .font_for(&request)
            .filter(|f| f.name.contains("Emoji"))
    })
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
