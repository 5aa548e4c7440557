//! Every user action in the window, with its label and keyboard shortcut.
//!
//! Menus, buttons and keys all produce a [`Command`]; the app applies queued commands once
//! per frame. The shortcut sheet (F1) and the menus read their labels and shortcuts from
//! here, so they never disagree, and a test checks that no two shortcuts clash.
//!
//! Plain-key shortcuts (label keys, verdict digits, J/K) only fire while no text field has
//! keyboard focus, so typing a statement never triggers them.
//!
//! Panels (`ui/`) produce commands and nothing else; they never change a document or the
//! workspace while drawing. This module must not import `ui/` (the panels import it).

use std::path::PathBuf;

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use crate::export::{ExportOptions, Filter, Format};
use crate::model::{Annotation, AnnotationId, Status};
use crate::settings::FolderSettings;
use crate::workspace::RowId;

/// Which part of the workspace window is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// The open story: reader, list, inspector.
    #[default]
    Story,
    Claims,
    Review,
    Statistics,
    Settings,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Story,
        View::Claims,
        View::Review,
        View::Statistics,
        View::Settings,
    ];

    pub fn name(self) -> &'static str {
        match self {
            View::Story => "Story",
            View::Claims => "Claims table",
            View::Review => "Review queue",
            View::Statistics => "Statistics",
            View::Settings => "Folder settings",
        }
    }
}

/// What a click on a statistics bar asks the claims table to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatsFilter {
    /// Claims with this verdict (`None`: without one).
    Verdict(Option<String>),
    Status(Status),
    Story(usize),
    /// Claims whose wording changed under them, waiting for a decision (SPEC 9).
    WordingChanged,
}

/// A keyboard scroll of the reader (the story view's Page Down, Space, arrows, Home, End).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    LineUp,
    LineDown,
    PageUp,
    PageDown,
    /// The top of the story.
    Start,
    /// The end of the story.
    End,
}

/// What to export, as chosen in the export dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportChoice {
    pub format: Format,
    /// All stories in the story's folder instead of this story.
    pub whole_folder: bool,
    pub filter: Filter,
    pub options: ExportOptions,
}

