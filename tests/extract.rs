//! Article extraction: body blocks and metadata from realistic news pages.

use redline::article::{Block, BlockKind, Dir};
use redline::extract::{extract_html, extract_plain};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const WIRE_URL: &str =
    "https://meridianwire.example/world/2026/11/25/grain-corridor-summit?utm_source=rss";

#[test]
fn wire_story_metadata_comes_from_json_ld_og_and_meta() {
    let a = extract_html(&fixture("wire_en.html"), Some(WIRE_URL)).unwrap();
    assert_eq!(
        a.title,
        "Envoys agree grain corridor as summit talks run late"
    );
    assert_eq!(a.byline.as_deref(), Some("Hanna Kowalczyk, Daniel Osei"));
    assert_eq!(a.site_name.as_deref(), Some("Meridian Wire"));
    assert_eq!(a.lang.as_deref(), Some("en-GB"));
    assert_eq!(a.dir, Dir::Ltr);
    assert_eq!(a.published_at.as_deref(), Some("2026-11-25T04:30:00.000Z"));
    assert_eq!(a.modified_at.as_deref(), Some("2026-11-25T07:05:00.000Z"));
    assert_eq!(
        a.excerpt.as_deref(),
        Some("Negotiators agreed to reopen a Black Sea grain corridor for 30,000 tonnes a day.")
    );
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://meridianwire.example/world/2026/11/25/grain-corridor-summit?ref=canonical")
    );
}

#[test]
fn wire_story_body_is_ordered_blocks_without_page_chrome_or_captions() {
    let a = extract_html(&fixture("wire_en.html"), Some(WIRE_URL)).unwrap();
    let p = |t: &str| Block::paragraph(t);
    let expected = vec![
        p("ISTANBUL, Nov 25 (Meridian) — Negotiators from Russia and Ukraine agreed early on Wednesday to reopen a Black Sea grain corridor that would carry up to 30,000 tonnes of wheat a day, two officials briefed on the talks said, after a summit session that ran past 3 a.m."),
        p("The deal, brokered by Turkey and the United Nations, includes a $500 million insurance fund for ships using the route and a joint inspection centre in Istanbul."),
        p("“We have a text that both sides can live with, and that is more than we had on Monday,” said Ayşe Karaca, a Turkish foreign ministry spokeswoman. “The ships can move within ten days.”"),
        Block::heading("SHIPPING RATES FALL"),
        p("Freight rates for bulk carriers in the Black Sea fell 12% on the news, according to the Baltic Exchange, and wheat futures in Chicago dropped to a four-month low."),
        p("“This is not peace, and nobody should call it peace,” said Artyom Lukin, a professor of international relations at Far Eastern Federal University. “It is a commercial arrangement that both capitals need for their own reasons."),
        p("“The question is whether it survives the first incident at sea,” he added."),
        Block::heading("WHAT COMES NEXT"),
        p("The United Nations said about 1,200 inspectors would be needed in the first month. Diplomats said a second round of talks on prisoner exchanges could begin in December."),
        p("Ukraine's foreign minister, speaking to reporters in Kyiv, said the agreement “does not change our position on the occupied territories,” while a Kremlin spokesman called it “a step that shows dialogue is possible.”"),
    ];
    assert_eq!(a.blocks, expected);
}

#[test]
fn arabic_page_without_dir_is_detected_right_to_left() {
    let a = extract_html(
        &fixture("ar_utf8.html"),
        Some("https://alsharq-news.example/ar/2026/11/25/ministers"),
    )
    .unwrap();
    assert_eq!(a.dir, Dir::Rtl);
    assert_eq!(a.lang.as_deref(), Some("ar"));
    assert_eq!(
        a.title,
        "وزراء الخارجية العرب يدعون إلى وقف فوري لإطلاق النار"
    );
    assert_eq!(a.site_name.as_deref(), Some("وكالة الشرق للأنباء"));
    assert_eq!(
        a.blocks[0].text,
        "القاهرة، 25 نوفمبر (وكالة الشرق) - دعا وزراء الخارجية العرب في ختام اجتماعهم الطارئ بالقاهرة يوم الأربعاء إلى وقف فوري لإطلاق النار وفتح المعابر أمام المساعدات الإنسانية دون قيود."
    );
    assert_eq!(a.blocks.len(), 4);
    assert_eq!(a.canonical_url, None);
}

