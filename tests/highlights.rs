//! Highlights: creation rules and re-anchoring in later versions of a story
//! (paragraphs reordered, edited, deleted; repeated phrases; other scripts).

mod common;

use common::seed::{self, library};
use redline::article::{Article, Dir};
use redline::highlights::{self, Anchor, AnchorSpan, Highlight};
use redline::versions::Version;
use redline::Db;

fn article(title: &str, site: &str, lang: &str, dir: Dir, paragraphs: &[&str]) -> Article {
    Article {
        site_name: Some(site.into()),
        lang: Some(lang.into()),
        dir,
        ..seed::article(title, paragraphs)
    }
}

/// A source with one version per article, captured in order.
async fn story(db: &Db, url: &str, versions: &[Article]) -> Vec<Version> {
    let mut tx = db.write().await.unwrap();
    let source = seed::insert_source(&mut tx, url, "2026-11-26T20:00:00.000Z").await;
    let mut out = Vec::new();
    for (i, a) in versions.iter().enumerate() {
        let at = format!("2026-11-26T2{}:05:00.000Z", i);
        out.push(seed::insert_version(&mut tx, source, a, &at).await);
    }
    tx.commit().await.unwrap();
    out
}

/// Char offsets of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let (b, _) = text
        .match_indices(needle)
        .nth(nth)
        .expect("fixture text present");
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

const P_LEDE: &str = "GENEVA — Negotiators agreed on Thursday to extend the ceasefire by 30 days, officials said, after talks that ran past midnight.";
const P_QUOTE: &str = "“We believe the ceasefire holds along the entire front line,” said Deputy Foreign Minister Irina Volkova, speaking outside the Palais des Nations.";
const P_CAPTION: &str =
    "Photo: Delegates leave the talks late on Wednesday. (Reuters/Denis Balibouse)";
const P_FIGURE: &str = "The agreement allows aid convoys to reach 30,000 displaced people in the border region, according to the UN refugee agency.";
const P_NOISE: &str = "Advertisement · Read more: Five things to know about the talks";
const P_SECOND: &str = "A second round is planned for December. A Western diplomat was more cautious: the ceasefire holds along the entire front line, he said, “but nobody is celebrating yet.”";

fn v1() -> Article {
    article(
        "Ceasefire extended by 30 days after overnight talks",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_LEDE, P_QUOTE, P_CAPTION, P_FIGURE, P_NOISE, P_SECOND],
    )
}

async fn highlight(db: &Db, v: &Version, needle: &str, nth: usize) -> Highlight {
    let (s, e) = find(&v.text, needle, nth);
    highlights::create(db, v.id, s, e, "", "").await.unwrap()
}

