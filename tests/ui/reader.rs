//! The story reader driven through egui_kittest: selecting with the mouse and keyboard,
//! picking highlights, scrolling to a position, the cost of a first frame on a big story,
//! and how overlapping highlights look in both themes.

use eframe::egui::{self, Color32, Event, Modifiers, PointerButton, Pos2, Theme, vec2};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, HarnessBuilder};
use factmark::anchor::Span;
use factmark::model::AnnotationId;
use factmark::text::StoryText;
use factmark::ui::reader::{Highlight, Reader, ReaderInput};

const STORY: &str = "The mayor said the bridge cost 4 million euros.\n\nCouncil records show 9 million, paid over two years.\nA third line.";

struct View {
    reader: Reader,
    text: StoryText,
    highlights: Vec<Highlight>,
    selected: Option<AnnotationId>,
    find: Vec<Span>,
    scroll_to: Option<usize>,
    selection: Option<Span>,
    clicked: Option<AnnotationId>,
    hovered: Option<AnnotationId>,
    /// Show another focusable widget above the reader.
    with_button: bool,
}

impl View {
    fn new(text: String, highlights: Vec<Highlight>) -> Self {
        Self {
            reader: Reader::new(),
            text: StoryText::new(text),
            highlights,
            selected: None,
            find: Vec::new(),
            scroll_to: None,
            selection: None,
            clicked: None,
            hovered: None,
            with_button: false,
        }
    }
}

fn harness_with(builder: HarnessBuilder<View>, view: View) -> Harness<'static, View> {
    builder.build_ui_state(
        |ui, v: &mut View| {
            if v.with_button {
                let _ = ui.button("Elsewhere");
            }
            let mut input = ReaderInput::new(&v.text, 1);
            input.highlights = &v.highlights;
            input.highlights_revision = 1;
            input.selected = v.selected.as_ref();
            input.find_matches = &v.find;
            input.current_match = (!v.find.is_empty()).then_some(0);
            input.scroll_to = v.scroll_to.take();
            let out = v.reader.ui(ui, input);
            v.selection = out.selection;
            v.hovered = out.hovered;
            if out.clicked.is_some() {
                v.clicked = out.clicked;
            }
        },
        view,
    )
}

fn harness(view: View) -> Harness<'static, View> {
    // Frames 1/60 s apart, so two clicks a few frames apart make a double-click.
    harness_with(
        Harness::builder()
            .with_size(vec2(640.0, 360.0))
            .with_step_dt(1.0 / 60.0),
        view,
    )
}

fn highlight(id: &str, start: usize, end: usize, color: Color32) -> Highlight {
    Highlight {
        id: AnnotationId(id.to_owned()),
        span: Span::new(start, end),
        color,
        tooltip: format!("{id}: mostly false"),
    }
}

/// Char position of the first occurrence of `needle` in `s`.
fn char_pos(s: &str, needle: &str) -> usize {
    let b = s.find(needle).expect("needle in story");
    s[..b].chars().count()
}

/// A point inside char `c`: `frac` of the way across it.
fn point_in(h: &Harness<'_, View>, c: usize, frac: f32) -> Pos2 {
    let r = h.state().reader.char_rect(c).expect("char on screen");
    Pos2::new(r.left() + r.width() * frac, r.center().y)
}

fn selected_text(h: &Harness<'_, View>) -> Option<String> {
    let v = h.state();
    v.selection
        .map(|s| v.text.slice_chars(s.start..s.end).to_owned())
}

fn drag(h: &mut Harness<'_, View>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.step();
    h.hover_at(Pos2::new((from.x + to.x) / 2.0, (from.y + to.y) / 2.0));
    h.step();
    h.hover_at(to);
    h.step();
    h.drop_at(to);
    h.run();
}

fn click(h: &mut Harness<'_, View>, at: Pos2, modifiers: Modifiers) {
    h.hover_at(at);
    h.step();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers,
        });
        h.step();
    }
}

#[test]
fn drag_select_across_words_gives_the_cleaned_span() {
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let mayor = char_pos(STORY, "mayor");
    let after_bridge = char_pos(STORY, "bridge") + "bridge".len();
    // Start on the left half of "m", end on the right half of the space after "bridge":
    // the raw range carries a trailing space that cleaning must trim.
    let (from, to) = (point_in(&h, mayor, 0.2), point_in(&h, after_bridge, 0.8));
    drag(&mut h, from, to);
    assert_eq!(selected_text(&h).as_deref(), Some("mayor said the bridge"));
    assert_eq!(
        h.state().selection,
        Some(Span::new(mayor, after_bridge)),
        "the reported span is in chars of the canonical text"
    );
}