#[test]
fn hebrew_page_declares_right_to_left() {
    let a = extract_html(&fixture("he_utf8.html"), None).unwrap();
    assert_eq!(a.dir, Dir::Rtl);
    assert_eq!(a.lang.as_deref(), Some("he"));
    assert_eq!(a.title, "שרי החוץ נפגשו בירושלים לשיחות על הסכם המים");
    assert_eq!(a.site_name.as_deref(), Some("חדשות הגליל"));
    assert_eq!(a.blocks.len(), 3);
    assert_eq!(
        a.blocks[2].text,
        "הצדדים סיכמו להיפגש שוב בעמאן בתחילת החודש הבא כדי להשלים את הנוסח הסופי."
    );
}

#[test]
fn metadata_falls_back_to_meta_tags_title_and_by_line() {
    let html = r#"<!DOCTYPE html><html><head>
<meta http-equiv="content-language" content="ru">
<title>Совбез ООН отложил голосование по резолюции - Вечерний вестник</title>
<meta property="og:site_name" content="Вечерний вестник">
<meta property="og:locale" content="ru_RU">
<meta name="pubdate" content="Tue, 24 Nov 2026 18:45:00 +0300">
<meta property="og:url" content="https://vestnik.example/news/un-vote">
</head><body>
<p>By Olga Sedova</p>
<p>НЬЮ-ЙОРК, 24 ноября. Совет Безопасности ООН отложил голосование по проекту резолюции о прекращении огня, сообщили дипломаты. Причиной стали разногласия по формулировкам о гуманитарном доступе.</p>
<p>«Мы рассчитываем вернуться к тексту в четверг», — сказал постоянный представитель одной из стран-членов совета.</p>
</body></html>"#;
    let a = extract_html(html, Some("https://vestnik.example/news/un-vote?from=main")).unwrap();
    assert_eq!(a.title, "Совбез ООН отложил голосование по резолюции");
    assert_eq!(a.byline.as_deref(), Some("Olga Sedova"));
    assert_eq!(a.site_name.as_deref(), Some("Вечерний вестник"));
    assert_eq!(a.lang.as_deref(), Some("ru"));
    assert_eq!(a.published_at.as_deref(), Some("2026-11-24T15:45:00.000Z"));
    assert_eq!(a.modified_at, None);
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://vestnik.example/news/un-vote")
    );
    assert_eq!(a.blocks.len(), 2);
    assert!(a.blocks[0].text.starts_with("НЬЮ-ЙОРК, 24 ноября."));
}

#[test]
fn og_locale_is_a_language_tag_and_zone_less_times_stay_as_written() {
    let html = r#"<html><head><meta property="og:locale" content="ko_KR">
<meta property="og:title" content="국방부, 정찰위성 3호기 발사 성공 발표">
<meta property="article:published_time" content="2026-11-25 14:30:00">
<meta property="article:modified_time" content="2026-11-25">
</head><body><p>국방부는 25일 군 정찰위성 3호기가 목표 궤도에 정상적으로 진입했다고 밝혔다. 위성은 앞으로 4개월간 시험 운용을 거쳐 실전 배치될 예정이다.</p></body></html>"#;
    let a = extract_html(html, None).unwrap();
    assert_eq!(a.lang.as_deref(), Some("ko-KR"));
    assert_eq!(a.title, "국방부, 정찰위성 3호기 발사 성공 발표");
    assert_eq!(a.published_at.as_deref(), Some("2026-11-25 14:30:00"));
    assert_eq!(a.modified_at.as_deref(), Some("2026-11-25T00:00:00.000Z"));
    assert_eq!(a.dir, Dir::Ltr);
    assert_eq!(a.blocks.len(), 1);
}

