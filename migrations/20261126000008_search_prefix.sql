-- Prefix indexes on the word indexes, so that `prefix*` no longer merges the
-- posting lists of every indexed word that begins with the prefix (197 ms CPU
-- p95 for a four-letter prefix at 300,000 versions, see BENCHMARKS-search.md).
--
-- FTS5 uses a prefix index only for a prefix of exactly that many characters;
-- longer prefixes still fall back to the term scan, which is cheap for them
-- because few words share a five-letter beginning. '2 3 4' covers the short
-- prefixes that match the most words (and the four letters people usually
-- type before the star).
--
-- The *_fts tables are external-content, so they are dropped, recreated with
-- the same columns and tokenizer plus the prefix option, and repopulated with
-- FTS5 'rebuild' from their base tables. The triggers in
-- 20261126000002_search.sql refer to the tables by name and keep working with
-- the recreated ones. The contentless *_cjk tables are left alone (never
-- 'rebuild' them: they have no content to rebuild from).

DROP TABLE versions_fts;
CREATE VIRTUAL TABLE versions_fts USING fts5(
    title, text,
    content = 'versions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO versions_fts (versions_fts) VALUES ('rebuild');

DROP TABLE notes_fts;
CREATE VIRTUAL TABLE notes_fts USING fts5(
    title, body,
    content = 'notes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO notes_fts (notes_fts) VALUES ('rebuild');

DROP TABLE highlights_fts;
CREATE VIRTUAL TABLE highlights_fts USING fts5(
    text, comment,
    content = 'highlights', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO highlights_fts (highlights_fts) VALUES ('rebuild');

DROP TABLE quotes_fts;
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    speaker, text,
    content = 'quotes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');
