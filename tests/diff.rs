//! Comparing two versions: alignment (moves are moves), inline changes and
//! the exact summary of the wire story's known edits.

mod common;

use common::wire;
use redline::article::{Article, Block, BlockKind};
use redline::diff::{
    diff_articles, render, BlockOp, Diff, NumberChange, QuoteChange, Span, SpanOp,
};

fn ops(d: &Diff) -> Vec<(BlockOp, Option<usize>, Option<usize>, bool)> {
    d.blocks
        .iter()
        .map(|b| (b.op, b.old_index, b.new_index, b.edited))
        .collect()
}

fn plain(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s.op {
            SpanOp::Equal => s.text.clone(),
            SpanOp::Delete => format!("[-{}-]", s.text),
            SpanOp::Insert => format!("{{+{}+}}", s.text),
        })
        .collect()
}

fn wire_diff() -> Diff {
    diff_articles(
        &wire::article(&wire::story_v1()),
        &wire::article(&wire::story_v2()),
    )
}

#[test]
fn wire_story_summary_is_exact() {
    let d = wire_diff();
    assert_eq!(d.summary, wire::expected_summary());
    assert_eq!(d.title, d.summary.headline);
    assert_eq!(d.byline, None);
}

#[test]
fn wire_story_blocks_are_aligned_with_moves() {
    use BlockOp::*;
    let d = wire_diff();
    assert_eq!(
        ops(&d),
        vec![
            (Unchanged, Some(0), Some(0), false),
            (Unchanged, Some(1), Some(1), false),
            (Edited, Some(2), Some(2), false),
            (Moved, Some(13), Some(3), false),
            (Unchanged, Some(3), Some(4), false),
            (Edited, Some(4), Some(5), false),
            (Moved, Some(11), Some(6), true),
            (Unchanged, Some(5), Some(7), false),
            (Unchanged, Some(6), Some(8), false),
            (Edited, Some(7), Some(9), false),
            (Unchanged, Some(8), Some(10), false),
            (Unchanged, Some(9), Some(11), false),
            (Unchanged, Some(10), Some(12), false),
            (Removed, Some(12), None, false),
            (Unchanged, Some(14), Some(13), false),
            (Added, None, Some(14), false),
        ]
    );
    assert_eq!(d.blocks[4].kind, BlockKind::Heading);
}

#[test]
fn inline_changes_stay_inside_their_paragraph() {
    let d = wire_diff();
    assert_eq!(
        plain(&d.blocks[2].spans),
        "“We will not be intimidated by threats from [-Washington or its vassals-]{+anyone, least of all Washington+},” Foreign Minister Choe Son Hui said at a banquet for the Russian delegation on Tuesday evening."
    );
    assert_eq!(
        plain(&d.blocks[5].spans),
        "South Korean and Ukrainian intelligence officials estimate that about [-30,000-]{+10,000+} North Korean soldiers have been sent to Russia's Kursk region since October 2024, some of them deployed within 15 km of the Ukrainian border."
    );
    assert_eq!(
        plain(&d.blocks[6].spans),
        "North Korea has shipped more than 12,000 containers of [-munitions -]{+artillery shells and rockets +}to Russia since August 2023, South Korea's National Intelligence Service told [-lawmakers-]{+a closed-door parliamentary committee+} in Seoul on Tuesday, a rise of 12.5% since its last briefing."
    );
    // An unchanged block is one equal run; a moved unedited one too.
    assert_eq!(d.blocks[0].spans.len(), 1);
    assert_eq!(d.blocks[3].spans[0].op, SpanOp::Equal);
}

#[test]
fn noise_only_revision_is_an_empty_diff() {
    let a = wire::article(&wire::story_v2());
    let mut b = wire::article(&wire::story_v2_noise());
    // Whitespace, NBSP and curly-vs-straight quotes are noise too.
    b.blocks[0].text = b.blocks[0].text.replace(' ', "\u{00A0} ");
    b.blocks[2].text = b.blocks[2].text.replace(['“', '”'], "\"");
    let d = diff_articles(&a, &b);
    assert!(d.is_empty(), "{:?}", d.summary);
    assert!(d.blocks.iter().all(|x| x.op == BlockOp::Unchanged));
    assert_eq!(d.blocks.len(), 15);
    assert_eq!(render::text(&d, false).lines().next(), Some("No changes."));
}

