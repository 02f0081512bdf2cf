//! A realistic invented wire story as data, its revision with known edits, and
//! a renderer that wraps it in a full, noisy news page.
//!
//! The known edits from `story_v1()` to `story_v2()` (block numbers are
//! 0-based positions in v1):
//! - headline rewritten;
//! - block 13 (Tokyo reaction) moved up to just after block 2, unchanged;
//! - block 11 (intelligence estimate) moved up to just after block 4 AND edited;
//! - the quote in block 2 (Foreign Minister Choe Son Hui) has its words edited;
//! - two figures changed: "30,000" → "10,000" (block 4), "$500 million" →
//!   "$350 million" (block 7);
//! - block 12 (the 2024 treaty background) deleted;
//! - a correction line appended at the end.
//!
//! `story_v2_noise()` has exactly v2's text; only `page(.., noise)` differs.
//! The photo caption is rendered as `<figure><figcaption>` and is not one of
//! `blocks` (a body paragraph list is what the reporter compares).

#![allow(dead_code)]

use redline::article::Block;

#[derive(Clone, Debug)]
pub struct Story {
    pub title: String,
    pub byline: String,
    pub site_name: String,
    /// RFC 3339.
    pub published: String,
    pub modified: String,
    pub lang: String,
    pub caption: String,
    pub blocks: Vec<Block>,
}

fn p(s: &str) -> Block {
    Block::paragraph(s)
}

fn h(s: &str) -> Block {
    Block::heading(s)
}

pub const TITLE_V1: &str = "North Korea and Russia sign arms-for-oil pact, defying sanctions";
pub const TITLE_V2: &str = "Russia to supply North Korea with oil and air defences under new pact";
pub const CORRECTION: &str = "Correction: An earlier version of this article misstated the estimated number of North Korean soldiers sent to Russia. It is about 10,000, not 30,000.";

/// The v1 body, block by block (see the module docs for what v2 changes).
pub fn v1_blocks() -> Vec<Block> {
    vec![
        // 0
        p("SEOUL, Nov. 26 (Redline Wire) — North Korea and Russia signed a sweeping defence and trade pact in Pyongyang on Wednesday, deepening a partnership that Western governments say is fuelling the war in Ukraine and eroding a decade of United Nations sanctions."),
        // 1
        p("The agreement was signed by Russian Defence Minister Andrei Belousov and his North Korean counterpart, No Kwang Chol, at the end of a two-day visit that state media described as “historic” and “a new chapter of invincible friendship”."),
        // 2
        p("“We will not be intimidated by threats from Washington or its vassals,” Foreign Minister Choe Son Hui said at a banquet for the Russian delegation on Tuesday evening."),
        // 3
        h("TROOPS ON THE FRONT LINE"),
        // 4
        p("South Korean and Ukrainian intelligence officials estimate that about 30,000 North Korean soldiers have been sent to Russia's Kursk region since October 2024, some of them deployed within 15 km of the Ukrainian border."),
        // 5
        p("“Moscow needs shells and men, and Pyongyang needs hard currency, oil and technology it cannot buy anywhere else,” said Artyom Lukin, a professor of international relations at Far Eastern Federal University in Vladivostok. “Neither side has any reason to walk away from that bargain."),
        // 6
        p("“If anything, the pact makes the arrangement harder to undo, whoever sits in the White House.”"),
        // 7
        p("Under the pact, Russia will supply North Korea with oil, wheat and air-defence equipment worth an estimated $500 million a year, according to a senior South Korean government official who has seen a summary of the text."),
        // 8
        h("SANCTIONS IN TATTERS"),
        // 9
        p("“We are reviewing every option, and nothing is off the table,” a senior U.S. official told reporters on condition of anonymity because the deliberations are private."),
        // 10
        p("State Department spokeswoman Karen Holloway said: “Any transfer of arms to or from North Korea is a flagrant violation of Security Council resolutions that Russia itself voted for.”"),
        // 11
        p("North Korea has shipped more than 12,000 containers of munitions to Russia since August 2023, South Korea's National Intelligence Service told lawmakers in Seoul on Tuesday, a rise of 12.5% since its last briefing."),
        // 12
        p("The two countries signed a “comprehensive strategic partnership” treaty in June 2024 that includes a mutual defence clause, the first such commitment by Moscow to an Asian state since the Cold War."),
        // 13
        p("In Tokyo, Japan's chief cabinet secretary, Kenji Moriyama, told a regular briefing that the government was “gravely concerned” and would coordinate its response with Seoul and Washington."),
        // 14
        p("Belousov flew on to Vladivostok on Wednesday evening, Russian news agencies reported. The Kremlin said President Vladimir Putin would host Kim Jong Un in Moscow next year but gave no date."),
    ]
}