#[test]
fn drag_select_across_paragraphs() {
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let million = char_pos(STORY, "million");
    let council_end = char_pos(STORY, "Council") + "Council".len();
    let (from, to) = (
        point_in(&h, million, 0.1),
        point_in(&h, council_end - 1, 0.9),
    );
    drag(&mut h, from, to);
    assert_eq!(
        selected_text(&h).as_deref(),
        Some("million euros.\n\nCouncil")
    );
}

#[test]
fn double_click_selects_a_word_and_shift_arrows_extend_it() {
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let bridge = char_pos(STORY, "bridge");
    let at = point_in(&h, bridge + 2, 0.5);
    click(&mut h, at, Modifiers::NONE);
    click(&mut h, at, Modifiers::NONE);
    h.run();
    assert_eq!(selected_text(&h).as_deref(), Some("bridge"));

    // Shift+Right twice extends by two chars (the space, then "c").
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowRight);
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(selected_text(&h).as_deref(), Some("bridge c"));
    // Ctrl+Shift+Right extends to the end of the word.
    h.key_press_modifiers(Modifiers::SHIFT | Modifiers::COMMAND, egui::Key::ArrowRight);
    h.run();
    assert_eq!(selected_text(&h).as_deref(), Some("bridge cost"));
}

#[test]
fn shift_click_extends_and_selection_survives_focus_loss() {
    let mut view = View::new(STORY.to_owned(), vec![]);
    view.with_button = true;
    let mut h = harness(view);
    h.run();
    let the = char_pos(STORY, "The");
    let cost_end = char_pos(STORY, "cost") + "cost".len();
    let at = point_in(&h, the, 0.1);
    click(&mut h, at, Modifiers::NONE);
    let at = point_in(&h, cost_end - 1, 0.9);
    click(&mut h, at, Modifiers::SHIFT);
    h.run();
    assert_eq!(
        selected_text(&h).as_deref(),
        Some("The mayor said the bridge cost")
    );
    // Clicking another widget moves egui's focus away; the selection must stay.
    h.get_by_label("Elsewhere").click();
    h.run();
    assert_eq!(
        selected_text(&h).as_deref(),
        Some("The mayor said the bridge cost")
    );
}

#[test]
fn clicking_a_highlight_reports_the_innermost() {
    let outer_span = (char_pos(STORY, "mayor"), char_pos(STORY, " euros"));
    let said = char_pos(STORY, "said");
    let highlights = vec![
        highlight("outer", outer_span.0, outer_span.1, Color32::RED),
        highlight("inner", said, said + 4, Color32::BLUE),
    ];
    let mut h = harness(View::new(STORY.to_owned(), highlights));
    h.run();
    let at = point_in(&h, said + 1, 0.5);
    click(&mut h, at, Modifiers::NONE);
    h.run();
    assert_eq!(h.state().clicked, Some(AnnotationId("inner".to_owned())));
    let bridge = char_pos(STORY, "bridge");
    h.step();
    let at = point_in(&h, bridge, 0.5);
    click(&mut h, at, Modifiers::NONE);
    h.run();
    assert_eq!(h.state().clicked, Some(AnnotationId("outer".to_owned())));
}

/// Paragraphs of a few hundred chars until the story reaches `bytes`.
fn generated_story(bytes: usize) -> String {
    let words = [
        "claim", "report", "minister", "budget", "said", "percent", "école", "2019",
    ];
    let mut out = String::with_capacity(bytes + 512);
    let mut k = 0usize;
    let mut paragraph = 0usize;
    while out.len() < bytes {
        paragraph += 1;
        out.push_str(&format!("P{paragraph}. "));
        for _ in 0..(20 + paragraph % 60) {
            k = k.wrapping_mul(31).wrapping_add(7) % 1_000_003;
            out.push_str(words[k % words.len()]);
            out.push(' ');
        }
        out.push_str("\n\n");
    }
    out
}