#[tokio::test]
async fn create_stores_text_context_and_rejects_bad_ranges() {
    let (_dir, db) = library().await;
    let vs = story(&db, "https://wire.example/ceasefire", &[v1()]).await;
    let v = &vs[0];
    let (s, e) = find(&v.text, "30,000 displaced people", 0);
    let h = highlights::create(&db, v.id, s, e, "check against UNHCR", "figure")
        .await
        .unwrap();
    assert_eq!(h.text, "30,000 displaced people");
    assert_eq!((h.start as usize, h.end as usize), (s, e));
    assert_eq!(h.source_id, v.source_id);
    assert_eq!(h.prefix, "e agreement allows aid convoys to reach ");
    assert_eq!(h.suffix, " in the border region, according to the ");
    assert_eq!(h.comment, "check against UNHCR");
    assert_eq!(h.label, "figure");

    // Start of the text: prefix is empty, not an error.
    let first = highlights::create(&db, v.id, 0, 6, "", "").await.unwrap();
    assert_eq!(first.text, "GENEVA");
    assert_eq!(first.prefix, "");

    let len = v.text.chars().count();
    for (s, e) in [(10, 10), (12, 5), (len - 3, len + 1)] {
        let err = highlights::create(&db, v.id, s, e, "", "")
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid", "{s}..{e}");
    }
    // The blank line between two paragraphs is not a passage.
    let gap = P_LEDE.chars().count();
    let err = highlights::create(&db, v.id, gap, gap + 2, "", "")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let err = highlights::create(&db, 9999, 0, 3, "", "")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn list_update_delete() {
    let (_dir, db) = library().await;
    let vs = story(
        &db,
        "https://wire.example/ceasefire",
        &[v1(), {
            let mut a = v1();
            a.blocks.remove(4);
            a
        }],
    )
    .await;
    let late = highlight(&db, &vs[0], "nobody is celebrating yet", 0).await;
    let early = highlight(&db, &vs[0], "Irina Volkova", 0).await;
    let other = highlight(&db, &vs[1], "30 days", 0).await;

    let ids: Vec<i64> = highlights::list_by_version(&db, vs[0].id)
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, vec![early.id, late.id]);
    let ids: Vec<i64> = highlights::list_by_source(&db, vs[0].source_id)
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, vec![early.id, late.id, other.id]);
    let ids: Vec<i64> = highlights::list_all(&db)
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, vec![other.id, early.id, late.id], "newest first");

    let h = highlights::update(&db, early.id, Some("speaker's title?"), None)
        .await
        .unwrap();
    assert_eq!(
        (h.comment.as_str(), h.label.as_str()),
        ("speaker's title?", "")
    );
    let h = highlights::update(&db, early.id, None, Some("quote"))
        .await
        .unwrap();
    assert_eq!(
        (h.comment.as_str(), h.label.as_str()),
        ("speaker's title?", "quote")
    );

    highlights::delete(&db, late.id).await.unwrap();
    assert_eq!(
        highlights::get(&db, late.id).await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        highlights::delete(&db, late.id).await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        highlights::update(&db, 4242, Some("x"), None)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn anchors_in_its_own_version_and_after_reordering() {
    let (_dir, db) = library().await;
    // v2: the figure paragraph moves up, the caption and the noise go.
    let v2 = article(
        "Ceasefire extended by 30 days after overnight talks",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_LEDE, P_FIGURE, P_QUOTE, P_SECOND],
    );
    let vs = story(&db, "https://wire.example/ceasefire", &[v1(), v2]).await;
    let h = highlight(
        &db,
        &vs[0],
        "aid convoys to reach 30,000 displaced people",
        0,
    )
    .await;

    assert_eq!(
        highlights::anchor(&h, &vs[0]),
        Anchor::Exact {
            start: h.start as usize,
            end: h.end as usize
        }
    );
    let (s, e) = find(
        &vs[1].text,
        "aid convoys to reach 30,000 displaced people",
        0,
    );
    assert_ne!(s, h.start as usize);
    assert_eq!(
        highlights::anchor(&h, &vs[1]),
        Anchor::Exact { start: s, end: e }
    );
}

#[tokio::test]
async fn an_edited_passage_is_changed_and_a_deleted_one_gone() {
    let (_dir, db) = library().await;
    let edited = P_FIGURE.replace("30,000", "10,000");
    let v2 = article(
        "Ceasefire extended after overnight talks",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_LEDE, P_QUOTE, &edited, P_SECOND],
    );
    let v3 = article(
        "Ceasefire extended after overnight talks",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_LEDE, P_QUOTE, P_SECOND],
    );
    let vs = story(&db, "https://wire.example/ceasefire", &[v1(), v2, v3]).await;
    let h = highlight(
        &db,
        &vs[0],
        "aid convoys to reach 30,000 displaced people",
        0,
    )
    .await;

    let (s, e) = find(
        &vs[1].text,
        "aid convoys to reach 10,000 displaced people",
        0,
    );
    match highlights::anchor(&h, &vs[1]) {
        Anchor::Changed {
            start,
            end,
            text,
            similarity,
        } => {
            assert_eq!((start, end), (s, e));
            assert_eq!(text, "aid convoys to reach 10,000 displaced people");
            // 6 of 7 words unchanged ("30,000" is one word).
            assert!((similarity - 6.0 / 7.0).abs() < 1e-6, "{similarity}");
        }
        other => panic!("expected Changed, got {other:?}"),
    }
    assert_eq!(highlights::anchor(&h, &vs[2]), Anchor::Gone);
}

#[tokio::test]
async fn a_rewritten_passage_below_the_threshold_is_gone_not_moved() {
    let (_dir, db) = library().await;
    let rewritten =
        "UN agencies said on Friday that relief deliveries to the region remain suspended.";
    let v2 = article(
        "Ceasefire extended",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_LEDE, P_QUOTE, rewritten, P_SECOND],
    );
    let vs = story(&db, "https://wire.example/ceasefire", &[v1(), v2]).await;
    let h = highlight(
        &db,
        &vs[0],
        "aid convoys to reach 30,000 displaced people",
        0,
    )
    .await;
    assert_eq!(highlights::anchor(&h, &vs[1]), Anchor::Gone);
}

