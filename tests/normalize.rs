//! The rules of "same text": normalisation, page noise, fingerprints.

use redline::article::Block;
use redline::extract::extract_html;
use redline::normalize::{fingerprint, normalize, strip_noise};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const URL: &str = "https://meridianwire.example/world/2026/11/25/grain-corridor-summit";

fn fingerprint_of(html: &str) -> String {
    let a = extract_html(html, Some(URL)).unwrap();
    fingerprint(&a.title, &a.blocks)
}

#[test]
fn normalize_folds_invisible_and_typographic_differences() {
    assert_eq!(
        normalize("  \u{201C}We\u{00A0}have a\u{2009}text,\u{201D}\n\tsaid Ay\u{015F}e  Karaca\u{2019}s\u{00AD} aide\u{200B}. "),
        "\"We have a text,\" said Ay\u{015F}e Karaca's aide."
    );
    // NFKC: full-width digits and compatibility forms fold; Hangul composes.
    assert_eq!(normalize("\u{FF12}\u{FF15}\u{65E5}"), "25\u{65E5}");
    assert_eq!(normalize("\u{1100}\u{1161}"), "\u{AC00}");
    // Bidi marks in right-to-left text are invisible.
    assert_eq!(
        normalize("\u{200F}\u{05E9}\u{05DC}\u{05D5}\u{05DD}\u{200E}"),
        "\u{05E9}\u{05DC}\u{05D5}\u{05DD}"
    );
    assert_eq!(normalize(" \u{00A0} "), "");
}

#[test]
fn noise_blocks_are_dropped_in_every_language() {
    let noise = [
        "Updated 5 minutes ago",
        "Last updated: 3 min ago",
        "2 hours ago",
        "Published 1 day ago",
        "Published 25 Nov 2026, updated 5 minutes ago",
        "2026.11.25 14:05 · 5분 전",
        "25 ноября 2026, 14:05 · обновлено 12 минут назад",
        "5분 전",
        "업데이트 3시간 전",
        "5 минут назад",
        "Обновлено 2 часа назад",
        "5分前",
        "5分钟前",
        "منذ 5 دقائق",
        "לפני 5 דקות",
        "Advertisement",
        "ADVERTISEMENT - Scroll to continue",
        "Story continues below advertisement",
        "Sponsored",
        "광고",
        "Реклама",
        "Share",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter Email",
        "Follow us on X",
        "Sign up for Morning Briefing",
        "Get our free newsletter, every weekday in your inbox",
        "Related: Wheat prices climb as insurers pull cover",
        "Read more: Drone strike damages Odesa port terminal",
        "READ MORE: Istanbul talks open",
        "We use cookies to improve your experience. Accept all",
        "\u{00A0}",
        "•",
        "",
    ];
    let blocks: Vec<Block> = noise.iter().map(|t| Block::paragraph(*t)).collect();
    let kept = strip_noise(blocks);
    assert_eq!(kept, Vec::<Block>::new());
}

#[test]
fn related_lists_are_dropped_up_to_the_next_sentence() {
    let blocks = vec![
        Block::paragraph("The talks resume on Thursday."),
        Block::heading("More from Meridian"),
        Block::paragraph("Wheat prices climb as insurers pull cover"),
        Block::paragraph("Drone strike damages Odesa port terminal"),
        Block::paragraph("Diplomats said a second round could begin in December."),
    ];
    assert_eq!(
        strip_noise(blocks),
        vec![
            Block::paragraph("The talks resume on Thursday."),
            Block::paragraph("Diplomats said a second round could begin in December."),
        ]
    );
}

#[test]
fn real_paragraphs_that_mention_noise_words_stay() {
    let real = vec![
        Block::paragraph(
            "The ministry bought advertisement space in three newspapers to defend the deal.",
        ),
        Block::paragraph(
            "Regulators said the company set cookies without asking users for consent.",
        ),
        Block::paragraph("“Subscribe to nothing you cannot verify,” the editor told the panel."),
        Block::paragraph("Share prices in Seoul rose 2% after the talks."),
        Block::paragraph(
            "The strike hit 5 minutes ago, officials said, and rescuers are on the scene.",
        ),
        Block::paragraph("광고 시장 규모는 지난해 15조 원을 넘었다."),
        Block::heading("SHIPPING RATES FALL"),
    ];
    assert_eq!(strip_noise(real.clone()), real);
}

#[test]
fn pages_that_differ_only_by_noise_have_the_same_fingerprint() {
    let a = extract_html(&fixture("wire_en.html"), Some(URL)).unwrap();
    let b = extract_html(&fixture("wire_en_noise.html"), Some(URL)).unwrap();
    assert_eq!(
        a.blocks.len(),
        b.blocks.len(),
        "{:#?}\n{:#?}",
        a.blocks,
        b.blocks
    );
    // Invisible characters are gone from the stored text too, so search and
    // word diffs see "insurance"; visible typography (NBSP, quotes) is kept.
    assert_eq!(
        b.blocks[1].text, // the photo caption is not body text (issue 9.2)
        "The deal, brokered by Turkey and the United Nations, includes a $500\u{a0}million insurance fund for ships using the route and a joint inspection centre in Istanbul."
    );
    assert_eq!(
        fingerprint(&a.title, &a.blocks),
        fingerprint(&b.title, &b.blocks)
    );
    assert_eq!(fingerprint_of(&fixture("wire_en.html")).len(), 64);
}

#[test]
fn a_changed_figure_or_word_changes_the_fingerprint() {
    let page = fixture("wire_en.html");
    let base = fingerprint_of(&page);
    let figure = page.replace("up to 30,000 tonnes", "up to 10,000 tonnes");
    assert_ne!(figure, page);
    assert_ne!(fingerprint_of(&figure), base);
    let word = page.replace(
        "nobody should call it peace",
        "nobody should call it a truce",
    );
    assert_ne!(word, page);
    assert_ne!(fingerprint_of(&word), base);
    // The title comes from the agreeing declarations (issue 9.3): a new
    // headline changes all of them.
    let headline = page.replace(
        "Envoys agree grain corridor as summit talks run late",
        "Envoys agree grain corridor after all-night talks",
    );
    assert_ne!(fingerprint_of(&headline), base);
}

#[test]
fn fingerprint_counts_order_and_boundaries_but_not_kinds_or_empty_blocks() {
    let p = |t: &str| Block::paragraph(t);
    let base = fingerprint("Talks", &[p("One."), p("Two.")]);
    assert_eq!(
        fingerprint("Talks", &[p("One."), p(" "), Block::heading("Two.")]),
        base
    );
    assert_ne!(fingerprint("Talks", &[p("Two."), p("One.")]), base);
    assert_ne!(fingerprint("Talks", &[p("One. Two.")]), base);
    assert_ne!(fingerprint("Talks One.", &[p("Two.")]), base);
    // The exact input of the hash: title, record separator, blocks joined by unit separators.
    assert_eq!(
        base,
        redline::hash::sha256_hex("Talks\u{1E}One.\u{1F}Two.".as_bytes())
    );
}
