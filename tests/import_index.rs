//! A batch import makes the search rows of each version (stem entries,
//! trigram and bigram entries, their languages, word-index hits) on the
//! cores that extract, ahead of its one writer; a clip makes them in its
//! transaction. Both must leave the same index: the same pages imported as
//! a folder and clipped one by one (real CLI, real library files) are
//! compared term by term, through SQLite's `fts5vocab` view of every index.

mod common;

use std::path::Path;

use common::cli::{json, ok, redline};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// A saved news page, as a browser's "Save page as" leaves it.
fn page(charset: &str, lang: &str, headline: &str, byline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{headline} | The Daily Ledger</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{headline}</h1><p class="byline">{byline}</p>
<figure><img src="a.jpg" alt=""><figcaption>Delegates arrive. Photo: Reuters</figcaption></figure>
{body}</article><footer>© The Daily Ledger · Terms</footer></body></html>"#
    )
}

/// The pages, in the order a folder import reads them (by file name), as
/// (file name, bytes): English, Russian in windows-1251, Japanese in
/// Shift_JIS, an undeclared German one, each with attributed quotes.
fn pages() -> Vec<(&'static str, Vec<u8>)> {
    let en = page(
        "utf-8",
        "en",
        "Grain corridor reopens as insurers return to Odesa",
        "By Hannah Kowalski, Odesa",
        &[
            "The first bulk carrier in six weeks left Odesa on Tuesday carrying 62,000 tonnes of maize, port officials said, after three Lloyd's syndicates agreed to write war-risk cover again.",
            "“The premium has halved since August, but it is still ten times what it was before the war,” said Olena Hrytsenko, who runs a shipping agency in the port.",
            "“Insurers are returning because the shelling of the port has stopped,” the infrastructure minister, Oleksandr Kubrakov, told reporters.",
            "Ukraine's infrastructure ministry said 14 vessels were waiting to load and that it expected exports to reach 3.1 million tonnes in December; Лавров did not comment.",
        ],
    );
    let ru = page(
        "windows-1251",
        "ru",
        "В Женеве возобновились переговоры о прекращении огня",
        "Иван Петров, Женева",
        &[
            "Делегации вернулись в Женеву в понедельник для третьего раунда переговоров, сообщили официальные лица, после недели, в течение которой обстрелы унесли жизни не менее 40 мирных жителей.",
            "«Мы настроены осторожно оптимистично», — заявил спецпосланник ООН Ларс Берг, добавив, что стороны согласились обсудить обмен пленными.",
            "«Переговоры будут трудными», — сказал министр иностранных дел Сергей Лавров журналистам.",
        ],
    );
    let ja = page(
        "Shift_JIS",
        "ja",
        "日銀、追加利上げを見送り　円安進行に警戒",
        "東京＝佐藤健一",
        &[
            "日本銀行は１９日の金融政策決定会合で、政策金利を０．５％に据え置くことを決めた。",
            "植田和男総裁は記者会見で「賃金と物価の好循環を見極める必要がある」と述べ、為替の動きを注視する考えを示した。",
            "発表後、円相場は一時１ドル＝１５８円台まで下落した。",
        ],
    );
    let de = page(
        "utf-8",
        "",
        "Gipfeltreffen in Genf: Verhandlungen über Waffenruhe gehen weiter",
        "Von Lena Vogt, Genf",
        &[
            "Die Delegationen kehrten am Montag zu den Verhandlungen zurück, nachdem die Gespräche in der vergangenen Woche ins Stocken geraten waren.",
            "„Wir sind vorsichtig optimistisch“, sagte der UN-Sondergesandte Lars Berg den Journalisten.",
            "Die Sanktionen gegen die Exporteure bleiben nach Angaben des Ministeriums bestehen.",
        ],
    );
    vec![
        ("a-grain.html", en.into_bytes()),
        (
            "b-geneva.html",
            encoding_rs::WINDOWS_1251.encode(&ru).0.into_owned(),
        ),
        (
            "c-boj.html",
            encoding_rs::SHIFT_JIS.encode(&ja).0.into_owned(),
        ),
        ("d-genf.html", de.into_bytes()),
    ]
}

