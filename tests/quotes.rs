//! Quoted speech and its speaker: finding quotes in many styles and
//! languages, and the quote index stored per version.

mod common;

use common::seed::library;
use common::wire;
use redline::article::{join_blocks, Block};
use redline::quotes::{self, find_quotes, Quote, QuoteFilter};
use redline::{versions, Db};

fn said(blocks: &[Block]) -> Vec<(Option<String>, String)> {
    find_quotes(blocks)
        .into_iter()
        .map(|q| (q.speaker, q.text))
        .collect()
}

fn one(text: &str) -> (Option<String>, String) {
    let mut q = said(&[Block::paragraph(text)]);
    assert_eq!(q.len(), 1, "{q:?}");
    q.remove(0)
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn wire_story_quotes_with_speakers() {
    let lukin = s("Artyom Lukin");
    assert_eq!(
        said(&wire::story_v1().blocks),
        vec![
            (None, "a new chapter of invincible friendship".into()),
            (s("Foreign Minister Choe Son Hui"), wire::QUOTE_V1.into()),
            (lukin.clone(), "Moscow needs shells and men, and Pyongyang needs hard currency, oil and technology it cannot buy anywhere else".into()),
            // Opens without closing: the quote runs on into the next paragraph…
            (lukin.clone(), "Neither side has any reason to walk away from that bargain.".into()),
            // …which names nobody, so the speaker carries over.
            (lukin, "If anything, the pact makes the arrangement harder to undo, whoever sits in the White House.".into()),
            (s("a senior U.S. official"), "We are reviewing every option, and nothing is off the table".into()),
            (s("State Department spokeswoman Karen Holloway"), "Any transfer of arms to or from North Korea is a flagrant violation of Security Council resolutions that Russia itself voted for.".into()),
            (None, "comprehensive strategic partnership".into()),
        ]
    );
}

#[test]
fn offsets_point_into_the_joined_text() {
    let blocks = wire::story_v1().blocks;
    let text: Vec<char> = join_blocks(&blocks).chars().collect();
    let qs = find_quotes(&blocks);
    for q in &qs {
        let slice: String = text[q.start..q.end].iter().collect();
        assert_eq!(slice, q.text);
    }
    let Quote {
        block_index, start, ..
    } = &qs[1];
    assert_eq!(*block_index, 2);
    let before: usize = blocks[..2].iter().map(|b| b.text.chars().count() + 2).sum();
    assert_eq!(*start, before + 1);
    assert_eq!(qs[4].block_index, 6);
}

#[test]
fn english_attribution_styles() {
    assert_eq!(
        one("\"We are not leaving this city,\" the ambassador said on Monday."),
        (s("the ambassador"), "We are not leaving this city".into())
    );
    assert_eq!(
        one("“The shipments continued through October,” according to a senior U.S. official."),
        (
            s("a senior U.S. official"),
            "The shipments continued through October".into()
        )
    );
    assert_eq!(
        one("Holloway: “We will respond at a time of our choosing.”"),
        (
            s("Holloway"),
            "We will respond at a time of our choosing.".into()
        )
    );
    assert_eq!(
        one("Gen. Park Min-soo told reporters: “The drills will go ahead as planned.”"),
        (
            s("Gen. Park Min-soo"),
            "The drills will go ahead as planned.".into()
        )
    );
    // A pronoun resolves to the last named speaker.
    let q = said(&[
        Block::paragraph(
            "“There is no military solution to this crisis,” said Foreign Minister Amara Diallo.",
        ),
        Block::paragraph("“We will keep talking to everyone who will listen,” she said."),
    ]);
    assert_eq!(q[1].0, s("Foreign Minister Amara Diallo"));
}

#[test]
fn other_languages_and_marks() {
    assert_eq!(
        one("« Nous ne céderons pas à la pression », a déclaré Jean-Marc Dufour, porte-parole du ministère."),
        (s("Jean-Marc Dufour"), "Nous ne céderons pas à la pression".into())
    );
    assert_eq!(
        one("„Wir werden nicht nachgeben“, sagte Außenministerin Petra Lang."),
        (
            s("Außenministerin Petra Lang"),
            "Wir werden nicht nachgeben".into()
        )
    );
    assert_eq!(
        one("«Мы не допустим эскалации конфликта», — заявил Сергей Орлов."),
        (
            s("Сергей Орлов"),
            "Мы не допустим эскалации конфликта".into()
        )
    );
    assert_eq!(
        one("林芳子外相は「日本は冷静に対応していく」と述べた。"),
        (s("林芳子外相"), "日本は冷静に対応していく".into())
    );
    assert_eq!(
        one("同紙は『緊張は急速に高まっている』と報じた。"),
        (s("同紙"), "緊張は急速に高まっている".into())
    );
    assert_eq!(
        one("조태열 외교부 장관은 “북한의 도발에 단호히 대응하겠다”라고 말했다."),
        (
            s("조태열 외교부 장관"),
            "북한의 도발에 단호히 대응하겠다".into()
        )
    );
    assert_eq!(
        one("林海说：“中方始终致力于通过对话协商妥善处理分歧。”"),
        (s("林海"), "中方始终致力于通过对话协商妥善处理分歧。".into())
    );
    assert_eq!(
        said(&wire::arabic_v1().blocks),
        vec![(
            s("وزير الخارجية سامح عبد الرحمن"),
            "المفاوضات مستمرة ولن نتخلى عن الحل السياسي مهما طال الوقت".into()
        )]
    );
}

#[test]
fn scare_quotes_are_not_quotes() {
    assert!(said(&[Block::paragraph(
        "State media called the visit “historic” and “very friendly”."
    )])
    .is_empty());
}

async fn add_version(db: &Db, url: &str, story: &wire::Story, now: &str) -> versions::Version {
    let mut tx = db.write().await.unwrap();
    let source_id = match versions::find_source_by_key(&mut tx, url).await.unwrap() {
        Some(id) => id,
        None => versions::insert_source(&mut tx, Some(url), Some(url), now)
            .await
            .unwrap(),
    };
    let article = wire::article(story);
    let sha = redline::normalize::fingerprint(&article.title, &article.blocks);
    let v = versions::insert_version(&mut tx, source_id, &article, &sha, now)
        .await
        .unwrap();
    quotes::store_for_version(&mut tx, &v).await.unwrap();
    tx.commit().await.unwrap();
    v
}

#[tokio::test]
async fn quote_index_by_speaker_across_versions() {
    let (_dir, db) = library().await;
    let url = "https://wire.example/world/asia/pact";
    let v1 = add_version(&db, url, &wire::story_v1(), "2026-11-26T06:20:00Z").await;
    let v2 = add_version(&db, url, &wire::story_v2(), "2026-11-26T09:45:00Z").await;
    let zh = add_version(
        &db,
        "https://news.example/zh/1",
        &wire::chinese_v1(),
        "2026-11-26T08:05:00Z",
    )
    .await;

    // Storing again replaces, never duplicates.
    let mut conn = db.pool().acquire().await.unwrap();
    quotes::store_for_version(&mut conn, &v1).await.unwrap();

    let choe = quotes::list(
        &mut conn,
        &QuoteFilter {
            speaker: Some("choe son".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let got: Vec<(i64, i64, &str, &str, &str)> = choe
        .iter()
        .map(|q| {
            (
                q.version_id,
                q.version_seq,
                q.captured_at.as_str(),
                q.source_title.as_str(),
                q.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                v1.id,
                1,
                "2026-11-26T06:20:00Z",
                wire::TITLE_V1,
                wire::QUOTE_V1
            ),
            (
                v2.id,
                2,
                "2026-11-26T09:45:00Z",
                wire::TITLE_V2,
                wire::QUOTE_V2
            ),
        ]
    );
    assert_eq!(choe[0].source_url.as_deref(), Some(url));
    let joined: Vec<char> = v1.text.chars().collect();
    let slice: String = joined[choe[0].start as usize..choe[0].end as usize]
        .iter()
        .collect();
    assert_eq!(slice, wire::QUOTE_V1);

    let by_text = quotes::list(
        &mut conn,
        &QuoteFilter {
            text: Some("管控分歧".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(by_text.is_empty());
    let by_source = quotes::list(
        &mut conn,
        &QuoteFilter {
            source_id: Some(zh.source_id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(by_source.len(), 1);
    assert_eq!(by_source[0].speaker.as_deref(), Some("林海"));

    let speakers = quotes::speakers(&mut conn).await.unwrap();
    let top: Vec<(&str, i64, i64)> = speakers
        .iter()
        .map(|s| (s.speaker.as_str(), s.quotes, s.sources))
        .collect();
    assert_eq!(
        top,
        vec![
            ("Artyom Lukin", 6, 1),
            ("a senior U.S. official", 2, 1),
            ("Foreign Minister Choe Son Hui", 2, 1),
            ("State Department spokeswoman Karen Holloway", 2, 1),
            ("林海", 1, 1),
        ]
    );
}
