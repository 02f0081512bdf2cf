//! Every script a foreign desk reads is drawn, not left blank: a page per
//! script is clipped and opened in the reader, and the headline's glyphs are
//! measured on the X server's screenshot (what the reporter sees).
//!
//! Two failures look different on screen and both are caught: a script with
//! no font at all draws nothing (no ink where the characters are), and a
//! script drawn with a fallback's "missing glyph" box draws the same box for
//! every character (ink, but the same amount under each one). Real glyphs of
//! different characters carry different amounts of ink.

mod common;

use std::path::Path;
use std::time::Duration;

use common::server::{Response, TestServer};
use redline_e2e::{AppSession, Result, UI_TIMEOUT};
use serde_json::{json, Value};

const NETWORK: Duration = Duration::from_secs(60);

/// How many characters of each headline are measured.
const SAMPLE: usize = 8;
/// Least mean ink (share of a character's box that is dark) for text that is
/// drawn; blank text measures 0.
const MIN_INK: f64 = 0.04;
/// Least spread (coefficient of variation) of ink across distinct characters;
/// identical "missing glyph" boxes measure near 0.
const MIN_SPREAD: f64 = 0.08;

/// One invented story per script: (script, language, outlet, headline, body).
const PAGES: &[(&str, &str, &str, &str, &str)] = &[
    ("hangul", "ko", "한빛통신", "북한 외무성, 블라디보스토크 정상회담 결과 발표",
     "북한 외무성은 30일 블라디보스토크에서 열린 정상회담에서 양측이 에너지 협력 확대에 합의했다고 밝혔다. 대변인은 “제재는 우리의 길을 막지 못한다”고 말했다."),
    ("han", "zh", "新华日报", "外交部发言人就半岛局势答记者问",
     "外交部发言人三十日在例行记者会上表示，中方一贯主张通过对话协商解决半岛问题。发言人说：“各方应保持冷静克制。”"),
    ("kana", "ja", "東京新聞", "防衛省、ミサイル発射を確認　北海道に避難警報",
     "防衛省によると、ミサイルは約二十二分間飛行し、太平洋に落下した。官房長官は「断じて容認できない」と述べた。"),
    ("arabic", "ar", "الخليج اليوم", "وزير الخارجية يبحث العقوبات مع نظيره الروسي",
     "بحث وزير الخارجية يوم الأحد ملف العقوبات مع نظيره الروسي في موسكو، وقال المتحدث باسم الوزارة إن المحادثات كانت صريحة وبناءة."),
    ("hebrew", "he", "חדשות הבוקר", "שר החוץ נפגש עם עמיתו היפני בטוקיו",
     "שר החוץ נפגש ביום שלישי עם עמיתו היפני בטוקיו ודן עמו בשיתוף הפעולה הביטחוני. לדבריו, „השיחות היו פוריות מאוד”."),
    ("devanagari", "hi", "दैनिक समाचार", "विदेश मंत्री ने सियोल में शिखर वार्ता पर चर्चा की",
     "विदेश मंत्री ने सोमवार को सियोल में अपने समकक्ष से मुलाकात की और व्यापार समझौते पर चर्चा की। उन्होंने कहा, “बातचीत सकारात्मक रही।”"),
    ("thai", "th", "ข่าวเช้า", "รัฐมนตรีต่างประเทศพบหารือกับคณะผู้แทนเกาหลี",
     "รัฐมนตรีว่าการกระทรวงการต่างประเทศพบหารือกับคณะผู้แทนจากเกาหลีใต้เมื่อวันจันทร์ เพื่อหารือความร่วมมือด้านการค้าและความมั่นคง"),
    ("cyrillic", "ru", "Восточный вестник", "Лавров провёл переговоры во Владивостоке",
     "Министр иностранных дел Сергей Лавров провёл во Владивостоке переговоры с делегацией КНДР. «Санкции не помешают сотрудничеству», — заявил он."),
    ("greek", "el", "Η Καθημερινή Ειδήσεων", "Ο υπουργός Εξωτερικών συναντήθηκε με τον Ιάπωνα ομόλογό του",
     "Ο υπουργός Εξωτερικών συναντήθηκε την Τρίτη με τον Ιάπωνα ομόλογό του στο Τόκιο και συζήτησαν την αμυντική συνεργασία."),
];