pub fn story_v1() -> Story {
    Story {
        title: TITLE_V1.into(),
        byline: "By Min-ji Seo and Daniel Okafor".into(),
        site_name: "Redline Wire".into(),
        published: "2026-11-26T06:12:00Z".into(),
        modified: "2026-11-26T06:12:00Z".into(),
        lang: "en".into(),
        caption: "Russian Defence Minister Andrei Belousov (left) shakes hands with North Korean Defence Minister No Kwang Chol in Pyongyang, North Korea, November 25, 2026. KCNA via Redline Wire".into(),
        blocks: v1_blocks(),
    }
}

/// The edited quote in block 2 (v2 wording).
pub const QUOTE_V1: &str = "We will not be intimidated by threats from Washington or its vassals";
pub const QUOTE_V2: &str =
    "We will not be intimidated by threats from anyone, least of all Washington";

pub fn story_v2() -> Story {
    let b = v1_blocks();
    let blocks = vec![
        b[0].clone(),
        b[1].clone(),
        // 2: the quote's words edited
        p("“We will not be intimidated by threats from anyone, least of all Washington,” Foreign Minister Choe Son Hui said at a banquet for the Russian delegation on Tuesday evening."),
        // 3: v1 block 13, moved
        b[13].clone(),
        b[3].clone(),
        // 5: figure changed
        p("South Korean and Ukrainian intelligence officials estimate that about 10,000 North Korean soldiers have been sent to Russia's Kursk region since October 2024, some of them deployed within 15 km of the Ukrainian border."),
        // 6: v1 block 11, moved and edited
        p("North Korea has shipped more than 12,000 containers of artillery shells and rockets to Russia since August 2023, South Korea's National Intelligence Service told a closed-door parliamentary committee in Seoul on Tuesday, a rise of 12.5% since its last briefing."),
        b[5].clone(),
        b[6].clone(),
        // 9: figure changed
        p("Under the pact, Russia will supply North Korea with oil, wheat and air-defence equipment worth an estimated $350 million a year, according to a senior South Korean government official who has seen a summary of the text."),
        b[8].clone(),
        b[9].clone(),
        b[10].clone(),
        // v1 block 12 deleted
        b[14].clone(),
        p(CORRECTION),
    ];
    Story {
        title: TITLE_V2.into(),
        modified: "2026-11-26T09:40:00Z".into(),
        blocks,
        ..story_v1()
    }
}

/// Exactly v2's text: render it with another `noise` to get a noise-only revision.
pub fn story_v2_noise() -> Story {
    story_v2()
}