#[test]
fn a_short_page_still_gives_its_paragraphs() {
    let html = "<html><head><title>Notice</title></head><body><nav><a href='/'>Home</a></nav><p>The embassy is closed on Friday.</p></body></html>";
    let a = extract_html(html, None).unwrap();
    assert_eq!(a.title, "Notice");
    assert_eq!(
        a.blocks,
        vec![Block::paragraph("The embassy is closed on Friday.")]
    );
}

#[test]
fn a_page_without_text_is_an_extract_error() {
    for html in [
        "",
        "   ",
        "<html><head></head><body><img src='a.jpg'><script>var x = 1;</script></body></html>",
    ] {
        let err = extract_html(html, None).unwrap_err();
        assert_eq!(err.code(), "extract_failed", "{html:?}");
    }
}

#[test]
fn plain_text_title_is_the_first_line_and_paragraphs_split_on_blank_lines() {
    let text = "\u{FEFF}Ceasefire talks resume in Doha\r\nMediators said both delegations\r\narrived overnight.\r\n\r\nUpdated 5 minutes ago\r\n\r\n\"We are cautiously hopeful,\" a Qatari official said.\r\n";
    let a = extract_plain(text, false);
    assert_eq!(a.title, "Ceasefire talks resume in Doha");
    assert_eq!(
        a.blocks,
        vec![
            Block::paragraph("Mediators said both delegations arrived overnight."),
            Block::paragraph("\"We are cautiously hopeful,\" a Qatari official said."),
        ]
    );
}

#[test]
fn markdown_headings_become_heading_blocks_without_markup() {
    let md = "# 中欧领导人会晤聚焦贸易\n\n双方就经贸关系深入交换意见。\n\n## 电动汽车\n\n欧方希望通过**对话**解决分歧。\n\n- 签署环境保护文件\n- 签署科技创新文件\n";
    let a = extract_plain(md, true);
    assert_eq!(a.title, "中欧领导人会晤聚焦贸易");
    let kinds: Vec<(BlockKind, &str)> =
        a.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (BlockKind::Paragraph, "双方就经贸关系深入交换意见。"),
            (BlockKind::Heading, "电动汽车"),
            (BlockKind::Paragraph, "欧方希望通过对话解决分歧。"),
            (BlockKind::Paragraph, "签署环境保护文件"),
            (BlockKind::Paragraph, "签署科技创新文件"),
        ]
    );
}

#[test]
fn the_site_name_is_stripped_from_page_titles() {
    let page = |title: &str, site: &str| {
        format!(
            "<html><head><title>{title}</title><meta property=\"og:site_name\" content=\"{site}\"></head>\
             <body><p>Officials confirmed the meeting would take place on Thursday in the capital.</p></body></html>"
        )
    };
    let cases = [
        (
            "中欧领导人会晤聚焦贸易与气候合作_华星通讯社",
            "华星通讯社",
            "中欧领导人会晤聚焦贸易与气候合作",
        ),
        (
            "日中外相会談、海洋問題で協議継続を確認｜東洋通信",
            "東洋通信",
            "日中外相会談、海洋問題で協議継続を確認",
        ),
        (
            "Talks stall over sanctions - Meridian Wire",
            "Meridian Wire",
            "Talks stall over sanctions",
        ),
        (
            "Talks stall over sanctions | World news | Meridian",
            "Meridian Wire",
            "Talks stall over sanctions | World news",
        ),
        (
            "Mid-term elections: what to watch",
            "Meridian Wire",
            "Mid-term elections: what to watch",
        ),
    ];
    for (title, site, expected) in cases {
        let a = extract_html(&page(title, site), None).unwrap();
        assert_eq!(a.title, expected, "{title}");
    }
}

#[test]
fn a_page_with_a_utf8_bom_decodes_and_extracts() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(fixture("he_utf8.html").as_bytes());
    let d = redline::charset::decode_html(&bytes, Some("text/html; charset=windows-1255"), None);
    assert_eq!(d.from, redline::charset::DecodedFrom::Bom);
    let a = extract_html(&d.text, None).unwrap();
    assert_eq!(a.title, "שרי החוץ נפגשו בירושלים לשיחות על הסכם המים");
    assert_eq!(a.dir, Dir::Rtl);
}

