-- CJK bigram indexes: one- and two-character Chinese and Japanese terms
-- (most Chinese words have two characters) could only be found through the
-- trigram indexes' vocabulary, slowly (352 ms CPU p95 at 300,000 versions,
-- see BENCHMARKS-search.md). These indexes hold every overlapping pair of
-- Han/kana characters as a token of its own, plus the last character of each
-- run alone, so any CJK substring is a phrase of bigrams and a single
-- character is the 1-character prefix `"字"*`.
--
-- SQL cannot split text into characters in a trigger, so `src/search.rs`
-- (`search::index_cjk`) writes these rows from Rust in the same transaction
-- as the base row: the text with every CJK run replaced by its bigrams and
-- the rest (Latin words, figures) kept as it is, so mixed queries work on the
-- one index. Only rows containing Han or kana are indexed.
--
-- Contentless with contentless_delete, so the triggers below can remove a
-- row by rowid alone. An update of an indexed column removes the row here;
-- the Rust writer re-inserts it in the same transaction.
--
-- Existing libraries: the `search_backfill` row makes `Db::open` index every
-- existing CJK row once (from Rust, in one transaction), then deletes it.

CREATE VIRTUAL TABLE versions_bigram USING fts5(
    title, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1'
);
CREATE VIRTUAL TABLE notes_bigram USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1'
);
CREATE VIRTUAL TABLE highlights_bigram USING fts5(
    text, comment,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1'
);
CREATE VIRTUAL TABLE quotes_bigram USING fts5(
    speaker, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1'
);

CREATE TRIGGER versions_bigram_delete AFTER DELETE ON versions BEGIN
    DELETE FROM versions_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER versions_bigram_update AFTER UPDATE OF title, text ON versions BEGIN
    DELETE FROM versions_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER notes_bigram_delete AFTER DELETE ON notes BEGIN
    DELETE FROM notes_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER notes_bigram_update AFTER UPDATE OF title, body ON notes BEGIN
    DELETE FROM notes_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER highlights_bigram_delete AFTER DELETE ON highlights BEGIN
    DELETE FROM highlights_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER highlights_bigram_update AFTER UPDATE OF text, comment ON highlights BEGIN
    DELETE FROM highlights_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER quotes_bigram_delete AFTER DELETE ON quotes BEGIN
    DELETE FROM quotes_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER quotes_bigram_update AFTER UPDATE OF speaker, text ON quotes BEGIN
    DELETE FROM quotes_bigram WHERE rowid = old.id;
END;

-- Pending one-off jobs run by `Db::open` after the migrations.
CREATE TABLE search_backfill (
    name TEXT PRIMARY KEY
);
INSERT INTO search_backfill (name) VALUES ('bigrams');