/// A user action.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Open,
    /// Open this story or folder (recent files, the folder's story list, a dropped file).
    OpenPath(PathBuf),
    /// Open the story this many places after (negative: before) the open one in the folder.
    OtherStory(isize),
    Save,
    /// Write the annotations to another file (when saving the sidecar fails).
    SaveCopyAs,
    Reload,
    /// Open the export dialog.
    Export,
    /// Import W3C Web Annotations (e.g. from Hypothesis) into this story.
    Import,
    Quit,
    Undo,
    Redo,
    Find,
    FindNext,
    FindPrevious,
    /// Create an annotation with the `n`th label on the current selection.
    ApplyLabel(usize),
    /// Give the selected claim the `n`th verdict of the scale (0 clears it).
    SetVerdict(usize),
    DeleteAnnotation,
    NextAnnotation,
    PreviousAnnotation,
    /// Accept a re-anchored highlight's new place.
    ConfirmAnchor,
    /// Accept a changed wording (SPEC 9); `keep_verdict`: the change does not affect the
    /// verdict (recorded with the name and time), else an Approved claim goes back to review.
    ConfirmWording {
        keep_verdict: bool,
    },
    /// Move the selected annotation onto the current text selection.
    ReattachToSelection,
    /// Open the selected annotation's "Add a web source" fields with the keyboard in the
    /// address box (Enter adds the source).
    AddWebSource,
    FocusFilter,
    ClearSelection,
    ToggleTheme,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ShowShortcuts,
    /// Open a folder of stories as a workspace.
    OpenFolder,
    /// Switch the workspace window to a view.
    ShowView(View),
    /// Stop the folder scan in progress.
    CancelScan,
    /// Export the annotations the claims table shows.
    ExportClaims,
    /// Give the selected claim (the queue's current one) a workflow status.
    SetStatus(Status),
    /// Review queue: the next / previous claim.
    ReviewNext,
    ReviewPrevious,
    /// Review queue: type a comment on the current claim.
    ReviewComment,
    /// Review queue: open the current claim in the reader.
    OpenInReader,
    /// Review queue: add this comment to the current claim.
    AddComment(String),
    /// Show the annotation in the inspector, list and reader (scrolled to it).
    Select(AnnotationId),
    /// A highlight clicked in the reader: select it where it is, without scrolling.
    SelectHere(AnnotationId),
    /// Replace the annotation with this edited copy (the inspector); `label` names the
    /// undo step and `coalesce` merges a burst of typing into one step.
    UpdateAnnotation {
        label: String,
        annotation: Box<Annotation>,
        coalesce: bool,
    },
    /// A text box lost focus: end the coalesced undo step.
    SealHistory,
    /// Open a source's web address in the browser (validated again before opening).
    OpenUrl(String),
    /// Tell the user something went wrong (a panel refused an input).
    ShowError(String),
    /// Open a claims-table row's claim in the reader.
    OpenClaim(RowId),
    /// Show the claims table filtered as a statistics bar asks.
    FilterClaims(StatsFilter),
    /// Turn the claims table's (and so the review queue's) "Wording changed" filter on or
    /// off, staying in the current view.
    FilterWordingChanged(bool),
    /// Write the folder's `factmark.ron` and apply it.
    SaveFolderSettings(Box<FolderSettings>),
    /// Ask where to save, then write the export the dialog describes.
    ExportWith(Box<ExportChoice>),
    /// The re-anchoring banner's "Show them": the list shows what needs attention.
    ShowAttention,
    /// The re-anchoring banner's "Dismiss".
    DismissBanner,
    /// Close the find bar.
    CloseFind,
    /// Scroll the reader.
    Scroll(Scroll),
    /// Open the story details window (public URL, headline, outlet, author, date).
    ShowStoryDetails,
    /// Store these story details in the sidecar (undoable).
    SetStoryMeta(Box<crate::sources::StoryMeta>),
    // ---- suggested claims (SPEC 13) ----
    /// Show or hide the suggested claims in the reader.
    ToggleSuggestions,
    /// Walk to the next / previous suggestion (best first), scrolling the reader to it.
    NextSuggestion,
    PreviousSuggestion,
    /// Make the current suggestion a Claim, statement and claimant pre-filled.
    AcceptSuggestion,
    /// Hide the current suggestion for this story (kept in the sidecar).
    DismissSuggestion,
    // ---- claim memory (SPEC 12) ----
    /// Open the workspace search window (every story and annotation).
    SearchWorkspace,
    /// Open the story of the search window's `n`th hit at the match.
    OpenSearchHit(usize),
    /// "Checked before": copy the `n`th match's verdict, rationale and sources onto the
    /// selected claim, with a link back to it.
    UseVerdictFrom(usize),
    /// "Checked before": link the selected claim and the `n`th match as the same claim (a
    /// link on both annotations).
    LinkSameClaim(usize),
    /// Show the claim libraries editor.
    ShowLibraries,
    /// Ask for a folder to add as a claim library.
    AddLibrary,
    /// Stop using the `n`th claim library.
    RemoveLibrary(usize),
    /// Claims table: give every claim of same-claim group `group` this verdict, one
    /// undoable step per story.
    RateGroup {
        group: usize,
        verdict: Option<String>,
    },
    // ---- preferences and the author's name (issues #12, #14) ----
    /// Open (or close) the Preferences window.
    ShowPreferences,
    ClosePreferences,
    /// The name written as author of new annotations and comments.
    SetAuthor(String),
    /// The first-run prompt's OK: this is the author's name.
    AcceptName(String),
    /// The first-run prompt's "Not now": ask again at the next start.
    DeferName,
    SetDarkTheme(bool),
    /// The reader's text size, in points.
    SetTextSize(f32),
    SetAutosaveDelay(std::time::Duration),
    // ---- the path dialog (when the system file dialog cannot open) ----
    /// The path typed in the path dialog: use it for what the dialog was opened for.
    ChoosePath(PathBuf),
    ClosePathDialog,
}

/// Where a shortcut applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Works everywhere, also while typing (has a Ctrl/Cmd modifier or is a function key).
    Global,
    /// Only while no text field has keyboard focus.
    Reading,
}

/// A command with its shortcut, for the shortcut sheet and key handling.
pub struct Binding {
    pub command: Command,
    pub shortcut: KeyboardShortcut,
    pub scope: Scope,
}