#[test]
fn a_byline_loses_its_relative_timestamp() {
    let html = r#"<html><head><title>Sanctions talks stall in Brussels</title></head><body><article>
<h1>Sanctions talks stall in Brussels</h1>
<div class="byline">By Claire Dubois · Updated 12 minutes ago</div>
<p>BRUSSELS — European Union envoys failed on Tuesday to agree a new package of sanctions, with two member states holding out over restrictions on liquefied natural gas imports, three diplomats said.</p>
<p>“We are close, but close is not a deal,” said one diplomat, who asked not to be named because the talks were private. Ambassadors will meet again on Friday.</p>
</article></body></html>"#;
    let a = extract_html(html, None).unwrap();
    assert_eq!(a.byline.as_deref(), Some("Claire Dubois"));
    assert_eq!(a.title, "Sanctions talks stall in Brussels");
    assert_eq!(a.blocks.len(), 2);
}

#[test]
fn absurdly_nested_markup_does_not_overflow() {
    let depth = 5_000;
    let html = format!(
        "<html><head><title>Doha talks resume | Gulf Wire</title></head><body>{}<p>Deeply nested but readable text about the ceasefire talks in Doha.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let a = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || extract_html(&html, None))
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(a.title, "Doha talks resume");
    assert_eq!(
        a.blocks,
        vec![Block::paragraph(
            "Deeply nested but readable text about the ceasefire talks in Doha."
        )]
    );
}

#[test]
fn json_ld_graphs_and_string_authors_are_read() {
    let html = r#"<html lang="fr"><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[]}</script>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
  {"@type":"WebSite","name":"Le Courrier du Sahel"},
  {"@type":["ReportageNewsArticle"],"headline":"Niamey et Bamako rouvrent leur frontière &amp; leurs marchés",
   "author":"Aminata Traoré","publisher":{"@type":"Organization","name":"Le Courrier du Sahel"},
   "datePublished":"2026-11-24T08:00:00Z","mainEntityOfPage":{"@id":"/afrique/frontiere-niamey-bamako"},
   "description":"Les deux capitales ont signé un accord de réouverture."}]}</script>
<title>Accueil</title></head><body>
<p>Les autorités du Niger et du Mali ont annoncé lundi la réouverture de leur frontière commune, fermée depuis dix-huit mois, ainsi que des marchés hebdomadaires de la région de Tillabéri.</p>
<p>« C'est une bouffée d'oxygène pour les commerçants », a déclaré un responsable douanier à Ayorou.</p>
</body></html>"#;
    let a = extract_html(html, Some("https://courrier-sahel.example/afrique/")).unwrap();
    assert_eq!(
        a.title,
        "Niamey et Bamako rouvrent leur frontière & leurs marchés"
    );
    assert_eq!(a.byline.as_deref(), Some("Aminata Traoré"));
    assert_eq!(a.site_name.as_deref(), Some("Le Courrier du Sahel"));
    assert_eq!(a.lang.as_deref(), Some("fr"));
    assert_eq!(a.published_at.as_deref(), Some("2026-11-24T08:00:00.000Z"));
    assert_eq!(
        a.excerpt.as_deref(),
        Some("Les deux capitales ont signé un accord de réouverture.")
    );
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://courrier-sahel.example/afrique/frontiere-niamey-bamako")
    );
    assert_eq!(a.blocks.len(), 2);
}

/// Hostile nesting that fooled the raw-tag depth guard: end tags that match
/// nothing (`</zz>`) and the empty comment `<!-->`. Each must return, with
/// the story or a clear error, not pin a core.
fn hostile_nesting(depth: usize, opener: &str) -> String {
    format!(
        "<html><head><title>Port strike enters second week | Harbour Times</title></head><body>\
         {}<p>Dockworkers at the port of Rotterdam extended their strike on Monday, union leaders said.</p></body></html>",
        opener.repeat(depth)
    )
}

fn extract_on_small_stack(html: String) -> redline::Result<redline::article::Article> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || extract_html(&html, None))
        .unwrap()
        .join()
        .unwrap()
}

