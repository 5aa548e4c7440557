//! The fast sidecar reader against the `ron` crate on the same bytes: fails when the fast
//! reader accepts what ron rejects or reads a different value (its declining, "not sure",
//! is allowed: ron then reads the file), and when the fast reader cannot read back what
//! factmark writes for anything ron loads.
#![no_main]

use std::path::Path;

use factmark::store::Sidecar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(disagreement) = Sidecar::fast_reader_disagreement(text) {
        panic!("{disagreement}");
    }
    if let Ok(loaded) = Sidecar::from_ron_reference(text, Path::new("fuzz.ron")) {
        let ron = loaded.sidecar.to_ron().expect("a loaded sidecar encodes");
        let fast = Sidecar::from_ron_fast(&ron).expect("the fast reader reads what factmark writes");
        assert_eq!(format!("{fast:?}"), format!("{:?}", loaded.sidecar));
    }
});
