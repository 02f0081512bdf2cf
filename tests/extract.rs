//! Article extraction: body blocks and metadata from realistic news pages.

use redline::article::{Block, Dir};
use redline::extract::{extract_html, extract_plain};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn dump() {
    let a = extract_html(&fixture("wire_en.html"), Some("https://meridianwire.example/world/x")).unwrap();
    println!("{a:#?}");
}
