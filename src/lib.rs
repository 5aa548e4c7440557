//! factmark: a desktop annotator for fact-checkers.
//!
//! A fact-checker opens a news story (a text file), highlights the sentences that make
//! checkable claims, and records for each the claim, who made it, a verdict and the sources
//! behind it. The annotations live next to the story in a RON sidecar file
//! (`story.txt.annotations.ron`).
//!
//! # Module map
//! The **core** has no UI dependency and is what the command line uses:
//! - [`text`]: decoding a story file into canonical text; char / byte / line index.
//! - [`anchor`]: spans and anchors (quote + context), the one coordinate system.
//! - [`model`]: annotations, labels, verdicts, sources, statuses; the annotation set.
//! - [`history`]: undoable edits of an annotation set.
//! - [`merge`]: three-way merge of annotation sets by id.
//! - [`store`]: the sidecar file: parse, migrate, save atomically, merge on save.
//! - [`settings`]: folder settings (`factmark.ron`): labels, rating scale, organisation.
//! - [`workspace`]: a folder of stories: scanning, counts, the claims table, watching.
//! - [`check`]: verifying stories and their sidecars (`factmark check`).
//! - [`export`]: CSV, JSON, W3C Web Annotation, ClaimReview, Markdown and HTML exports.
//! - [`import`]: W3C Web Annotation import (including Hypothesis exports).
//! - [`gitsetup`]: sharing through git: the merge driver and `factmark git-setup`.
//! - [`memory`]: claim memory: search and similar claims across stories (tantivy index).
//!
//! On top: [`cli`] (clap) and, with the `gui` feature, the window in `app` and `ui`.

pub mod anchor;
#[cfg(feature = "gui")]
pub mod app;
pub mod check;
pub mod cli;
#[cfg(feature = "gui")]
pub mod command;
pub mod document;
pub mod export;
pub mod find;
pub mod gitsetup;
pub mod history;
pub mod import;
pub mod memory;
pub mod merge;
pub mod model;
pub mod reanchor;
pub mod settings;
pub mod store;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;
pub mod workspace;
