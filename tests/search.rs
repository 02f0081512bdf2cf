//! Full-text search: every script, every kind of hit, filters, ranking, and
//! indexes that follow the data in the same transaction.
//!
//! Sources, versions, notes, highlights and quotes are stored through the
//! core's functions, which also write the CJK bigram index (it is fed from
//! Rust, not by triggers). Projects, tags and one Latin-script quote are
//! written with plain SQL here (the word indexes follow by trigger).

mod common;

use common::cli::redline;
use common::seed;
use redline::article::{Article, Block, Dir};
use redline::search::{search, Hit, HitKind, SearchQuery};
use redline::{highlights, notes, quotes, versions, Db, Error};
use sqlx::SqliteConnection;

struct Library {
    _dir: tempfile::TempDir,
    db: Db,
}

async fn library() -> Library {
    let (dir, db) = seed::library().await;
    Library { _dir: dir, db }
}

/// An empty library with the stem index on, for the language tests.
async fn stemmed_library() -> Library {
    let lib = library().await;
    redline::search::set_stems(lib.db.pool(), true)
        .await
        .unwrap();
    lib
}

struct Story<'a> {
    url: &'a str,
    site: &'a str,
    lang: &'a str,
    dir: Dir,
    title: &'a str,
    paragraphs: &'a [&'a str],
    at: &'a str,
}

/// Stores a story as a new version of the source at `url` (creating it).
async fn clip(conn: &mut SqliteConnection, s: &Story<'_>) -> (i64, i64) {
    let source_id = match versions::find_source_by_key(conn, s.url).await.unwrap() {
        Some(id) => id,
        None => versions::insert_source(conn, Some(s.url), Some(s.url), s.at)
            .await
            .unwrap(),
    };
    let article = Article {
        title: s.title.into(),
        byline: None,
        site_name: Some(s.site.into()),
        lang: Some(s.lang.into()),
        dir: s.dir,
        published_at: None,
        modified_at: None,
        excerpt: None,
        canonical_url: None,
        blocks: s.paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
    };
    let hash = redline::hash::sha256_hex(format!("{}\n{}", s.title, article.text()).as_bytes());
    let v = versions::insert_version(conn, source_id, &article, &hash, s.at)
        .await
        .unwrap();
    (source_id, v.id)
}

const CEASEFIRE_V1: Story = Story {
    url: "https://www.reuters-example.com/world/ceasefire-talks-stall",
    site: "Reuters",
    lang: "en",
    dir: Dir::Ltr,
    title: "Ceasefire talks stall as envoys trade blame",
    paragraphs: &[
        "GENEVA, Nov 20 (Reuters) - Negotiators reached a tentative understanding on prisoner exchanges late on Thursday, two diplomats said, but talks on a wider ceasefire stalled.",
        "\"We will not accept preconditions,\" the deputy foreign minister told reporters outside the Palais des Nations.",
        "About 30,000 people have been displaced since September, according to the U.N. refugee agency.",
        "Reporting by Anna Weber; Editing by Tom Hills",
    ],
    at: "2026-11-20T08:00:00.000Z",
};

const CEASEFIRE_V2: Story = Story {
    url: "https://www.reuters-example.com/world/ceasefire-talks-stall",
    site: "Reuters",
    lang: "en",
    dir: Dir::Ltr,
    title: "Ceasefire talks collapse as envoys trade blame",
    paragraphs: &[
        "GENEVA, Nov 21 (Reuters) - Talks on a ceasefire collapsed on Friday after negotiators failed to agree on prisoner exchanges, two diplomats said.",
        "\"We will not accept preconditions,\" the deputy foreign minister told reporters outside the Palais des Nations.",
        "About 10,000 people have been displaced since September, according to the U.N. refugee agency. (Corrects figure in paragraph 3)",
        "Reporting by Anna Weber; Editing by Tom Hills",
    ],
    at: "2026-11-21T09:30:00.000Z",
};

const GRAIN_TITLE: Story = Story {
    url: "https://apnews-example.com/article/grain-corridor-reopens",
    site: "AP News",
    lang: "en",
    dir: Dir::Ltr,
    title: "Grain corridor reopens after naval escort deal",
    paragraphs: &[
        "ISTANBUL (AP) — Ships began moving through the Black Sea corridor again on Monday under a naval escort arrangement, port officials said.",
        "The first convoy of six vessels left Odesa at dawn. Related: Markets rally; Photos of the week.",
    ],
    at: "2026-11-18T12:00:00.000Z",
};

const GRAIN_BODY: Story = Story {
    url: "https://www.ft-example.com/content/shipping-insurers",
    site: "Financial Times",
    lang: "en",
    dir: Dir::Ltr,
    title: "Shipping insurers raise war-risk premiums",
    paragraphs: &[
        "LONDON — Insurers raised war-risk premiums for vessels calling at Black Sea ports, brokers said, after a drone struck a grain terminal.",
        "Brokers said grain exporters would bear most of the cost. Subscribe to read more. Advertisement.",
        "Premiums rose to 1 per cent of hull value, from 0.7 per cent a week earlier.",
    ],
    at: "2026-11-19T07:15:00.000Z",
};

const LAVROV: Story = Story {
    url: "https://tass-example.ru/politika/lavrov-peregovory",
    site: "ТАСС",
    lang: "ru",
    dir: Dir::Ltr,
    title: "Лавров заявил о готовности к переговорам",
    paragraphs: &[
        "МОСКВА, 20 ноября. /ТАСС/. Министр иностранных дел России Сергей Лавров заявил, что Москва готова к переговорам без предварительных условий.",
        "«Мы открыты для диалога, но не позволим диктовать нам повестку», — сказал ПРЕЗИДЕНТ фонда Фёдор Лукьянов, комментируя заявление.",
        "Читайте также: Курс валют на сегодня",
    ],
    at: "2026-11-20T10:00:00.000Z",
};

const ARABIC: Story = Story {
    url: "https://www.aljazeera-example.net/news/2026/11/20/wazir",
    site: "الجزيرة نت",
    lang: "ar",
    dir: Dir::Rtl,
    title: "وزير الخارجية يدعو إلى وقف فوري لإطلاق النار",
    paragraphs: &[
        "دعا وزير الخارجيةِ في مؤتمر صحفي اليوم الخميس إلى وقف فوري لإطلاق النار وفتح الممرات الإنسانية.",
        "وقال إن المحادثات ستستأنف الأسبوع المقبل في الدوحة، بحسب ما نقلت وكالة الأنباء الرسمية.",
    ],
    at: "2026-11-20T11:00:00.000Z",
};

const KOREAN: Story = Story {
    url: "https://www.yna-example.co.kr/view/AKR20261120000100504",
    site: "연합뉴스",
    lang: "ko",
    dir: Dir::Ltr,
    title: "북한, 동해상으로 탄도미사일 발사",
    paragraphs: &[
        "합동참모본부는 20일 북한이 오전 7시께 평양 일대에서 동해상으로 탄도미사일 1발을 발사했다고 밝혔다.",
        "군 당국은 미사일의 비행거리와 고도 등 세부 제원을 분석 중이다. 관련기사 더보기",
    ],
    at: "2026-11-20T02:00:00.000Z",
};

const CHINESE: Story = Story {
    url: "https://www.xinhua-example.cn/world/2026-11/20/c_1130000.htm",
    site: "新华网",
    lang: "zh-CN",
    dir: Dir::Ltr,
    title: "外交部发言人就半岛局势答记者问",
    paragraphs: &[
        "新华社北京11月20日电 外交部发言人毛宁在例行记者会上表示，中方始终致力于维护半岛和平稳定，希望有关各方保持冷静克制。",
        "图片说明：11月20日，外交部发言人毛宁主持例行记者会。（新华社记者 李鑫 摄）",
        "责任编辑：王静",
    ],
    at: "2026-11-20T07:00:00.000Z",
};

const JAPANESE: Story = Story {
    url: "https://www3.nhk-example.or.jp/news/html/20261120/k10014000000.html",
    site: "NHKニュース",
    lang: "ja",
    dir: Dir::Ltr,
    title: "首相 防衛費増額の方針を説明 訪米の成果強調 会談",
    paragraphs: &[
        "岸田首相は20日、ワシントンでバイデン大統領と会談し、防衛費の増額について日本の方針を説明したと記者団に述べました。",
        "関連ニュース［自動検索］",
    ],
    at: "2026-11-20T06:00:00.000Z",
};