const fn key(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, k)
}

const fn cmd(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, k)
}

const fn cmd_shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(
        Modifiers {
            alt: false,
            ctrl: false,
            shift: true,
            mac_cmd: false,
            command: true,
        },
        k,
    )
}

const fn shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::SHIFT, k)
}

const fn alt(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::ALT, k)
}

const DIGITS: [Key; 8] = [
    Key::Num0,
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
];

impl Command {
    /// The words shown in menus, tooltips and the shortcut sheet.
    pub fn label(&self) -> String {
        match self {
            Command::Open => "Open story…".into(),
            Command::OpenPath(p) => p.display().to_string(),
            Command::OtherStory(step) if *step < 0 => "Previous story in the folder".into(),
            Command::OtherStory(_) => "Next story in the folder".into(),
            Command::Save => "Save".into(),
            Command::SaveCopyAs => "Save a copy of the annotations as…".into(),
            Command::Reload => "Reload from disk".into(),
            Command::Export => "Export…".into(),
            Command::Import => "Import W3C / Hypothesis annotations…".into(),
            Command::Quit => "Quit".into(),
            Command::Undo => "Undo".into(),
            Command::Redo => "Redo".into(),
            Command::Find => "Find in story".into(),
            Command::FindNext => "Find next".into(),
            Command::FindPrevious => "Find previous".into(),
            Command::ApplyLabel(n) => format!("Highlight selection with label {}", n + 1),
            Command::SetVerdict(0) => "Clear verdict".into(),
            Command::SetVerdict(n) => format!("Set verdict {n}"),
            Command::DeleteAnnotation => "Delete annotation".into(),
            Command::NextAnnotation => "Next annotation".into(),
            Command::PreviousAnnotation => "Previous annotation".into(),
            Command::ConfirmAnchor => "Confirm re-anchored highlight".into(),
            Command::ConfirmWording {
                keep_verdict: false,
            } => "Confirm changed wording".into(),
            Command::ConfirmWording { keep_verdict: true } => {
                "Wording change does not affect the verdict".into()
            }
            Command::ReattachToSelection => "Re-attach annotation to selection".into(),
            Command::AddWebSource => "Add a web source".into(),
            Command::FocusFilter => "Filter annotations".into(),
            Command::ClearSelection => "Clear selection / close".into(),
            Command::ToggleTheme => "Toggle light / dark theme".into(),
            Command::ZoomIn => "Zoom in".into(),
            Command::ZoomOut => "Zoom out".into(),
            Command::ZoomReset => "Reset zoom".into(),
            Command::ShowShortcuts => "Keyboard shortcuts".into(),
            Command::OpenFolder => "Open folder…".into(),
            Command::ShowView(v) => format!("Show {}", v.name().to_lowercase()),
            Command::CancelScan => "Cancel folder scan".into(),
            Command::ExportClaims => "Export the claims table's view…".into(),
            Command::SetStatus(s) => format!("Status: {}", s.name()),
            Command::ReviewNext => "Next claim in the queue".into(),
            Command::ReviewPrevious => "Previous claim in the queue".into(),
            Command::ReviewComment => "Comment on the claim".into(),
            Command::OpenInReader => "Open the claim in the reader".into(),
            Command::AddComment(_) => "Add a comment".into(),
            Command::Select(_) | Command::SelectHere(_) => "Select the annotation".into(),
            Command::UpdateAnnotation { label, .. } => label.clone(),
            Command::SealHistory => "End the typing step".into(),
            Command::OpenUrl(_) => "Open the source".into(),
            Command::ShowError(m) => m.clone(),
            Command::OpenClaim(_) => "Open the claim".into(),
            Command::FilterClaims(_) => "Filter the claims table".into(),
            Command::FilterWordingChanged(_) => "Only claims whose wording changed".into(),
            Command::SaveFolderSettings(_) => "Save the folder settings".into(),
            Command::ExportWith(_) => "Export".into(),
            Command::ShowAttention => "Show the highlights that need attention".into(),
            Command::DismissBanner => "Dismiss".into(),
            Command::CloseFind => "Close the find bar".into(),
            Command::Scroll(Scroll::LineUp) => "Scroll up".into(),
            Command::Scroll(Scroll::LineDown) => "Scroll down".into(),
            Command::Scroll(Scroll::PageUp) => "Page up".into(),
            Command::Scroll(Scroll::PageDown) => "Page down".into(),
            Command::Scroll(Scroll::Start) => "Go to the top of the story".into(),
            Command::Scroll(Scroll::End) => "Go to the end of the story".into(),
            Command::ShowStoryDetails => "Story details (address, headline, outlet)…".into(),
            Command::SetStoryMeta(_) => "Edit story details".into(),
            Command::ToggleSuggestions => "Suggested claims".into(),
            Command::NextSuggestion => "Next suggestion".into(),
            Command::PreviousSuggestion => "Previous suggestion".into(),
            Command::AcceptSuggestion => "Accept the suggestion as a claim".into(),
            Command::DismissSuggestion => "Dismiss the suggestion".into(),
            Command::SearchWorkspace => "Search all stories…".into(),
            Command::OpenSearchHit(_) => "Open the story at the match".into(),
            Command::UseVerdictFrom(_) => "Use verdict and sources".into(),
            Command::LinkSameClaim(_) => "Link as the same claim".into(),
            Command::ShowLibraries => "Claim libraries…".into(),
            Command::AddLibrary => "Add a claim library…".into(),
            Command::RemoveLibrary(_) => "Remove the claim library".into(),
            Command::RateGroup { .. } => "Rate the same claim in every story".into(),
            Command::ShowPreferences => "Preferences…".into(),
            Command::ClosePreferences => "Close the preferences".into(),
            Command::SetAuthor(_) => "Set your name".into(),
            Command::AcceptName(_) => "Use this name".into(),
            Command::DeferName => "Not now".into(),
            Command::SetDarkTheme(true) => "Dark theme".into(),
            Command::SetDarkTheme(false) => "Light theme".into(),
            Command::SetTextSize(_) => "Set the text size".into(),
            Command::SetAutosaveDelay(_) => "Set the autosave delay".into(),
            Command::ChoosePath(p) => p.display().to_string(),
            Command::ClosePathDialog => "Cancel".into(),
        }
    }