/// Every index the Rust side feeds or the triggers feed, for versions and quotes.
const INDEXES: [&str; 8] = [
    "versions_fts",
    "versions_stem",
    "versions_cjk",
    "versions_bigram",
    "quotes_fts",
    "quotes_stem",
    "quotes_cjk",
    "quotes_bigram",
];

/// One connection to `db` for reading its indexes: the vocabulary views
/// [`vocab`] makes are its temporary tables.
async fn reader(db: &Path) -> sqlx::SqliteConnection {
    SqliteConnectOptions::new()
        .filename(db)
        .connect()
        .await
        .unwrap()
}

/// Makes `index`'s `fts5vocab` instance view on `conn`; returns its name.
async fn vocab(conn: &mut sqlx::SqliteConnection, index: &str) -> String {
    let view = format!("temp.vocab_{index}");
    sqlx::query(&format!(
        "CREATE VIRTUAL TABLE {view} USING fts5vocab(main, '{index}', 'instance')"
    ))
    .execute(&mut *conn)
    .await
    .unwrap();
    view
}

/// Every (term, row, column, offset) of each index, and the languages
/// stored for rows and for the library.
async fn index_rows(db: &Path) -> Vec<(String, Vec<(String, i64, String, i64)>)> {
    let mut conn = reader(db).await;
    let mut out = Vec::new();
    for index in INDEXES {
        let view = vocab(&mut conn, index).await;
        let rows: Vec<(String, i64, String, i64)> = sqlx::query_as(&format!(
            "SELECT term, doc, col, offset FROM {view} ORDER BY doc, col, offset, term"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        out.push((index.to_string(), rows));
    }
    let langs: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT kind, row_id, lang FROM search_lang ORDER BY kind, row_id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    out.push((
        "search_lang".into(),
        langs.into_iter().map(|(k, id, l)| (k, id, l, 0)).collect(),
    ));
    let all: Vec<String> = sqlx::query_scalar("SELECT lang FROM search_languages ORDER BY lang")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    out.push((
        "search_languages".into(),
        all.into_iter().map(|l| (l, 0, String::new(), 0)).collect(),
    ));
    conn.close().await.unwrap();
    out
}

fn search_ids(db: &Path, query: &str) -> Vec<String> {
    let hits = json(&redline(db, &["--json", "search", query]));
    let mut ids: Vec<String> = hits
        .as_array()
        .unwrap_or_else(|| panic!("{hits}"))
        .iter()
        .map(|h| {
            format!(
                "{} {} {} {} {}",
                h["kind"], h["versionId"], h["quoteId"], h["score"], h["snippet"]
            )
        })
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_folder_import_indexes_each_version_as_clipping_its_pages_one_by_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("saved");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, bytes) in pages() {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let imported = dir.path().join("imported.db");
    let clipped = dir.path().join("clipped.db");

    let report = json(&redline(
        &imported,
        &["--json", "import", folder.to_str().unwrap(), "--batch", "3"],
    ));
    assert_eq!(report["imported"], 4, "{report}");
    for (name, _) in pages() {
        ok(redline(
            &clipped,
            &["clip", folder.join(name).to_str().unwrap()],
        ));
    }

    // The import indexed its versions' and quotes' words per batch (two
    // batches here), the clips each row as it was inserted; the word
    // indexes hold exactly the stored rows either way (FTS5's own check
    // against `versions` and `quotes`).
    for (db, imported) in [(&imported, true), (&clipped, false)] {
        let mut conn = reader(db).await;
        let (versions, quotes, later): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM versions), (SELECT count(*) FROM quotes), \
             (SELECT count(*) FROM versions WHERE words_later = 1) \
             + (SELECT count(*) FROM quotes WHERE words_later = 1)",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert!(versions == 4 && quotes >= 6, "{versions} {quotes}");
        let expected = if imported { versions + quotes } else { 0 };
        assert_eq!(later, expected, "{}", db.display());
        for table in ["versions_fts", "quotes_fts"] {
            sqlx::query(&format!(
                "INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"
            ))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{} {table}: {e}", db.display()));
        }
        conn.close().await.unwrap();
    }

    let (a, b) = (index_rows(&imported).await, index_rows(&clipped).await);
    for ((index, rows_a), (_, rows_b)) in a.iter().zip(&b) {
        assert!(
            !rows_a.is_empty() || index.ends_with("_cjk") || index.ends_with("_bigram"),
            "{index} is empty: the comparison would prove nothing"
        );
        assert_eq!(rows_a, rows_b, "{index}: import and clips differ");
    }
    // The Japanese story feeds the trigram and bigram indexes, the others
    // the stem index in their own languages.
    let langs = &a.iter().find(|(i, _)| i == "search_languages").unwrap().1;
    let langs: Vec<&str> = langs.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(langs, ["de", "en", "ru"]);
    assert!(!a[2].1.is_empty() && !a[3].1.is_empty(), "no CJK entries");

    for q in [
        "Лавров",
        "лавров",
        "insurer",
        "Sanktion",
        "植田",
        "Berg",
        "tonnes",
    ] {
        let (ia, ib) = (search_ids(&imported, q), search_ids(&clipped, q));
        assert!(!ia.is_empty(), "{q}: no hits");
        assert_eq!(ia, ib, "{q}");
    }
}

/// Every (speaker, text, term, column, offset) of the quote indexes, keyed
/// by the quote rather than its row id, and each quote's stored language.
async fn quote_rows(db: &Path) -> Vec<(String, Vec<(String, String, String, String, i64)>)> {
    let mut conn = reader(db).await;
    let mut out = Vec::new();
    for index in ["quotes_fts", "quotes_stem", "quotes_cjk", "quotes_bigram"] {
        let view = vocab(&mut conn, index).await;
        let mut rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(&format!(
            "SELECT COALESCE(q.speaker, ''), q.text, v.term, v.col, v.offset \
             FROM {view} v JOIN quotes q ON q.id = v.doc"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        rows.sort();
        out.push((index.to_string(), rows));
    }
    let mut langs: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT COALESCE(q.speaker, ''), q.text, l.lang, '', 0 FROM search_lang l \
         JOIN quotes q ON q.id = l.row_id WHERE l.kind = 'quote'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    langs.sort();
    out.push(("search_lang".into(), langs));
    conn.close().await.unwrap();
    out
}

/// A clip stores a new version's quotes in one statement and stems them in
/// the language the version was just stemmed in, without reading the
/// setting or the language back; rebuilding the same quotes the general way
/// (`quotes::store_for_version`: delete, insert, look both up) must leave
/// every quote index term for term as the clip did.
#[tokio::test]
async fn a_clip_indexes_its_quotes_as_rebuilding_them_does() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("clipped.db");
    for (name, bytes) in pages() {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        ok(redline(&db_path, &["clip", file.to_str().unwrap()]));
    }
    let clipped = quote_rows(&db_path).await;
    for (index, rows) in &clipped {
        assert!(
            !rows.is_empty() || index == "quotes_cjk" || index == "quotes_bigram",
            "{index} is empty: the comparison would prove nothing"
        );
    }
    let langs: std::collections::BTreeSet<&str> = clipped
        .iter()
        .find(|(i, _)| i == "search_lang")
        .unwrap()
        .1
        .iter()
        .map(|r| r.2.as_str())
        .collect();
    assert_eq!(
        langs.into_iter().collect::<Vec<_>>(),
        ["", "de", "en", "ru"],
        "each story's quotes stemmed in its own language (Japanese has no stemmer)"
    );

    let db = redline::Db::open(&db_path).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM versions ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(ids.len(), 4);
    for id in ids {
        let version = redline::versions::get_version(&mut conn, id).await.unwrap();
        redline::quotes::store_for_version(&mut conn, &version)
            .await
            .unwrap();
    }
    drop(conn);
    db.pool().close().await;
    let rebuilt = quote_rows(&db_path).await;
    for ((index, a), (_, b)) in clipped.iter().zip(&rebuilt) {
        assert_eq!(
            a, b,
            "{index}: the clip's quote entries differ from a rebuild's"
        );
    }
}
