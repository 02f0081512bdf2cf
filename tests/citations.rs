//! Citations pinned to versions: the syntax, checking quotes against later
//! versions ("changed after you cited it"), and the rendered note.

use redline::article::{Article, Block, Dir};
use redline::citations::{
    self, CitationKind, CitationRef, CitationState, PassageChange, PassageChangeKind,
};
use redline::highlights::{self, Highlight};
use redline::notes;
use redline::versions::{self, Version};
use redline::Db;

async fn library() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    (dir, db)
}

fn article(title: &str, paragraphs: &[&str]) -> Article {
    Article {
        title: title.into(),
        site_name: Some("Wire Service".into()),
        lang: Some("en".into()),
        dir: Dir::Ltr,
        blocks: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
        ..Default::default()
    }
}

async fn new_source(db: &Db, url: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let id = versions::insert_source(&mut tx, Some(url), Some(url), "2026-11-26T20:00:00.000Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn add_version(db: &Db, source: i64, a: &Article, at: &str) -> Version {
    let mut tx = db.write().await.unwrap();
    let hash = redline::hash::sha256_hex(a.text().as_bytes());
    let v = versions::insert_version(&mut tx, source, a, &hash, at)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

async fn highlight(db: &Db, v: &Version, needle: &str) -> Highlight {
    let b = v.text.find(needle).expect("fixture text present");
    let s = v.text[..b].chars().count();
    highlights::create(db, v.id, s, s + needle.chars().count(), "", "")
        .await
        .unwrap()
}

const LEDE: &str =
    "GENEVA — Negotiators agreed on Thursday to extend the ceasefire by 30 days, officials said.";
const FIGURE: &str = "The agreement allows aid convoys to reach 30,000 displaced people in the border region, according to the UN refugee agency.";
const QUOTE: &str = "“Nobody is celebrating yet,” a Western diplomat said.";
const PASSAGE: &str = "aid convoys to reach 30,000 displaced people";

#[test]
fn parse_finds_citations_outside_code() {
    let md = "Казань: the toll [@h12] was revised [@v34]; see [@s5].\n\n\
              `[@h1]` in code, \\[@h2] escaped, [@h3](https://x.example) a link.\n\n\
              ```\n[@h4]\n```\n\n    [@h6] indented code\n\n> [@h7]\n\n[@x8] [@h] [@h 9]\n";
    let refs = citations::parse(md);
    let at = |s: &str| {
        let b = md.find(s).unwrap();
        (b, b + s.len())
    };
    assert_eq!(
        refs,
        vec![
            CitationRef {
                kind: CitationKind::Highlight,
                id: 12,
                range: at("[@h12]")
            },
            CitationRef {
                kind: CitationKind::Version,
                id: 34,
                range: at("[@v34]")
            },
            CitationRef {
                kind: CitationKind::Source,
                id: 5,
                range: at("[@s5]")
            },
            CitationRef {
                kind: CitationKind::Highlight,
                id: 7,
                range: at("[@h7]")
            },
        ]
    );
    // Byte ranges, so the Cyrillic before the first citation counts double.
    assert_eq!(&md[refs[0].range.0..refs[0].range.1], "[@h12]");
    assert_eq!(citations::insert_citation(12), "[@h12]");
    assert_eq!(refs[1].markdown(), "[@v34]");
}

#[tokio::test]
async fn check_follows_the_quoted_passage_through_later_versions() {
    let (_dir, db) = library().await;
    let src = new_source(&db, "https://www.wire.example/world/ceasefire-extended").await;
    let v1 = add_version(
        &db,
        src,
        &article("Ceasefire extended", &[LEDE, FIGURE, QUOTE]),
        "2026-11-26T23:05:00.000Z",
    )
    .await;
    let h = highlight(&db, &v1, PASSAGE).await;
    let body = format!(
        "The first count:\n\n{}\n\nWire story: [@v{}], latest [@s{}]. Missing: [@h999].\n",
        citations::insert_citation(h.id),
        v1.id,
        src
    );
    let note = notes::create(&db, "Toll", &body).await.unwrap();

    let st = citations::check(&db, note.id).await.unwrap();
    assert_eq!(st.len(), 4);
    assert_eq!(
        st[0].state,
        CitationState::Current {
            latest_version_id: v1.id
        }
    );
    assert_eq!(st[0].quote.as_deref(), Some(PASSAGE));
    let cited = st[0].cited.as_ref().unwrap();
    assert_eq!(
        cited.label(),
        "Wire Service, Ceasefire extended, version 1 captured 2026-11-26 23:05 UTC"
    );
    assert_eq!(
        cited.url.as_deref(),
        Some("https://www.wire.example/world/ceasefire-extended")
    );
    assert_eq!(
        st[1].state,
        CitationState::Current {
            latest_version_id: v1.id
        }
    );
    assert_eq!(
        st[2].state,
        CitationState::Current {
            latest_version_id: v1.id
        }
    );
    assert_eq!(st[3].state, CitationState::Missing);
    assert_eq!(st[3].cited, None);

    // v2 edits another paragraph: the quote still stands.
    let v2 = add_version(
        &db,
        src,
        &article(
            "Ceasefire extended",
            &[
                LEDE,
                FIGURE,
                "“Nobody is celebrating,” a Western diplomat said.",
            ],
        ),
        "2026-11-27T01:10:00.000Z",
    )
    .await;
    let st = citations::check(&db, note.id).await.unwrap();
    assert_eq!(
        st[0].state,
        CitationState::Current {
            latest_version_id: v2.id
        }
    );
    assert_eq!(
        st[1].state,
        CitationState::Superseded {
            latest_version_id: v2.id
        }
    );
    assert_eq!(
        st[2].state,
        CitationState::Current {
            latest_version_id: v2.id
        }
    );
    assert_eq!(st[2].cited.as_ref().unwrap().version_id, v2.id);

    // v3 revises the figure.
    let v3 = add_version(
        &db,
        src,
        &article(
            "Ceasefire extended",
            &[LEDE, &FIGURE.replace("30,000", "10,000"), QUOTE],
        ),
        "2026-11-27T06:45:00.000Z",
    )
    .await;
    let st = citations::check(&db, note.id).await.unwrap();
    assert_eq!(
        st[0].cited.as_ref().unwrap().version_id,
        v1.id,
        "still pinned to v1"
    );
    assert_eq!(st[0].latest.as_ref().unwrap().version_id, v3.id);
    let span = |kind, text: &str| PassageChange {
        kind,
        text: text.into(),
    };
    assert_eq!(
        st[0].state,
        CitationState::ChangedAfterCite {
            latest_version_id: v3.id,
            new_text: "aid convoys to reach 10,000 displaced people".into(),
            similarity: 6.0 / 7.0,
            spans: vec![
                span(PassageChangeKind::Equal, "aid convoys to reach "),
                span(PassageChangeKind::Delete, "30,000"),
                span(PassageChangeKind::Insert, "10,000"),
                span(PassageChangeKind::Equal, " displaced people"),
            ],
        }
    );

    // v4 drops the paragraph.
    let v4 = add_version(
        &db,
        src,
        &article("Ceasefire extended", &[LEDE, QUOTE]),
        "2026-11-27T09:00:00.000Z",
    )
    .await;
    let st = citations::check(&db, note.id).await.unwrap();
    assert_eq!(
        st[0].state,
        CitationState::GoneAfterCite {
            latest_version_id: v4.id
        }
    );

    // JSON shape the UI reads.
    let json = serde_json::to_value(&st[0]).unwrap();
    assert_eq!(json["state"]["state"], "goneAfterCite");
    assert_eq!(json["state"]["latestVersionId"], v4.id);
    assert_eq!(json["citation"]["kind"], "highlight");
    assert_eq!(json["cited"]["capturedAt"], "2026-11-26T23:05:00.000Z");
}

#[tokio::test]
async fn rendered_note_quotes_links_and_flags_changes() {
    let (_dir, db) = library().await;
    let src = new_source(&db, "https://www.wire.example/world/ceasefire-extended").await;
    let v1 = add_version(
        &db,
        src,
        &article("Ceasefire extended", &[LEDE, FIGURE, QUOTE]),
        "2026-11-26T23:05:00.000Z",
    )
    .await;
    let h = highlight(&db, &v1, PASSAGE).await;
    let body = format!(
        "# Toll\n\n[@h{id}]\n\nInline: [@h{id}] and `[@h{id}]`.\n",
        id = h.id
    );
    let note = notes::create(&db, "Toll", &body).await.unwrap();

    let r = notes::render(&db, note.id).await.unwrap();
    assert_eq!(r.citations.len(), 2);
    let link = format!("redline://version/{}#h{}", v1.id, h.id);
    assert_eq!(
        r.html,
        format!(
            "<h1>Toll</h1>\n\
             <blockquote class=\"redline-quote\"><p>{PASSAGE}</p><p class=\"redline-attribution\">— \
             <a class=\"redline-cite\" href=\"{link}\" rel=\"noopener noreferrer\">Wire Service, Ceasefire extended, version 1 captured 2026-11-26 23:05 UTC</a></p></blockquote>\n\
             <p>Inline: <q class=\"redline-quote\">{PASSAGE}</q> (<a class=\"redline-cite\" href=\"{link}\" rel=\"noopener noreferrer\">Wire Service, Ceasefire extended, version 1 captured 2026-11-26 23:05 UTC</a>) \
             and <code>[@h{id}]</code>.</p>\n",
            id = h.id
        )
    );

    add_version(
        &db,
        src,
        &article(
            "Ceasefire extended",
            &[LEDE, &FIGURE.replace("30,000", "10,000"), QUOTE],
        ),
        "2026-11-27T06:45:00.000Z",
    )
    .await;
    let r = notes::render(&db, note.id).await.unwrap();
    assert!(r.html.contains(
        "<blockquote class=\"redline-quote redline-quote-changed\"><p>aid convoys to reach 30,000 displaced people</p>"
    ), "{}", r.html);
    assert!(r.html.contains(
        "<p class=\"redline-changed\">changed after you cited it — version 2 captured 2026-11-27 06:45 UTC: \
         aid convoys to reach <del class=\"redline-diff\">30,000</del><ins class=\"redline-diff\">10,000</ins> displaced people</p></blockquote>"
    ), "{}", r.html);
    assert!(r.html.contains(
        "<span class=\"redline-cite-note\">(changed after you cited it — version 2 captured 2026-11-27 06:45 UTC: \
         aid convoys to reach <del class=\"redline-diff\">30,000</del><ins class=\"redline-diff\">10,000</ins> displaced people)</span>"
    ), "{}", r.html);
}

#[tokio::test]
async fn hostile_clipped_text_in_a_quote_stays_text() {
    let (_dir, db) = library().await;
    let src = new_source(&db, "https://state-media.example/statement").await;
    let hostile = "The spokesman wrote <script>alert(1)</script> and <img src=x onerror=alert(2)> in the statement.";
    let mut a = article("Statement", &[hostile]);
    a.site_name = Some("<b onmouseover=alert(3)>KCNA</b>".into());
    let v = add_version(&db, src, &a, "2026-11-26T23:05:00.000Z").await;
    let h = highlights::create(&db, v.id, 0, hostile.chars().count(), "", "")
        .await
        .unwrap();
    let note = notes::create(&db, "KCNA", &format!("[@h{}]\n\n[@h404]\n", h.id))
        .await
        .unwrap();
    let html = notes::render(&db, note.id).await.unwrap().html;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b "), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;b onmouseover=alert(3)&gt;KCNA&lt;/b&gt;, Statement, version 1"),
        "{html}"
    );
    assert!(
        html.contains(
            "<p><span class=\"redline-cite-missing\">[@h404] (not in the library)</span></p>"
        ),
        "{html}"
    );
}