/// A full news page around `story`: navigation, ads, share bar, newsletter
/// box, related links and a relative timestamp all vary with `noise`; the
/// article text does not.
pub fn page(story: &Story, noise: u32) -> String {
    let mut nav = [
        "World", "Asia", "Business", "Markets", "Politics", "Opinion", "Sport", "Video",
    ];
    let n = nav.len();
    nav.rotate_left(noise as usize % n);
    let ads = [
        "Refinance today: rates from 4.9% APR. Apply in minutes.",
        "Fly business class to Tokyo for less — book by Sunday.",
        "The watch that outlasts empires. Discover the collection.",
        "Learn Korean in 30 days with our award-winning app.",
    ];
    let ad = |k: u32| esc(ads[((noise + k) as usize) % ads.len()]);
    let related = [
        "Kim Jong Un inspects new missile launchers, KCNA says",
        "Seoul summons Russian ambassador over troop deployment",
        "Analysis: What North Korea gets from the war in Ukraine",
        "Japan, South Korea and U.S. hold trilateral naval drill",
    ];
    let mut related = related;
    related.rotate_left(noise as usize % 4);

    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "author": [{"@type": "Person", "name": story.byline.trim_start_matches("By ")}],
        "datePublished": story.published,
        "dateModified": story.modified,
        "inLanguage": story.lang,
        "publisher": {"@type": "Organization", "name": story.site_name},
        "image": ["https://wire.example/img/pact-1200.jpg"],
    })
    .to_string()
    .replace("</", "<\\/");

    let mut body = String::new();
    for (i, b) in story.blocks.iter().enumerate() {
        match b.kind {
            redline::article::BlockKind::Heading => {
                body.push_str(&format!("      <h2>{}</h2>\n", esc(&b.text)))
            }
            redline::article::BlockKind::Paragraph => {
                body.push_str(&format!("      <p>{}</p>\n", esc(&b.text)))
            }
        }
        if i == 3 {
            body.push_str(&format!(
                "      <aside class=\"ad ad-inline\" data-slot=\"{noise}\"><span class=\"ad-label\">Advertisement</span><a href=\"https://ads.example/c?id={noise}\">{}</a></aside>\n",
                ad(1)
            ));
        }
    }

    let nav_html: String = nav
        .iter()
        .map(|s| format!("<li><a href=\"/{}\">{s}</a></li>", s.to_lowercase()))
        .collect();
    let related_html: String = related
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "<li><a href=\"/world/asia/story-{i}?utm_source=rel&amp;r={noise}\">{}</a></li>",
                esc(s)
            )
        })
        .collect();

    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{title} | {site}</title>
  <meta name="description" content="{desc}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{site}">
  <meta property="og:url" content="https://wire.example/world/asia/north-korea-russia-pact-2026-11-26/">
  <meta property="article:published_time" content="{published}">
  <meta property="article:modified_time" content="{modified}">
  <link rel="canonical" href="https://wire.example/world/asia/north-korea-russia-pact-2026-11-26/">
  <script type="application/ld+json">{ld}</script>
  <script>window.__ads = {{ slot: {noise}, seed: "{noise}-{noise}" }};</script>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">{site}</a>
    <nav class="main-nav"><ul>{nav_html}</ul></nav>
    <div class="ad ad-leaderboard"><span class="ad-label">Advertisement</span> {ad0}</div>
  </header>
  <main>
    <article class="story">
      <header>
        <h1>{title}</h1>
        <p class="byline">{byline}</p>
        <p class="timestamp"><time datetime="{published}">November 26, 2026</time> · Updated {noise} minutes ago</p>
      </header>
      <div class="share-bar"><a href="https://social.example/share?u=1">Share</a> <a href="mailto:?subject=pact">Email</a> <button>Copy link</button></div>
      <figure>
        <img src="https://wire.example/img/pact-1200.jpg" alt="Defence ministers shake hands">
        <figcaption>{caption}</figcaption>
      </figure>
{body}      <div class="newsletter-box"><h3>Asia Morning Briefing</h3><p>Get the day's top Asia stories in your inbox. Join {subs} readers.</p><form><input type="email" placeholder="Email address"><button>Sign up</button></form></div>
    </article>
    <aside class="related"><h3>Related coverage</h3><ul>{related_html}</ul></aside>
    <div class="ad ad-sidebar"><span class="ad-label">Advertisement</span> {ad2}</div>
  </main>
  <footer><p>© 2026 {site}. All rights reserved.</p><p>Page generated in {gen} ms</p></footer>
</body>
</html>
"#,
        lang = esc(&story.lang),
        title = esc(&story.title),
        site = esc(&story.site_name),
        desc = esc(&story
            .blocks
            .first()
            .map(|b| b.text.clone())
            .unwrap_or_default()),
        published = esc(&story.published),
        modified = esc(&story.modified),
        byline = esc(&story.byline),
        caption = esc(&story.caption),
        ad0 = ad(0),
        ad2 = ad(2),
        subs = 100_000 + noise * 37,
        gen = 40 + noise % 17,
    )
}

