//! How a version's blocks are stored: its `text` once, plus a compact
//! layout that cuts the text back into blocks (issue 16.3). The blocks JSON
//! the library used to keep repeated the whole text; the layout is a few
//! bytes.
//!
//! The layout is one letter per block (`p` paragraph, `h` heading). When
//! splitting the text on [`BLOCK_SEPARATOR`] would not give the blocks back
//! (a block holding the separator itself), every letter carries the block's
//! length in chars: `p12h40p300`. A stored value starting with `[` is the
//! old JSON form, still read until `redline upgrade-storage` rewrites it.

use crate::article::{Block, BlockKind, BLOCK_SEPARATOR};

/// The layout of `blocks`, whose text is `join_blocks(blocks)`.
pub fn encode(blocks: &[Block]) -> String {
    let splits_back = blocks.iter().all(|b| !splits_wrongly(&b.text));
    let mut out = String::with_capacity(blocks.len() * if splits_back { 1 } else { 5 });
    for b in blocks {
        out.push(letter(b.kind));
        if !splits_back {
            out.push_str(&b.text.chars().count().to_string());
        }
    }
    out
}

/// A block's text that would not come back as itself from a split of the
/// joined text: it holds the separator, or a newline at an edge that would
/// merge with a neighbouring separator.
fn splits_wrongly(text: &str) -> bool {
    text.contains(BLOCK_SEPARATOR) || text.starts_with('\n') || text.ends_with('\n')
}

fn letter(kind: BlockKind) -> char {
    match kind {
        BlockKind::Paragraph => 'p',
        BlockKind::Heading => 'h',
    }
}

/// The blocks of a version from its stored `blocks` value and its `text`.
/// None when the two do not fit together (a damaged row).
pub fn decode(stored: &str, text: &str) -> Option<Vec<Block>> {
    if stored.starts_with('[') {
        return serde_json::from_str(stored).ok();
    }
    let mut kinds = Vec::new();
    let mut lengths = Vec::new();
    let mut chars = stored.chars().peekable();
    while let Some(c) = chars.next() {
        kinds.push(match c {
            'p' => BlockKind::Paragraph,
            'h' => BlockKind::Heading,
            _ => return None,
        });
        let mut digits = String::new();
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            digits.push(d);
        }
        if !digits.is_empty() {
            lengths.push(digits.parse::<usize>().ok()?);
        }
    }
    if kinds.is_empty() {
        return text.is_empty().then(Vec::new);
    }
    let texts: Vec<String> = if lengths.is_empty() {
        split_blocks(text)
    } else if lengths.len() == kinds.len() {
        cut(text, &lengths)?
    } else {
        return None;
    };
    if texts.len() != kinds.len() {
        return None;
    }
    Some(
        kinds
            .into_iter()
            .zip(texts)
            .map(|(kind, text)| Block { kind, text })
            .collect(),
    )
}

/// `text.split(BLOCK_SEPARATOR)`, found with the byte search for a newline
/// rather than the generic substring searcher (a tenth of the instructions
/// on a long story, which a diff reads twice).
fn split_blocks(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut from) = (0, 0);
    while let Some(i) = text[from..].find('\n').map(|i| from + i) {
        if bytes.get(i + 1) == Some(&b'\n') {
            out.push(text[start..i].to_string());
            start = i + 2;
            from = start;
        } else {
            from = i + 1;
        }
    }
    out.push(text[start..].to_string());
    out
}

/// `text` cut into pieces of `lengths` chars with a separator between each.
fn cut(text: &str, lengths: &[usize]) -> Option<Vec<String>> {
    let mut rest = text;
    let mut out = Vec::with_capacity(lengths.len());
    for (i, &n) in lengths.iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(BLOCK_SEPARATOR)?;
        }
        let end = rest
            .char_indices()
            .nth(n)
            .map(|(at, _)| at)
            .unwrap_or(rest.len());
        if rest[..end].chars().count() != n {
            return None;
        }
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    rest.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::join_blocks;

    fn round_trip(blocks: Vec<Block>) -> String {
        let layout = encode(&blocks);
        assert_eq!(
            decode(&layout, &join_blocks(&blocks)).as_ref(),
            Some(&blocks),
            "{layout}"
        );
        layout
    }

    #[test]
    fn the_newline_search_splits_as_the_separator_does() {
        for text in [
            "",
            "a",
            "a\n\nb",
            "a\n\n\nb",
            "a\n\n\n\nb\n",
            "\n\nlead",
            "trail\n\n",
            "one\ntwo\n\nthree\r\n\r\nfour",
            "«Мы не знали»\n\nالقاهرة\n",
        ] {
            let want: Vec<String> = text.split(BLOCK_SEPARATOR).map(str::to_string).collect();
            assert_eq!(split_blocks(text), want, "{text:?}");
        }
    }

    #[test]
    fn plain_paragraphs_and_headings_cost_a_letter_each() {
        let layout = round_trip(vec![
            Block::heading("Полиция задержала подозреваемого"),
            Block::paragraph("МОСКВА, 3 декабря — «Мы не знали», — сказал он."),
            Block::paragraph("القاهرة، 26 نوفمبر"),
        ]);
        assert_eq!(layout, "hpp");
    }

    #[test]
    fn blocks_that_hold_the_separator_carry_their_lengths() {
        let layout = round_trip(vec![
            Block::paragraph("Line one\n\nstill the same block"),
            Block::paragraph("\nstarts with a newline"),
            Block::heading("ends with one\n"),
            Block::paragraph(""),
        ]);
        assert_eq!(layout, "p30p22h14p0");
    }

    #[test]
    fn no_blocks_and_one_empty_block_differ() {
        assert_eq!(round_trip(vec![]), "");
        assert_eq!(round_trip(vec![Block::paragraph("")]), "p");
    }

    #[test]
    fn the_old_json_form_is_still_read() {
        let blocks = vec![Block::heading("Title"), Block::paragraph("Body.")];
        let json = serde_json::to_string(&blocks).unwrap();
        assert_eq!(decode(&json, "Title\n\nBody."), Some(blocks));
    }

    #[test]
    fn a_layout_that_does_not_fit_the_text_is_refused() {
        assert_eq!(decode("pp", "one block only"), None);
        assert_eq!(decode("p3p3", "abc\n\nabcd"), None);
        assert_eq!(decode("x", "text"), None);
        assert_eq!(decode("", "text without blocks"), None);
    }
}
