//! Any bytes as an evidence bundle: verification reports what is wrong or
//! fails with an error, never a panic or unbounded memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = redline::export::verify_bundle_from(
        std::io::Cursor::new(data),
        std::path::Path::new("fuzzed.zip"),
    );
});