/// Every fixture story, stored. Returns (source id, version id) per story in order.
async fn seed(conn: &mut SqliteConnection) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for s in [
        &CEASEFIRE_V1,
        &CEASEFIRE_V2,
        &GRAIN_TITLE,
        &GRAIN_BODY,
        &LAVROV,
        &ARABIC,
        &KOREAN,
        &CHINESE,
        &JAPANESE,
    ] {
        out.push(clip(conn, s).await);
    }
    out
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        ..Default::default()
    }
}

fn sources(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        kinds: vec![HitKind::Source],
        ..Default::default()
    }
}

async fn find(conn: &mut SqliteConnection, query: &SearchQuery) -> Vec<Hit> {
    search(conn, query).await.unwrap()
}

/// (kind, version id) of each hit, in order.
fn ids(hits: &[Hit]) -> Vec<(HitKind, Option<i64>)> {
    hits.iter().map(|h| (h.kind, h.version_id)).collect()
}

#[tokio::test]
async fn english_words_phrases_prefixes_and_not() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let (ceasefire2, grain_title, grain_body) = (v[1].1, v[2].1, v[3].1);

    let hits = find(&mut conn, &sources("ceasefire")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(ceasefire2))]);
    let hit = &hits[0];
    assert_eq!(hit.source_id, Some(v[1].0));
    assert_eq!(hit.title, "Ceasefire talks collapse as envoys trade blame");
    assert_eq!(hit.captured_at, "2026-11-21T09:30:00.000Z");
    assert!(
        hit.snippet
            .contains("Talks on a <mark>ceasefire</mark> collapsed"),
        "{}",
        hit.snippet
    );
    assert!(hit.score > 0.0);

    // Words anywhere, in any order; case does not matter.
    let hits = find(&mut conn, &sources("BLACK sea grain")).await;
    assert_eq!(hits.len(), 2);
    // A phrase must occur as written.
    let hits = find(&mut conn, &sources("\"grain terminal\"")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(grain_body))]);
    // Its snippet (cut in Rust, not by FTS5) marks the phrase whole, not
    // the same words elsewhere.
    assert_eq!(
        hits[0].snippet,
        "… after a drone struck a <mark>grain terminal</mark>. Brokers said grain \
         exporters would bear most of the cos…"
    );
    let hits = find(&mut conn, &sources("\"terminal grain\"")).await;
    assert!(hits.is_empty());
    // A phrase runs across punctuation and paragraphs, like the index.
    let hits = find(&mut conn, &sources("\"TERMINAL brokers\"")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(grain_body))]);
    assert_eq!(
        hits[0].snippet,
        "… a drone struck a grain <mark>terminal. Brokers</mark> said grain exporters \
         would bear most of the cost. Sub…"
    );
    // Prefix.
    let hits = find(&mut conn, &sources("premi*")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(grain_body))]);
    let hits = find(&mut conn, &sources("premi")).await;
    assert!(hits.is_empty(), "no prefix without a star");
    // NOT, and its short form.
    let hits = find(&mut conn, &sources("grain NOT insurers")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(grain_title))]);
    let hits = find(&mut conn, &sources("grain -insurers")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(grain_title))]);
    // OR, and parentheses.
    let hits = find(&mut conn, &sources("Odesa OR Palais")).await;
    let mut got: Vec<i64> = hits.iter().filter_map(|h| h.version_id).collect();
    got.sort();
    assert_eq!(got, vec![ceasefire2, grain_title]);
    let hits = find(&mut conn, &sources("(Odesa OR Palais) AND collapsed")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(ceasefire2))]);
    // Numbers and punctuation inside a word are a phrase of its parts.
    let hits = find(&mut conn, &sources("10,000")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(ceasefire2))]);
    let hits = find(&mut conn, &sources("U.N.")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(ceasefire2))]);
}

#[tokio::test]
async fn hostile_or_broken_queries_never_reach_fts5_raw() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    seed(&mut conn).await;
    // FTS5 syntax typed by a user is only text to us.
    for text in [
        "NEAR(grain sea)",
        "title:grain",
        "^grain",
        "grain + sea",
        "{title text}: grain",
        "grain*sea",
        "'grain'",
        "\"grain\"*",
        "\u{2}grain\u{3}",
        "; DROP TABLE versions; --",
        "“grain terminal”",
    ] {
        search(&mut conn, &q(text))
            .await
            .unwrap_or_else(|e| panic!("{text:?} failed: {e}"));
    }
    let hits = find(&mut conn, &sources("“grain terminal”")).await;
    assert_eq!(hits.len(), 1, "curly quotes make a phrase");

    for (text, message) in [
        (
            "\"grain deal",
            "the search has an opening quotation mark without a closing one",
        ),
        ("grain AND", "AND needs a word after it"),
        (
            "NOT grain",
            "a search cannot only exclude words: add a word to look for",
        ),
        (
            "-grain",
            "a search cannot only exclude words: add a word to look for",
        ),
        (
            "(grain OR sea",
            "the search has an opening parenthesis without a closing one",
        ),
        ("", "type a word to search for"),
        ("— …", "type a word to search for"),
    ] {
        let err = search(&mut conn, &q(text)).await.unwrap_err();
        assert_eq!(err.code(), "invalid", "{text:?}");
        assert!(
            matches!(&err, Error::Invalid(m) if m == message),
            "{text:?}: {err}"
        );
    }
}

#[tokio::test]
async fn russian_whole_words_fold_case() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let lavrov = v[4].1;

    let hits = find(&mut conn, &sources("ЛАВРОВ")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(lavrov))]);
    assert_eq!(hits[0].title, "Лавров заявил о готовности к переговорам");
    // Upper case in the text, lower in the query.
    let hits = find(&mut conn, &sources("президент фёдор")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(lavrov))]);
    assert!(
        hits[0]
            .snippet
            .contains("<mark>ПРЕЗИДЕНТ</mark> фонда <mark>Фёдор</mark>"),
        "{}",
        hits[0].snippet
    );
    // Whole words: with stems off a stem alone does not match an inflected
    // form…
    redline::search::set_stems(lib.db.pool(), false)
        .await
        .unwrap();
    assert!(find(&mut conn, &sources("переговор")).await.is_empty());
    // …with stems on, the word finds its inflected form (переговорам)
    // through the stem index; quoted, it is whole words as written…
    enable_stems(&lib.db).await;
    assert_eq!(find(&mut conn, &sources("переговор")).await.len(), 1);
    assert!(find(&mut conn, &sources("\"переговор\"")).await.is_empty());
    // …and a prefix is a prefix.
    assert_eq!(find(&mut conn, &sources("переговор*")).await.len(), 1);
}

#[tokio::test]
async fn arabic_whole_words_despite_diacritics() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let arabic = v[5].1;

    let hits = find(&mut conn, &sources("الممرات الإنسانية")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(arabic))]);
    // The body writes الخارجيةِ with a kasra; the query has none. The mark
    // covers the whole word, kasra included.
    let hits = find(&mut conn, &sources("\"وزير الخارجية\"")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(arabic))]);
    assert!(
        hits[0]
            .snippet
            .starts_with("دعا <mark>وزير الخارجيةِ</mark> في مؤتمر"),
        "{}",
        hits[0].snippet
    );
    assert!(find(&mut conn, &sources("الدوحة")).await.len() == 1);
    assert!(find(&mut conn, &sources("بغداد")).await.is_empty());
}

#[tokio::test]
async fn korean_whole_words() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let korean = v[6].1;

    let hits = find(&mut conn, &sources("탄도미사일")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(korean))]);
    assert_eq!(hits[0].title, "북한, 동해상으로 탄도미사일 발사");
    assert!(
        hits[0].snippet.contains("<mark>탄도미사일</mark>"),
        "{}",
        hits[0].snippet
    );
    let hits = find(&mut conn, &sources("합동참모본부는")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(korean))]);
    // Korean is spaced but glues particles on: with stems off a particle
    // makes another word; with stems on the bare noun finds the noun with
    // its particle (stem index), quoted it is the word as written, and a
    // prefix search finds the word with its particle.
    redline::search::set_stems(lib.db.pool(), false)
        .await
        .unwrap();
    assert!(find(&mut conn, &sources("합동참모본부")).await.is_empty());
    enable_stems(&lib.db).await;
    let hits = find(&mut conn, &sources("합동참모본부")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(korean))]);
    assert!(
        hits[0].snippet.contains("<mark>합동참모본부는</mark>"),
        "{}",
        hits[0].snippet
    );
    assert!(find(&mut conn, &sources("\"합동참모본부\""))
        .await
        .is_empty());
    assert_eq!(find(&mut conn, &sources("합동참모본부*")).await.len(), 1);
}