fn assert_story_or_budget_error(result: redline::Result<redline::article::Article>) {
    match result {
        Ok(a) => {
            assert_eq!(a.title, "Port strike enters second week");
            assert!(
                a.text()
                    .contains("Dockworkers at the port of Rotterdam extended their strike"),
                "{:?}",
                a.blocks
            );
        }
        Err(e) => assert_eq!(e.code(), "extract_too_complex", "{e}"),
    }
}

#[test]
fn unmatched_end_tags_8000_deep_return_the_story() {
    let a = extract_on_small_stack(hostile_nesting(8_000, "<div></zz>")).unwrap();
    assert_story_or_budget_error(Ok(a));
}

#[test]
fn unmatched_end_tags_100000_deep_return() {
    assert_story_or_budget_error(extract_on_small_stack(hostile_nesting(
        100_000,
        "<div></zz>",
    )));
}

#[test]
fn an_empty_comment_does_not_hide_the_nesting_after_it() {
    let html = format!("<!-->{}", hostile_nesting(20_000, "<div><!-- x --></zz>"));
    let a = extract_on_small_stack(html).unwrap();
    assert_story_or_budget_error(Ok(a));
    // `<!-->` then the nesting, no closing comment anywhere.
    let html = hostile_nesting(20_000, "<!--><div>");
    assert_story_or_budget_error(extract_on_small_stack(html));
}

#[test]
fn a_page_with_too_many_elements_is_a_typed_error() {
    let html = hostile_nesting(400_000, "<span></span>");
    let err = extract_on_small_stack(html).unwrap_err();
    assert_eq!(err.code(), "extract_too_complex");
}

/// Each page structure from issue 9 whose container a keyword pre-pass
/// deleted (`.paywall` inside `.Page-ad-margins`, an ASP.NET `<form>`,
/// off-canvas "advertisement" wrappers, `section.non-ad-column-l`,
/// `div#wrapper.ad_body`, a `div.paywall` tail, an ad-portal wrapper, a
/// share-buttons wrapper, a section id made from its heading) keeps its
/// article, without the captions, stamps, galleries and related lists.
#[test]
fn no_page_structure_loses_its_article_to_chrome_removal() {
    use redline::extract::score::score;
    let dir = format!("{}/tests/fixtures/extraction", env!("CARGO_MANIFEST_DIR"));
    for page in [
        "port-strike--brightspot",
        "court-ruling--brightspot",
        "council-budget--aspnet",
        "ar-water--aspnet",
        "wildfire-evacuation--offcanvas",
        "rate-decision--nonad",
        "ru-metro--nonad",
        "election-results--adbody",
        "ko-satellite--adbody",
        "measles-outbreak--paywall-tail",
        "council-budget--paywall-tail",
        "wildfire-evacuation--ad-portal",
        "zh-rail--ad-portal",
        "zh-rail--paywall-tail",
        "cup-final--share-wrapper",
        "rate-decision--heading-sections",
    ] {
        let html = std::fs::read_to_string(format!("{dir}/{page}.html")).unwrap();
        let expected = std::fs::read_to_string(format!("{dir}/{page}.txt")).unwrap();
        let a = extract_html(&html, None).unwrap();
        let s = score(&a.text(), &expected);
        assert!(
            s.recall >= 0.9 && s.precision >= 0.95,
            "{page}: P {:.3} R {:.3}\n{}",
            s.precision,
            s.recall,
            a.text()
        );
    }
}

#[test]
fn shingle_score_counts_repeats_and_unspaced_scripts() {
    use redline::extract::score::{score, tokens};
    assert_eq!(
        tokens("Port-strike: 87 per cent!"),
        ["port", "strike", "87", "per", "cent"]
    );
    assert_eq!(tokens("高铁贯通"), ["高", "铁", "贯", "通"]);
    let same = score("one two three four five", "one two three four five");
    assert_eq!((same.precision, same.recall), (1.0, 1.0));
    // Half the extraction is chrome: precision halves, recall stays.
    let s = score("a b c d e f g h x y z w v u", "a b c d e f g h");
    assert!((s.recall - 1.0).abs() < 1e-9 && s.precision < 0.5, "{s:?}");
    // A repeated passage counts once when the expected body has it once.
    let s = score("a b c d a b c d", "a b c d");
    assert!(s.precision < 0.5 && s.recall == 1.0, "{s:?}");
    assert_eq!(score("", "a b c d").f1(), 0.0);
}