#[tokio::test]
async fn repeated_phrases_follow_their_context_or_say_ambiguous() {
    let (_dir, db) = library().await;
    let phrase = "the ceasefire holds along the entire front line";
    // v2: paragraphs reordered, both occurrences still there.
    let v2 = article(
        "Ceasefire extended",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_SECOND, P_LEDE, P_QUOTE, P_FIGURE],
    );
    // v3: the diplomat's paragraph softened where the highlight was.
    let softened = P_SECOND.replace(
        phrase,
        "the ceasefire largely holds along the entire front line",
    );
    let v3 = article(
        "Ceasefire extended",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[P_LEDE, P_QUOTE, P_FIGURE, &softened],
    );
    // v4: both occurrences survive but neither with the old surroundings.
    let v4 = article(
        "Ceasefire extended",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[
            "Officials insist the ceasefire holds along the entire front line. Aid is moving.",
            "Monitors disagree whether the ceasefire holds along the entire front line. Shelling was reported.",
        ],
    );
    let vs = story(&db, "https://wire.example/ceasefire", &[v1(), v2, v3, v4]).await;
    // The diplomat's words: the second occurrence in v1.
    let h = highlight(&db, &vs[0], phrase, 1).await;
    assert_eq!(find(&vs[0].text, phrase, 1).0, h.start as usize);

    let (s, e) = find(&vs[1].text, phrase, 0);
    assert_eq!(
        highlights::anchor(&h, &vs[1]),
        Anchor::Exact { start: s, end: e }
    );

    // Only the minister's occurrence is left verbatim; it is not the diplomat's.
    let (s, e) = find(
        &vs[2].text,
        "the ceasefire largely holds along the entire front line",
        0,
    );
    match highlights::anchor(&h, &vs[2]) {
        Anchor::Changed {
            start, end, text, ..
        } => {
            assert_eq!((start, end), (s, e));
            assert_eq!(
                text,
                "the ceasefire largely holds along the entire front line"
            );
        }
        other => panic!("expected Changed in the diplomat's paragraph, got {other:?}"),
    }

    let (a, b) = (find(&vs[3].text, phrase, 0), find(&vs[3].text, phrase, 1));
    assert_eq!(
        highlights::anchor(&h, &vs[3]),
        Anchor::Ambiguous {
            candidates: vec![
                AnchorSpan {
                    start: a.0,
                    end: a.1
                },
                AnchorSpan {
                    start: b.0,
                    end: b.1
                }
            ]
        }
    );
}