#[tokio::test]
async fn chinese_and_japanese_substrings_of_unspaced_text() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let (chinese, japanese) = (v[7].1, v[8].1);

    // Four characters from the middle of a sentence.
    let hits = find(&mut conn, &sources("半岛和平")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(chinese))]);
    assert_eq!(hits[0].title, "外交部发言人就半岛局势答记者问");
    assert_eq!(
        hits[0].snippet,
        "…发言人毛宁在例行记者会上表示，中方始终致力于维护<mark>半岛和平</mark>稳定，希望有关各方保持冷静克制。 图片说明：11月20日，外交部发言人毛宁主持例行记者会。（新华社记者 李鑫 摄） 责任编辑：王静"
    );
    // Three characters.
    let hits = find(&mut conn, &sources("防衛費")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(japanese))]);
    assert!(
        hits[0].snippet.contains("<mark>防衛費</mark>の増額"),
        "{}",
        hits[0].snippet
    );
    // Katakana and kanji together.
    let hits = find(&mut conn, &sources("バイデン大統領")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(japanese))]);
    // Two characters: the spokeswoman's name, and a word at the very end of a title.
    let hits = find(&mut conn, &sources("毛宁")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(chinese))]);
    assert!(
        hits[0].snippet.contains("发言人<mark>毛宁</mark>在"),
        "{}",
        hits[0].snippet
    );
    let hits = find(&mut conn, &sources("会談")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(japanese))]);
    let hits = find(&mut conn, &sources("王静")).await; // the last two characters of the text
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(chinese))]);
    assert!(
        hits[0].snippet.ends_with("责任编辑：<mark>王静</mark>"),
        "{}",
        hits[0].snippet
    );
    let hits = find(&mut conn, &sources("記者")).await; // Japanese form, not in the Chinese text
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(japanese))]);
    // One character.
    let hits = find(&mut conn, &sources("鑫")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(chinese))]);
    // Absent text and exclusions.
    assert!(find(&mut conn, &sources("台湾")).await.is_empty());
    assert!(find(&mut conn, &sources("和平统一")).await.is_empty());
    assert!(find(&mut conn, &sources("发言人 NOT 毛宁"))
        .await
        .is_empty());
    let hits = find(&mut conn, &sources("発言 OR 防衛")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(japanese))]);
    // Korean and English stories are not in the bigram index at all.
    let hits = find(&mut conn, &sources("外交部 OR 会談")).await;
    assert_eq!(hits.len(), 2);
}

#[tokio::test]
async fn latest_version_only_unless_all_versions() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let (v1, v2) = (v[0].1, v[1].1);

    // "tentative" and "30,000" exist only in version 1.
    assert!(find(&mut conn, &sources("tentative")).await.is_empty());
    let mut all = sources("tentative");
    all.all_versions = true;
    let hits = find(&mut conn, &all).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(v1))]);
    assert_eq!(hits[0].title, "Ceasefire talks stall as envoys trade blame");
    // A word in both versions: one hit by default, both with all versions.
    let hits = find(&mut conn, &sources("preconditions")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(v2))]);
    let mut all = sources("preconditions");
    all.all_versions = true;
    let hits = find(&mut conn, &all).await;
    let mut got: Vec<i64> = hits.iter().filter_map(|h| h.version_id).collect();
    got.sort();
    assert_eq!(got, vec![v1, v2]);
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

async fn add_note(db: &Db, title: &str, body: &str, when: &str) -> i64 {
    notes::create_at(db, title, body, at(when))
        .await
        .unwrap()
        .id
}

/// Highlights the first occurrence of `passage` in the version's text.
async fn highlight(db: &Db, version_id: i64, passage: &str, comment: &str) -> i64 {
    let mut conn = db.pool().acquire().await.unwrap();
    let text = versions::get_version(&mut conn, version_id)
        .await
        .unwrap()
        .text;
    let byte = text.find(passage).expect("passage in the version");
    let start = text[..byte].chars().count();
    let end = start + passage.chars().count();
    highlights::create(db, version_id, start, end, comment, "")
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn notes_highlights_and_quotes_are_found() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let (source, version) = v[1];

    let note = add_note(
        &lib.db,
        "Geneva talks: timeline",
        "Thursday: tentative deal on prisoners.\n\nFriday: **collapse**. Check the deputy minister's exact words.\n\n会谈破裂后，各方互相指责。",
        "2026-11-21T10:00:00.000Z",
    )
    .await;
    let highlight = highlight(
        &lib.db,
        version,
        "\"We will not accept preconditions,\"",
        "Lede quote — compare with the Russian readout",
    )
    .await;
    let quote = sqlx::query(
        "INSERT INTO quotes (version_id, source_id, speaker, text, start, end) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(version)
    .bind(source)
    .bind("Artyom Lukin")
    .bind("Pyongyang is signalling, not escalating")
    .bind(0)
    .bind(40)
    .execute(&mut *conn)
    .await
    .unwrap()
    .last_insert_rowid();

    let hits = find(&mut conn, &q("timeline")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, HitKind::Note);
    assert_eq!(hits[0].note_id, Some(note));
    assert_eq!(hits[0].source_id, None);
    assert_eq!(hits[0].title, "Geneva talks: timeline");
    assert_eq!(hits[0].captured_at, "2026-11-21T10:00:00.000Z");

    // A note in Chinese is found by substring too.
    let hits = find(&mut conn, &q("互相指责")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].note_id, Some(note));
    assert!(
        hits[0].snippet.contains("<mark>互相指责</mark>"),
        "{}",
        hits[0].snippet
    );

    let hits = find(&mut conn, &q("readout")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, HitKind::Highlight);
    assert_eq!(hits[0].highlight_id, Some(highlight));
    assert_eq!(hits[0].version_id, Some(version));
    assert_eq!(
        hits[0].title,
        "Ceasefire talks collapse as envoys trade blame"
    );
    assert!(
        hits[0].snippet.contains("<mark>readout</mark>"),
        "{}",
        hits[0].snippet
    );

    let hits = find(&mut conn, &q("Lukin")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, HitKind::Quote);
    assert_eq!(hits[0].quote_id, Some(quote));
    assert_eq!(hits[0].source_id, Some(source));

    // One word in a story, a highlight and a note: every kind, then a kind filter.
    let hits = find(&mut conn, &q("preconditions")).await;
    let mut kinds: Vec<&str> = hits.iter().map(|h| h.kind.as_str()).collect();
    kinds.sort();
    assert_eq!(kinds, vec!["highlight", "source"]);
    let mut only = q("preconditions");
    only.kinds = vec![HitKind::Highlight];
    assert_eq!(
        ids(&find(&mut conn, &only).await),
        vec![(HitKind::Highlight, Some(version))]
    );
}

#[tokio::test]
async fn editing_and_deleting_a_note_updates_the_index() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let note = add_note(
        &lib.db,
        "Sanctions angle",
        "Ask Treasury about the tanker list. 制裁名单",
        "2026-11-22T08:00:00.000Z",
    )
    .await;
    assert_eq!(find(&mut conn, &q("tanker")).await.len(), 1);
    assert_eq!(find(&mut conn, &q("制裁名单")).await.len(), 1);

    // Edit inside a transaction: the index changes with the row.
    let mut tx = lib.db.write().await.unwrap();
    sqlx::query("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?")
        .bind("Ask the Commerce Department about export controls. 出口管制")
        .bind("2026-11-22T09:00:00.000Z")
        .bind(note)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert!(
        find(&mut tx, &q("tanker")).await.is_empty(),
        "old words no longer match"
    );
    assert!(find(&mut tx, &q("制裁名单")).await.is_empty());
    assert!(find(&mut tx, &q("名单")).await.is_empty());
    tx.rollback().await.unwrap();
    assert_eq!(
        find(&mut conn, &q("tanker")).await.len(),
        1,
        "rolled back with the row"
    );
    assert_eq!(find(&mut conn, &q("名单")).await.len(), 1);

    notes::save_at(
        &lib.db,
        note,
        "Sanctions angle",
        "Ask the Commerce Department about export controls. 出口管制",
        at("2026-11-22T09:00:00.000Z"),
    )
    .await
    .unwrap();
    assert!(find(&mut conn, &q("tanker")).await.is_empty());
    let hits = find(&mut conn, &q("export controls")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].captured_at, "2026-11-22T09:00:00.000Z");
    assert_eq!(find(&mut conn, &q("出口管制")).await.len(), 1);
    assert_eq!(
        find(&mut conn, &q("Sanctions")).await.len(),
        1,
        "the title is unchanged"
    );

    assert!(find(&mut conn, &q("名单")).await.is_empty());
    assert_eq!(find(&mut conn, &q("管")).await.len(), 1);
    notes::delete(&lib.db, note).await.unwrap();
    assert!(find(&mut conn, &q("export")).await.is_empty());
    assert!(find(&mut conn, &q("Sanctions")).await.is_empty());
    assert!(find(&mut conn, &q("出口管制")).await.is_empty());
    assert!(find(&mut conn, &q("管制")).await.is_empty());

    // SQLite reuses the deleted id; the new row is indexed afresh.
    let again = add_note(
        &lib.db,
        "新笔记",
        "出口管制清单",
        "2026-11-23T08:00:00.000Z",
    )
    .await;
    assert_eq!(again, note);
    let hits = find(&mut conn, &q("管制")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "新笔记");
    assert!(find(&mut conn, &q("export")).await.is_empty());
}