#[test]
fn a_json_ld_headline_that_is_a_description_loses_to_agreeing_h1_and_og_title() {
    let html = r#"<html lang="en"><head><title>New Zealand - Atlas of Nations</title>
<meta property="og:title" content="New Zealand">
<meta property="og:site_name" content="Atlas of Nations">
<script type="application/ld+json">{"@type":"Article","headline":"constitutional monarchy in Oceania"}</script>
</head><body><article><h1>New Zealand</h1>
<p>New Zealand is an island country in the southwestern Pacific Ocean. It consists of two main landmasses, the North Island and the South Island, and more than 700 smaller islands.</p>
<p>Wellington is the capital, and Auckland is the most populous city. About 5.3 million people live in the country.</p>
</article></body></html>"#;
    let a = extract_html(html, None).unwrap();
    assert_eq!(a.title, "New Zealand");
    // Alone, the JSON-LD headline is still the title.
    let html = html
        .replace(r#"<meta property="og:title" content="New Zealand">"#, "")
        .replace("<h1>New Zealand</h1>", "")
        .replace("<title>New Zealand - Atlas of Nations</title>", "");
    let a = extract_html(&html, None).unwrap();
    assert_eq!(a.title, "constitutional monarchy in Oceania");
}

#[test]
fn the_logo_h1_does_not_outvote_the_declared_headline() {
    let html = r#"<html><head><title>Ferry fares rise 8% from January | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="og:title" content="Ferry fares rise 8% from January"></head>
<body><header><h1>Harbour Times</h1></header><div class="story">
<p>Ferry fares between the mainland and the islands will rise by 8 per cent from January, the operator said on Tuesday, blaming fuel and crew costs.</p>
<p>Season tickets for islanders will rise by 3 per cent, after a campaign by the island council.</p></div></body></html>"#;
    let a = extract_html(html, None).unwrap();
    assert_eq!(a.title, "Ferry fares rise 8% from January");
}

/// A topic menu picked as the article, or a body a fraction of the page's
/// paragraphs, exits 0 like a good extraction: the CLI must say so.
#[test]
fn a_low_confidence_extraction_is_flagged_on_stderr_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let menu = dir.path().join("menu.html");
    let topics: String = (0..40)
        .map(|i| format!("<li><a href='/topic/{i}'>Regional election coverage topic {i}</a></li>"))
        .collect();
    std::fs::write(
        &menu,
        format!("<html><head><title>Topics | Ledger</title></head><body><div class='topics'><ul>{topics}</ul></div></body></html>"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(args)
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    };
    let out = run(&["--json", "extract", menu.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: low confidence"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The link list is chrome, so nothing is left: flagged as empty.
    assert_eq!(v["lowConfidence"], "empty");

    let good = format!(
        "{}/tests/fixtures/extraction/port-strike--article.html",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = run(&["--json", "extract", &good]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lowConfidence"], serde_json::Value::Null);
}

#[test]
fn a_body_far_shorter_than_the_page_is_low_confidence() {
    let para = "The harbour authority said on Monday that dredging of the eastern channel would resume next spring after a two-year delay caused by a dispute over contaminated silt.";
    let html = format!(
        "<html><head><title>Dredging to resume | Ledger</title></head><body>\
         <div class='story'><p>{para}</p></div>\
         <div class='comments-area'><p>{para}</p><p>{para}</p><p>{para}</p><p>{para}</p><p>{para}</p></div></body></html>"
    );
    let e = redline::extract::extract_page(&html, None).unwrap();
    let body = e.article.text();
    // Whatever the engine keeps, a body of a fraction of the page is flagged.
    if body.len() * 3 < para.len() * 6 {
        assert_eq!(
            e.low_confidence,
            Some(redline::extract::LowConfidence::ShortOfPage)
        );
    }
    let e =
        redline::extract::extract_page(&format!("<html><body><p>{para}</p></body></html>"), None)
            .unwrap();
    assert_eq!(e.low_confidence, None);
}
