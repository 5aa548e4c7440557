//! Sidecar versions: turning an older sidecar's text into the current shape.
//!
//! What it must not do: touch files, or write anything but the current version.

use std::path::Path;

use super::{FileV1, StoreError, parse_error};

/// The migration hook: turns the text of a sidecar of `version` (<= [`VERSION`]) into the
/// current shape. Version 1 is the first released format, so today this only parses; when
/// version 2 comes, its reader goes here and version 1 files are converted step by step.
pub(super) fn migrate(version: u32, text: &str, path: &Path) -> Result<FileV1, StoreError> {
    match version {
        1 => ron::from_str::<FileV1>(text).map_err(|e| parse_error(path, text, &e)),
        // Version 0 never existed; anything else below the current one would be migrated here.
        other => Err(StoreError::Parse {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: format!("unknown sidecar version {other}"),
        }),
    }
}