#[tokio::test]
async fn deleting_a_source_removes_its_versions_from_the_index() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let chinese_source = v[7].0;
    assert_eq!(find(&mut conn, &q("毛宁")).await.len(), 1);
    sqlx::query("DELETE FROM sources WHERE id = ?")
        .bind(chinese_source)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert!(find(&mut conn, &q("毛宁")).await.is_empty());
    assert!(find(&mut conn, &q("半岛和平")).await.is_empty());
    assert!(find(&mut conn, &q("外交部发言人")).await.is_empty());
    // Other stories are untouched.
    assert_eq!(find(&mut conn, &q("防衛費")).await.len(), 1);
}

#[tokio::test]
async fn filters_combine() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let (grain_title_src, grain_body_src) = (v[2].0, v[3].0);
    let note = add_note(
        &lib.db,
        "Black Sea shipping",
        "Grain convoys and insurance.",
        "2026-11-19T20:00:00.000Z",
    )
    .await;

    let project: i64 = sqlx::query(
        "INSERT INTO projects (name, created_at, updated_at) VALUES ('Black Sea', ?, ?)",
    )
    .bind("2026-11-18T00:00:00.000Z")
    .bind("2026-11-18T00:00:00.000Z")
    .execute(&mut *conn)
    .await
    .unwrap()
    .last_insert_rowid();
    sqlx::query("INSERT INTO project_sources (project_id, source_id, added_at) VALUES (?, ?, ?)")
        .bind(project)
        .bind(grain_body_src)
        .bind("2026-11-19T00:00:00.000Z")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO project_notes (project_id, note_id) VALUES (?, ?)")
        .bind(project)
        .bind(note)
        .execute(&mut *conn)
        .await
        .unwrap();
    let tag = redline::tags::ensure(&mut conn, "Shipping").await.unwrap();
    sqlx::query("INSERT INTO source_tags (source_id, tag_id) VALUES (?, ?)")
        .bind(grain_title_src)
        .bind(tag)
        .execute(&mut *conn)
        .await
        .unwrap();

    let all = find(&mut conn, &q("grain")).await;
    assert_eq!(all.len(), 3, "two stories and a note");

    let mut f = q("grain");
    f.project_id = Some(project);
    let mut got: Vec<(HitKind, Option<i64>, Option<i64>)> = find(&mut conn, &f)
        .await
        .iter()
        .map(|h| (h.kind, h.source_id, h.note_id))
        .collect();
    got.sort_by_key(|g| g.0.as_str());
    assert_eq!(
        got,
        vec![
            (HitKind::Note, None, Some(note)),
            (HitKind::Source, Some(grain_body_src), None)
        ]
    );

    let mut f = q("grain");
    f.tag = Some("shipping".into());
    let hits = find(&mut conn, &f).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].source_id, Some(grain_title_src));

    // Outlet by site name or by host; notes have no outlet.
    let mut f = q("grain");
    f.site = Some("financial times".into());
    let hits = find(&mut conn, &f).await;
    assert_eq!(
        hits.iter().map(|h| h.source_id).collect::<Vec<_>>(),
        vec![Some(grain_body_src)]
    );
    f.site = Some("apnews-example.com".into());
    let hits = find(&mut conn, &f).await;
    assert_eq!(
        hits.iter().map(|h| h.source_id).collect::<Vec<_>>(),
        vec![Some(grain_title_src)]
    );

    let mut f = q("Лавров");
    f.site = Some("ТАСС".into());
    assert_eq!(find(&mut conn, &f).await.len(), 1);
    f.site = Some("tass-example.ru".into());
    assert_eq!(find(&mut conn, &f).await.len(), 1);

    // Language: "zh" covers "zh-CN".
    let mut f = q("外交部");
    f.lang = Some("zh".into());
    assert_eq!(find(&mut conn, &f).await.len(), 1);
    f.lang = Some("ja".into());
    assert!(find(&mut conn, &f).await.is_empty());

    // Dates: a plain `to` date includes that whole day.
    let mut f = q("grain");
    f.to = Some("2026-11-18".into());
    let hits = find(&mut conn, &f).await;
    assert_eq!(
        hits.iter().map(|h| h.source_id).collect::<Vec<_>>(),
        vec![Some(grain_title_src)]
    );
    let mut f = q("grain");
    f.from = Some("2026-11-19T00:00:00Z".into());
    let mut got: Vec<HitKind> = find(&mut conn, &f).await.iter().map(|h| h.kind).collect();
    got.sort_by_key(|k| k.as_str());
    assert_eq!(got, vec![HitKind::Note, HitKind::Source]);
    f.from = Some("last tuesday".into());
    let err = search(&mut conn, &f).await.unwrap_err();
    assert_eq!(err.code(), "invalid");

    // Paging.
    let mut f = q("grain");
    f.limit = Some(2);
    let first = find(&mut conn, &f).await;
    f.offset = Some(2);
    let rest = find(&mut conn, &f).await;
    assert_eq!(first.len(), 2);
    assert_eq!(rest.len(), 1);
    let mut page_ids: Vec<_> = first
        .iter()
        .chain(&rest)
        .map(|h| (h.kind, h.source_id, h.note_id))
        .collect();
    let mut all_ids: Vec<_> = all
        .iter()
        .map(|h| (h.kind, h.source_id, h.note_id))
        .collect();
    page_ids.sort_by_key(|x| format!("{x:?}"));
    all_ids.sort_by_key(|x| format!("{x:?}"));
    assert_eq!(page_ids, all_ids);
}

#[tokio::test]
async fn a_title_match_ranks_first() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    // "grain" is in one title (once in its body); the other story says it
    // twice in the body only.
    let hits = find(&mut conn, &sources("grain")).await;
    assert_eq!(
        ids(&hits),
        vec![
            (HitKind::Source, Some(v[2].1)),
            (HitKind::Source, Some(v[3].1))
        ]
    );
    assert!(hits[0].score > hits[1].score);
}

#[tokio::test]
async fn snippets_are_escaped_html() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    clip(
        &mut conn,
        &Story {
            url: "https://example.org/xss",
            site: "Example",
            lang: "en",
            dir: Dir::Ltr,
            title: "A <b>bold</b> claim",
            paragraphs: &["The minister wrote <script>alert('pwned')</script> & left."],
            at: "2026-11-20T00:00:00.000Z",
        },
    )
    .await;
    let hits = find(&mut conn, &q("minister")).await;
    assert_eq!(
        hits[0].snippet,
        "The <mark>minister</mark> wrote &lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; &amp; left."
    );
    // The title is plain text; the UI escapes it like any other text.
    assert_eq!(hits[0].title, "A <b>bold</b> claim");
}