#[tokio::test]
async fn anchors_in_chinese_korean_and_arabic() {
    let (_dir, db) = library().await;
    let zh1 = article(
        "双方同意延长停火三十天",
        "新华网",
        "zh",
        Dir::Ltr,
        &[
            "新华社日内瓦11月26日电 外交部发言人表示，双方同意将停火延长三十天。",
            "据联合国难民署称，援助车队将可抵达边境地区的三万名流离失所者。",
            "（责任编辑：王磊）",
        ],
    );
    let zh2 = article(
        "双方同意延长停火三十天",
        "新华网",
        "zh",
        Dir::Ltr,
        &[
            "新华社日内瓦11月26日电 外交部发言人表示，双方同意将停火延长三十天。",
            "据联合国难民署称，援助车队将可抵达边境地区的一万名流离失所者。",
        ],
    );
    let vs = story(
        &db,
        "http://www.news.cn/world/20261126/c_1.htm",
        &[zh1, zh2],
    )
    .await;
    let h = highlight(&db, &vs[0], "三万名流离失所者", 0).await;
    let (s, e) = find(&vs[1].text, "一万名流离失所者", 0);
    match highlights::anchor(&h, &vs[1]) {
        Anchor::Changed {
            start, end, text, ..
        } => {
            assert_eq!((start, end), (s, e));
            assert_eq!(text, "一万名流离失所者");
        }
        other => panic!("expected Changed, got {other:?}"),
    }

    let ko1 = article(
        "휴전 30일 연장 합의",
        "연합뉴스",
        "ko",
        Dir::Ltr,
        &[
            "(제네바=연합뉴스) 양측이 휴전을 30일 연장하기로 합의했다고 외교부가 26일 밝혔다.",
            "볼코바 차관은 \"휴전이 전선 전체에서 유지되고 있다\"고 말했다.",
        ],
    );
    let ko2 = article(
        "휴전 30일 연장 합의",
        "연합뉴스",
        "ko",
        Dir::Ltr,
        &[
            "볼코바 차관은 \"휴전이 전선 전체에서 유지되고 있다\"고 말했다.",
            "(제네바=연합뉴스) 양측이 휴전을 30일 연장하기로 합의했다고 외교부가 26일 밝혔다.",
            "저작권자 ⓒ 연합뉴스, 무단 전재-재배포 금지",
        ],
    );
    let vs = story(&db, "https://www.yna.co.kr/view/AKR20261126", &[ko1, ko2]).await;
    let h = highlight(&db, &vs[0], "휴전이 전선 전체에서 유지되고 있다", 0).await;
    let (s, e) = find(&vs[1].text, "휴전이 전선 전체에서 유지되고 있다", 0);
    assert_eq!(
        highlights::anchor(&h, &vs[1]),
        Anchor::Exact { start: s, end: e }
    );

    let ar1 = article(
        "تمديد وقف إطلاق النار ثلاثين يوما",
        "الجزيرة",
        "ar",
        Dir::Rtl,
        &[
            "جنيف — اتفق المفاوضون يوم الخميس على تمديد وقف إطلاق النار ثلاثين يوما.",
            "وقالت نائبة وزير الخارجية إن الهدنة صامدة على طول خط الجبهة بأكمله.",
        ],
    );
    let ar2 = article(
        "تمديد وقف إطلاق النار ثلاثين يوما",
        "الجزيرة",
        "ar",
        Dir::Rtl,
        &[
            "جنيف — اتفق المفاوضون يوم الخميس على تمديد وقف إطلاق النار ثلاثين يوما.",
            "وقالت نائبة وزير الخارجية إن الهدنة صامدة إلى حد كبير على طول خط الجبهة بأكمله.",
        ],
    );
    let vs = story(
        &db,
        "https://www.aljazeera.net/news/2026/11/26/ceasefire",
        &[ar1, ar2],
    )
    .await;
    let h = highlight(&db, &vs[0], "الهدنة صامدة على طول خط الجبهة بأكمله", 0).await;
    let (s, e) = find(
        &vs[1].text,
        "الهدنة صامدة إلى حد كبير على طول خط الجبهة بأكمله",
        0,
    );
    match highlights::anchor(&h, &vs[1]) {
        Anchor::Changed {
            start,
            end,
            text,
            similarity,
        } => {
            assert_eq!((start, end), (s, e));
            assert_eq!(text, "الهدنة صامدة إلى حد كبير على طول خط الجبهة بأكمله");
            // 7 words kept, 3 inserted: 7 / 10.
            assert!((similarity - 0.7).abs() < 1e-6, "{similarity}");
        }
        other => panic!("expected Changed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_passage_across_two_paragraphs() {
    let (_dir, db) = library().await;
    let tail = "officials said, after talks that ran past midnight.";
    let head = "“We believe the ceasefire holds along the entire front line,”";
    let v2 = article(
        "Ceasefire extended",
        "Wire Service",
        "en",
        Dir::Ltr,
        &[
            P_CAPTION,
            &P_LEDE.replace("ran past midnight", "ran well past midnight"),
            P_QUOTE,
            P_FIGURE,
        ],
    );
    let vs = story(&db, "https://wire.example/ceasefire", &[v1(), v2]).await;
    let (s, _) = find(&vs[0].text, tail, 0);
    let (_, e) = find(&vs[0].text, head, 0);
    let h = highlights::create(&db, vs[0].id, s, e, "", "")
        .await
        .unwrap();
    assert_eq!(h.text, format!("{tail}\n\n{head}"));

    let changed = format!("officials said, after talks that ran well past midnight.\n\n{head}");
    let (s, e) = find(&vs[1].text, &changed, 0);
    match highlights::anchor(&h, &vs[1]) {
        Anchor::Changed {
            start,
            end,
            text,
            similarity,
        } => {
            assert_eq!((start, end), (s, e));
            assert_eq!(text, changed);
            // 23 words and marks kept, "well" inserted: 23 / 24.
            assert!((similarity - 23.0 / 24.0).abs() < 1e-6, "{similarity}");
        }
        other => panic!("expected Changed, got {other:?}"),
    }
}
