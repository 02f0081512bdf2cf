//! Any bytes as a clipped page: extraction returns an article or a typed
//! error (`extract_too_complex` past its budget), never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let _ = redline::extract::extract_page(&html, Some("https://news.example/world/story"));
});
