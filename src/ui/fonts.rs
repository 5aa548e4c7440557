//! Fonts for stories in any script.
//!
//! egui's built-in font covers Latin, Greek and Cyrillic. Stories also come in Arabic,
//! Hebrew, CJK and with symbols, so the fonts a Linux desktop usually has are added as
//! fallbacks when they are present. Nothing is downloaded; a missing font only means those
//! characters show as boxes.

use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

/// Fallback fonts tried in order, by path. The first file found for each name is used.
const CANDIDATES: &[(&str, &[&str])] = &[
    (
        "dejavu-sans",
        &[
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        ],
    ),
    (
        "noto-sans-arabic",
        &[
            "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
            "/usr/share/fonts/noto/NotoSansArabic-Regular.ttf",
        ],
    ),
    (
        "cjk",
        &[
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        ],
    ),
];

/// Adds the system fonts found as fallbacks after egui's own. Returns the names added.
pub fn install_fallbacks(ctx: &egui::Context) -> Vec<&'static str> {
    let mut defs = FontDefinitions::default();
    let mut added = Vec::new();
    for (name, paths) in CANDIDATES {
        let Some(bytes) = paths.iter().find_map(|p| std::fs::read(p).ok()) else {
            continue;
        };
        defs.font_data
            .insert((*name).to_owned(), Arc::new(FontData::from_owned(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            defs.families
                .entry(family)
                .or_default()
                .push((*name).to_owned());
        }
        added.push(*name);
    }
    if !added.is_empty() {
        ctx.set_fonts(defs);
    }
    added
}
