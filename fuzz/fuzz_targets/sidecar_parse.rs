//! Any text given as a sidecar: parsing never panics; what parses re-encodes to text that
//! parses back to the same sidecar (the save is lossless for anything that loads).
#![no_main]

use std::path::Path;

use factmark::store::Sidecar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = Sidecar::from_ron(text, Path::new("fuzz.ron")) else {
        return;
    };
    let ron = loaded.sidecar.to_ron().expect("a loaded sidecar encodes");
    let back = Sidecar::from_ron(&ron, Path::new("fuzz.ron")).expect("its encoding parses");
    assert_eq!(back.sidecar, loaded.sidecar);
    assert!(
        back.renamed_duplicates.is_empty(),
        "ids are unique after a load"
    );
});