#[test]
fn scroll_to_a_far_position_shows_its_paragraph() {
    let story = generated_story(400_000);
    let paragraphs = story.matches("\n\n").count();
    assert!(paragraphs > 500, "{paragraphs} paragraphs");
    let target = char_pos(&story, &format!("P{}. ", paragraphs * 9 / 10));
    let mut h = harness(View::new(story, vec![]));
    h.run();
    assert!(
        !h.state()
            .reader
            .drawn_chars()
            .expect("drawn")
            .contains(target),
        "the target starts off screen"
    );
    h.state_mut().scroll_to = Some(target);
    h.run();
    let rect = h.state().reader.char_rect(target).expect("target drawn");
    let screen = egui::Rect::from_min_size(Pos2::ZERO, vec2(640.0, 360.0));
    assert!(screen.contains(rect.center()), "{rect:?} is on screen");
    // Centred: within the middle half of the screen height.
    assert!(
        (rect.center().y - 180.0).abs() < 90.0,
        "{rect:?} is centred"
    );
}

#[test]
fn first_frame_of_a_big_story_lays_out_only_what_is_visible() {
    let story = generated_story(2_000_000);
    let mut h = harness(View::new(story, vec![]));
    h.step();
    let reader = &h.state().reader;
    assert!(
        reader.chunk_count() > 5_000,
        "{} chunks",
        reader.chunk_count()
    );
    assert!(
        reader.galleys_laid_out() <= 12,
        "{} galleys laid out for one screen",
        reader.galleys_laid_out()
    );
}

fn overlapping_view() -> View {
    let s =
        "Officials said unemployment fell by 40 percent last year, which the records contradict.";
    let said = char_pos(s, "said");
    let fell = char_pos(s, "fell");
    let year = char_pos(s, "year") + 4;
    let contradict = char_pos(s, "contradict") + "contradict".len();
    let highlights = vec![
        highlight("a", 0, year, Color32::from_rgb(220, 50, 47)),
        highlight("b", fell, contradict, Color32::from_rgb(38, 139, 210)),
        highlight("c", said, said + 4, Color32::from_rgb(133, 153, 0)),
    ];
    let mut view = View::new(s.to_owned(), highlights);
    view.selected = Some(AnnotationId("b".to_owned()));
    let records = char_pos(s, "records");
    view.find = vec![Span::new(records, records + 7)];
    view
}

fn snapshot_in(theme: Theme, name: &str) {
    let builder = Harness::builder()
        .with_size(vec2(420.0, 130.0))
        .with_step_dt(1.0 / 60.0)
        .with_theme(theme);
    let mut h = harness_with(builder, overlapping_view());
    h.run();
    h.snapshot(name);
}

#[test]
fn overlapping_highlights_light_snapshot() {
    snapshot_in(Theme::Light, "reader_overlaps_light");
}

#[test]
fn overlapping_highlights_dark_snapshot() {
    snapshot_in(Theme::Dark, "reader_overlaps_dark");
}

#[test]
fn resizing_keeps_the_paragraph_being_read_at_the_top() {
    let story = generated_story(400_000);
    let paragraphs = story.matches("\n\n").count();
    let target = char_pos(&story, &format!("P{}. ", paragraphs / 2));
    let mut h = harness(View::new(story, vec![]));
    h.run();
    h.state_mut().scroll_to = Some(target);
    h.run();
    let reading = h.state().reader.drawn_chars().expect("drawn").start;
    assert!(reading > 0);
    h.set_size(vec2(420.0, 360.0));
    h.run();
    assert_eq!(
        h.state().reader.drawn_chars().expect("drawn").start,
        reading
    );
    h.set_size(vec2(640.0, 360.0));
    h.run();
    assert_eq!(
        h.state().reader.drawn_chars().expect("drawn").start,
        reading
    );
}

#[test]
fn hovering_a_highlight_reports_it_and_shows_its_tooltip() {
    let said = char_pos(STORY, "said");
    let highlights = vec![
        highlight("outer", 0, char_pos(STORY, " euros"), Color32::RED),
        highlight("inner", said, said + 4, Color32::BLUE),
    ];
    let mut h = harness(View::new(STORY.to_owned(), highlights));
    h.run();
    let at = point_in(&h, said + 2, 0.5);
    h.hover_at(at);
    h.run_steps(60);
    assert_eq!(h.state().hovered, Some(AnnotationId("inner".to_owned())));
    assert!(h.query_all_by_label("inner: mostly false").next().is_some());
    assert!(h.query_all_by_label("outer: mostly false").next().is_none());
    let third = char_pos(STORY, "third");
    let at = point_in(&h, third, 0.5);
    h.hover_at(at);
    h.run_steps(5);
    assert_eq!(h.state().hovered, None);
}

