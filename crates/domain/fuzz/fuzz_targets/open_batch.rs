//! Any bytes as an uploaded batch: never a panic; every opened event's id is the SHA-256 of
//! its body and re-opening its envelope gives the same event.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linli_domain::envelope::{open, open_batch};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(items) = open_batch(text) {
        for item in items.into_iter().flatten() {
            let again = open(&item.envelope).expect("an opened envelope opens again");
            assert_eq!(again, item);
        }
    }
    // A single envelope too.
    let _ = open(text);
});
