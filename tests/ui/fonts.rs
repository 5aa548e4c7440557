//! Text in every script (issue #14): a story in Hindi (with Bengali, Tamil, Thai and emoji
//! passages) is drawn by the real reader with missing glyphs made fatal, and every
//! character of it has a glyph from a system font found for the script it uses.
//!
//! Needs the fonts CI installs (`fonts-noto-core`, `fonts-noto-color-emoji`): without them
//! this fails, as the window would show boxes.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use eframe::egui::{self, FontId};
use egui_kittest::Harness;
use factmark::app::{FactmarkApp, FilePicker, PickRequest, Settings};

/// Our own story: Devanagari with conjuncts (क्ष, त्र, ज्ञ, र्), vowel signs before
/// their consonant (ि), nasalisation (ं, ँ) and a nukta (ड़), then other scripts.
const HINDI: [&str; 3] = [
    "मुख्यमंत्री ने दावा किया कि राज्य में पिछले साल 40 प्रतिशत नई सड़कें बनाई गईं।",
    "विपक्ष के नेता ने कहा कि यह आँकड़ा ग़लत है और ज्ञापन में केवल 12 सड़कों का उल्लेख है।",
    "शिक्षा मंत्री के अनुसार 2025 में छात्रवृत्ति पाने वाले विद्यार्थियों की संख्या दोगुनी हुई।",
];
const OTHERS: [&str; 4] = [
    "মন্ত্রী বলেছেন যে দেশে ১০ লক্ষ নতুন চাকরি তৈরি হয়েছে।",
    "அமைச்சர் கூறினார் 50 சதவீதம் மக்கள் பயனடைந்தனர்.",
    "นายกรัฐมนตรีกล่าวว่าเศรษฐกิจเติบโตร้อยละ 3",
    "Reactions: 🎉 👍 🔥 😀 👍🏽 🇮🇳",
];

struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&self, _request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

#[test]
fn hindi_and_other_scripts_have_every_glyph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("rajya.txt");
    let story = format!(
        "राज्य की सड़कें\n\n{}\n\n{}\n",
        HINDI.join("\n\n"),
        OTHERS.join("\n\n")
    );
    std::fs::write(&path, &story).expect("write story");
    let settings = Settings {
        author: "tester".into(),
        ..Settings::default()
    };
    let mut app = FactmarkApp::new(settings, Box::new(NoPicker));
    app.open(&path);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    // A character no font can draw panics instead of drawing a box.
    h.ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Panic);
    h.state_mut().settle();
    h.run_steps(3);
    assert!(h.state().doc().is_some(), "the story opened");

    let font = FontId::proportional(h.state().settings.font_size);
    for passage in HINDI.iter().chain(OTHERS.iter()) {
        for c in passage.chars().filter(|c| !c.is_whitespace()) {
            let has = h.ctx.fonts_mut(|f| f.has_glyph(&font, c));
            assert!(
                has,
                "no glyph for {c:?} (U+{:04X}) in {passage:?}",
                c as u32
            );
        }
    }
    let loaded = factmark::ui::fonts::loaded(&h.ctx);
    for script in ["Devanagari", "Bengali", "Tamil", "Thai"] {
        assert!(
            loaded.iter().any(|f| f.contains(script)),
            "no {script} font loaded: {loaded:?}"
        );
    }
    // Emoji come from the colour emoji font, installed up front (not from DejaVu Sans or
    // Noto Sans Symbols2, which the system's fallback names first for 😀 and 👍).
    let proportional = h
        .ctx
        .fonts(|f| f.definitions().families[&egui::FontFamily::Proportional].clone());
    assert!(
        proportional.iter().any(|n| n.contains("Color Emoji")),
        "{proportional:?}"
    );
    for c in ['😀', '👍'] {
        let by = h.ctx.fonts_mut(|f| {
            f.characters(&egui::FontFamily::Proportional)
                .get(&c)
                .cloned()
                .unwrap_or_default()
        });
        assert!(
            by.first().is_some_and(|n| n.contains("Color Emoji")),
            "{c} drawn from {by:?}"
        );
    }
    // Only what the story uses is loaded (no Arabic or CJK here).
    assert!(
        !loaded
            .iter()
            .any(|f| f.contains("Arabic") || f.contains("CJK")),
        "{loaded:?}"
    );
}