/// Regression (#14): switching the theme cleared egui's glyph atlas, but the reader kept
/// galleys that pointed into the old one: the text vanished, then came out scrambled.
#[test]
fn toggling_the_theme_twice_draws_the_same_picture() {
    let builder = Harness::builder()
        .with_size(vec2(420.0, 160.0))
        .with_step_dt(1.0 / 60.0)
        .with_theme(Theme::Light);
    let mut h = harness_with(builder, overlapping_view());
    h.run();
    let before = h.render().expect("render");
    for theme in [Theme::Dark, Theme::Light, Theme::Dark, Theme::Light] {
        h.ctx.set_theme(theme);
        h.run();
        // Something else drawn between toggles fills the fresh atlas with other glyphs,
        // which is what scrambled stale galleys.
        h.render().expect("render");
    }
    let after = h.render().expect("render");
    let differing = before
        .pixels()
        .zip(after.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(
        differing, 0,
        "{differing} pixels differ after two round trips"
    );
}

fn drag_with(h: &mut Harness<'_, View>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    drag(h, from, to);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

/// Drags from `frac` of the way across one char to `frac` across another.
fn drag_between(h: &mut Harness<'_, View>, from: (usize, f32), to: (usize, f32)) {
    let (a, b) = (point_in(h, from.0, from.1), point_in(h, to.0, to.1));
    drag(h, a, b);
}

#[test]
fn a_drag_inside_one_word_is_exact_to_the_char() {
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let million = char_pos(STORY, "million");
    // Right half of "i" (caret after it) to the right half of the second "l".
    drag_between(&mut h, (million, 0.7), (million + 3, 0.7));
    assert_eq!(selected_text(&h).as_deref(), Some("ill"));
    assert_eq!(
        h.state().selection,
        Some(Span::new(million + 1, million + 4))
    );
}

#[test]
fn a_drag_across_words_takes_whole_words_both_ways() {
    // #14: drags gave "$110 million f" and "n, 39, who…".
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let mayor = char_pos(STORY, "mayor");
    let bridge = char_pos(STORY, "bridge");
    drag_between(&mut h, (mayor + 2, 0.5), (bridge + 2, 0.5));
    assert_eq!(selected_text(&h).as_deref(), Some("mayor said the bridge"));
    // Backwards, from the middle of "bridge" to the middle of "mayor".
    drag_between(&mut h, (bridge + 3, 0.5), (mayor + 1, 0.5));
    assert_eq!(selected_text(&h).as_deref(), Some("mayor said the bridge"));
    // Into the next paragraph: the word there is taken whole too.
    let records = char_pos(STORY, "records");
    drag_between(&mut h, (mayor + 2, 0.5), (records + 2, 0.5));
    assert!(
        selected_text(&h).is_some_and(|t| t.starts_with("mayor") && t.ends_with("records")),
        "{:?}",
        selected_text(&h)
    );
}

#[test]
fn alt_drag_selects_single_characters() {
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let mayor = char_pos(STORY, "mayor");
    let said = char_pos(STORY, "said");
    let (from, to) = (point_in(&h, mayor + 2, 0.2), point_in(&h, said + 2, 0.2));
    drag_with(&mut h, from, to, Modifiers::ALT);
    assert_eq!(selected_text(&h).as_deref(), Some("yor sa"));
}

#[test]
fn both_ends_of_a_fast_drag_are_where_the_button_went_down_and_up() {
    let mut h = harness(View::new(STORY.to_owned(), vec![]));
    h.run();
    let mayor = char_pos(STORY, "mayor");
    let the = char_pos(STORY, "the bridge");
    let (from, to) = (point_in(&h, mayor, 0.2), point_in(&h, the + 2, 0.8));
    let past = Pos2::new(from.x + 30.0, from.y);
    h.hover_at(from);
    h.run();
    // The press and a move arrive in one frame, as with a quick flick...
    h.drag_at(from);
    h.hover_at(past);
    h.step();
    h.hover_at(Pos2::new(to.x - 40.0, to.y));
    h.step();
    // ...and so do the last move and the release.
    h.hover_at(to);
    h.drop_at(to);
    h.run();
    assert_eq!(selected_text(&h).as_deref(), Some("mayor said the"));
    assert_eq!(h.state().selection, Some(Span::new(mayor, the + 3)));
}
