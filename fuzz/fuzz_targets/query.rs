//! Any text typed into the search box: the parser and the lowering to FTS5
//! return a query or a clear error, within the caps, never a panic or a
//! stack overflow.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(query) = redline::search::parse(text) {
        let _ = query.match_texts();
    }
});
