//! The annotator's panels, one file per panel. Every panel only draws the state it is given
//! and returns what the user did (as `crate::app::command::Command`s, or an action the
//! panel's caller turns into one); none of them changes a document or the workspace while
//! drawing.

pub mod chrome;
pub mod exchange;
pub mod fmt;
pub mod folder;
pub mod fonts;
pub mod inspector;
pub mod libraries;
pub mod list;
pub mod memory;
pub mod path_dialog;
pub mod prefs_window;
pub mod reader;
pub mod review;
pub mod settings_panel;
pub mod stats;
pub mod story_meta;
pub mod story_view;
pub mod suggestions;
pub mod wording;
pub mod workspace_view;