#[test]
fn chinese_unspaced_text_gets_character_spans() {
    let d = diff_articles(
        &wire::article(&wire::chinese_v1()),
        &wire::article(&wire::chinese_v2()),
    );
    use BlockOp::*;
    assert_eq!(
        ops(&d),
        vec![
            (Unchanged, Some(0), Some(0), false),
            (Edited, Some(1), Some(1), false),
            (Unchanged, Some(2), Some(2), false),
            (Edited, Some(3), Some(3), false),
        ]
    );
    assert_eq!(
        plain(&d.blocks[3].spans),
        "据海关统计，今年前十个月中国与东盟贸易额达到[-80-]{+78+}00亿美元，同比增长5.3%。"
    );
    assert_eq!(
        d.summary.numbers_changed,
        vec![NumberChange {
            from: "8000亿美元".into(),
            to: "7800亿美元".into(),
        }]
    );
    assert_eq!(d.summary.quotes_altered.len(), 1);
    assert_eq!(d.summary.quotes_altered[0].speaker.as_deref(), Some("林海"));
    assert_eq!(
        d.summary.quotes_altered[0].to,
        "中方始终致力于同直接有关的当事国通过友好对话管控分歧。"
    );
}

#[test]
fn arabic_text_diffs_by_word() {
    let d = diff_articles(
        &wire::article(&wire::arabic_v1()),
        &wire::article(&wire::arabic_v2()),
    );
    assert_eq!(d.summary.paragraphs_edited, 2);
    assert_eq!(
        d.summary.numbers_changed,
        vec![NumberChange {
            from: "200 ألف".into(),
            to: "250 ألف".into(),
        }]
    );
    assert_eq!(
        plain(&d.blocks[0].spans),
        "القاهرة، 26 نوفمبر (ريدلاين) — قال وزير الخارجية سامح عبد الرحمن يوم الأربعاء إن «المفاوضات مستمرة ولن نتخلى عن الحل [-السياسي-]{+الدبلوماسي+} مهما طال الوقت»."
    );
    let q = &d.summary.quotes_altered;
    assert_eq!(q.len(), 1);
    assert_eq!(
        q[0].speaker.as_deref(),
        Some("وزير الخارجية سامح عبد الرحمن")
    );
    assert_eq!(
        q[0].from,
        "المفاوضات مستمرة ولن نتخلى عن الحل السياسي مهما طال الوقت"
    );
}

#[test]
fn text_renderer_marks_changes_and_moves() {
    let t = render::text(&wire_diff(), false);
    let head: Vec<&str> = t.lines().take(4).collect();
    assert_eq!(
        head,
        vec![
            "Headline: {+Russia to supply +}North Korea [-and Russia sign arms-for-oil pact, defying sanctions-]{+with oil and air defences under new pact+}",
            "Paragraphs: 1 added, 1 removed, 4 edited, 2 moved",
            "Quotes altered:",
            "  Foreign Minister Choe Son Hui: “We will not be intimidated by threats from Washington or its vassals” → “We will not be intimidated by threats from anyone, least of all Washington”",
        ]
    );
    assert!(t.contains("Numbers changed: 30,000 → 10,000, $500 million → $350 million\n"));
    assert!(t.contains("> [moved from ¶14] In Tokyo, Japan's chief cabinet secretary"));
    assert!(t.contains("> [moved from ¶12, edited] North Korea has shipped"));
    assert!(t.contains("- [-The two countries signed"));
    assert!(t.contains("+ {+Correction: An earlier version"));

    let c = render::text(&wire_diff(), true);
    assert!(c.contains("\x1b[31;9m30,000\x1b[0m\x1b[32;4m10,000\x1b[0m"));
}

