//! Replays the fuzz targets' seeds and saved findings (`fuzz/seeds/`) on
//! stable, in the ordinary suite: `scripts/fuzz` explores with libFuzzer on
//! nightly, and whatever it found once stays fixed here. The query part also
//! checks a property the fuzz target cannot: every FTS5 text the lowering
//! builds is accepted by a real SQLite FTS5 table.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::SqlitePool;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn extraction_seeds_end_in_an_article_or_a_typed_error() {
    let mut pages = files(&root().join("fuzz/seeds/extract"));
    pages.extend(
        files(&root().join("tests/fixtures/extraction"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html")),
    );
    assert!(pages.len() > 20, "the seeds are missing");
    for page in pages {
        let html = String::from_utf8_lossy(&std::fs::read(&page).unwrap()).into_owned();
        match redline::extract::extract_page(&html, Some("https://news.example/world/story")) {
            Ok(_) => {}
            Err(e) => assert!(
                matches!(
                    e.code(),
                    "extract_too_complex" | "extract_failed" | "invalid"
                ),
                "{}: unexpected error {} ({e})",
                page.display(),
                e.code()
            ),
        }
    }
}

/// A real FTS5 table per tokenizer the search indexes use.
async fn fts() -> SqlitePool {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    for sql in [
        "CREATE VIRTUAL TABLE words USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE VIRTUAL TABLE grams USING fts5(title, body, tokenize = 'trigram remove_diacritics 1')",
        "INSERT INTO words VALUES ('Talks resume', 'Negotiators returned to Doha on Monday')",
        "INSERT INTO grams VALUES ('中国铁路', '铁路延误三小时')",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool
}

/// Parses `text`; when it parses, every lowered match text must run.
async fn check_query(pool: &SqlitePool, text: &str) {
    let Ok(query) = redline::search::parse(text) else {
        return;
    };
    for (i, lowered) in query.match_texts().into_iter().enumerate() {
        let Ok(matches) = lowered else { continue };
        let table = if i == 2 { "grams" } else { "words" };
        let sql = format!("SELECT count(*) FROM {table} WHERE {table} MATCH ?");
        if let Err(e) = sqlx::query_scalar::<_, i64>(&sql)
            .bind(&matches)
            .fetch_one(pool)
            .await
        {
            panic!("query {text:?} lowered to {matches:?}, which FTS5 refuses: {e}");
        }
    }
}

#[tokio::test]
async fn query_seeds_lower_to_text_fts5_accepts() {
    let pool = fts().await;
    let seeds = files(&root().join("fuzz/seeds/query"));
    assert!(seeds.len() >= 10, "the seeds are missing");
    for seed in seeds {
        check_query(
            &pool,
            &String::from_utf8_lossy(&std::fs::read(seed).unwrap()),
        )
        .await;
    }
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

#[tokio::test]
async fn random_queries_from_the_query_alphabet_lower_to_text_fts5_accepts() {
    let pool = fts().await;
    // The pieces of the query language and the characters FTS5 treats
    // specially, mixed with words in several scripts.
    let pieces = [
        "(",
        ")",
        "\"",
        "-",
        "*",
        " ",
        " ",
        "OR",
        "AND",
        "NOT",
        "or",
        "^",
        ":",
        "+",
        "NEAR",
        "title:",
        "{",
        "}",
        ".",
        "'",
        "Doha",
        "talks",
        "oil",
        "미사일",
        "발사",
        "中国",
        "铁路",
        "延",
        "санкции",
        "الأمم",
        "é",
        "\u{301}",
        "0",
        "_",
        "\\",
    ];
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    for _ in 0..3000 {
        let len = 1 + rng.next() % 12;
        let text: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        check_query(&pool, &text).await;
    }
}

#[test]
fn bundle_seeds_and_their_damaged_copies_never_panic() {
    let seeds = files(&root().join("fuzz/seeds/bundle"));
    assert!(!seeds.is_empty(), "the seeds are missing");
    let name = Path::new("seed.zip");
    for seed in seeds {
        let bytes = std::fs::read(&seed).unwrap();
        let whole = redline::export::verify_bundle_from(Cursor::new(&bytes), name);
        if seed
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("sound-"))
        {
            assert!(whole.unwrap().ok, "{} should verify", seed.display());
        }
        // Each prefix and a flipped byte every few hundred: a damaged bundle
        // is reported, not a crash.
        let mut rng = Rng(bytes.len() as u64 | 1);
        for cut in (0..bytes.len()).step_by(97) {
            let _ = redline::export::verify_bundle_from(Cursor::new(&bytes[..cut]), name);
            let mut flipped = bytes.clone();
            flipped[cut] ^= 1 << (rng.next() % 8);
            let _ = redline::export::verify_bundle_from(Cursor::new(&flipped), name);
        }
    }
}
