//! The annotator's panels, one file per panel. Every panel only draws the state it is given
//! and reports what the user did; none of them changes the core's data directly.

pub mod exchange;
pub mod fonts;
pub mod inspector;
pub mod list;
pub mod reader;
pub mod review;
pub mod settings_panel;
pub mod stats;
pub mod wording;
pub mod workspace_view;
