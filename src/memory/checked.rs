//! "Checked before" (SPEC 12): the claims most like one annotated claim, without the claim
//! itself, each with its whole annotation read from its sidecar (so a window can copy its
//! verdict, rationale and sources). The window runs this on its memory thread for the
//! selected claim; `benches/memory.rs` times it. It must not depend on any UI crate.

use std::path::{Path, PathBuf};

use super::{Memory, MemoryError, Probe, SimilarClaim};
use crate::model::{Annotation, AnnotationId, AnnotationSet};

/// One claim checked before, and its annotation (`None` when its sidecar could not be
/// read since it was indexed).
#[derive(Clone, Debug)]
pub struct Match {
    pub claim: SimilarClaim,
    pub annotation: Option<Annotation>,
}

/// The `top` claims most like `text`, leaving out annotation `id` of the story `own`.
/// Each sidecar is read once, however many of its claims matched.
pub fn checked_before(
    memory: &Memory,
    text: &str,
    own: &Path,
    id: &AnnotationId,
    top: usize,
) -> Result<Vec<Match>, MemoryError> {
    let found = memory.similar(&Probe::Text(text.to_owned()), top + 1)?;
    let mut sidecars: Vec<(PathBuf, Option<AnnotationSet>)> = Vec::new();
    let mut out = Vec::new();
    for claim in found {
        if claim.id == id.as_str() && super::links::same_story(&claim.path, own) {
            continue;
        }
        if out.len() == top {
            break;
        }
        let i = match sidecars.iter().position(|(p, _)| p == &claim.path) {
            Some(i) => i,
            None => {
                let set = crate::store::load(&crate::store::sidecar_path(&claim.path))
                    .ok()
                    .flatten()
                    .map(|(l, _)| l.sidecar.annotations);
                sidecars.push((claim.path.clone(), set));
                sidecars.len() - 1
            }
        };
        let annotation = sidecars[i]
            .1
            .as_ref()
            .and_then(|s| s.get(&AnnotationId(claim.id.clone())))
            .cloned();
        out.push(Match { claim, annotation });
    }
    Ok(out)
}