#[tokio::test]
async fn multilingual_quote_and_outlet_from_url() {
    let (_dir, db) = library().await;
    let src = new_source(&db, "https://www.yna.co.kr/view/AKR20261126000100504").await;
    let mut a = Article {
        title: "휴전 30일 연장 합의".into(),
        lang: Some("ko".into()),
        blocks: vec![
            Block::paragraph("(제네바=연합뉴스) 양측이 휴전을 30일 연장하기로 합의했다."),
            Block::paragraph("볼코바 차관은 \"휴전이 전선 전체에서 유지되고 있다\"고 말했다."),
        ],
        ..Default::default()
    };
    a.site_name = None;
    let v = add_version(&db, src, &a, "2026-11-26T23:05:00.000Z").await;
    let h = highlight(&db, &v, "휴전이 전선 전체에서 유지되고 있다").await;
    let note = notes::create(&db, "연합뉴스", &format!("볼코바 차관: [@h{}]", h.id))
        .await
        .unwrap();
    let r = notes::render(&db, note.id).await.unwrap();
    assert_eq!(
        r.html,
        format!(
            "<p>볼코바 차관: <q class=\"redline-quote\">휴전이 전선 전체에서 유지되고 있다</q> \
             (<a class=\"redline-cite\" href=\"redline://version/{}#h{}\" rel=\"noopener noreferrer\">yna.co.kr, 휴전 30일 연장 합의, version 1 captured 2026-11-26 23:05 UTC</a>)</p>\n",
            v.id, h.id
        )
    );
}