#[tokio::test]
async fn prefix_indexes_answer_two_three_and_four_letter_prefixes() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let grain_body = v[3].1;

    // The word indexes carry FTS5 prefix indexes (migration ..._search_prefix).
    for table in ["versions_fts", "notes_fts", "highlights_fts", "quotes_fts"] {
        let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = ?")
            .bind(table)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert!(sql.contains("prefix = '2 3 4'"), "{table}: {sql}");
    }

    // Prefixes of every indexed length, and longer ones (term scan), agree.
    for prefix in ["pr*", "pre*", "prem*", "premi*", "PREM*"] {
        let hits = find(&mut conn, &sources(prefix)).await;
        assert!(
            hits.iter().any(|h| h.version_id == Some(grain_body)),
            "{prefix}: {hits:?}"
        );
        assert!(
            hits.iter().any(|h| h.snippet.contains("<mark>")),
            "{prefix}: snippets still mark the match"
        );
    }

    // The triggers keep the recreated tables (and their prefix indexes) in step.
    let note = add_note(
        &lib.db,
        "Sanctions angle",
        "Ask Treasury about the tanker list.",
        "2026-11-22T08:00:00.000Z",
    )
    .await;
    let notes = |text: &str| SearchQuery {
        text: text.to_string(),
        kinds: vec![HitKind::Note],
        ..Default::default()
    };
    assert_eq!(find(&mut conn, &notes("tan*")).await.len(), 1);
    assert_eq!(find(&mut conn, &notes("ta*")).await.len(), 1);
    sqlx::query("UPDATE notes SET body = ? WHERE id = ?")
        .bind("Ask Commerce about export controls.")
        .bind(note)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert!(find(&mut conn, &notes("tan*")).await.is_empty());
    assert_eq!(find(&mut conn, &notes("expo*")).await.len(), 1);
    sqlx::query("DELETE FROM notes WHERE id = ?")
        .bind(note)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert!(find(&mut conn, &notes("expo*")).await.is_empty());

    for table in ["versions_fts", "notes_fts", "highlights_fts", "quotes_fts"] {
        sqlx::query(&format!(
            "INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"
        ))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"));
    }
}

const MIXED: Story = Story {
    url: "https://www.scmp-example.com/news/china/diplomacy/article/3290000",
    site: "South China Morning Post",
    lang: "en",
    dir: Dir::Ltr,
    title: "Beijing rebukes G20峰会 statement on export curbs",
    paragraphs: &[
        "BEIJING — China's foreign ministry called the statement \"单边霸凌\" (unilateral bullying) on Thursday, a day after the G20峰会上 communique criticised its export curbs on rare earths.",
        "Japan's chief cabinet secretary said Biden氏との会談 had covered the issue, according to a transcript.",
        "中国，国人 — a caption fragment that joins two runs across a comma.",
    ],
    at: "2026-11-22T03:00:00.000Z",
};

const CHINESE_QUOTE: Story = Story {
    url: "https://www.chinanews-example.com/gn/2026/11-22/10300000.shtml",
    site: "中国新闻网",
    lang: "zh-CN",
    dir: Dir::Ltr,
    title: "商务部回应出口管制问题",
    paragraphs: &[
        "商务部新闻发言人何亚东22日表示：“中方坚决反对单边制裁和长臂管辖。”",
        "他说，中方将采取必要措施，维护自身正当权益。",
    ],
    at: "2026-11-22T04:00:00.000Z",
};

const JAPANESE_QUOTE: Story = Story {
    url: "https://www.asahi-example.com/articles/ASV11M000000.html",
    site: "朝日新聞デジタル",
    lang: "ja",
    dir: Dir::Ltr,
    title: "官房長官 輸出規制で見解",
    paragraphs: &[
        "林官房長官は22日の記者会見で「重要鉱物の供給網を多角化する」と述べた。",
        "政府は来週にも関係閣僚会議を開く方針だ。",
    ],
    at: "2026-11-22T05:00:00.000Z",
};

fn only(kind: HitKind, text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        kinds: vec![kind],
        ..Default::default()
    }
}

/// Stores a story and its quotes in one transaction, as clipping does.
async fn clip_with_quotes(db: &Db, s: &Story<'_>) -> (i64, i64) {
    let mut tx = db.write().await.unwrap();
    let (source, version) = clip(&mut tx, s).await;
    let v = versions::get_version(&mut tx, version).await.unwrap();
    quotes::store_for_version(&mut tx, &v).await.unwrap();
    tx.commit().await.unwrap();
    (source, version)
}

#[tokio::test]
async fn cjk_terms_of_every_length_in_every_kind() {
    let lib = library().await;
    let db = &lib.db;
    let mut conn = db.pool().acquire().await.unwrap();
    let (zh_source, zh) = clip_with_quotes(db, &CHINESE_QUOTE).await;
    let (_, ja) = clip_with_quotes(db, &JAPANESE_QUOTE).await;
    let (_, mixed) = clip_with_quotes(db, &MIXED).await;

    // Versions: 1, 2, 3 and 5 characters, Chinese and Japanese.
    for (term, version) in [
        ("何", zh),
        ("长臂", zh),
        ("何亚东", zh),
        ("坚决反对单", zh),
        ("林", ja),
        ("鉱物", ja),
        ("供給網", ja),
        ("閣僚会議を", ja),
        // With a short term the whole query goes to the bigram index, where
        // the longer terms are phrases of bigrams.
        ("何亚东 长臂", zh),
        ("坚决反对单 何", zh),
        ("閣僚会議を 林", ja),
        ("供給網 OR 鑫", ja),
        ("デジ", ja), // not in the text: the site name is not indexed
    ] {
        let got = ids(&find(&mut conn, &only(HitKind::Source, term)).await);
        let want = if term == "デジ" {
            vec![]
        } else {
            vec![(HitKind::Source, Some(version))]
        };
        assert_eq!(got, want, "{term}");
    }
    // Absent terms of each length.
    for term in [
        "鑫",
        "台湾",
        "何亚西",
        "坚决支持单",
        "多国化",
        "閣僚会議が",
        "何亚西 长臂",
        "坚决支持单 何",
        "閣僚会議が 林",
    ] {
        assert!(
            find(&mut conn, &only(HitKind::Source, term))
                .await
                .is_empty(),
            "{term}"
        );
    }
    // The last character of a title and of a run before punctuation.
    assert_eq!(find(&mut conn, &only(HitKind::Source, "题")).await.len(), 1);
    assert_eq!(find(&mut conn, &only(HitKind::Source, "益")).await.len(), 1);

    // Mixed text: CJK runs next to Latin letters and figures.
    for term in [
        "G20峰会",
        "G20峰会上",
        "峰会上",
        "峰",
        "Biden氏",
        "氏との会談",
        "霸凌",
    ] {
        assert_eq!(
            ids(&find(&mut conn, &only(HitKind::Source, term)).await),
            vec![(HitKind::Source, Some(mixed))],
            "{term}"
        );
    }
    // A phrase never joins two runs across punctuation or Latin text.
    assert!(find(&mut conn, &only(HitKind::Source, "中国人"))
        .await
        .is_empty());
    // CJK term and Latin word together.
    let hits = find(&mut conn, &only(HitKind::Source, "峰会 communique")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(mixed))]);
    assert!(find(&mut conn, &only(HitKind::Source, "峰会 Kishida"))
        .await
        .is_empty());
    let hits = find(&mut conn, &only(HitKind::Source, "会談 OR 会議")).await;
    assert_eq!(hits.len(), 2);
    assert!(
        hits[0].snippet.contains("<mark>") && hits[1].snippet.contains("<mark>"),
        "{hits:?}"
    );

    // Quotes: the speech inside the marks.
    for term in ["制", "长臂", "单边制裁", "多角化", "供給網を多"] {
        let hits = find(&mut conn, &only(HitKind::Quote, term)).await;
        assert_eq!(hits.len(), 1, "{term}");
    }
    let hits = find(&mut conn, &only(HitKind::Quote, "单边制裁")).await;
    assert_eq!(hits[0].source_id, Some(zh_source));
    assert_eq!(hits[0].version_id, Some(zh));
    assert!(find(&mut conn, &only(HitKind::Quote, "正当权益"))
        .await
        .is_empty());

    // Notes: title and body, then an edit and a delete.
    let note = add_note(
        db,
        "稀土出口",
        "Ask MOFCOM: 出口许可证 waiting times. 関係閣僚の発言も確認",
        "2026-11-22T06:00:00.000Z",
    )
    .await;
    for term in [
        "稀",
        "稀土",
        "许可证",
        "出口许可证",
        "閣僚の発言",
        "MOFCOM 许可",
    ] {
        let hits = find(&mut conn, &only(HitKind::Note, term)).await;
        assert_eq!(
            hits.iter().map(|h| h.note_id).collect::<Vec<_>>(),
            vec![Some(note)],
            "{term}"
        );
    }
    notes::save_at(
        db,
        note,
        "稀土出口",
        "出口配额",
        at("2026-11-22T07:00:00.000Z"),
    )
    .await
    .unwrap();
    assert!(find(&mut conn, &only(HitKind::Note, "许可证"))
        .await
        .is_empty());
    assert_eq!(find(&mut conn, &only(HitKind::Note, "配额")).await.len(), 1);
    assert_eq!(find(&mut conn, &only(HitKind::Note, "稀土")).await.len(), 1);
    notes::delete(db, note).await.unwrap();
    for term in ["配额", "稀", "出口"] {
        assert!(
            find(&mut conn, &only(HitKind::Note, term)).await.is_empty(),
            "{term}"
        );
    }

    // Highlights: the passage and the comment; updating the comment.
    let h = highlight(db, ja, "重要鉱物の供給網", "経産省に確認する").await;
    for term in ["鉱", "鉱物", "重要鉱物の供", "経産省"] {
        let hits = find(&mut conn, &only(HitKind::Highlight, term)).await;
        assert_eq!(
            hits.iter().map(|h| h.highlight_id).collect::<Vec<_>>(),
            vec![Some(h)],
            "{term}"
        );
    }
    highlights::update(db, h, Some("外務省にも"), None)
        .await
        .unwrap();
    assert!(find(&mut conn, &only(HitKind::Highlight, "経産省"))
        .await
        .is_empty());
    assert_eq!(
        find(&mut conn, &only(HitKind::Highlight, "外務省"))
            .await
            .len(),
        1
    );
    assert_eq!(
        find(&mut conn, &only(HitKind::Highlight, "供給網"))
            .await
            .len(),
        1,
        "the passage is still indexed after the comment changed"
    );
    highlights::delete(db, h).await.unwrap();
    assert!(find(&mut conn, &only(HitKind::Highlight, "鉱物"))
        .await
        .is_empty());

    // Deleting a source takes its versions and quotes out of the index.
    sqlx::query("DELETE FROM sources WHERE id = ?")
        .bind(zh_source)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert!(find(&mut conn, &q("长臂")).await.is_empty());
    assert!(find(&mut conn, &q("何")).await.is_empty());
    assert_eq!(
        find(&mut conn, &q("鉱物")).await.len(),
        2,
        "version and quote"
    );

    for table in [
        "versions_bigram",
        "notes_bigram",
        "highlights_bigram",
        "quotes_bigram",
    ] {
        sqlx::query(&format!(
            "INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 0)"
        ))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"));
    }
}