    /// The first shortcut bound to this command, for menus.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        bindings()
            .into_iter()
            .chain(review_bindings())
            .find(|b| &b.command == self)
            .map(|b| b.shortcut)
    }
}

/// Every key binding. Label keys (C, S, N…) come from the labels at run time; see
/// [`label_bindings`].
pub fn bindings() -> Vec<Binding> {
    use Command as C;
    let g = |command, shortcut| Binding {
        command,
        shortcut,
        scope: Scope::Global,
    };
    let r = |command, shortcut| Binding {
        command,
        shortcut,
        scope: Scope::Reading,
    };
    let mut v = vec![
        g(C::Open, cmd(Key::O)),
        g(C::Save, cmd(Key::S)),
        g(C::SaveCopyAs, cmd_shift(Key::S)),
        g(C::Reload, cmd_shift(Key::R)),
        g(C::Export, cmd(Key::E)),
        g(C::Import, cmd(Key::I)),
        g(C::Quit, cmd(Key::Q)),
        g(C::Undo, cmd(Key::Z)),
        g(C::Redo, cmd_shift(Key::Z)),
        g(C::Redo, cmd(Key::Y)),
        g(C::Find, cmd(Key::F)),
        g(C::SearchWorkspace, cmd_shift(Key::F)),
        g(C::FindNext, key(Key::F3)),
        g(C::FindNext, cmd(Key::G)),
        g(C::FindPrevious, shift(Key::F3)),
        g(C::FindPrevious, cmd_shift(Key::G)),
        g(C::FocusFilter, cmd(Key::L)),
        // Ctrl+K inserts a link in word processors; here it cites a web page.
        g(C::AddWebSource, cmd(Key::K)),
        g(C::ToggleTheme, cmd_shift(Key::T)),
        g(C::ZoomIn, cmd(Key::Plus)),
        g(C::ZoomIn, cmd(Key::Equals)),
        g(C::ZoomOut, cmd(Key::Minus)),
        g(C::ZoomReset, cmd(Key::Num0)),
        g(C::ShowShortcuts, key(Key::F1)),
        g(C::ShowPreferences, cmd(Key::Comma)),
        g(C::ClearSelection, key(Key::Escape)),
        g(C::OpenFolder, cmd_shift(Key::O)),
        g(C::OtherStory(1), cmd(Key::PageDown)),
        g(C::OtherStory(-1), cmd(Key::PageUp)),
        g(C::ShowView(View::Story), cmd(Key::Num1)),
        g(C::ShowView(View::Claims), cmd(Key::Num2)),
        g(C::ShowView(View::Review), cmd(Key::Num3)),
        g(C::ShowView(View::Statistics), cmd(Key::Num4)),
        g(C::ShowView(View::Settings), cmd(Key::Num5)),
        r(C::DeleteAnnotation, key(Key::Delete)),
        r(C::NextAnnotation, key(Key::J)),
        r(C::PreviousAnnotation, key(Key::K)),
        r(C::ConfirmAnchor, key(Key::Enter)),
        r(C::ReattachToSelection, key(Key::R)),
        // Suggested claims. C accepts through the Claim label's key (see `apply_label`).
        r(C::ToggleSuggestions, key(Key::G)),
        r(C::NextSuggestion, alt(Key::J)),
        r(C::PreviousSuggestion, alt(Key::K)),
        r(C::DismissSuggestion, key(Key::X)),
        // Scrolling the reader. Home and End go to the story's ends, as in a browser: the
        // reader has no caret for them to move along a line.
        r(C::Scroll(Scroll::PageDown), key(Key::PageDown)),
        r(C::Scroll(Scroll::PageDown), key(Key::Space)),
        r(C::Scroll(Scroll::PageUp), key(Key::PageUp)),
        r(C::Scroll(Scroll::PageUp), shift(Key::Space)),
        r(C::Scroll(Scroll::LineDown), key(Key::ArrowDown)),
        r(C::Scroll(Scroll::LineUp), key(Key::ArrowUp)),
        r(C::Scroll(Scroll::Start), key(Key::Home)),
        r(C::Scroll(Scroll::Start), cmd(Key::Home)),
        r(C::Scroll(Scroll::End), key(Key::End)),
        r(C::Scroll(Scroll::End), cmd(Key::End)),
    ];
    for (n, digit) in DIGITS.iter().enumerate() {
        v.push(r(C::SetVerdict(n), key(*digit)));
    }
    v
}