/// The story as an extracted article (what a version of it stores).
pub fn article(story: &Story) -> redline::article::Article {
    redline::article::Article {
        title: story.title.clone(),
        byline: Some(story.byline.clone()),
        site_name: Some(story.site_name.clone()),
        lang: Some(story.lang.clone()),
        dir: if story.lang == "ar" {
            redline::article::Dir::Rtl
        } else {
            redline::article::Dir::Ltr
        },
        published_at: Some(story.published.clone()),
        modified_at: Some(story.modified.clone()),
        excerpt: None,
        canonical_url: None,
        blocks: story.blocks.clone(),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

// ---------------------------------------------------------------------------
// Chinese (unspaced) pair: one quote edited, one figure changed.

pub fn chinese_v1() -> Story {
    Story {
        title: "外交部：中方愿同东盟国家加强海上合作".into(),
        byline: "记者 王晓林".into(),
        site_name: "红线通讯社".into(),
        published: "2026-11-26T08:00:00Z".into(),
        modified: "2026-11-26T08:00:00Z".into(),
        lang: "zh".into(),
        caption: "11月26日，外交部发言人林海在北京主持例行记者会。".into(),
        blocks: vec![
            p("新华社北京11月26日电 外交部发言人林海26日在例行记者会上表示，中方愿同东盟国家一道，维护南海和平稳定。"),
            p("林海说：“中方始终致力于同直接有关的当事国通过对话协商妥善处理分歧。”"),
            h("贸易往来持续增长"),
            p("据海关统计，今年前十个月中国与东盟贸易额达到8000亿美元，同比增长5.3%。"),
        ],
    }
}

pub fn chinese_v2() -> Story {
    let mut s = chinese_v1();
    s.blocks[1] = p("林海说：“中方始终致力于同直接有关的当事国通过友好对话管控分歧。”");
    s.blocks[3] = p("据海关统计，今年前十个月中国与东盟贸易额达到7800亿美元，同比增长5.3%。");
    s.modified = "2026-11-26T10:30:00Z".into();
    s
}

// ---------------------------------------------------------------------------
// Arabic (right-to-left) pair: one quote edited, one figure changed.

pub fn arabic_v1() -> Story {
    Story {
        title: "وزير الخارجية: المفاوضات مستمرة رغم التصعيد".into(),
        byline: "بقلم ليلى حداد".into(),
        site_name: "ريدلاين".into(),
        published: "2026-11-26T07:30:00Z".into(),
        modified: "2026-11-26T07:30:00Z".into(),
        lang: "ar".into(),
        caption: "وزير الخارجية سامح عبد الرحمن خلال مؤتمر صحفي في القاهرة يوم 26 نوفمبر 2026.".into(),
        blocks: vec![
            p("القاهرة، 26 نوفمبر (ريدلاين) — قال وزير الخارجية سامح عبد الرحمن يوم الأربعاء إن «المفاوضات مستمرة ولن نتخلى عن الحل السياسي مهما طال الوقت»."),
            p("وأضاف أن أكثر من 200 ألف شخص نزحوا خلال الأسبوع الماضي وحده، بحسب تقديرات الأمم المتحدة."),
            p("ومن المقرر أن يعقد الوزراء اجتماعا جديدا في جنيف الشهر المقبل."),
        ],
    }
}

pub fn arabic_v2() -> Story {
    let mut s = arabic_v1();
    s.blocks[0] = p("القاهرة، 26 نوفمبر (ريدلاين) — قال وزير الخارجية سامح عبد الرحمن يوم الأربعاء إن «المفاوضات مستمرة ولن نتخلى عن الحل الدبلوماسي مهما طال الوقت».");
    s.blocks[1] =
        p("وأضاف أن أكثر من 250 ألف شخص نزحوا خلال الأسبوع الماضي وحده، بحسب تقديرات الأمم المتحدة.");
    s.modified = "2026-11-26T11:00:00Z".into();
    s
}