#[tokio::test]
async fn a_library_from_before_the_bigram_index_is_indexed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.db");
    let note;
    {
        let db = Db::open(&path).await.unwrap();
        clip_with_quotes(&db, &CHINESE_QUOTE).await;
        clip_with_quotes(&db, &JAPANESE_QUOTE).await;
        note = add_note(&db, "稀土出口", "出口许可证", "2026-11-22T06:00:00.000Z").await;
        let mut conn = db.pool().acquire().await.unwrap();
        // What a library migrated from an older version looks like: the
        // tables exist, empty, and the backfill is pending.
        for table in [
            "versions_bigram",
            "notes_bigram",
            "highlights_bigram",
            "quotes_bigram",
        ] {
            sqlx::query(&format!(
                "INSERT INTO {table} ({table}) VALUES ('delete-all')"
            ))
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        sqlx::query("INSERT INTO search_backfill (name) VALUES ('bigrams')")
            .execute(&mut *conn)
            .await
            .unwrap();
        assert!(find(&mut conn, &q("长臂")).await.is_empty());
        assert!(find(&mut conn, &q("许可")).await.is_empty());
        drop(conn);
        db.close().await;
    }
    let db = Db::open(&path).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM search_backfill")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(pending, 0);
    let kinds = |hits: Vec<Hit>| {
        let mut k: Vec<&str> = hits.iter().map(|h| h.kind.as_str()).collect();
        k.sort();
        k
    };
    assert_eq!(
        kinds(find(&mut conn, &q("长臂")).await),
        vec!["quote", "source"]
    );
    assert_eq!(kinds(find(&mut conn, &q("林")).await), vec!["source"]);
    assert_eq!(
        kinds(find(&mut conn, &q("閣僚会議 林")).await),
        vec!["source"]
    );
    let hits = find(&mut conn, &q("许可")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].note_id, Some(note));
    drop(conn);
    db.close().await;
    // Opening again does not index twice.
    let db = Db::open(&path).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM versions_bigram_docsize")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows, 2);
}

/// Issue 11.2: a query is bounded before anything recurses over it or hands
/// it to FTS5. Each of these failed before the caps: 15,000 `(` overflowed
/// the stack (exit 134) and 20,000 words ran for seconds.
#[tokio::test]
async fn hostile_queries_are_refused_quickly_and_clearly() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    seed(&mut conn).await;
    let deep = format!("{}grain{}", "(".repeat(900), ")".repeat(900));
    let unclosed = "(".repeat(15_000);
    let words = "grain ".repeat(20_000);
    let many = (0..200)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let started = std::time::Instant::now();
    for (text, needle) in [
        (deep.as_str(), "nests parentheses more than 16 deep"),
        (unclosed.as_str(), "longer than 2000 characters"),
        (words.as_str(), "longer than 2000 characters"),
        (many.as_str(), "more than 64 words or phrases"),
        (
            "((((((((((((((((((grain))))))))))))))))))",
            "more than 16 deep",
        ),
    ] {
        let err = search(&mut conn, &q(text)).await.unwrap_err();
        assert_eq!(err.code(), "invalid");
        assert!(err.to_string().contains(needle), "{err}");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // Within the caps: 16 levels and 64 terms are searched.
    let nested = format!("{}grain{}", "(".repeat(16), ")".repeat(16));
    assert_eq!(find(&mut conn, &sources(&nested)).await.len(), 2);
    let sixty_four = std::iter::once("grain")
        .chain(std::iter::repeat_n("OR zzzz", 63))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(find(&mut conn, &sources(&sixty_four)).await.len(), 2);
}

/// The same through the binary, with the main thread's own stack: one line
/// on stderr and a failing status, not a crash.
#[test]
fn the_cli_refuses_a_hostile_query_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    for query in ["(".repeat(15_000), "((((((((((((((((((grain".into()] {
        let out = redline(&db, &["search", "--", &query]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.starts_with("redline: "), "{err}");
    }
}

// ---------------------------------------------------------------------------
// Issue 10: dictionary forms find inflected, particle- and clitic-bearing
// forms; names cross scripts; exact forms rank first.

/// Short invented stories, one per language, each using the inflected form
/// of a word the reporter types in its dictionary form.
fn story<'a>(url: &'a str, lang: &'a str, title: &'a str, body: &'a [&'a str]) -> Story<'a> {
    Story {
        url,
        site: "Wire",
        lang,
        dir: if matches!(lang, "ar" | "fa") {
            Dir::Rtl
        } else {
            Dir::Ltr
        },
        title,
        paragraphs: body,
        at: "2026-11-28T09:00:00.000Z",
    }
}

const STORIES: &[(&str, &str, &str, &[&str])] = &[
    (
        "https://example.ru/vladivostok",
        "ru",
        "Саммит открылся во Владивостоке",
        &["Министр иностранных дел Сергея Лаврова встретили в порту. «Мы не согласны с санкциями», — сказал он журналистам."],
    ),
    (
        "https://example.de/gipfel",
        "de",
        "Zweiter Tag des Gipfeltreffens",
        &["Die neuen Sanktionen gegen drei Reedereien traten am Montag in Kraft, teilte das Ministerium mit."],
    ),
    (
        "https://example.fr/negociations",
        "fr",
        "Reprise des négociations à Genève",
        &["Les délégations se sont retrouvées mardi, a indiqué un porte-parole."],
    ),
    (
        "https://example.es/sanciones",
        "es",
        "Bruselas estudia nuevas sanciones",
        &["Los ministros debatirán el paquete el jueves, según fuentes diplomáticas."],
    ),
    (
        "https://example.com.tr/yaptirim",
        "tr",
        "Yaptırımların etkisi limanlarda görüldü",
        &["Bakanlık sözcüsü, gemi trafiğinin yüzde 12 azaldığını söyledi."],
    ),
    (
        "https://example.ae/sanctions",
        "ar",
        "الاتحاد يناقش العقوبات",
        &["قال المتحدث إن الاجتماع سيبحث والعقوبات الجديدة على الشركات البحرية."],
    ),
    (
        "https://example.kr/summit",
        "ko",
        "블라디보스토크에서 정상회담 개최",
        &["양국 정상은 정상회담을 마친 뒤 공동 성명을 발표했다고 대변인이 밝혔다."],
    ),
    (
        "https://example.com/lavrov",
        "en",
        "Lavrov's visit postponed",
        &["Russia's foreign minister will not travel this week, a spokesman said."],
    ),
    (
        "https://example.ua/zelensky",
        "uk",
        "Зеленський провів нараду",
        &["Під час наради обговорили нові санкції проти компаній."],
    ),
    (
        "https://example.ru/lava",
        "ru",
        "Лава вулкана дошла до деревни",
        &["Жители деревни покинули дома, сообщили спасатели."],
    ),
    (
        "https://example.ru/zelensky",
        "ru",
        "Зеленский прибыл в Брюссель",
        &["Визит продлится два дня."],
    ),
];