/// The global bindings (they work in every view) followed by the story view's single keys.
/// The review queue uses [`review_bindings`] instead of the story view's single keys.
pub fn global_bindings() -> Vec<Binding> {
    bindings()
        .into_iter()
        .filter(|b| b.scope == Scope::Global)
        .collect()
}

/// The review queue's single keys, active only while the queue is shown (in place of the
/// story view's label keys, J/K, digits and R, which would mean something else there).
pub fn review_bindings() -> Vec<Binding> {
    use Command as C;
    let r = |command, shortcut| Binding {
        command,
        shortcut,
        scope: Scope::Reading,
    };
    let mut v = vec![
        r(C::ReviewNext, key(Key::J)),
        r(C::ReviewPrevious, key(Key::K)),
        r(C::SetStatus(Status::Approved), key(Key::A)),
        r(C::SetStatus(Status::Disputed), key(Key::D)),
        r(C::SetStatus(Status::NeedsReview), key(Key::R)),
        r(C::ReviewComment, key(Key::C)),
        r(C::OpenInReader, key(Key::Enter)),
    ];
    for (n, digit) in DIGITS.iter().enumerate() {
        v.push(r(C::SetVerdict(n), key(*digit)));
    }
    v
}

/// Bindings for label keys: `keys[n]` applies label `n`.
pub fn label_bindings(keys: &[Option<char>]) -> Vec<Binding> {
    keys.iter()
        .enumerate()
        .filter_map(|(n, k)| {
            let key = Key::from_name(&(*k)?.to_ascii_uppercase().to_string())?;
            Some(Binding {
                command: Command::ApplyLabel(n),
                shortcut: KeyboardShortcut::new(Modifiers::NONE, key),
                scope: Scope::Reading,
            })
        })
        .collect()
}

