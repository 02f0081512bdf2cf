//! Full-text search: every script, every kind of hit, filters, ranking, and
//! indexes that follow the data in the same transaction.
//!
//! Sources and versions are stored through the core's `versions` functions.
//! Notes, highlights, quotes, projects and tags are written with plain SQL
//! here because this test owns only search; the rows are what the schema
//! defines, so the triggers under test see exactly what the app writes.

use redline::article::{Article, Block, Dir};
use redline::search::{search, Hit, HitKind, SearchQuery};
use redline::{versions, Db, Error};
use sqlx::SqliteConnection;

struct Library {
    _dir: tempfile::TempDir,
    db: Db,
}

async fn library() -> Library {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    Library { _dir: dir, db }
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
    let hits = find(&mut conn, &sources("\"terminal grain\"")).await;
    assert!(hits.is_empty());
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
    // Whole words: a stem alone does not match an inflected form…
    assert!(find(&mut conn, &sources("переговор")).await.is_empty());
    // …unless asked for as a prefix.
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
    // The body writes الخارجيةِ with a kasra; the query has none.
    let hits = find(&mut conn, &sources("\"وزير الخارجية\"")).await;
    assert_eq!(ids(&hits), vec![(HitKind::Source, Some(arabic))]);
    assert!(
        hits[0]
            .snippet
            .starts_with("دعا <mark>وزير الخارجية</mark>ِ في مؤتمر"),
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
    // Korean is spaced: words are whole words (a particle makes another word),
    // and a prefix search finds the word with its particle.
    assert!(find(&mut conn, &sources("합동참모본부")).await.is_empty());
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
    // Korean and English stories are not in the trigram index at all.
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

async fn add_note(conn: &mut SqliteConnection, title: &str, body: &str, at: &str) -> i64 {
    sqlx::query("INSERT INTO notes (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)")
        .bind(title)
        .bind(body)
        .bind(at)
        .bind(at)
        .execute(conn)
        .await
        .unwrap()
        .last_insert_rowid()
}

#[tokio::test]
async fn notes_highlights_and_quotes_are_found() {
    let lib = library().await;
    let mut conn = lib.db.pool().acquire().await.unwrap();
    let v = seed(&mut conn).await;
    let (source, version) = v[1];

    let note = add_note(
        &mut conn,
        "Geneva talks: timeline",
        "Thursday: tentative deal on prisoners.\n\nFriday: **collapse**. Check the deputy minister's exact words.\n\n会谈破裂后，各方互相指责。",
        "2026-11-21T10:00:00.000Z",
    )
    .await;
    let highlight = sqlx::query(
        "INSERT INTO highlights (source_id, version_id, start, end, text, comment, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(source)
    .bind(version)
    .bind(144)
    .bind(178)
    .bind("\"We will not accept preconditions,\"")
    .bind("Lede quote — compare with the Russian readout")
    .bind("2026-11-21T10:05:00.000Z")
    .execute(&mut *conn)
    .await
    .unwrap()
    .last_insert_rowid();
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
        &mut conn,
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

    sqlx::query("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?")
        .bind("Ask the Commerce Department about export controls. 出口管制")
        .bind("2026-11-22T09:00:00.000Z")
        .bind(note)
        .execute(&mut *conn)
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

    sqlx::query("DELETE FROM notes WHERE id = ?")
        .bind(note)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert!(find(&mut conn, &q("export")).await.is_empty());
    assert!(find(&mut conn, &q("Sanctions")).await.is_empty());
    assert!(find(&mut conn, &q("出口管制")).await.is_empty());
    assert!(find(&mut conn, &q("管制")).await.is_empty());

    // SQLite reuses the deleted id; the new row is indexed afresh.
    let again = add_note(
        &mut conn,
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
        &mut conn,
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