/// Turns the library's stem index on and waits for its backfill, as
/// `redline search --stems on` does.
async fn enable_stems(db: &Db) {
    redline::search::set_stems(db.pool(), true).await.unwrap();
    while redline::search::reindex_step(db.pool(), redline::search::REINDEX_BATCH)
        .await
        .unwrap()
        .is_some()
    {}
}

async fn seed_languages(
    conn: &mut SqliteConnection,
) -> std::collections::HashMap<&'static str, i64> {
    let mut out = std::collections::HashMap::new();
    for (url, lang, title, body) in STORIES {
        let (_, v) = clip(conn, &story(url, lang, title, body)).await;
        out.insert(*url, v);
    }
    out
}

fn urls_of(
    hits: &[Hit],
    by_url: &std::collections::HashMap<&'static str, i64>,
) -> Vec<&'static str> {
    hits.iter()
        .map(|h| {
            *by_url
                .iter()
                .find(|(_, v)| Some(**v) == h.version_id)
                .map(|(u, _)| u)
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn dictionary_forms_find_inflected_forms_in_every_language() {
    let lib = stemmed_library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let by_url = seed_languages(&mut conn).await;
    for (query, url, marked) in [
        ("Владивосток", "https://example.ru/vladivostok", ""),
        ("санкции", "https://example.ru/vladivostok", "санкциями"),
        ("Sanktion", "https://example.de/gipfel", "Sanktionen"),
        ("Gipfeltreffen", "https://example.de/gipfel", ""),
        ("négociation", "https://example.fr/negociations", ""),
        ("sanción", "https://example.es/sanciones", ""),
        ("yaptırım", "https://example.com.tr/yaptirim", ""),
        ("والعقوبات", "https://example.ae/sanctions", "والعقوبات"),
        ("عقوبات", "https://example.ae/sanctions", "والعقوبات"),
        ("블라디보스토크", "https://example.kr/summit", ""),
        ("정상회담", "https://example.kr/summit", ""),
        ("наради", "https://example.ua/zelensky", "наради"),
    ] {
        let hits = find(&mut conn, &sources(query)).await;
        assert!(
            urls_of(&hits, &by_url).contains(&url),
            "{query}: {:?}",
            urls_of(&hits, &by_url)
        );
        if !marked.is_empty() {
            let hit = hits
                .iter()
                .find(|h| h.version_id == Some(by_url[url]))
                .unwrap();
            assert!(
                hit.snippet.contains(&format!("<mark>{marked}</mark>")),
                "{query}: {}",
                hit.snippet
            );
        }
    }
    // Ukrainian: -ий / -ого endings are one stem.
    let hits = find(&mut conn, &sources("санкція")).await;
    assert!(urls_of(&hits, &by_url).contains(&"https://example.ua/zelensky"));
}

#[tokio::test]
async fn exact_forms_rank_first_and_stems_do_not_over_match() {
    let lib = stemmed_library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let by_url = seed_languages(&mut conn).await;
    // Лавров: Лаврова (Russian story, stem tier) and Lavrov's (English,
    // transliteration tier); never Лава (the lava story).
    let hits = find(&mut conn, &sources("Лавров")).await;
    let urls = urls_of(&hits, &by_url);
    assert_eq!(
        urls,
        vec![
            "https://example.ru/vladivostok",
            "https://example.com/lavrov"
        ],
        "stem hits rank above transliterated ones"
    );
    assert!(
        hits[0].snippet.contains("<mark>Лаврова</mark>"),
        "{}",
        hits[0].snippet
    );
    assert!(find(&mut conn, &sources("лава")).await.len() == 1);
    // The Latin spelling: the English story first (exact), then Лаврова.
    let hits = find(&mut conn, &sources("Lavrov")).await;
    assert_eq!(
        urls_of(&hits, &by_url),
        vec![
            "https://example.com/lavrov",
            "https://example.ru/vladivostok"
        ]
    );
    assert!(
        hits[1].snippet.contains("<mark>Лаврова</mark>"),
        "{}",
        hits[1].snippet
    );
    // Paged one at a time: a page the exact tier fills is that hit alone
    // (the stem tiers are skipped), and the next page is the stem hit.
    let page = |offset| SearchQuery {
        limit: Some(1),
        offset: Some(offset),
        ..sources("Lavrov")
    };
    let first = find(&mut conn, &page(0)).await;
    let second = find(&mut conn, &page(1)).await;
    assert_eq!(
        urls_of(&[first, second].concat(), &by_url),
        vec![
            "https://example.com/lavrov",
            "https://example.ru/vladivostok"
        ]
    );
    assert!(find(&mut conn, &page(2)).await.is_empty());
    // Zelensky ↔ Зеленский (Russian story; exact-script hit first).
    let hits = find(&mut conn, &sources("Зеленский")).await;
    assert_eq!(urls_of(&hits, &by_url)[0], "https://example.ru/zelensky");
    let hits = find(&mut conn, &sources("Zelensky")).await;
    assert!(urls_of(&hits, &by_url).contains(&"https://example.ru/zelensky"));
    // A quoted word is matched as written (after folding) only.
    assert!(find(&mut conn, &sources("\"санкции\"")).await.is_empty());
    assert!(find(&mut conn, &sources("\"Sanktion\"")).await.is_empty());
    assert_eq!(find(&mut conn, &sources("\"sanktionen\"")).await.len(), 1);
    // Exact before stem: "sanctions" in an English story outranks a stem
    // match of the same word.
    let (_, exact) = clip(
        &mut conn,
        &story(
            "https://example.com/sanctions",
            "en",
            "Shipping firms",
            &["New sanctions hit three shipping firms."],
        ),
    )
    .await;
    let (_, stem) = clip(
        &mut conn,
        &story(
            "https://example.com/sanction",
            "en",
            "Sanction, sanction, sanction",
            &["The sanction was the first sanction of its kind, a sanction lawyers said."],
        ),
    )
    .await;
    let hits = find(&mut conn, &sources("sanctions")).await;
    let got: Vec<Option<i64>> = hits.iter().map(|h| h.version_id).collect();
    assert_eq!(got, vec![Some(exact), Some(stem)]);
}

/// Greek names meet their Latin spellings both ways (issue 10, item 4),
/// whatever the case ending and the accents, ranked below exact-script
/// hits; an unrelated name sharing the first letters is not pulled in.
#[tokio::test]
async fn greek_names_cross_to_latin_and_back() {
    let lib = stemmed_library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let (_, greek) = clip(
        &mut conn,
        &story(
            "https://example.gr/vouli",
            "el",
            "Αντιπαράθεση στη Βουλή για τον προϋπολογισμό",
            &[
                "Ο πρωθυπουργός Κυριάκος Μητσοτάκης απάντησε στον Αλέξη Τσίπρα \
               ότι οι δαπάνες για την άμυνα θα αυξηθούν κατά 4%.",
            ],
        ),
    )
    .await;
    let (_, english) = clip(
        &mut conn,
        &story(
            "https://example.com/athens",
            "en",
            "Tsipras returns to parliament",
            &["Former prime minister Alexis Tsipras spoke for twenty minutes, aides said."],
        ),
    )
    .await;
    let order = |hits: &[Hit]| hits.iter().map(|h| h.version_id).collect::<Vec<_>>();
    // Latin → Greek: the English story by its exact word first, then the
    // Greek one, where the name is in the genitive (Τσίπρα).
    let hits = find(&mut conn, &sources("Tsipras")).await;
    assert_eq!(order(&hits), vec![Some(english), Some(greek)]);
    assert!(
        hits[1].snippet.contains("<mark>Τσίπρα</mark>"),
        "{}",
        hits[1].snippet
    );
    let hits = find(&mut conn, &sources("Mitsotakis")).await;
    assert_eq!(order(&hits), vec![Some(greek)]);
    assert!(
        hits[0].snippet.contains("<mark>Μητσοτάκης</mark>"),
        "{}",
        hits[0].snippet
    );
    // Greek → Latin: the Greek story by its form first, then the English.
    let hits = find(&mut conn, &sources("Τσίπρας")).await;
    assert_eq!(order(&hits), vec![Some(greek), Some(english)]);
    // No over-matching of another name.
    assert!(find(&mut conn, &sources("Tsakalotos")).await.is_empty());
    assert!(find(&mut conn, &sources("Mitsos")).await.is_empty());
}

#[tokio::test]
async fn an_upgraded_library_is_stem_indexed_in_resumable_batches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.db");
    {
        let db = Db::open(&path).await.unwrap();
        redline::search::set_stems(db.pool(), true).await.unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        seed_languages(&mut conn).await;
        // What a library from before the stem index looks like: the tables
        // empty and the backfill pending.
        for table in [
            "versions_stem",
            "notes_stem",
            "highlights_stem",
            "quotes_stem",
        ] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        sqlx::query("DELETE FROM search_lang")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("DELETE FROM search_languages")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("INSERT OR IGNORE INTO search_backfill (name) VALUES ('stems')")
            .execute(&mut *conn)
            .await
            .unwrap();
        assert!(find(&mut conn, &sources("санкции")).await.is_empty());
        assert_eq!(
            redline::search::reindex_progress(&mut conn).await.unwrap(),
            Some(redline::search::Reindex { done: 0, total: 11 })
        );
        drop(conn);
        // Two small batches, as if interrupted after them.
        let p = redline::search::reindex_step(db.pool(), 3).await.unwrap();
        assert_eq!(p, Some(redline::search::Reindex { done: 3, total: 11 }));
        redline::search::reindex_step(db.pool(), 3).await.unwrap();
        db.close().await;
    }
    // The next open resumes and finishes (a small library within its first
    // second), and the library answers meanwhile.
    let db = Db::open(&path).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    assert_stems_indexed(&mut conn, 11).await;
}

/// The stem backfill is done: nothing pending, a dictionary form finds the
/// Russian story, and each of the `versions` versions is indexed once.
async fn assert_stems_indexed(conn: &mut SqliteConnection, versions: i64) {
    assert_eq!(redline::search::reindex_progress(conn).await.unwrap(), None);
    assert_eq!(find(conn, &sources("санкции")).await.len(), 1);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM versions_stem_docsize")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows, versions);
}

/// Through the binary: a dictionary form finds the inflected form, with the
/// matched form marked.
#[test]
fn the_cli_finds_inflected_forms() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let lib = Db::open(&db).await.unwrap();
        let mut conn = lib.pool().acquire().await.unwrap();
        seed_languages(&mut conn).await;
        drop(conn);
        lib.close().await;
    });
    // Off: the stemmed-only form is not found until turned on.
    let run = |args: &[&str]| redline(&db, args);
    let off = run(&["search", "--stems", "off"]);
    assert!(off.status.success(), "{off:?}");
    let off = run(&["search", "санкции"]);
    assert!(off.status.success(), "{off:?}");
    assert!(!String::from_utf8_lossy(&off.stdout).contains("санкциями"));
    let on = run(&["search", "--stems", "on"]);
    assert!(on.status.success(), "{on:?}");
    assert!(String::from_utf8_lossy(&on.stderr).contains("stem search is on"));
    for (query, marked) in [("Лавров", "«Лаврова»"), ("санкции", "«санкциями»")]
    {
        let out = redline(&db, &["search", query]);
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marked), "{query}: {text}");
    }
}

