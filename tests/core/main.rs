//! The core integration tests, one binary (one link on CI instead of twenty): command-line
//! contracts, sidecar round trips, re-anchoring on edited stories, merges, exports, memory
//! and suggestions. Shared fixtures and strategies live in `support`, `export_fixture` and
//! `drift`. Run one group with `cargo test --test core GROUP`, e.g. `cargo test --test core cli_check`.

#[path = "../drift/mod.rs"]
mod drift;
mod export_fixture;
mod support;

mod bad_input;
mod cli_check;
mod cli_packaging;
mod concurrent_writers;
mod crash_safety;
mod export_cli;
mod export_golden;
mod export_readback;
mod export_wording;
mod git_merge;
mod history_props;
mod import_drift;
mod import_w3c;
mod memory_cli;
mod memory_eval;
mod merge_props;
mod reanchor_drift;
mod reanchor_props;
mod sidecar_codec;
mod sources;
mod store_roundtrip;
mod suggest_cli;
mod suggest_eval;
mod text_decode;
mod validators;
mod wording_flow;
mod workspace;
