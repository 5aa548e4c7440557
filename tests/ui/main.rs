//! The window's integration tests, folded into one test binary (each binary links the
//! whole of egui and wgpu; on two cores that linking dominated the test build).
//!
//! - `app`: whole annotator flows through the real app state (kittest);
//! - `reader`: the virtualised reader widget;
//! - `memory`: claim memory: "Checked before", use a verdict, undo; search; same-claim links;
//! - `suggestions`: suggested claims: toggle, walk, accept, dismiss, undo, save, reopen;
//! - `trust`: changed wording, a broken sidecar in a folder, story details, labels,
//!   banners and plurals;
//! - `workspace`: the folder views (claims table, review queue, statistics, settings);
//! - `monkey`: thousands of seeded random actions with invariants checked after each;
//! - `idle_cpu`: the real binary under Xvfb must not burn CPU while idle;
//! - `signal_exit`: the real binary under Xvfb saves a pending edit on SIGTERM/HUP/INT.
//! - `xvfb`: the private X server those two start;
//! - `prefs`: the first-run name prompt and the Preferences window;
//! - `path_dialog`: factmark's own file dialog when the system's cannot open;
//! - `fonts`: a Hindi story (and other scripts) drawn with no missing glyph;
//! - `window`: the story window as a desktop editor: keyboard scrolling, per-story scroll
//!   position, Esc, the bars, accessibility.

mod app;
mod fonts;
mod idle_cpu;
mod memory;
mod monkey;
mod path_dialog;
mod prefs;
mod reader;
mod signal_exit;
mod suggestions;
mod trust;
mod window;
mod workspace;
mod xvfb;