#[test]
fn html_renderer_escapes_article_text() {
    let old = Article {
        title: "Talks <b>stall</b>".into(),
        blocks: vec![
            Block::paragraph("Officials met at 10 a.m. & left by noon."),
            Block::paragraph("The envoy said nothing."),
        ],
        ..Default::default()
    };
    let new = Article {
        title: "Talks \"collapse\"".into(),
        blocks: vec![
            Block::paragraph("Officials met at 10 a.m. & left by noon."),
            Block::paragraph("The envoy said <script>alert('x')</script> nothing."),
            Block::paragraph("<img src=x onerror=alert(1)>"),
        ],
        ..Default::default()
    };
    let h = render::html(&diff_articles(&old, &new));
    assert!(!h.contains("<script>"));
    assert!(!h.contains("<img"));
    assert!(!h.contains("<b>"));
    assert!(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(h.contains(
        "<section class=\"added\"><p><ins>&lt;img src=x onerror=alert(1)&gt;</ins></p></section>"
    ));
    assert!(h.contains("10 a.m. &amp; left by noon."));
    assert!(h.contains("&quot;collapse&quot;"));

    let w = render::html(&wire_diff());
    assert!(w.contains("<section class=\"moved\" data-from=\"14\"><p>In Tokyo"));
    assert!(w.contains("<section class=\"moved\" data-from=\"12\" data-edited=\"true\">"));
    assert!(w.contains("<li class=\"number\"><del>30,000</del> → <ins>10,000</ins></li>"));
    assert!(w.contains("<h2>TROOPS ON THE FRONT LINE</h2>"));
}

#[test]
fn json_is_camel_case_and_round_trips() {
    let d = wire_diff();
    let j = serde_json::to_value(&d).unwrap();
    assert_eq!(j["summary"]["paragraphsMoved"], 2);
    assert_eq!(j["blocks"][6]["op"], "moved");
    assert_eq!(j["blocks"][6]["oldIndex"], 11);
    assert_eq!(j["blocks"][6]["edited"], true);
    let back: Diff = serde_json::from_value(j).unwrap();
    assert_eq!(back, d);
}

#[test]
fn wire_pages_differ_only_in_noise() {
    let a = wire::page(&wire::story_v2(), 1);
    let b = wire::page(&wire::story_v2_noise(), 2);
    assert_ne!(a, b);
    assert!(a.contains("Updated 1 minutes ago"));
    assert!(a.contains("<figcaption>"));
    assert!(a.contains("\"@type\":\"NewsArticle\""));
}

#[test]
fn a_quote_given_to_someone_else_is_an_altered_quote() {
    let old = Article {
        title: "Talks end".into(),
        blocks: vec![Block::paragraph(
            "“The talks are over for this year,” said Foreign Minister Amara Diallo.",
        )],
        ..Default::default()
    };
    let new = Article {
        title: "Talks end".into(),
        blocks: vec![Block::paragraph(
            "“The talks are over for this year,” said a senior aide to Diallo.",
        )],
        ..Default::default()
    };
    let d = diff_articles(&old, &new);
    assert_eq!(
        d.summary.quotes_altered,
        vec![QuoteChange {
            speaker: Some("a senior aide".into()),
            old_speaker: Some("Foreign Minister Amara Diallo".into()),
            from: "The talks are over for this year".into(),
            to: "The talks are over for this year".into(),
        }]
    );
    assert_eq!(d.summary.paragraphs_edited, 1);
    assert!(d.summary.numbers_changed.is_empty());
    assert!(render::text(&d, false)
        .contains("  a senior aide: “The talks are over for this year” → “The talks are over for this year” (was attributed to Foreign Minister Amara Diallo)"));
}

#[test]
fn swapped_paragraphs_in_one_place_are_one_move() {
    let a = Block::paragraph("The ceasefire took effect at midnight, the army said.");
    let b = Block::paragraph("Residents reported sporadic shelling near the airport.");
    let c = Block::paragraph("Aid convoys are expected to cross on Friday.");
    let old = Article {
        blocks: vec![a.clone(), b.clone(), c.clone()],
        ..Default::default()
    };
    let new = Article {
        blocks: vec![b, a, c],
        ..Default::default()
    };
    let d = diff_articles(&old, &new);
    assert_eq!(d.summary.paragraphs_moved, 1);
    assert_eq!(d.summary.paragraphs_added + d.summary.paragraphs_removed, 0);
    assert_eq!(d.blocks.len(), 3);
}

/// A long council-meeting live blog: every paragraph is three sentences from
/// the same eight templates, with names, places, topics and figures drawn
/// from small pools, so any two paragraphs share half their words.
mod template_prose {
    use redline::article::Block;

    const NAMES: &[&str] = &[
        "Maria Okafor",
        "Tomasz Wrona",
        "Aiko Tanaka",
        "Daniel Mensah",
        "Leila Haddad",
        "Peter Lindqvist",
        "Ana Ribeiro",
        "Samuel Adeyemi",
        "Ingrid Holm",
        "Rafael Ortega",
    ];
    const ROLES: &[&str] = &[
        "chair",
        "treasurer",
        "spokeswoman",
        "deputy leader",
        "auditor",
    ];
    const ORGS: &[&str] = &[
        "city council",
        "transport authority",
        "housing board",
        "health trust",
        "schools committee",
        "water utility",
    ];
    const PLACES: &[&str] = &[
        "Northgate",
        "the harbour district",
        "Eastfield",
        "Millbrook",
        "the old town",
        "Riverside",
        "Kingsway",
        "Southmoor",
    ];
    const TOPICS: &[&str] = &[
        "bus fares",
        "flood defences",
        "school meals",
        "rent controls",
        "road repairs",
        "hospital parking",
        "street lighting",
    ];
    const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

    pub struct Rng(pub u64);
    impl Rng {
        pub fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    fn sentence(rng: &mut Rng) -> String {
        let (name, role, org) = (rng.pick(NAMES), rng.pick(ROLES), rng.pick(ORGS));
        let (place, topic, day) = (rng.pick(PLACES), rng.pick(TOPICS), rng.pick(DAYS));
        let n = 12 + rng.below(9_000);
        match rng.below(8) {
            0 => format!("{name}, the {role} of the {org}, said on {day} that {n} families in {place} were still waiting for help."),
            1 => format!("The {org} has set aside {n} million for {topic} in {place}, according to documents seen by reporters."),
            2 => format!("“We are doing everything we can,” {name} told a news conference in {place} on {day}."),
            3 => format!("Officials in {place} said the number of complaints about {topic} had risen to {n} by {day} evening."),
            4 => format!("Critics say the plan for {topic} does not go far enough, and members of the {org} are expected to vote on it next week."),
            5 => format!("{name} declined to comment on the talks with the {org} about {topic}."),
            6 => format!("About {n} people attended a public meeting on {topic} in {place} on {day}, the {role} said."),
            _ => format!("The {org} said in a statement that it would review its {topic} programme in {place} by the end of the year."),
        }
    }

    pub fn paragraph(rng: &mut Rng) -> Block {
        let text: Vec<String> = (0..3).map(|_| sentence(rng)).collect();
        Block::paragraph(text.join(" "))
    }

    /// Paragraphs until the text reaches `words` words.
    pub fn document(rng: &mut Rng, words: usize) -> Vec<Block> {
        let mut out = Vec::new();
        let mut count = 0;
        while count < words {
            let p = paragraph(rng);
            count += p.text.split_whitespace().count();
            out.push(p);
        }
        out
    }
}

/// At 100,000 words of template-like prose, a removed paragraph and an
/// unrelated added one share about half their words (the templates'); they
/// must stay removed and added, not become a moved-and-edited pair with
/// invented figure changes. Real edits, moves and moved-and-edited
/// paragraphs in the same document are still found.
#[test]
fn template_prose_at_100k_words_pairs_only_real_edits() {
    use template_prose::{document, paragraph, Rng};
    let mut rng = Rng(2026);
    let old = document(&mut rng, 100_000);
    let mut new = old.clone();
    // A figure revised in place in 12 paragraphs: "… 12 …" → "… 12 …" + 1.
    let mut expected_numbers = 0;
    for k in 0..12 {
        // The first paragraph from here on that has a figure.
        let i = (40 + k * 130..)
            .find(|&i| first_figure(&new[i].text).is_some())
            .expect("a paragraph with a figure");
        let text = &new[i].text;
        let (start, end) = first_figure(text).expect("checked");
        let figure: usize = text[start..end].parse().expect("figure");
        new[i].text = format!("{}{}{}", &text[..start], figure + 1, &text[end..]);
        expected_numbers += 1;
    }
    // Three paragraphs moved far away, one of them (with a figure) also revised.
    for (k, (from, to)) in [(300, 1200), (700, 100), (1500, 900)]
        .into_iter()
        .enumerate()
    {
        let from = (from..)
            .find(|&i| k != 1 || first_figure(&new[i].text).is_some())
            .expect("a paragraph with a figure");
        let mut b = new.remove(from);
        if k == 1 {
            let (start, end) = first_figure(&b.text).expect("checked");
            b.text = format!("{}70000{}", &b.text[..start], &b.text[end..]);
            expected_numbers += 1;
        }
        new.insert(to, b);
    }
    // Eight paragraphs cut and eight new ones written elsewhere, from the
    // same templates but about other things.
    for k in 0..8 {
        new.remove(200 + k * 170);
    }
    for k in 0..8 {
        new.insert(150 + k * 180, paragraph(&mut rng));
    }
    let article = |blocks| Article {
        title: "Council budget: live".into(),
        blocks,
        ..Default::default()
    };
    let d = diff_articles(&article(old), &article(new));
    let s = &d.summary;
    assert_eq!(
        (s.paragraphs_removed, s.paragraphs_added, s.paragraphs_moved),
        (8, 8, 3),
        "{s:?}"
    );
    assert_eq!(s.paragraphs_edited, 13, "12 in place and 1 moved: {s:?}");
    assert_eq!(
        s.numbers_changed.len(),
        expected_numbers,
        "{:?}",
        s.numbers_changed
    );
    assert!(s.numbers_changed.iter().any(|n| n.to.starts_with("70000")));
}

/// Byte range of the first figure (a run of ASCII digits) in `text`.
fn first_figure(text: &str) -> Option<(usize, usize)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let end = start
        + text[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len() - start);
    Some((start, end))
}