/// The commands whose shortcut was pressed this frame. `typing` is true while a text field
/// has focus (then only global shortcuts count).
pub fn pressed(ctx: &eframe::egui::Context, bindings: &[Binding], typing: bool) -> Vec<Command> {
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        // Longest modifier sets first, so Ctrl+Shift+Z is not taken as Ctrl+Z.
        let mut order: Vec<&Binding> = bindings.iter().collect();
        order.sort_by_key(|b| std::cmp::Reverse(modifier_count(b.shortcut.modifiers)));
        for b in order {
            if typing && b.scope == Scope::Reading {
                continue;
            }
            let hit = if matches_exactly(b.shortcut.logical_key) {
                consume_exact(input, &b.shortcut)
            } else {
                input.consume_shortcut(&b.shortcut)
            };
            if hit {
                out.push(b.command.clone());
            }
        }
    });
    out
}

/// Keys whose Shift or Alt variants mean something else (Shift+Down extends the reader's
/// selection, Alt+Left is a word step): their bindings take only the exact modifiers, where
/// egui's usual matching would ignore an extra Shift or Alt.
fn matches_exactly(key: Key) -> bool {
    matches!(
        key,
        Key::ArrowUp
            | Key::ArrowDown
            | Key::ArrowLeft
            | Key::ArrowRight
            | Key::PageUp
            | Key::PageDown
            | Key::Home
            | Key::End
            | Key::Space
    )
}

fn consume_exact(input: &mut eframe::egui::InputState, shortcut: &KeyboardShortcut) -> bool {
    let before = input.events.len();
    input.events.retain(|e| {
        !matches!(e, eframe::egui::Event::Key { key, modifiers, pressed: true, .. }
            if *key == shortcut.logical_key && modifiers.matches_exact(shortcut.modifiers))
    });
    input.events.len() != before
}

fn modifier_count(m: Modifiers) -> u8 {
    m.alt as u8 + m.shift as u8 + (m.ctrl || m.command || m.mac_cmd) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_labels;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let labels: Vec<Option<char>> = default_labels().iter().map(|l| l.key).collect();
        let mut all = bindings();
        all.extend(label_bindings(&labels));
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(
                    !(a.shortcut == b.shortcut && a.command != b.command),
                    "{:?} and {:?} share {:?}",
                    a.command,
                    b.command,
                    a.shortcut
                );
            }
        }
    }

    #[test]
    fn review_keys_do_not_clash_with_global_shortcuts() {
        let mut all = global_bindings();
        all.extend(review_bindings());
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(
                    !(a.shortcut == b.shortcut && a.command != b.command),
                    "{:?} and {:?} share {:?}",
                    a.command,
                    b.command,
                    a.shortcut
                );
            }
        }
        // The queue's keys are the ones the issue asks for.
        let keys: Vec<Key> = review_bindings()
            .iter()
            .map(|b| b.shortcut.logical_key)
            .collect();
        for k in [
            Key::J,
            Key::K,
            Key::A,
            Key::D,
            Key::R,
            Key::C,
            Key::Enter,
            Key::Num7,
        ] {
            assert!(keys.contains(&k), "{k:?} missing from the queue");
        }
        assert!(review_bindings().iter().all(|b| b.scope == Scope::Reading));
    }

    #[test]
    fn scroll_keys_leave_shift_arrows_to_the_reader() {
        let ctx = eframe::egui::Context::default();
        let press = |key, modifiers| eframe::egui::Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        };
        let mut got = Vec::new();
        let mut output = ctx.run_ui(
            eframe::egui::RawInput {
                events: vec![
                    press(Key::ArrowDown, Modifiers::SHIFT),
                    press(Key::Space, Modifiers::SHIFT),
                    press(Key::End, Modifiers::COMMAND),
                ],
                ..Default::default()
            },
            |ui| {
                got = pressed(ui.ctx(), &bindings(), false);
                // Shift+Down is still there for the reader.
                assert!(ui.input(|i| i.key_pressed(Key::ArrowDown)));
            },
        );
        output.textures_delta.clear();
        assert_eq!(
            got,
            vec![
                Command::Scroll(Scroll::PageUp),
                Command::Scroll(Scroll::End)
            ]
        );
    }

    #[test]
    fn default_label_keys_bind() {
        let labels: Vec<Option<char>> = default_labels().iter().map(|l| l.key).collect();
        let b = label_bindings(&labels);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].shortcut.logical_key, Key::C);
    }
}
