//! factmark: a desktop annotator for fact-checkers.
//!
//! A fact-checker opens a news story (a text file, a saved web page or a Word document),
//! highlights the sentences that make checkable claims, and records for each the claim, who
//! made it, a verdict and the sources behind it. The annotations live next to the story in a RON sidecar file
//! (`story.txt.annotations.ron`).
//!
//! # Module map
//! Layers read bottom-up: a module imports only from those listed above it.
//! The **core** has no UI dependency and is what the command line uses:
//! - [`text`]: a story's canonical text. `decode` (bytes -> text, encodings, limits),
//!   `index` ([`text::StoryText`]: char / byte / line), `span` ([`text::Span`], the one
//!   coordinate system). Never writes a file.
//! - [`anchor`]: [`anchor::Anchor`], quote + context selectors of a highlight. Does not
//!   search (that is `reanchor`).
//! - [`model`]: annotations, labels, verdicts, sources, statuses; the annotation set;
//!   [`model::Annotation::is_claim`], the one definition of a claim. No I/O.
//! - [`history`]: undoable edits of an annotation set. Knows nothing of files.
//! - [`reanchor`]: finding highlights again after a story changed: API and policy in
//!   `mod.rs` (with [`reanchor::reanchor_set`], the one re-anchor-and-apply path),
//!   `engine`, `budget`, `myers`. Reads no files, knows no sidecar.
//! - [`wording`]: changed wording (SPEC 9): the word-level diff of the checked and the
//!   current wording, and which annotations have one pending. No I/O.
//! - [`sidecar`]: the [`sidecar::Sidecar`] type, versions and migration, the fast codec
//!   (`read`, `write`) with the `ron` crate as the reference. No file I/O.
//! - [`merge`]: three-way merge of sidecars by id. Imports `sidecar`, never `store`.
//! - [`store`]: the sidecar file: load, atomic write, merge on save
//!   ([`store::SidecarFile`]). The only module that writes sidecars.
//! - [`settings`]: folder settings (`factmark.ron`): labels, rating scale and its
//!   validation, the one [`settings::Organisation`]. Does not decide what applies to a
//!   story (that is `context`).
//! - [`context`]: [`context::StoryContext`], the labels, scale and organisation in force
//!   for one story (sidecar, else nearest `factmark.ron`, else default). Never writes.
//! - [`sources`]: stories that arrive as web pages or Word files (SPEC 11): `html`
//!   (article extraction, page details), `docx` (paragraphs, document properties),
//!   [`sources::StoryMeta`] and URL normalisation. Reads bytes it is given; never writes.
//! - [`find`]: text search inside a story. No I/O.
//! - [`document`]: an open story: text + sidecar + history, saving through `store`. No UI.
//! - [`workspace`]: a folder of stories: `discover` (which files are stories), `scan`
//!   (loading on threads), `table` (the claims table), `watch` (outside changes). Never
//!   writes a story or a sidecar.
//! - [`check`]: verifying stories and their sidecars (`factmark check`). Read-only.
//! - [`export`]: CSV, JSON, W3C Web Annotation, ClaimReview, Markdown and HTML exports,
//!   one file per format. Writes only the export file.
//! - [`import`]: W3C Web Annotation import (including Hypothesis exports), into the
//!   sidecar through `store`.
//! - [`gitsetup`]: sharing through git: the merge driver and `factmark git-setup`.
//! - [`identity`]: the author's name a first run proposes (`git config user.name`, the
//!   account's full name, the login). Saves nothing.
//! - [`memory`]: claim memory: search and similar claims across stories (tantivy index).
//! - [`suggest`]: check-worthy sentences with their reasons and claimant (offline, no UI).
//! - [`cli`]: the command line (clap): parses, calls the core, prints. No rules of its own.
//!
//! On top, with the `gui` feature: the window, `app` (frame loop, commands, dispatch, sessions,
//! worker thread) and `ui` (one file per panel; draws state, returns commands).
//! The core above must never import them.

pub mod anchor;
#[cfg(feature = "gui")]
pub mod app;
pub mod check;
pub mod cli;
pub mod context;
pub mod document;
pub mod export;
pub mod find;
pub mod gitsetup;
pub mod history;
pub mod identity;
pub mod import;
pub mod memory;
pub mod merge;
pub mod model;
pub mod reanchor;
pub mod settings;
pub mod sidecar;
pub mod sources;
pub mod store;
pub mod suggest;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;
pub mod wording;
pub mod workspace;