/// Stems off (`redline search --stems off`) means off: nothing written to
/// the stem index or its language tables, no backfill queued, and a form
/// only the stem index would find (санкции → санкциями) is not found.
#[tokio::test]
async fn with_stems_off_no_stem_rows_are_written_and_forms_are_not_found() {
    let lib = library().await;
    redline::search::set_stems(lib.db.pool(), false)
        .await
        .unwrap();
    let mut conn = lib.db.pool().acquire().await.unwrap();
    assert!(!redline::search::stems_enabled(&mut conn).await.unwrap());
    seed_languages(&mut conn).await;
    assert!(find(&mut conn, &sources("санкции")).await.is_empty());
    assert!(find(&mut conn, &sources("Sanktion")).await.is_empty());
    // The exact form is still found.
    assert_eq!(find(&mut conn, &sources("санкциями")).await.len(), 1);
    for table in [
        "versions_stem_docsize",
        "notes_stem_docsize",
        "highlights_stem_docsize",
        "quotes_stem_docsize",
        "search_lang",
        "search_languages",
        "search_backfill",
    ] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(rows, 0, "{table}");
    }
    assert_eq!(
        redline::search::reindex_progress(&mut conn).await.unwrap(),
        None
    );
    drop(conn);
    // Turning it on indexes what is there; off again empties the index.
    redline::search::set_stems(lib.db.pool(), true)
        .await
        .unwrap();
    while redline::search::reindex_step(lib.db.pool(), 5)
        .await
        .unwrap()
        .is_some()
    {}
    let mut conn = lib.db.pool().acquire().await.unwrap();
    assert_eq!(find(&mut conn, &sources("санкции")).await.len(), 1);
    drop(conn);
    redline::search::set_stems(lib.db.pool(), false)
        .await
        .unwrap();
    let mut conn = lib.db.pool().acquire().await.unwrap();
    assert!(find(&mut conn, &sources("санкции")).await.is_empty());
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM versions_stem_docsize")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

/// A library made before stems were on by default (migration
/// 20261205000002): the upgrade turns them on and stem-indexes what is
/// there; a library that had turned them on already keeps its index and
/// queues nothing.
#[tokio::test]
async fn upgrading_turns_stems_on_and_indexes_the_existing_library() {
    const DEFAULT_ON: i64 = 20261205000002;
    for had_stems_on in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.db");
        {
            // The library as the release before the default left it.
            let mut older = sqlx::migrate::Migrator::new(std::path::Path::new("migrations"))
                .await
                .unwrap();
            older.migrations = older
                .migrations
                .iter()
                .filter(|m| m.version < DEFAULT_ON)
                .cloned()
                .collect::<Vec<_>>()
                .into();
            let pool = sqlx::SqlitePool::connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal),
            )
            .await
            .unwrap();
            older.run(&pool).await.unwrap();
            let mut conn = pool.acquire().await.unwrap();
            if had_stems_on {
                sqlx::query("INSERT INTO search_settings (name, value) VALUES ('stems', 'on')")
                    .execute(&mut *conn)
                    .await
                    .unwrap();
            }
            seed_languages(&mut conn).await;
            let on = redline::search::stems_enabled(&mut conn).await.unwrap();
            assert_eq!(on, had_stems_on);
            assert_eq!(
                find(&mut conn, &sources("санкции")).await.len(),
                usize::from(had_stems_on)
            );
            drop(conn);
            pool.close().await;
        }
        let db = Db::open(&path).await.unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(redline::search::stems_enabled(&mut conn).await.unwrap());
        // Db::open indexes a small library within its first second.
        assert_stems_indexed(&mut conn, 11).await;
    }
}

#[tokio::test]
async fn a_new_library_has_stems_on() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    assert!(redline::search::stems_enabled(&mut conn).await.unwrap());
    assert_eq!(
        redline::search::reindex_progress(&mut conn).await.unwrap(),
        None
    );
    seed_languages(&mut conn).await;
    assert_eq!(find(&mut conn, &sources("Sanktion")).await.len(), 1);
}

/// A version's quotes are stemmed in the version's language, read once for
/// all of them (`index_quotes_of_version`): a dictionary form finds the
/// quote's inflected word.
#[tokio::test]
async fn quotes_are_found_by_the_dictionary_form_in_their_story_language() {
    let lib = stemmed_library().await;
    for (url, lang, title, body) in &STORIES[..2] {
        clip_with_quotes(&lib.db, &story(url, lang, title, body)).await;
    }
    let quotes_of = |text: &str| SearchQuery {
        text: text.into(),
        kinds: vec![HitKind::Quote],
        ..Default::default()
    };
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let exact = find(&mut conn, &quotes_of("санкциями")).await;
    assert_eq!(exact.len(), 1, "the quote is indexed");
    let hits = find(&mut conn, &quotes_of("санкции")).await;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0].snippet.contains("<mark>санкциями</mark>"),
        "{}",
        hits[0].snippet
    );
    let rows: Vec<(String,)> = sqlx::query_as("SELECT lang FROM search_lang WHERE kind = 'quote'")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows, vec![("ru".to_string(),)]);
}