fn page(lang: &str, outlet: &str, headline: &str, body: &str) -> String {
    let dir = if matches!(lang, "ar" | "he") {
        "rtl"
    } else {
        "ltr"
    };
    format!(
        r#"<!doctype html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<title>{headline} | {outlet}</title><meta property="og:site_name" content="{outlet}"></head>
<body><header><nav><a href="/">{outlet}</a></nav></header>
<main><article><h1>{headline}</h1>
<p>{body}</p><p>{body}</p><p>{body}</p>
</article></main><footer>© 2026 {outlet}</footer></body></html>"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_script_is_drawn_in_the_reader() -> Result<()> {
    let server = TestServer::start().await;
    for (script, lang, outlet, headline, body) in PAGES {
        server.set(
            &format!("/world/{script}"),
            Response::html(page(lang, outlet, headline, body)),
        );
    }
    let mut app = AppSession::start("scripts").await?;
    let outcome = walk(&mut app, &server).await;
    if outcome.is_err() {
        let _ = app.screenshot("failed").await;
    }
    app.stop().await?;
    outcome
}

async fn walk(app: &mut AppSession, server: &TestServer) -> Result<()> {
    // The window fills the X screen, so page coordinates are screen pixels.
    let inner = app
        .js(
            "return [window.innerWidth, window.devicePixelRatio];",
            vec![],
        )
        .await?;
    assert_eq!(inner, json!([1280, 1]), "window does not fill the screen");

    let mut failures = Vec::new();
    for (script, _, _, headline, _) in PAGES {
        app.clip_url(&server.url(&format!("/world/{script}")), NETWORK)
            .await?;
        app.click("nav-library").await?;
        let row = app
            .wait_css(
                &format!("[data-testid=\"source-row\"][data-title=\"{headline}\"]"),
                UI_TIMEOUT,
            )
            .await?;
        let source_id = row.attr("data-source-id").await?.expect("row has an id");
        common::open_source(app, &source_id).await?;
        let title = app.testid("reader-title").await?.text().await?;
        assert_eq!(&title, headline);

        let boxes = glyph_boxes(app).await?;
        assert!(
            boxes.len() >= SAMPLE,
            "{script}: only {} measurable characters in {headline:?}",
            boxes.len()
        );
        let shot = app.screenshot(script).await?;
        let inks = boxes
            .iter()
            .take(SAMPLE)
            .map(|b| ink(&shot, b))
            .collect::<Result<Vec<f64>>>()?;
        let mean = inks.iter().sum::<f64>() / inks.len() as f64;
        let var = inks.iter().map(|i| (i - mean).powi(2)).sum::<f64>() / inks.len() as f64;
        let spread = if mean > 0.0 { var.sqrt() / mean } else { 0.0 };
        println!("{script}: ink {mean:.3}, spread {spread:.3}, per character {inks:.3?}");
        if mean < MIN_INK {
            failures.push(format!("{script}: blank (mean ink {mean:.3})"));
        } else if spread < MIN_SPREAD {
            failures.push(format!(
                "{script}: every character looks the same (spread {spread:.3}): missing-glyph boxes"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "scripts not drawn (install fonts-noto-cjk and fonts-noto-core): {failures:?}"
    );
    Ok(())
}

/// Screen boxes (x, y, width, height) of the reader headline's distinct
/// characters, skipping spaces, punctuation and zero-width marks.
async fn glyph_boxes(app: &AppSession) -> Result<Vec<[f64; 4]>> {
    let value = app
        .js(
            r#"
            const h = document.querySelector('[data-testid="reader-title"]');
            const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
            const seen = new Set();
            const out = [];
            let node;
            while ((node = walker.nextNode())) {
              let i = 0;
              for (const ch of node.data) {
                const len = ch.length;
                if (/[\p{L}]/u.test(ch) && !seen.has(ch)) {
                  const r = document.createRange();
                  r.setStart(node, i);
                  r.setEnd(node, i + len);
                  const b = r.getBoundingClientRect();
                  if (b.width >= 3 && b.height >= 8) {
                    seen.add(ch);
                    out.push([b.left, b.top, b.width, b.height]);
                  }
                }
                i += len;
              }
            }
            return out;
            "#,
            vec![],
        )
        .await?;
    let boxes = value
        .as_array()
        .ok_or("glyph boxes: not an array")?
        .iter()
        .map(|b| {
            let n = |i: usize| b.get(i).and_then(Value::as_f64).unwrap_or(0.0);
            [n(0), n(1), n(2), n(3)]
        })
        .collect();
    Ok(boxes)
}

/// The share of dark pixels in a box of the screenshot (ImageMagick).
fn ink(shot: &Path, b: &[f64; 4]) -> Result<f64> {
    let crop = format!(
        "{}x{}+{}+{}",
        b[2].round().max(1.0) as u32,
        b[3].round().max(1.0) as u32,
        b[0].round().max(0.0) as u32,
        b[1].round().max(0.0) as u32
    );
    let out = std::process::Command::new("convert")
        .arg(shot)
        .args([
            "-crop",
            &crop,
            "+repage",
            "-colorspace",
            "Gray",
            "-threshold",
            "60%",
            "-format",
            "%[fx:1-mean]",
            "info:",
        ])
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "convert failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text.trim().parse::<f64>()?)
}
